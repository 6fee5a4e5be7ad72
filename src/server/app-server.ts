import restify, { type Request, type Response } from 'restify';
import type { CloudAdapter } from 'botbuilder';
import type { CareBot } from '../bot/care-bot';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** An activity larger than this is refused with 413: real activities are a few kilobytes. */
export const ACTIVITY_BYTES_MAX = 256 * 1024;
/** How long shutdown waits for turns in flight before closing anyway. */
const DRAIN_TIMEOUT_MS = 25_000;

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, unknown>;
}

export interface AppServerOptions {
  adapter: CloudAdapter;
  bot: CareBot;
  logger: Logger;
  /**
   * True when inbound requests are not authenticated (no app id). The bot then replies only to a loopback
   * `serviceUrl`: otherwise anyone who can reach the port could make it post to any address.
   */
  anonymous: boolean;
  /** What /readyz reports: the stores are open and which model answers. */
  readiness: () => Promise<ReadinessReport>;
}

export interface AppServer {
  readonly server: restify.Server;
  /** Starts listening; resolves with the bound port (useful with port 0 in tests). */
  start(options: { port: number; host: string }): Promise<number>;
  /** Stops accepting, lets turns in flight finish, then closes. Idempotent. */
  stop(): Promise<void>;
}

/** The HTTP face of the assistant. Channels post activities to /api/messages; operators probe the rest. */
export function createAppServer(options: AppServerOptions): AppServer {
  const { adapter, bot, logger } = options;
  const server = restify.createServer({ name: 'care-assistant', handleUncaughtExceptions: false });
  let inFlight = 0;
  let stopping: Promise<void> | null = null;
  let drained: (() => void) | null = null;

  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(restify.plugins.bodyReader({ maxBodySize: ACTIVITY_BYTES_MAX }));
  server.use(restify.plugins.jsonBodyParser({ mapParams: false, bodyReader: true }));

  server.post('/api/messages', async (request: Request, response: Response) => {
    if (stopping !== null) {
      response.send(503, { error: 'shutting down' });
      return;
    }
    const problem = checkActivity(request.body, { anonymous: options.anonymous });
    if (problem !== null) {
      response.send(400, { error: problem });
      return;
    }
    inFlight += 1;
    try {
      await adapter.process(request, response, (context) => bot.run(context));
    } catch (error) {
      logger.error({ error: describeError(error) }, 'request-failed');
      if (!response.headersSent) response.send(500, { error: 'internal error' });
    } finally {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    }
  });

  // restify 11 takes handlers that are async or call next(); these answer synchronously, so they are async.
  // eslint-disable-next-line @typescript-eslint/require-await
  server.get('/healthz', async (_request: Request, response: Response) => {
    response.send(200, { status: 'ok' });
  });

  server.get('/readyz', async (_request: Request, response: Response) => {
    const report = await options
      .readiness()
      .catch((error: unknown): ReadinessReport => ({
        ready: false,
        checks: { error: describeError(error).message },
      }));
    const ready = report.ready && stopping === null;
    response.send(ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', ...report.checks });
  });

  server.on(
    'restifyError',
    (
      request: Request,
      response: Response,
      error: Error & { statusCode?: number },
      next: () => void,
    ) => {
      if ((error.statusCode ?? 500) >= 500)
        logger.error({ error: describeError(error), path: request.path() }, 'request-failed');
      else
        logger.info(
          { status: error.statusCode, path: request.path(), reason: error.message },
          'request-rejected',
        );
      next();
    },
  );

  const waitForTurns = () =>
    new Promise<void>((resolve) => {
      if (inFlight === 0 && bot.activeConversations === 0) {
        resolve();
        return;
      }
      const timer = setTimeout(() => {
        logger.warn({ inFlight }, 'shutdown-drain-timeout');
        resolve();
      }, DRAIN_TIMEOUT_MS);
      drained = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  return {
    server,
    start: ({ port, host }) =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.removeListener('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address !== null ? address.port : port);
        });
      }),
    stop: () => {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => {
          server.close(() => resolve());
        });
        server.server.closeIdleConnections();
        await waitForTurns();
        server.server.closeAllConnections();
        await closed;
      })();
      return stopping;
    },
  };
}

/** The shape checks CloudAdapter leaves out (a missing `type` would otherwise end in a 500). */
function checkActivity(body: unknown, options: { anonymous: boolean }): string | null {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body must be a JSON activity';
  const activity = body as { type?: unknown; serviceUrl?: unknown; conversation?: { id?: unknown } };
  if (typeof activity.type !== 'string' || activity.type === '') return 'the activity needs a type';
  if (typeof activity.conversation?.id !== 'string' || activity.conversation.id === '') {
    return 'the activity needs a conversation id';
  }
  if (typeof activity.serviceUrl !== 'string') return 'the activity needs a serviceUrl';
  if (options.anonymous && !isLoopbackUrl(activity.serviceUrl)) {
    return 'in local mode (no MicrosoftAppId) the serviceUrl must be a loopback address';
  }
  return null;
}

function isLoopbackUrl(value: string): boolean {
  try {
    const host = new URL(value).hostname;
    return host === 'localhost' || host === '[::1]' || /^127(?:\.\d{1,3}){3}$/u.test(host);
  } catch {
    return false;
  }
}
