import { randomUUID } from 'node:crypto';
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { EmbeddedDirectLine } from '../directline/directline-server';
import { DIRECT_LINE_PATH } from '../directline/directline-server';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** The page's own files, next to the project root's `public/` folder; the Web Chat bundle is vendored there. */
export const PUBLIC_DIR = path.resolve(__dirname, '..', '..', 'public');
export const VENDORED_WEBCHAT = path.join(PUBLIC_DIR, 'vendor', 'webchat.js');
/** A token exchange waits this long for the Direct Line service before the page is told to retry. */
const TOKEN_EXCHANGE_TIMEOUT_MS = 10_000;

export interface WebChatRoutesOptions {
  logger: Logger;
  assistantName: string;
  companyName: string;
  /** Serve the page at `/` (the token endpoint is served either way when a Direct Line is available). */
  pageEnabled: boolean;
  /** A CDN URL for Web Chat, or null for the vendored copy. */
  webChatBundleUrl: string | null;
  /** Local mode's embedded Direct Line, or null. */
  embedded: EmbeddedDirectLine | null;
  /** Production: the Azure Bot's Direct Line secret and service endpoint. */
  directLine: { secret: string | undefined; endpoint: string };
  /** Replaces the global fetch for the token exchange; for tests. */
  fetch?: typeof fetch;
}

/** What the page receives from `POST /api/directline/token`. */
export interface PageToken {
  token: string;
  conversationId: string;
  expiresIn: number;
  /** The Direct Line base URL for Web Chat's `domain`; null means the real service's default. */
  domain: string | null;
}

/**
 * The customer's chat page: the official Web Chat, styled with the assistant's name and avatar, and the token
 * endpoint it starts from. Locally the token comes from the embedded Direct Line; in Azure the server exchanges
 * `DIRECT_LINE_SECRET` for a token bound to a fresh `dl_` user id and the page's origin.
 */
