import { BadRequestError, OpenAI } from 'openai';
import { sniffImageType } from '../../../src/llm/image-generator';
import {
  azureImageFilteredReply,
  startFakeOpenAiServer,
  textReply,
  toolCallReply,
} from '../../helpers/fake-openai-server';
import type { FakeOpenAiServer } from '../../helpers/fake-openai-server';
import { expectRejection } from '../../helpers/expect-error';

/** The helper's own contract, checked with the real client: other suites rely on it behaving like the API. */
let server: FakeOpenAiServer;
let client: OpenAI;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ models: ['gpt-5-mini', 'gpt-5-nano'] });
  client = new OpenAI({ baseURL: server.openAiBaseUrl, apiKey: 'test-key', maxRetries: 0 });
});

afterEach(() => {
  server.reset();
});

afterAll(async () => {
  await server.close();
});

function badRequest(promise: Promise<unknown>): Promise<BadRequestError> {
  return expectRejection(promise, BadRequestError);
}

describe('fake OpenAI server', () => {
  it('answers a non-streaming request with a chat.completion carrying the tool calls', async () => {
    server.script(
      toolCallReply([{ id: 'call_1', name: 'find_user', arguments: '{"zip":"12345"}' }]),
    );

    const completion = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });

    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_1',
        type: 'function',
        function: { name: 'find_user', arguments: '{"zip":"12345"}' },
      },
    ]);
  });

  it('answers a non-streaming request only once the stream it would have been has been written', async () => {
    server.script(textReply('abcdefgh', { chunkSize: 2, delayMs: 60 }));
    const started = performance.now();

    const completion = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Hi' }],
    });

    // Four text chunks at least, each 60 ms.
    expect(performance.now() - started).toBeGreaterThanOrEqual(4 * 60 - 5);
    expect(completion.choices[0]?.message.content).toBe('abcdefgh');
  });

  it('turns a stream cut short into no whole answer: held, dropped or a 500', async () => {
    const request = (signal?: AbortSignal) =>
      client.chat.completions.create(
        { model: 'gpt-5-mini', messages: [{ role: 'user', content: 'Hi' }] },
        signal === undefined ? undefined : { signal },
      );
    server.script(
      textReply('Never comes.', { chunkSize: 4, stallAfterChunks: 1 }),
      textReply('Cut off.', { chunkSize: 4, dropAfterChunks: 1 }),
      textReply('Fails.', {
        chunkSize: 4,
        errorAfterChunks: { chunks: 1, error: { message: 'The server had an error' } },
      }),
      // Past the stream's end: nothing is cut.
      textReply('Whole.', { chunkSize: 100, stallAfterChunks: 50 }),
    );

    await expect(request(AbortSignal.timeout(300))).rejects.toThrow(/abort/i);
    await expect(request()).rejects.toThrow(/connection/i);
    await expect(request()).rejects.toMatchObject({ status: 500 });
    const whole = await request();
    expect(whole.choices[0]?.message.content).toBe('Whole.');
  });

  it('streams usage only when the request asks for it, as the API does', async () => {
    server.script(textReply('One.'), textReply('Two.'));

    const withUsage = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const usageSeen: unknown[] = [];
    for await (const chunk of withUsage) if (chunk.usage) usageSeen.push(chunk.usage);
    const withoutUsage = await client.chat.completions.create({
      model: 'gpt-5-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    let usageWithout = 0;
    for await (const chunk of withoutUsage) if (chunk.usage) usageWithout += 1;

    expect(usageSeen).toHaveLength(1);
    expect(usageWithout).toBe(0);
  });

  it('rejects a tool result that answers no earlier tool call, consuming no script', async () => {
    server.script(textReply('unused'));

    const error = await badRequest(
      client.chat.completions.create({
        model: 'gpt-5-mini',
        messages: [
          { role: 'user', content: 'Hi' },
          { role: 'tool', tool_call_id: 'call_nowhere', content: '{}' },
        ],
      }),
    );

    expect(error.message).toContain("role 'tool' must be a response");
    expect(server.pendingReplies).toBe(1);
  });

  it('rejects an empty tools array', async () => {
    const error = await badRequest(
      client.chat.completions.create({
        model: 'gpt-5-mini',
        messages: [{ role: 'user', content: 'Hi' }],
        tools: [],
      }),
    );

    expect(error.param).toBe('tools');
  });

  it('rejects max_tokens for a gpt-5 family model with the API’s error', async () => {
    const error = await badRequest(
      client.chat.completions.create({
        model: 'gpt-5-nano',
        messages: [{ role: 'user', content: 'Hi' }],
        max_tokens: 10,
      }),
    );

    expect(error.code).toBe('unsupported_parameter');
    expect(error.param).toBe('max_tokens');
  });

  it('answers an unscripted request with a 400 that says what is missing', async () => {
    const error = await badRequest(
      client.chat.completions.create({
        model: 'gpt-5-mini',
        messages: [{ role: 'user', content: 'Hi' }],
      }),
    );

    expect(error.code).toBe('fake_server_unscripted');
  });

  it('asks the responder when no reply is queued, with the recorded request', async () => {
    server.respond((request) => textReply(`You asked ${request.model ?? 'nobody'}.`));

    const completion = await client.chat.completions.create({
      model: 'gpt-5-nano',
      messages: [{ role: 'user', content: 'Hi' }],
    });

    expect(completion.choices[0]?.message.content).toBe('You asked gpt-5-nano.');
  });

  it('lists the configured models', async () => {
    const page = await client.models.list();

    expect(page.data.map((model) => model.id)).toEqual(['gpt-5-mini', 'gpt-5-nano']);
  });

  it('answers an Azure deployment path without api-version with 404, as Azure does', async () => {
    const response = await fetch(`${server.url}/openai/deployments/chat/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'api-key': 'k' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'Hi' }] }),
    });

    expect(response.status).toBe(404);
    expect(server.requests[0]?.surface).toBe('azure-deployments');
    expect(server.requests[0]?.model).toBe('chat');
  });
});

describe('fake OpenAI server: images', () => {
  it('draws a real PNG that differs per request when nothing is scripted', async () => {
    const first = await client.images.generate({ model: 'gpt-image-1-mini', prompt: 'a fox' });
    const second = await client.images.generate({ model: 'gpt-image-1-mini', prompt: 'a fox' });

    const firstBytes = Buffer.from(first.data![0]!.b64_json!, 'base64');
    const secondBytes = Buffer.from(second.data![0]!.b64_json!, 'base64');
    expect(sniffImageType(firstBytes)).toBe('image/png');
    expect(firstBytes.equals(secondBytes)).toBe(false);
    expect(first.output_format).toBe('png');
  });

  it("refuses a request without a prompt with the API's 400", async () => {
    const error = await badRequest(
      client.images.generate({ model: 'gpt-image-1-mini', prompt: '' }),
    );

    expect(error.code).toBe('missing_required_parameter');
  });

  it('refuses response_format for gpt-image models, as the API does', async () => {
    const error = await badRequest(
      client.images.generate({
        model: 'gpt-image-1-mini',
        prompt: 'a fox',
        response_format: 'b64_json',
      }),
    );

    expect(error.param).toBe('response_format');
  });

  it("answers a scripted Azure image refusal with its 400 and the 'contentFilter' code", async () => {
    server.scriptImages(azureImageFilteredReply());

    const error = await badRequest(client.images.generate({ model: 'dall-e', prompt: 'x' }));

    expect(error.code).toBe('contentFilter');
    expect(server.imageRequests()).toHaveLength(1);
    expect(server.chatRequests()).toHaveLength(0);
  });
});
