import type { Request, Response, Server } from 'restify';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** The assistant's avatar: one stable address for the web page and Teams cards. */
export const ASSISTANT_AVATAR_PATH = '/avatars/assistant';

/** Where a stored image is served; the id is random, so only those given the address can see it. */
export function imagePath(id: string): string {
  return `/avatars/${encodeURIComponent(id)}`;
}

/** Ids as the image store makes them: 16 random bytes in base64url. */
const IMAGE_ID = /^[A-Za-z0-9_-]{22}$/u;

/** The assistant's avatar may change with its prompt, so browsers check back hourly (cheaply, by ETag). */
const ASSISTANT_CACHE_CONTROL = 'public, max-age=3600';
/** A customer's image never changes under its address, and is theirs alone. */
const IMAGE_CACHE_CONTROL = 'private, max-age=31536000, immutable';

/** What the routes serve; the image store's records have this shape. */
export interface ServedImage {
  bytes: Uint8Array;
  contentType: string;
  /** A quoted strong entity tag. */
  etag: string;
}

export interface AvatarRoutesOptions {
  logger: Logger;
  /** The assistant's avatar, drawn on first need and then kept. */
  assistantAvatar: () => Promise<ServedImage>;
  /** A stored image by id, or null. */
  findImage: (id: string) => Promise<ServedImage | null>;
}

/**
 * `GET /avatars/assistant` and `GET /avatars/{id}`: generated images with their media type, an ETag (a
 * matching `If-None-Match` gets 304) and cache headers. An SVG served from our origin could carry script if
 * opened directly, so every image goes with a sandboxing content security policy and `nosniff`.
 */
export function registerAvatarRoutes(server: Server, options: AvatarRoutesOptions): void {
  const { logger } = options;

  server.get(ASSISTANT_AVATAR_PATH, async (request: Request, response: Response) => {
    try {
      sendImage(request, response, await options.assistantAvatar(), ASSISTANT_CACHE_CONTROL);
    } catch (error) {
      logger.warn({ error: describeError(error) }, 'assistant-avatar-unavailable');
      response.send(503, { error: 'the avatar is not available yet' });
    }
  });

  server.get('/avatars/:id', async (request: Request, response: Response) => {
    const id = (request.params as { id?: unknown }).id;
    const image = typeof id === 'string' && IMAGE_ID.test(id) ? await options.findImage(id) : null;
    if (image === null) {
      response.send(404, { error: 'not found' });
      return;
    }
    sendImage(request, response, image, IMAGE_CACHE_CONTROL);
  });
}

function sendImage(
  request: Request,
  response: Response,
  image: ServedImage,
  cacheControl: string,
): void {
  const headers = {
    etag: image.etag,
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
  };
  if (matchesETag(request.header('if-none-match'), image.etag)) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, {
    ...headers,
    'content-type': image.contentType,
    'content-length': image.bytes.length,
  });
  response.end(Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength));
}

function matchesETag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//u, ''))
    .some((tag) => tag === etag || tag === '*');
}
