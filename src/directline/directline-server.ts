import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Request, Response, Server } from 'restify';
import { WebSocketServer, type WebSocket } from 'ws';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import {
  ConversationHub,
  type DirectLineConversation,
  type StreamSubscriber,
} from './conversation-hub';
import { DirectLineTokens, type DirectLineGrant } from './directline-tokens';
import { isRecord } from '../shared/is-record';

/** Where Web Chat and other Direct Line clients find the embedded server, below the app's own origin. */
export const DIRECT_LINE_PATH = '/v3/directline';
/** Activity types a client may send; conversation updates and the like come from the server only. */
const CLIENT_ACTIVITY_TYPES = new Set(['message', 'event', 'typing']);
/** A customer types, at most, a few messages in ten seconds; a script sending more is refused with 429. */
const RATE_WINDOW_MS = 10_000;
const RATE_ACTIVITIES_MAX = 12;
/** WebSocket keep-alive: proxies drop connections that stay silent for a minute or so. */
const STREAM_PING_MS = 30_000;
/** Client frames are empty keep-alive strings; anything large is not a Direct Line client. */
const STREAM_FRAME_BYTES_MAX = 4 * 1024;

export interface EmbeddedDirectLineOptions {
  logger: Logger;
  /** The bot's messaging endpoint (`…/api/messages`), known once the server listens. */
  botEndpoint: () => string;
  /**
   * Hands an activity to the bot in-process instead of over HTTP: for a bot with an app id, whose endpoint
   * takes only Bot Framework tokens, which this service cannot mint.
   */
  deliverInProcess?: (activity: Record<string, unknown>) => Promise<void>;
  /** This server's own base URL as the bot must call it back (loopback), known once it listens. */
  selfBaseUrl: () => string;
  bot: { id: string; name: string };
  /** Optional: a secret that `tokens/generate` and `conversations` accept, as the real service's secret. */
  secret?: string | undefined;
  idleConversationMs?: number;
  maxConversations?: number;
  now?: () => number;
}

export interface EmbeddedDirectLine {
  /** A new conversation and a token for it, for our own page (`POST /api/directline/token`). */
  issueConversationToken(): { conversationId: string; token: string; expiresIn: number };
  /** Closes every stream. The HTTP routes go with the server. */
  close(): void;
  readonly conversationCount: number;
}

type Failure = { status: number; code: string; message: string };

/**
 * An embedded Direct Line 3.0 service for local mode and tests, so the official Web Chat works with no Azure
 * account: the client API (conversations, activities by watermark, the WebSocket stream, tokens) on one side,
 * and on the other the Bot Connector API that the bot answers through. Customer activities reach the bot by
 * HTTP at its messaging endpoint, through the same CloudAdapter path as every channel.
 *
 * The bot's side is reached through a `serviceUrl` carrying a random key, so only the bot, which learns the key
 * from the activities it receives, can post into a conversation.
 */
