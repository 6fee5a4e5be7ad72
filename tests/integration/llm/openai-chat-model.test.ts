import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import type { ChatMessage, ToolSchema } from '../../../src/llm/chat-model';
import { createOpenAiClient } from '../../../src/llm/create-openai-client';
import type { PlainOpenAiClientOptions } from '../../../src/llm/create-openai-client';
import { OpenAiChatModel, resolveModelFamily } from '../../../src/llm/openai-chat-model';
import type { OpenAiChatModelOptions } from '../../../src/llm/openai-chat-model';
import { AppError } from '../../../src/shared/errors';
import { createLogger } from '../../../src/shared/logger';
import {
  credentialFingerprint,
  errorReply,
  startFakeOpenAiServer,
  textReply,
  toolCallReply,
} from '../../helpers/fake-openai-server';
import type { FakeOpenAiServer } from '../../helpers/fake-openai-server';
import { expectAppError } from '../../helpers/expect-error';
import { userRequest, wholeAnswerRequest } from '../../helpers/chat-model-requests';

let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer({ models: ['gpt-5-mini', 'gpt-4.1-mini'] });
});

afterEach(() => {
  server.reset();
});

afterAll(async () => {
  await server.close();
});

type ModelOverrides = Partial<Omit<OpenAiChatModelOptions, 'client' | 'provider'>> & {
  client?: Partial<Omit<PlainOpenAiClientOptions, 'provider'>>;
};

function openAiModel(overrides: ModelOverrides = {}): OpenAiChatModel {
  const { client: clientOverrides, ...modelOverrides } = overrides;
  const bundle = createOpenAiClient({
    provider: 'openai',
    apiKey: 'sk-test-key',
    baseURL: server.openAiBaseUrl,
    model: modelOverrides.model ?? 'gpt-5-mini',
    maxRetries: 0,
    ...clientOverrides,
  });
  return new OpenAiChatModel({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
    ...modelOverrides,
  });
}

const orderTool: ToolSchema = {
  name: 'get_order_details',
  description: 'Look up one order of the verified customer.',
  parameters: {
    type: 'object',
    properties: { order_id: { type: 'string' } },
    required: ['order_id'],
    additionalProperties: false,
  },
  strict: true,
};

const returnTool: ToolSchema = {
  name: 'return_delivered_order_items',
  description: 'Return items of a delivered order.',
  parameters: {
    type: 'object',
    properties: {
      order_id: { type: 'string' },
      item_ids: { type: 'array', items: { type: 'string' } },
    },
    required: ['order_id', 'item_ids'],
    additionalProperties: false,
  },
  strict: true,
};

function chatBody(index = 0): ChatCompletionCreateParamsStreaming {
  const request = server.chatRequests()[index];
  if (request === undefined) throw new Error(`no chat request #${index} reached the server`);
  return request.body as ChatCompletionCreateParamsStreaming;
}

