import {
  AuthenticationConstants,
  BotFrameworkAuthentication,
  ConnectorFactory,
  type AuthenticateRequestResult,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';

/** Service URLs and audiences a bot talks to are few (a channel's regions); this bounds the odd one out. */
export const CONNECTOR_CLIENTS_KEPT = 256;

/**
 * The Bot Framework authentication of the adapter, with one `ConnectorClient` per bot app id, service URL and
 * audience, and one `UserTokenClient` per app id, instead of a new one of each for every incoming activity.
 *
 * botbuilder's `CloudAdapter` asks for both clients on every activity, and each builds its own HTTP pipeline
 * (a dozen policies, a sanitizer, a proxy lookup): under `npm run bench` that was about 2% of the bot's CPU, for
 * clients that are all alike. A client holds no per-conversation state: the address and credentials it is
 * built with, and credentials whose tokens botframework-connector already caches process-wide. Bot Framework's
 * C# adapter keeps its connector clients the same way. Everything else (request authentication, skills) is the
 * wrapped authentication's.
 */
export class CachingBotFrameworkAuthentication extends BotFrameworkAuthentication {
  private readonly clients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.withCachingFactory(await this.inner.authenticateRequest(activity, authHeader));
  }

  async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return this.withCachingFactory(
      await this.inner.authenticateStreamingRequest(authHeader, channelIdHeader),
    );
  }

  createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.cachingFactory(this.inner.createConnectorFactory(claimsIdentity), claimsIdentity);
  }

  createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return kept(this.userTokenClients, appIdOf(claimsIdentity), () =>
      this.inner.createUserTokenClient(claimsIdentity),
    );
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }

  override getOriginatingAudience(): string {
    return this.inner.getOriginatingAudience();
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return this.inner.authenticateChannelRequest(authHeader);
  }

  private withCachingFactory(result: AuthenticateRequestResult): AuthenticateRequestResult {
    const { connectorFactory } = result;
    return connectorFactory === undefined
      ? result
      : {
          ...result,
          connectorFactory: this.cachingFactory(connectorFactory, result.claimsIdentity),
        };
  }

  private cachingFactory(
    inner: ConnectorFactory,
    claimsIdentity: ClaimsIdentity,
  ): ConnectorFactory {
    const appId = appIdOf(claimsIdentity);
    const clients = this.clients;
    return new (class extends ConnectorFactory {
      create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
        return kept(clients, JSON.stringify([appId, serviceUrl, audience ?? null]), () =>
          inner.create(serviceUrl, audience),
        );
      }
    })();
  }
}

/** The app id a client made for these claims signs with, read the way botframework-connector reads it. */
function appIdOf(claimsIdentity: ClaimsIdentity): string {
  return (
    claimsIdentity.getClaimValue(AuthenticationConstants.AudienceClaim) ??
    claimsIdentity.getClaimValue(AuthenticationConstants.AppIdClaim) ??
    ''
  );
}

/**
 * The client kept under `key`, or a new one from `create`, kept: at most {@link CONNECTOR_CLIENTS_KEPT} per map,
 * the least recently used let go first. A failure (an app id the credentials refuse) is not kept.
 */
function kept<T>(
  clients: Map<string, Promise<T>>,
  key: string,
  create: () => Promise<T>,
): Promise<T> {
  const cached = clients.get(key);
  if (cached !== undefined) {
    // Most recently used last, so the oldest is the one let go.
    clients.delete(key);
    clients.set(key, cached);
    return cached;
  }
  const created = create();
  clients.set(key, created);
  if (clients.size > CONNECTOR_CLIENTS_KEPT) clients.delete(clients.keys().next().value!);
  created.catch(() => {
    if (clients.get(key) === created) clients.delete(key);
  });
  return created;
}