export function registerEmbeddedDirectLine(
  server: Server,
  options: EmbeddedDirectLineOptions,
): EmbeddedDirectLine {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const tokens = new DirectLineTokens({ now });
  const hub = new ConversationHub({
    idleMs: options.idleConversationMs ?? 60 * 60 * 1000,
    maxConversations: options.maxConversations ?? 10_000,
    now,
  });
  const connectorKey = randomBytes(18).toString('base64url');
  const connectorPath = `/_directline/${connectorKey}`;
  const serviceUrl = () => `${options.selfBaseUrl()}${connectorPath}`;
  const fail = (response: Response, failure: Failure) => {
    response.send(failure.status, { error: { code: failure.code, message: failure.message } });
  };

  /** The conversation a request may act on, from its bearer token; or why not. */
  const authorize = (
    request: Request,
    conversationId?: string,
  ): { grant: DirectLineGrant; conversation: DirectLineConversation } | Failure => {
    const token = bearerToken(request);
    if (token === null)
      return { status: 401, code: 'Unauthorized', message: 'a bearer token is required' };
    const check = tokens.check(token);
    if (!check.ok) {
      return check.reason === 'expired'
        ? { status: 403, code: 'TokenExpired', message: 'the token has expired' }
        : { status: 403, code: 'Forbidden', message: 'the token is not valid here' };
    }
    if (conversationId !== undefined && check.grant.conversationId !== conversationId) {
      return { status: 403, code: 'Forbidden', message: 'the token is for another conversation' };
    }
    const conversation = hub.get(check.grant.conversationId);
    if (conversation === undefined) {
      return {
        status: 404,
        code: 'NotFound',
        message: 'the conversation has ended or does not exist',
      };
    }
    return { grant: check.grant, conversation };
  };

  /** The stream's URL; a reconnect's watermark goes in it, so the stream resumes instead of replaying all. */
  const streamUrlFor = (request: Request, conversation: DirectLineConversation, token: string) => {
    const forwarded = request.header('x-forwarded-proto');
    const scheme = forwarded === 'https' ? 'wss' : 'ws';
    const host = request.header('host') ?? new URL(options.selfBaseUrl()).host;
    const query = request.query as Record<string, unknown> | undefined;
    const watermark =
      typeof query?.watermark === 'string' && /^\d+$/u.test(query.watermark)
        ? query.watermark
        : null;
    const resume = watermark === null ? '' : `&watermark=${watermark}`;
    return `${scheme}://${host}${DIRECT_LINE_PATH}/conversations/${conversation.id}/stream?t=${encodeURIComponent(token)}${resume}`;
  };

  const conversationView = (
    request: Request,
    conversation: DirectLineConversation,
    token: string,
    expiresIn: number,
  ) => ({
    conversationId: conversation.id,
    token,
    expires_in: expiresIn,
    streamUrl: streamUrlFor(request, conversation, token),
  });

  const toBot = (
    conversation: DirectLineConversation,
    activity: Record<string, unknown>,
  ): Promise<void> =>
    conversation.deliver(async () => {
      const body = {
        ...activity,
        channelId: 'directline',
        serviceUrl: serviceUrl(),
        conversation: { id: conversation.id },
        recipient: { id: options.bot.id, name: options.bot.name, role: 'bot' },
      };
      try {
        if (options.deliverInProcess !== undefined) {
          await options.deliverInProcess(body);
          return;
        }
        const response = await fetch(options.botEndpoint(), {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        if (!response.ok) {
          logger.warn(
            { conversationId: conversation.id, status: response.status },
            'directline-bot-rejected',
          );
        }
      } catch (error) {
        logger.error(
          { conversationId: conversation.id, error: describeError(error) },
          'directline-bot-unreachable',
        );
      }
    });

  const startConversation = (conversation: DirectLineConversation) => {
    conversation.started = true;
    const user = { id: conversation.userId, role: 'user' };
    void toBot(conversation, {
      type: 'conversationUpdate',
      id: randomUUID(),
      timestamp: new Date(now()).toISOString(),
      from: user,
      membersAdded: [{ id: options.bot.id, name: options.bot.name }, { id: conversation.userId }],
    });
  };

  /** A new conversation for `userId` (a fresh `dl_` id when none is asked for) and a token for it. */
  const openConversation = (
    userId: string | null,
  ): { conversation: DirectLineConversation; token: string; expiresIn: number } | Failure => {
    const conversation = hub.create(userId ?? `dl_${randomUUID()}`);
    if (conversation === null) {
      return {
        status: 503,
        code: 'ServiceUnavailable',
        message: 'too many conversations; try again later',
      };
    }
    const issued = tokens.issue({ conversationId: conversation.id, userId: conversation.userId });
    return { conversation, ...issued };
  };

  /** Whether the request carries the configured secret (as the real service's secret callers do). */
  const presentsSecret = (request: Request): boolean => {
    const presented = bearerToken(request);
    return (
      presented !== null && options.secret !== undefined && safeEqual(presented, options.secret)
    );
  };

  // restify 11 takes handlers that are async or call next(); these answer synchronously.
  /* eslint-disable @typescript-eslint/require-await */

  server.post(
    `${DIRECT_LINE_PATH}/tokens/generate`,
    async (request: Request, response: Response) => {
      if (!presentsSecret(request)) {
        fail(response, {
          status: 403,
          code: 'Forbidden',
          message: 'a valid Direct Line secret is required',
        });
        return;
      }
      const opened = openConversation(readUserId(request.body));
      if ('status' in opened) {
        fail(response, opened);
        return;
      }
      response.send(200, {
        conversationId: opened.conversation.id,
        token: opened.token,
        expires_in: opened.expiresIn,
      });
    },
  );

  server.post(
    `${DIRECT_LINE_PATH}/tokens/refresh`,
    async (request: Request, response: Response) => {
      const access = authorize(request);
      if ('status' in access) {
        fail(response, access);
        return;
      }
      const { token, expiresIn } = tokens.issue(access.grant);
      response.send(200, { conversationId: access.conversation.id, token, expires_in: expiresIn });
    },
  );

  server.post(`${DIRECT_LINE_PATH}/conversations`, async (request: Request, response: Response) => {
    if (presentsSecret(request)) {
      const opened = openConversation(readUserId(request.body));
      if ('status' in opened) {
        fail(response, opened);
        return;
      }
      startConversation(opened.conversation);
      response.send(
        201,
        conversationView(request, opened.conversation, opened.token, opened.expiresIn),
      );
      return;
    }
    const access = authorize(request);
    if ('status' in access) {
      fail(response, access);
      return;
    }
    const { token, expiresIn } = tokens.issue(access.grant);
    const isNew = !access.conversation.started;
    if (isNew) startConversation(access.conversation);
    response.send(
      isNew ? 201 : 200,
      conversationView(request, access.conversation, token, expiresIn),
    );
  });

  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId`,
    async (request: Request, response: Response) => {
      const access = authorize(request, routeParam(request, 'conversationId'));
      if ('status' in access) {
        fail(response, access);
        return;
      }
      const { token, expiresIn } = tokens.issue(access.grant);
      response.send(200, conversationView(request, access.conversation, token, expiresIn));
    },
  );

  server.get(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    async (request: Request, response: Response) => {
      const access = authorize(request, routeParam(request, 'conversationId'));
      if ('status' in access) {
        fail(response, access);
        return;
      }
      const query = request.query as Record<string, unknown> | undefined;
      const watermark = typeof query?.watermark === 'string' ? query.watermark : undefined;
      response.send(200, access.conversation.activitiesAfter(watermark));
    },
  );

  server.post(
    `${DIRECT_LINE_PATH}/conversations/:conversationId/activities`,
    async (request: Request, response: Response) => {
      const access = authorize(request, routeParam(request, 'conversationId'));
      if ('status' in access) {
        fail(response, access);
        return;
      }
      const problem = checkClientActivity(request.body);
      if (problem !== null) {
        fail(response, { status: 400, code: 'BadArgument', message: problem });
        return;
      }
      if (!access.conversation.admitPost(RATE_ACTIVITIES_MAX, RATE_WINDOW_MS)) {
        response.header('Retry-After', String(RATE_WINDOW_MS / 1000));
        fail(response, {
          status: 429,
          code: 'TooManyRequests',
          message: 'too many messages in a short time; please wait a few seconds',
        });
        return;
      }
      const incoming = request.body as Record<string, unknown>;
      const from = {
        ...(isRecord(incoming.from) ? incoming.from : {}),
        id: access.grant.userId,
        role: 'user',
      };
      // The user's id is the token's, whatever the client claims (as the real service rewrites it).
      const stored = access.conversation.append({
        ...incoming,
        from,
        conversation: { id: access.conversation.id },
      });
      void toBot(access.conversation, stored);
      response.send(200, { id: stored.id });
    },
  );

  // The Bot Connector side: the bot's replies, updates and deletions, under the keyed serviceUrl.
  const botConversation = (request: Request, response: Response): DirectLineConversation | null => {
    const conversation = hub.get(routeParam(request, 'conversationId'));
    if (conversation === undefined) {
      fail(response, {
        status: 404,
        code: 'ConversationNotFound',
        message: 'no such conversation',
      });
      return null;
    }
    return conversation;
  };
  const botActivity = (body: unknown): Record<string, unknown> | null => {
    if (!isRecord(body) || typeof body.type !== 'string') return null;
    const from = isRecord(body.from) ? body.from : { id: options.bot.id, name: options.bot.name };
    return { ...body, from: { ...from, role: 'bot' } };
  };
  const postFromBot = async (request: Request, response: Response) => {
    const conversation = botConversation(request, response);
    if (conversation === null) return;
    const activity = botActivity(request.body);
    if (activity === null) {
      fail(response, {
        status: 400,
        code: 'BadArgument',
        message: 'an activity with a type is required',
      });
      return;
    }
    const stored = conversation.append(activity);
    response.send(200, { id: stored.id });
  };
  server.post(`${connectorPath}/v3/conversations/:conversationId/activities`, postFromBot);
  server.post(
    `${connectorPath}/v3/conversations/:conversationId/activities/:activityId`,
    postFromBot,
  );
  server.put(
    `${connectorPath}/v3/conversations/:conversationId/activities/:activityId`,
    async (request: Request, response: Response) => {
      const conversation = botConversation(request, response);
      if (conversation === null) return;
      const activity = botActivity(request.body);
      const activityId = routeParam(request, 'activityId');
      if (activity === null || !conversation.replace(activityId, activity)) {
        fail(response, {
          status: 404,
          code: 'ActivityNotFound',
          message: 'no such activity to update',
        });
        return;
      }
      response.send(200, { id: activityId });
    },
  );
  server.del(
    `${connectorPath}/v3/conversations/:conversationId/activities/:activityId`,
    async (request: Request, response: Response) => {
      if (botConversation(request, response) === null) return;
      // Web Chat has no way to take back a shown activity; the request is accepted and changes nothing.
      response.send(200, {});
    },
  );
  server.get(
    `${connectorPath}/v3/conversations/:conversationId/members`,
    async (request: Request, response: Response) => {
      const conversation = botConversation(request, response);
      if (conversation === null) return;
      response.send(200, [
        { id: conversation.userId, role: 'user' },
        { id: options.bot.id, name: options.bot.name, role: 'bot' },
      ]);
    },
  );
  /* eslint-enable @typescript-eslint/require-await */

  // The WebSocket stream: upgraded outside restify, authorized by the token in its URL.
  const sockets = new WebSocketServer({ noServer: true, maxPayload: STREAM_FRAME_BYTES_MAX });
  const streamPattern = new RegExp(`^${DIRECT_LINE_PATH}/conversations/([^/?]+)/stream$`, 'u');
  server.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const match = streamPattern.exec(url.pathname);
    if (match === null) {
      refuseUpgrade(socket, 404, 'Not Found');
      return;
    }
    const check = tokens.check(url.searchParams.get('t') ?? '');
    const conversation = hub.get(decodeURIComponent(match[1]!));
    if (!check.ok || conversation === undefined || check.grant.conversationId !== conversation.id) {
      refuseUpgrade(socket, conversation === undefined && check.ok ? 404 : 403, 'Refused');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (webSocket: WebSocket) => {
      const subscriber: StreamSubscriber = {
        send: (frame) => {
          if (webSocket.readyState === webSocket.OPEN) webSocket.send(frame);
        },
        close: (code, reason) => webSocket.close(code, reason),
      };
      const ping = setInterval(() => webSocket.ping(), STREAM_PING_MS);
      webSocket.on('error', (error) => {
        logger.warn(
          { conversationId: conversation.id, error: describeError(error) },
          'directline-stream-error',
        );
      });
      webSocket.on('close', () => {
        clearInterval(ping);
        conversation.unsubscribe(subscriber);
      });
      conversation.subscribe(subscriber, url.searchParams.get('watermark') ?? undefined);
    });
  });

  return {
    issueConversationToken: () => {
      const opened = openConversation(null);
      if ('status' in opened) throw new Error('too many conversations');
      return {
        conversationId: opened.conversation.id,
        token: opened.token,
        expiresIn: opened.expiresIn,
      };
    },
    close: () => {
      hub.closeAll('server stopping');
      for (const client of sockets.clients) client.terminate();
      sockets.close();
    },
    get conversationCount() {
      return hub.size;
    },
  };
}

function routeParam(request: Request, name: string): string {
  const value = (request.params as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

function bearerToken(request: Request): string | null {
  const header = request.header('authorization');
  const match = /^Bearer\s+(\S+)$/iu.exec(header ?? '');
  return match?.[1] ?? null;
}

function readUserId(body: unknown): string | null {
  if (!isRecord(body) || !isRecord(body.user) || typeof body.user.id !== 'string') return null;
  const id = body.user.id.trim();
  if (id === '' || id.length > 128) return null;
  // Like the real service, user ids in tokens start with dl_.
  return id.startsWith('dl_') ? id : `dl_${id}`;
}

function checkClientActivity(body: unknown): string | null {
  if (!isRecord(body)) return 'the body must be an activity (a JSON object)';
  if (typeof body.type !== 'string' || !CLIENT_ACTIVITY_TYPES.has(body.type)) {
    return `type must be one of ${[...CLIENT_ACTIVITY_TYPES].join(', ')}`;
  }
  if (body.text !== undefined && typeof body.text !== 'string') return 'text must be a string';
  return null;
}

function safeEqual(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
