import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';

/** Direct Line tokens live 30 minutes; clients refresh them every 15 (the real service's figures). */
export const DIRECT_LINE_TOKEN_LIFETIME_SECONDS = 1_800;
const ISSUER = 'care-assistant-directline';

/** What a token grants: one user, in one conversation. */
export interface DirectLineGrant {
  conversationId: string;
  userId: string;
}

export type TokenCheck =
  { ok: true; grant: DirectLineGrant } | { ok: false; reason: 'expired' | 'invalid' };

/**
 * Short-lived, signed tokens for the embedded Direct Line server, each bound to one conversation and one user.
 * They are JWTs with the claim names of the real service's tokens (`conv`, `user`), which Web Chat reads to
 * learn the user's id. The signing key is random per process unless given: after a restart, old tokens are
 * refused (403) and the page starts a new conversation.
 */
export class DirectLineTokens {
  private readonly key: Buffer;
  private readonly lifetimeSeconds: number;
  private readonly nowSeconds: () => number;

  constructor(options: { key?: Buffer; lifetimeSeconds?: number; now?: () => number } = {}) {
    this.key = options.key ?? randomBytes(32);
    this.lifetimeSeconds = options.lifetimeSeconds ?? DIRECT_LINE_TOKEN_LIFETIME_SECONDS;
    const now = options.now ?? Date.now;
    this.nowSeconds = () => Math.floor(now() / 1000);
  }

  issue(grant: DirectLineGrant): { token: string; expiresIn: number } {
    const issuedAt = this.nowSeconds();
    const token = jwt.sign(
      {
        conv: grant.conversationId,
        user: grant.userId,
        iat: issuedAt,
        nbf: issuedAt,
        exp: issuedAt + this.lifetimeSeconds,
      },
      this.key,
      { algorithm: 'HS256', issuer: ISSUER },
    );
    return { token, expiresIn: this.lifetimeSeconds };
  }

  check(token: string): TokenCheck {
    try {
      const claims = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        clockTimestamp: this.nowSeconds(),
      });
      if (
        typeof claims !== 'object' ||
        typeof claims.conv !== 'string' ||
        typeof claims.user !== 'string'
      ) {
        return { ok: false, reason: 'invalid' };
      }
      return { ok: true, grant: { conversationId: claims.conv, userId: claims.user } };
    } catch (error) {
      return { ok: false, reason: error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
    }
  }
}