export async function registerWebChatRoutes(
  server: Server,
  options: WebChatRoutesOptions,
): Promise<void> {
  const { logger } = options;
  const fetchImpl = options.fetch ?? fetch;

  server.post('/api/directline/token', async (request: Request, response: Response) => {
    if (options.embedded !== null) {
      try {
        const issued = options.embedded.issueConversationToken();
        const origin = requestOrigin(request);
        const body: PageToken = {
          token: issued.token,
          conversationId: issued.conversationId,
          expiresIn: issued.expiresIn,
          domain: `${origin}${DIRECT_LINE_PATH}`,
        };
        response.send(200, body);
      } catch (error) {
        logger.warn({ error: describeError(error) }, 'directline-token-refused');
        response.send(503, { error: 'the chat is busy; please try again in a minute' });
      }
      return;
    }
    const secret = options.directLine.secret;
    if (secret === undefined) {
      response.send(404, { error: 'no Direct Line is configured (set DIRECT_LINE_SECRET)' });
      return;
    }
    try {
      const exchanged = await fetchImpl(`${options.directLine.endpoint}/tokens/generate`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          user: { id: `dl_${randomUUID()}` },
          trustedOrigins: [requestOrigin(request)],
        }),
        signal: AbortSignal.timeout(TOKEN_EXCHANGE_TIMEOUT_MS),
      });
      const payload = (await exchanged.json().catch(() => null)) as {
        token?: unknown;
        conversationId?: unknown;
        expires_in?: unknown;
      } | null;
      if (
        !exchanged.ok ||
        typeof payload?.token !== 'string' ||
        typeof payload.conversationId !== 'string'
      ) {
        logger.error({ status: exchanged.status }, 'directline-token-exchange-failed');
        response.send(502, {
          error: 'the chat service is not available right now; please try again',
        });
        return;
      }
      const body: PageToken = {
        token: payload.token,
        conversationId: payload.conversationId,
        expiresIn: typeof payload.expires_in === 'number' ? payload.expires_in : 1_800,
        domain: options.directLine.endpoint,
      };
      response.send(200, body);
    } catch (error) {
      logger.error({ error: describeError(error) }, 'directline-token-exchange-failed');
      response.send(502, {
        error: 'the chat service is not available right now; please try again',
      });
    }
  });

  if (!options.pageEnabled) return;

  const vendored = await access(VENDORED_WEBCHAT).then(
    () => true,
    () => false,
  );
  if (options.webChatBundleUrl === null && !vendored) {
    logger.warn(
      { expected: VENDORED_WEBCHAT },
      'webchat-bundle-missing: run `npm run vendor:webchat` (it runs on npm install) or set WEBCHAT_BUNDLE_URL',
    );
  }
  const page = renderPage(await readFile(path.join(PUBLIC_DIR, 'index.html'), 'utf8'), {
    title: `${options.assistantName} · ${options.companyName}`,
    bundleUrl: options.webChatBundleUrl ?? '/vendor/webchat.js',
    config: { assistantName: options.assistantName, companyName: options.companyName },
  });

  // eslint-disable-next-line @typescript-eslint/require-await
  server.get('/', async (_request: Request, response: Response) => {
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      // The page runs only its own scripts and Web Chat's; the bundle injects styles at run time.
      'content-security-policy': contentSecurityPolicy(options.webChatBundleUrl),
    });
    response.end(page);
  });

  const assets: Record<string, { file: string; type: string }> = {
    '/webchat/chat.js': {
      file: path.join(PUBLIC_DIR, 'chat.js'),
      type: 'text/javascript; charset=utf-8',
    },
    '/webchat/chat.css': {
      file: path.join(PUBLIC_DIR, 'chat.css'),
      type: 'text/css; charset=utf-8',
    },
    '/webchat/avatar.svg': { file: path.join(PUBLIC_DIR, 'avatar.svg'), type: 'image/svg+xml' },
    '/vendor/webchat.js': { file: VENDORED_WEBCHAT, type: 'text/javascript; charset=utf-8' },
  };
  for (const [route, asset] of Object.entries(assets)) {
    server.get(route, async (_request: Request, response: Response) => {
      const content = await readFile(asset.file).catch(() => null);
      if (content === null) {
        response.send(404, { error: 'not found' });
        return;
      }
      response.writeHead(200, {
        'content-type': asset.type,
        'content-length': content.length,
        'cache-control': 'public, max-age=3600',
      });
      response.end(content);
    });
  }
}

function renderPage(
  template: string,
  values: { title: string; bundleUrl: string; config: Record<string, string> },
): string {
  // The config travels as JSON inside a script tag: `<` is escaped so no value can close the tag.
  const configJson = JSON.stringify(values.config).replace(/</gu, '\\u003c');
  return template
    .replaceAll('__TITLE__', escapeHtml(values.title))
    .replaceAll('__WEBCHAT_SRC__', escapeHtml(values.bundleUrl))
    .replace('__CONFIG_JSON__', configJson);
}

function contentSecurityPolicy(bundleUrl: string | null): string {
  const bundleOrigin = bundleUrl === null ? '' : ` ${new URL(bundleUrl).origin}`;
  return [
    "default-src 'self'",
    `script-src 'self'${bundleOrigin}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    // The embedded Direct Line is same-origin (http and ws); the real one is Microsoft's.
    "connect-src 'self' ws: wss: https://*.botframework.com",
    "frame-ancestors 'self'",
  ].join('; ');
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The origin the browser used, for the Direct Line domain and the token's trusted origin. */
function requestOrigin(request: Request): string {
  const origin = request.header('origin');
  if (origin !== undefined && /^https?:\/\/[^/]+$/u.test(origin)) return origin;
  const scheme = request.header('x-forwarded-proto') === 'https' ? 'https' : 'http';
  return `${scheme}://${request.header('host') ?? 'localhost'}`;
}
