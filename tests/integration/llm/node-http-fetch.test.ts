import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { nodeHttpFetch } from '../../../src/llm/node-http-fetch';

/** What the SDK relies on from its fetch, checked against a real HTTP server on loopback. */
describe('nodeHttpFetch', () => {
  let server: Server;
  let url: string;
  const seen: { method?: string; headers: IncomingMessage['headers']; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        seen.push({
          method: request.method,
          headers: request.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (request.url === '/moved') {
          response.writeHead(307, { location: '/json' });
          response.end();
          return;
        }
        if (request.url === '/gzip') {
          response.writeHead(200, {
            'content-type': 'application/json',
            'content-encoding': 'gzip',
          });
          response.end(gzipSync(JSON.stringify({ compressed: true })));
          return;
        }
        if (request.url === '/slow') {
          response.writeHead(200, { 'content-type': 'text/event-stream' });
          response.write('data: first\n\n');
          return; // never ends: the caller must abort
        }
        response.writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'req-1' });
        response.end(JSON.stringify({ ok: true }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends the method, headers and string body, and returns status, headers and JSON', async () => {
    const headers = new Headers({
      authorization: 'Bearer secret-token',
      'content-type': 'application/json',
    });

    const response = await nodeHttpFetch(`${url}/json`, {
      method: 'POST',
      headers,
      body: '{"q":1}',
    });

    expect(response.status).toBe(201);
    expect(response.headers.get('x-request-id')).toBe('req-1');
    await expect(response.json()).resolves.toEqual({ ok: true });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body: '{"q":1}' });
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer secret-token');
  });

  it('gives a body readable as an async iterable, and an abort ends it with an AbortError', async () => {
    const controller = new AbortController();
    const response = await nodeHttpFetch(`${url}/slow`, {
      method: 'GET',
      signal: controller.signal,
    });
    const body = response.body as unknown as AsyncIterable<Buffer>;
    const iterator = body[Symbol.asyncIterator]();

    const first = await iterator.next();
    expect(Buffer.from(first.value as Buffer).toString()).toBe('data: first\n\n');
    controller.abort();

    await expect(iterator.next()).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects with an AbortError when aborted before the response arrives', async () => {
    const controller = new AbortController();
    controller.abort();

    await expect(nodeHttpFetch(`${url}/json`, { signal: controller.signal })).rejects.toMatchObject(
      {
        name: 'AbortError',
      },
    );
  });

  it('sends the length of the body, and takes headers as a record or as pairs', async () => {
    await nodeHttpFetch(`${url}/json`, {
      method: 'POST',
      headers: { 'X-Trace': 'a' },
      body: '{"q":"é"}',
    });
    expect(seen.at(-1)!.headers['content-length']).toBe(String(Buffer.byteLength('{"q":"é"}')));
    expect(seen.at(-1)!.headers['x-trace']).toBe('a');

    await nodeHttpFetch(`${url}/json`, { headers: [['x-trace', 'b']] });
    expect(seen.at(-1)!.headers['x-trace']).toBe('b');
  });

  it('reads a body once: a second read fails as fetch does', async () => {
    const response = await nodeHttpFetch(`${url}/json`);

    await expect(response.text()).resolves.toBe('{"ok":true}');
    expect(response.bodyUsed).toBe(true);
    await expect(response.text()).rejects.toThrow(TypeError);
  });

  it('decodes a compressed body', async () => {
    const response = await nodeHttpFetch(`${url}/gzip`);

    await expect(response.json()).resolves.toEqual({ compressed: true });
  });

  it('follows a redirect with the same method and body', async () => {
    const before = seen.length;
    const response = await nodeHttpFetch(`${url}/moved`, { method: 'POST', body: '{"q":2}' });

    expect(response.status).toBe(201);
    await expect(response.json()).resolves.toEqual({ ok: true });
    // The redirect is seen, then the built-in fetch makes the call again and follows it.
    expect(seen.slice(before).map((request) => `${request.method} ${request.body}`)).toEqual([
      'POST {"q":2}',
      'POST {"q":2}',
      'POST {"q":2}',
    ]);
  });

  it('hands bodies other than strings to the built-in fetch', async () => {
    const response = await nodeHttpFetch(`${url}/json`, {
      method: 'POST',
      body: new TextEncoder().encode('{"bytes":1}'),
    });

    expect(response.status).toBe(201);
    expect(seen.at(-1)!.body).toBe('{"bytes":1}');
  });

  it('rejects with a TypeError carrying the cause when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const failure = nodeHttpFetch(`http://127.0.0.1:${port}/json`);

    await expect(failure).rejects.toMatchObject({
      name: 'TypeError',
      message: 'fetch failed',
      cause: { code: 'ECONNREFUSED' },
    });
  });
});
