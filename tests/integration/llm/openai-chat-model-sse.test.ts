import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createOpenAiClient } from '../../../src/llm/create-openai-client';
import { OpenAiChatModel } from '../../../src/llm/openai-chat-model';
import { expectAppError } from '../../helpers/expect-error';
import { userRequest } from '../../helpers/chat-model-requests';

/**
 * The streamed answer as bytes on the wire: how the model reads server-sent events that real servers split and
 * frame in their own ways. The server here writes exactly the bytes each test gives it, in separate writes.
 */

interface RawSseServer {
  baseURL: string;
  /** TCP connections accepted so far. */
  connections(): number;
  /** The pieces of the next answer, written one by one with a short pause between them. */
  answerWith(pieces: ReadonlyArray<string | Buffer>, options?: { holdOpen?: boolean }): void;
  /** Resolves when the client has closed the connection of the answer being written. */
  clientGone(): Promise<void>;
  close(): Promise<void>;
}

async function startRawSseServer(): Promise<RawSseServer> {
  let connections = 0;
  let next: { pieces: ReadonlyArray<string | Buffer>; holdOpen: boolean } | null = null;
  let gone: Promise<void> = Promise.resolve();
  const open = new Set<ServerResponse>();
  const server: Server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const answer = next;
      next = null;
      if (answer === null) {
        response.writeHead(500).end();
        return;
      }
      open.add(response);
      gone = new Promise((resolve) => response.once('close', () => resolve()));
      response.once('close', () => open.delete(response));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      void (async () => {
        for (const piece of answer.pieces) {
          if (response.destroyed) return;
          response.write(piece);
          // Long enough for each piece to reach the client as its own read.
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        if (!answer.holdOpen) response.end();
      })();
    });
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    connections: () => connections,
    answerWith: (pieces, options = {}) => {
      next = { pieces, holdOpen: options.holdOpen ?? false };
    },
    clientGone: () => gone,
    close: () =>
      new Promise((resolve) => {
        for (const response of open) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
  return JSON.stringify({
    id: 'chatcmpl-raw',
    object: 'chat.completion.chunk',
    created: 1,
    model: 'gpt-4.1-mini',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  });
}

let server: RawSseServer;

beforeAll(async () => {
  server = await startRawSseServer();
});

afterAll(async () => {
  await server.close();
});

function model(): OpenAiChatModel {
  const bundle = createOpenAiClient({
    provider: 'openai',
    apiKey: 'sk-test-key',
    baseURL: server.baseURL,
    model: 'gpt-4.1-mini',
    maxRetries: 0,
  });
  return new OpenAiChatModel({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
  });
}

describe('OpenAiChatModel reading a streamed answer off the wire', () => {
  it('joins events split anywhere across reads, inside a JSON value and inside a UTF-8 character', async () => {
    const wire = Buffer.from(
      `data: ${chunk({ role: 'assistant', content: 'Größe: ' })}\n\n` +
        `data: ${chunk({ content: '42 – passt 👍' })}\n\n` +
        `data: ${chunk({}, 'stop')}\n\n` +
        'data: [DONE]\n\n',
    );
    // Cut through the middle of "ö" (2 bytes), of "–" (3 bytes) and of "👍" (4 bytes), and inside the JSON.
    const cuts = [
      wire.indexOf('ö') + 1,
      wire.indexOf('"content"', 40) + 4,
      wire.indexOf('–') + 2,
      wire.indexOf('👍') + 3,
      wire.length - 10,
    ].sort((a, b) => a - b);
    const pieces = [0, ...cuts].map((start, index) =>
      wire.subarray(start, cuts[index] ?? wire.length),
    );
    server.answerWith(pieces);
    const deltas: string[] = [];

    const completion = await model().complete(
      userRequest('Hi', { onTextDelta: (delta) => deltas.push(delta) }),
    );

    expect(completion.text).toBe('Größe: 42 – passt 👍');
    expect(deltas.join('')).toBe('Größe: 42 – passt 👍');
    expect(completion.finishReason).toBe('stop');
  });

  it('reads CRLF line endings, comment lines and events named by the server', async () => {
    server.answerWith([
      ': keep-alive\r\n\r\n',
      `data: ${chunk({ role: 'assistant', content: 'Your order ' })}\r\n\r\n`,
      `event: message\r\ndata: ${chunk({ content: 'has shipped.' })}\r\n\r\n`,
      `data: ${chunk({}, 'stop')}\r\n\r\ndata: [DONE]\r\n\r\n`,
    ]);

    const completion = await model().complete(userRequest('Hi'));

    expect(completion.text).toBe('Your order has shipped.');
  });

  it('ignores whatever follows [DONE]', async () => {
    server.answerWith([
      `data: ${chunk({ role: 'assistant', content: 'Done here.' }, 'stop')}\n\n`,
      'data: [DONE]\n\n',
      `data: ${chunk({ content: ' And a ghost.' })}\n\n`,
    ]);

    const completion = await model().complete(userRequest('Hi'));

    expect(completion.text).toBe('Done here.');
  });

  it.each([
    ['is not JSON', 'data: {"choices": [\n\n', 'invalid_json'],
    ['is JSON but not a chunk', 'data: 42\n\n', 'not_a_chunk'],
    ['is a JSON array', 'data: [1, 2]\n\n', 'not_a_chunk'],
  ])('fails with model_bad_response when an event %s', async (_case, badEvent, reason) => {
    server.answerWith([`data: ${chunk({ role: 'assistant', content: 'Half' })}\n\n`, badEvent]);

    const error = await expectAppError(model().complete(userRequest('Hi')));

    expect(error.code).toBe('model_bad_response');
    expect(error.details).toMatchObject({ reason });
  });

  it('fails with model_unavailable when the stream ends without a finish', async () => {
    server.answerWith([`data: ${chunk({ role: 'assistant', content: 'Cut' })}\n\n`]);

    const error = await expectAppError(model().complete(userRequest('Hi')));

    expect(error.code).toBe('model_unavailable');
  });

  it('reads each answer to its end, so consecutive calls share one connection', async () => {
    const before = server.connections();
    for (const text of ['One.', 'Two.', 'Three.']) {
      server.answerWith([
        `data: ${chunk({ role: 'assistant', content: text }, 'stop')}\n\ndata: [DONE]\n\n`,
      ]);
      expect((await model().complete(userRequest('Hi'))).text).toBe(text);
    }

    expect(server.connections() - before).toBeLessThanOrEqual(1);
  });

  it("stops reading and closes the connection when the caller's signal aborts mid-answer", async () => {
    server.answerWith([`data: ${chunk({ role: 'assistant', content: 'This never' })}\n\n`], {
      holdOpen: true,
    });
    const controller = new AbortController();
    const started = performance.now();

    const error = await expectAppError(
      model().complete(
        userRequest('Hi', { signal: controller.signal, onTextDelta: () => controller.abort() }),
      ),
    );
    await server.clientGone();

    expect(error.code).toBe('turn_cancelled');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