describe('OpenAiChatModel against an OpenAI-compatible server', () => {
  it('streams text deltas in order and returns the whole text with usage', async () => {
    const answer = 'Your order #W1234567 shipped yesterday and should arrive on Friday.';
    server.script(
      textReply(answer, {
        chunkSize: 5,
        usage: { prompt_tokens: 42, completion_tokens: 17, total_tokens: 59 },
      }),
    );
    const deltas: string[] = [];

    const completion = await openAiModel().complete(
      userRequest('Where is my order?', { onTextDelta: (delta) => deltas.push(delta) }),
    );

    expect(deltas.length).toBe(Math.ceil(answer.length / 5));
    expect(deltas.join('')).toBe(answer);
    expect(completion).toEqual({
      text: answer,
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 42, completionTokens: 17, totalTokens: 59 },
      model: 'gpt-5-mini',
    });
  });

  it('joins two parallel tool calls whose fragments are interleaved across chunks', async () => {
    const firstArguments = JSON.stringify({ order_id: '#W1234567' });
    const secondArguments = JSON.stringify({ order_id: '#W7654321', item_ids: ['1', '2'] });
    server.script(
      toolCallReply(
        [
          { id: 'call_a', name: 'get_order_details', arguments: firstArguments },
          { id: 'call_b', name: 'return_delivered_order_items', arguments: secondArguments },
        ],
        { chunkSize: 4, interleaveToolCalls: true },
      ),
    );
    const deltas: string[] = [];

    const completion = await openAiModel().complete(
      userRequest('Check one order and return the other.', {
        tools: [orderTool, returnTool],
        onTextDelta: (delta) => deltas.push(delta),
      }),
    );

    expect(completion.finishReason).toBe('tool_calls');
    expect(completion.toolCalls).toEqual([
      { id: 'call_a', name: 'get_order_details', arguments: firstArguments },
      { id: 'call_b', name: 'return_delivered_order_items', arguments: secondArguments },
    ]);
    expect(completion.text).toBeNull();
    expect(deltas).toEqual([]);
  });

  it('passes text written before tool calls to onTextDelta and returns both', async () => {
    server.script(
      toolCallReply(
        [{ id: 'call_1', name: 'get_order_details', arguments: '{"order_id":"#W1"}' }],
        {
          text: 'Let me look that up.',
          chunkSize: 6,
        },
      ),
    );
    const deltas: string[] = [];

    const completion = await openAiModel().complete(
      userRequest('Where is #W1?', {
        tools: [orderTool],
        onTextDelta: (delta) => deltas.push(delta),
      }),
    );

    expect(deltas.join('')).toBe('Let me look that up.');
    expect(completion.text).toBe('Let me look that up.');
    expect(completion.toolCalls.map((call) => call.name)).toEqual(['get_order_details']);
  });

  it('sends the history and tools in the wire format', async () => {
    server.script(textReply('It was delivered on Monday.'));
    const messages: ChatMessage[] = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is order #W1?' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'call_9', name: 'get_order_details', arguments: '{"order_id":"#W1"}' }],
      },
      {
        role: 'tool',
        toolCallId: 'call_9',
        name: 'get_order_details',
        content: '{"status":"delivered"}',
      },
      { role: 'assistant', content: 'Anything else?' },
    ];

    await openAiModel().complete({ messages, tools: [orderTool], onTextDelta: () => undefined });

    const body = chatBody();
    expect(body.messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Where is order #W1?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_9',
            type: 'function',
            function: { name: 'get_order_details', arguments: '{"order_id":"#W1"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_9', content: '{"status":"delivered"}' },
      { role: 'assistant', content: 'Anything else?' },
    ]);
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: orderTool.name,
          description: orderTool.description,
          parameters: orderTool.parameters,
          strict: true,
        },
      },
    ]);
    expect(body.stream).toBe(true);
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.model).toBe('gpt-5-mini');
  });

  it('leaves tools out of the request when there are none', async () => {
    server.script(textReply('Hello!'));

    await openAiModel().complete(userRequest('Hi'));

    expect(chatBody()).not.toHaveProperty('tools');
  });

  it('sends a gpt-5 family model max_completion_tokens and no temperature', async () => {
    server.script(textReply('Sure.'));

    await openAiModel({ model: 'gpt-5-mini', maxOutputTokens: 512, temperature: 0.2 }).complete(
      userRequest('Hi'),
    );

    const body = chatBody();
    expect(body.max_completion_tokens).toBe(512);
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('temperature');
  });

  it('sends reasoning_effort to a reasoning model only when configured', async () => {
    server.script(textReply('Sure.'), textReply('Sure.'));

    await openAiModel({ model: 'o4-mini' }).complete(userRequest('Hi'));
    await openAiModel({ model: 'o4-mini', reasoningEffort: 'low' }).complete(userRequest('Hi'));

    expect(chatBody(0)).not.toHaveProperty('reasoning_effort');
    expect(chatBody(1).reasoning_effort).toBe('low');
  });

  it('sends a classic model max_tokens and temperature', async () => {
    server.script(textReply('Sure.'));

    await openAiModel({ model: 'gpt-4.1-mini', maxOutputTokens: 300 }).complete(userRequest('Hi'));

    const body = chatBody();
    expect(body.max_tokens).toBe(300);
    expect(body.temperature).toBe(0.3);
    expect(body).not.toHaveProperty('max_completion_tokens');
  });

  it('lets the request cap output tokens below the configured default', async () => {
    server.script(textReply('Sure.'));

    await openAiModel({ model: 'gpt-5-mini', maxOutputTokens: 1024 }).complete(
      userRequest('Hi', { maxOutputTokens: 64 }),
    );

    expect(chatBody().max_completion_tokens).toBe(64);
  });

  it('uses the reasoning request shape for any name when the family is set explicitly', async () => {
    server.script(textReply('Sure.'));

    await openAiModel({
      model: 'local-model',
      modelFamily: 'reasoning',
      maxOutputTokens: 99,
    }).complete(userRequest('Hi'));

    const body = chatBody();
    expect(body.max_completion_tokens).toBe(99);
    expect(body).not.toHaveProperty('temperature');
  });

  it('fails with model_bad_response and names the fix when a reasoning model is sent classic parameters', async () => {
    const model = openAiModel({
      model: 'gpt-5-mini',
      modelFamily: 'classic',
      maxOutputTokens: 100,
    });

    const error = await expectAppError(model.complete(userRequest('Hi')));

    expect(error.code).toBe('model_bad_response');
    expect(error.message).toContain('LLM_MODEL_FAMILY');
    expect(error.details).toMatchObject({ status: 400, code: 'unsupported_parameter' });
  });

  it('returns null usage when the server reports none', async () => {
    server.script(textReply('Hi there.', { usage: null }));

    const completion = await openAiModel().complete(userRequest('Hi'));

    expect(completion.usage).toBeNull();
    expect(completion.text).toBe('Hi there.');
  });

  it('reports finish reason length for a cut answer', async () => {
    server.script(textReply('The return window is', { finishReason: 'length' }));

    const completion = await openAiModel().complete(userRequest('How long can I return?'));

    expect(completion).toMatchObject({ finishReason: 'length', text: 'The return window is' });
  });

  it('reports tool_calls when a compatible server says stop after tool calls', async () => {
    server.script(
      toolCallReply([{ name: 'get_order_details', arguments: '{"order_id":"#W2"}' }], {
        finishReason: 'stop',
      }),
    );

    const completion = await openAiModel().complete(
      userRequest('Where is #W2?', { tools: [orderTool] }),
    );

    expect(completion.finishReason).toBe('tool_calls');
    expect(completion.toolCalls).toHaveLength(1);
  });

  it('lets a slow stream run past the idle timeout as long as each chunk comes within it', async () => {
    // Eight chunks 60 ms apart: about 500 ms in all, with a 200 ms idle timeout.
    server.script(textReply('Slow and steady words.', { chunkSize: 3, delayMs: 60 }));

    const completion = await openAiModel({ streamIdleTimeoutMs: 200 }).complete(userRequest('Hi'));

    expect(completion.text).toBe('Slow and steady words.');
  });

  it('fails with model_unavailable when the stream stalls longer than the idle timeout', async () => {
    server.script(textReply('This answer never finishes.', { chunkSize: 4, stallAfterChunks: 2 }));
    const model = openAiModel({ streamIdleTimeoutMs: 200 });
    const started = performance.now();

    const error = await expectAppError(model.complete(userRequest('Hi')));

    expect(error.code).toBe('model_unavailable');
    expect(error.details).toMatchObject({ reason: 'stream_stalled' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('fails with model_unavailable when the connection drops mid-stream', async () => {
    server.script(
      textReply('This answer is cut off by the network.', { chunkSize: 4, dropAfterChunks: 3 }),
    );

    const error = await expectAppError(openAiModel().complete(userRequest('Hi')));

    expect(error.code).toBe('model_unavailable');
    expect(error.details).toMatchObject({ reason: 'stream_interrupted' });
  });

  it('fails with model_unavailable when the server sends an error event mid-stream', async () => {
    server.script(
      textReply('The answer starts and then', {
        chunkSize: 4,
        errorAfterChunks: {
          chunks: 3,
          error: {
            message: 'The server had an error while processing your request.',
            type: 'server_error',
          },
        },
      }),
    );

    const error = await expectAppError(openAiModel().complete(userRequest('Hi')));

    expect(error.code).toBe('model_unavailable');
    expect(error.details).toMatchObject({ status: null });
  });

  it('rejects options that cannot work with a config error', () => {
    expect(() => openAiModel({ streamIdleTimeoutMs: 0, maxOutputTokens: 1.5 })).toThrow(
      'streamIdleTimeoutMs must be a positive whole number',
    );
  });

  it('fails with model_bad_response for other 4xx answers', async () => {
    server.script(
      errorReply(422, {
        error: { message: 'Unprocessable', type: 'invalid_request_error', code: null },
      }),
    );

    const error = await expectAppError(openAiModel().complete(userRequest('Hi')));

    expect(error.code).toBe('model_bad_response');
    expect(error.details).toMatchObject({ status: 422 });
  });

  it('rethrows an error from the caller’s onTextDelta unchanged', async () => {
    server.script(textReply('Hello there, how can I help?'));
    const callbackError = new Error('renderer failed');

    const promise = openAiModel().complete(
      userRequest('Hi', {
        onTextDelta: () => {
          throw callbackError;
        },
      }),
    );

    await expect(promise).rejects.toBe(callbackError);
  });

  it('sends a placeholder bearer token to a compatible server when no key is configured', async () => {
    server.script(textReply('Hi.'));

    await openAiModel({ client: { apiKey: undefined } }).complete(userRequest('Hi'));

    expect(server.chatRequests()[0]?.credentials.bearer).toBe(
      credentialFingerprint('no-key-required'),
    );
  });

  it('sends the configured key as a bearer token, redacted in what the server recorded', async () => {
    server.script(textReply('Hi.'));

    await openAiModel().complete(userRequest('Hi'));

    const recorded = server.chatRequests()[0];
    expect(recorded?.credentials).toEqual({
      apiKey: null,
      bearer: credentialFingerprint('sk-test-key'),
    });
    expect(recorded?.headers['authorization']).toBe('Bearer [redacted]');
    expect(recorded?.path).toBe('/v1/chat/completions');
  });

  it('never logs the prompt, the answer or the key, even at debug level', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'trace',
      destination: { write: (line: string) => lines.push(line) },
    });
    server.script(textReply('Your card 4111 1111 1111 1111 is on file.'), errorReply(500));
    const model = openAiModel({ logger, client: { logger, apiKey: 'sk-very-secret-key' } });

    await model.complete(userRequest('My secret question about order #W999'));
    await model
      .complete(userRequest('My secret question about order #W999'))
      .catch(() => undefined);

    const logged = lines.join('\n');
    expect(lines.length).toBeGreaterThan(0);
    expect(logged).not.toContain('secret question');
    expect(logged).not.toContain('4111');
    expect(logged).not.toContain('sk-very-secret-key');
  });

  it('probes a compatible server with GET /models and reports it reachable', async () => {
    const result = await openAiModel().probe();

    expect(result.ok).toBe(true);
    expect(server.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      'GET /v1/models',
    ]);
  });

  it('skips the network probe while a recent call succeeded', async () => {
    server.script(textReply('Hi.'));
    const model = openAiModel();
    await model.complete(userRequest('Hi'));

    const result = await model.probe();

    expect(result.ok).toBe(true);
    expect(server.requests.filter((request) => request.path.endsWith('/models'))).toHaveLength(0);
  });

  it('probes without throwing and reports down when the server refuses the key', async () => {
    const guarded = await startFakeOpenAiServer({ requiredCredential: 'the-right-key' });
    try {
      const bundle = createOpenAiClient({
        provider: 'openai',
        apiKey: 'a-wrong-key',
        baseURL: guarded.openAiBaseUrl,
        model: 'gpt-5-mini',
      });
      const model = new OpenAiChatModel({
        client: bundle.client,
        provider: 'openai',
        model: 'gpt-5-mini',
      });

      const result = await model.probe();

      expect(result.ok).toBe(false);
      expect(result.detail).toContain('model_unavailable');
    } finally {
      await guarded.close();
    }
  });

  it('maps a rejected key to model_unavailable without retrying', async () => {
    const guarded = await startFakeOpenAiServer({ requiredCredential: 'the-right-key' });
    try {
      const bundle = createOpenAiClient({
        provider: 'openai',
        apiKey: 'a-wrong-key',
        baseURL: guarded.openAiBaseUrl,
        model: 'gpt-5-mini',
        maxRetries: 2,
      });
      const model = new OpenAiChatModel({
        client: bundle.client,
        provider: 'openai',
        model: 'gpt-5-mini',
      });

      const error = await expectAppError(model.complete(userRequest('Hi')));

      expect(error.code).toBe('model_unavailable');
      expect(error.details).toMatchObject({ status: 401 });
      expect(guarded.chatRequests()).toHaveLength(1);
    } finally {
      await guarded.close();
    }
  });
});

