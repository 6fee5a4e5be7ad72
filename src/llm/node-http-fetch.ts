import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { ClientOptions } from 'openai';

type Fetch = NonNullable<ClientOptions['fetch']>;

/**
 * The `fetch` the model clients use by default: a request over Node's own `http`/`https` modules (their global
 * agents keep connections alive in Node 20), answered with the part of a `Response` the `openai` SDK reads.
 *
 * Why not the built-in fetch: a turn makes two or three model calls, and undici's fetch with its web streams was
 * the largest single cost of a turn, 14% of the bot's CPU under `npm run bench`. node-fetch, which served
 * before this, cost 20% more CPU per streamed call than this does (`headers → Headers → its own Headers`, the
 * body piped through a second stream, a Request object per call) for nothing the SDK uses.
 *
 * What the SDK needs, and gets: the method, headers and a string body; an `AbortSignal` (its timeouts, our turn
 * deadline, a Teams Stop), which rejects a pending call and ends a body being read with an `AbortError`; a
 * response with `status`, `ok`, `headers` (a real `Headers`), `url`, `text()`, `json()`, `arrayBuffer()`, and a
 * body it reads as an async iterable of bytes (a Node stream is one). Connection failures reject with
 * `TypeError('fetch failed')` and the cause, as the built-in fetch does. A gzip, deflate or brotli body is
 * decoded, although none is asked for. Anything rarer goes to the built-in fetch, which follows the standard to
 * the letter: bodies other than strings (streamed or multipart uploads), `Request` objects, other protocols,
 * and redirects (the call is made again there, to follow them).
 */
export const nodeHttpFetch: Fetch = (input, init) => {
  const body = init?.body;
  const simpleBody = body === undefined || body === null || typeof body === 'string';
  const address = typeof input === 'string' ? input : input instanceof URL ? input.href : null;
  if (!simpleBody || address === null) return fetch(input, init);
  const url = new URL(address);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return fetch(input, init);
  return send(url, init ?? {}, typeof body === 'string' ? body : undefined);
};

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function send(url: URL, init: RequestInit, body: string | undefined): Promise<Response> {
  const signal = init.signal ?? null;
  if (signal?.aborted === true) return Promise.reject(abortError(signal));
  return new Promise<Response>((resolve, reject) => {
    const headers = headerRecord(init.headers);
    if (body !== undefined && headers['content-length'] === undefined) {
      headers['content-length'] = String(Buffer.byteLength(body));
    }
    let responseBody: Readable | null = null;
    const onAbort = () => {
      const error = abortError(signal);
      request.destroy(error);
      responseBody?.destroy(error);
    };
    const done = () => signal?.removeEventListener('abort', onAbort);
    const request = (url.protocol === 'https:' ? https : http).request(
      url,
      { method: init.method ?? 'GET', headers },
      (response) => {
        const status = response.statusCode ?? 0;
        if (
          REDIRECT_STATUSES.has(status) &&
          response.headers.location !== undefined &&
          init.redirect !== 'manual'
        ) {
          response.resume();
          done();
          resolve(fetch(url.href, init));
          return;
        }
        responseBody = decoded(response);
        responseBody.once('close', done);
        resolve(new NodeHttpResponse(url.href, response, responseBody) as unknown as Response);
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    request.once('error', (error) => {
      done();
      reject(isAbortError(error) ? error : new TypeError('fetch failed', { cause: error }));
    });
    request.end(body);
  });
}

/** The request's headers as Node takes them; `fetch` accepts a `Headers`, pairs or a record. */
function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (headers === undefined || headers === null) return record;
  // A `Headers` (from any realm) and an array of pairs are iterable; a record is not.
  const pairs: Iterable<readonly [string, string]> =
    Symbol.iterator in headers
      ? (headers as Iterable<readonly [string, string]>)
      : Object.entries(headers as Record<string, string>);
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    record[key] = record[key] === undefined ? value : `${record[key]}, ${value}`;
  }
  return record;
}

/** The body as sent, or decoded when the server compressed it. */
function decoded(response: IncomingMessage): Readable {
  const encoding = response.headers['content-encoding']?.trim().toLowerCase();
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? createGunzip()
      : encoding === 'deflate'
        ? createInflate()
        : encoding === 'br'
          ? createBrotliDecompress()
          : null;
  if (decoder === null) return response;
  // A failure on either side ends the other; the error reaches whoever reads the body.
  return pipeline(response, decoder, () => undefined);
}

function abortError(signal: AbortSignal | null): Error {
  const reason: unknown = signal?.reason;
  if (reason instanceof Error && reason.name === 'AbortError') return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

/** What the SDK reads of a `Response`. The body can be read once, as a stream or whole. */
class NodeHttpResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: Headers;
  readonly redirected = false;
  readonly type = 'basic';

  constructor(
    readonly url: string,
    response: IncomingMessage,
    readonly body: Readable,
  ) {
    this.status = response.statusCode ?? 0;
    this.statusText = response.statusMessage ?? '';
    this.ok = this.status >= 200 && this.status < 300;
    this.headers = new Headers();
    const raw = response.rawHeaders;
    for (let index = 0; index + 1 < raw.length; index += 2) {
      this.headers.append(raw[index]!, raw[index + 1]!);
    }
  }

  get bodyUsed(): boolean {
    return this.body.readableDidRead;
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    return (await this.bytes()).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text()) as unknown;
  }

  async blob(): Promise<Blob> {
    return new Blob([await this.arrayBuffer()], {
      type: this.headers.get('content-type') ?? '',
    });
  }

  private async bytes(): Promise<Buffer> {
    if (this.bodyUsed) throw new TypeError('Body is unusable: Body has already been read');
    const chunks: Buffer[] = [];
    for await (const chunk of this.body) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
}
