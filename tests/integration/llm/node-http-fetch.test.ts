import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
});