describe('OpenAiChatModel: whole answers (calls without onTextDelta)', () => {
  it('asks without streaming and reads the text, usage and model', async () => {
    server.script(
      textReply('{"mood":"neutral","score":0}', {
        model: 'gpt-5-mini-2025-08-07',
        usage: { prompt_tokens: 120, completion_tokens: 9, total_tokens: 129 },
      }),
    );

    const completion = await openAiModel().complete(wholeAnswerRequest('Where is my order?'));

    const body = chatBody();
    expect(body.stream).toBe(false);
    expect(body).not.toHaveProperty('stream_options');
    expect(completion).toEqual({
      text: '{"mood":"neutral","score":0}',
      toolCalls: [],
      finishReason: 'stop',
      usage: { promptTokens: 120, completionTokens: 9, totalTokens: 129 },
      model: 'gpt-5-mini-2025-08-07',
    });
  });

  it('reads tool calls in their order, with ids and arguments', async () => {
    server.script(
      toolCallReply([
        { id: 'call_a', name: 'get_order_details', arguments: '{"order_id":"#W1"}' },
        { id: 'call_b', name: 'get_order_details', arguments: '{"order_id":"#W2"}' },
      ]),
    );

    const completion = await openAiModel().complete(
      wholeAnswerRequest('Both orders?', { tools: [orderTool] }),
    );

    expect(completion.finishReason).toBe('tool_calls');
    expect(completion.toolCalls).toEqual([
      { id: 'call_a', name: 'get_order_details', arguments: '{"order_id":"#W1"}' },
      { id: 'call_b', name: 'get_order_details', arguments: '{"order_id":"#W2"}' },
    ]);
  });

  it('keeps no tool calls from a filtered answer', async () => {
    server.script(
      toolCallReply([{ name: 'cancel_pending_order', arguments: '{"order_id":"#W1"}' }], {
        finishReason: 'content_filter',
      }),
    );

    const completion = await openAiModel().complete(wholeAnswerRequest('Cancel it'));

    expect(completion).toMatchObject({ finishReason: 'content_filter', toolCalls: [], text: null });
  });

  it('fails with model_bad_response on a body that is not JSON, or not a completion', async () => {
    server.script(
      errorReply(200, '{"choices": [', { 'content-type': 'application/json' }),
      errorReply(200, 'Service is up', { 'content-type': 'text/plain' }),
    );

    const notJson = await expectAppError(openAiModel().complete(wholeAnswerRequest('Hi')));
    const notCompletion = await expectAppError(openAiModel().complete(wholeAnswerRequest('Hi')));

    expect(notJson.code).toBe('model_bad_response');
    expect(notJson.details).toMatchObject({ reason: 'invalid_json' });
    expect(notCompletion.code).toBe('model_bad_response');
    expect(notCompletion.details).toMatchObject({ reason: 'not_a_completion' });
  });

  it("stops waiting for an answer that never comes when the caller's signal aborts", async () => {
    server.script(textReply('Never comes.', { stallAfterChunks: 0 }));
    const started = performance.now();

    const error = await expectAppError(
      openAiModel().complete(wholeAnswerRequest('Hi', { signal: AbortSignal.timeout(200) })),
    );

    expect(error.code).toBe('turn_cancelled');
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe('resolveModelFamily', () => {
  it.each([
    ['gpt-5-mini', 'openai', 'reasoning'],
    ['gpt-5.1', 'openai', 'reasoning'],
    ['openai/gpt-5-nano', 'openai', 'reasoning'],
    ['o3-mini', 'openai', 'reasoning'],
    ['o4-mini', 'azure', 'reasoning'],
    ['prod-gpt-5-mini', 'azure', 'reasoning'],
    ['gpt-4o-mini', 'openai', 'classic'],
    ['gpt-4.1', 'azure', 'classic'],
    ['gpt-35-turbo', 'azure', 'classic'],
    ['llama3.1:8b', 'openai', 'classic'],
    ['chat-prod', 'azure', 'reasoning'],
  ] as const)('treats %s on %s as %s', (model, provider, expected) => {
    expect(resolveModelFamily({ model, provider, modelFamily: 'auto' })).toBe(expected);
  });

  it('follows an explicit family whatever the name says', () => {
    expect(
      resolveModelFamily({ model: 'gpt-5-mini', provider: 'openai', modelFamily: 'classic' }),
    ).toBe('classic');
  });
});

describe('createOpenAiClient', () => {
  it('rejects unusable options with one error naming each problem', () => {
    let thrown: unknown;
    try {
      createOpenAiClient({
        provider: 'azure',
        endpoint: 'not a url',
        apiVersion: '',
        deployment: ' ',
        apiKey: 'key',
        maxRetries: -1,
      });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as AppError;
    expect(error.code).toBe('config_invalid');
    expect(error.details['problems']).toEqual([
      'endpoint must be an http(s) URL',
      'deployment is required',
      'apiVersion is required',
      'maxRetries must be a whole number, 0 or more',
    ]);
  });
});
