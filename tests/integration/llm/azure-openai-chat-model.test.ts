import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import type { ChatCompletionCreateParamsStreaming } from 'openai/resources/chat/completions';
import {
  AZURE_COGNITIVE_SERVICES_SCOPE,
  createOpenAiClient,
} from '../../../src/llm/create-openai-client';
import type { AzureOpenAiClientOptions } from '../../../src/llm/create-openai-client';
import { OpenAiChatModel } from '../../../src/llm/openai-chat-model';
import type { OpenAiChatModelOptions } from '../../../src/llm/openai-chat-model';
import {
  azurePromptFilteredReply,
  credentialFingerprint,
  errorReply,
  filteredCompletionReply,
  rateLimitReply,
  startFakeOpenAiServer,
  textReply,
  toolCallReply,
} from '../../helpers/fake-openai-server';
import type { FakeOpenAiServer } from '../../helpers/fake-openai-server';
import { expectAppError } from '../../helpers/expect-error';
import { userRequest, wholeAnswerRequest } from '../../helpers/chat-model-requests';

let server: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAiServer();
});

afterEach(() => {
  server.reset();
});

afterAll(async () => {
  await server.close();
});

type AzureOverrides = Partial<Omit<OpenAiChatModelOptions, 'client' | 'provider' | 'model'>> & {
  client?: Partial<Omit<AzureOpenAiClientOptions, 'provider'>>;
};

function azureModel(overrides: AzureOverrides = {}): OpenAiChatModel {
  const { client: clientOverrides, ...modelOverrides } = overrides;
  const bundle = createOpenAiClient({
    provider: 'azure',
    endpoint: server.url,
    apiVersion: '2024-10-21',
    deployment: 'chat-prod',
    apiKey: 'azure-test-key',
    maxRetries: 2,
    ...clientOverrides,
  });
  return new OpenAiChatModel({
    client: bundle.client,
    provider: bundle.provider,
    model: bundle.model,
    ...modelOverrides,
  });
}

/** A TokenCredential as @azure/identity's credentials implement it, recording the scopes asked for. */
class RecordingCredential implements TokenCredential {
  readonly scopeRequests: string[][] = [];

  constructor(private readonly token: string) {}

  getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.scopeRequests.push(Array.isArray(scopes) ? [...scopes] : [scopes]);
    return Promise.resolve({ token: this.token, expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

describe('OpenAiChatModel against Azure OpenAI', () => {
  describe('client construction', () => {
    it('calls the deployment path with the api-version and sends the key in the api-key header', async () => {
      server.script(textReply('Hello from Azure.'));

      const completion = await azureModel().complete(userRequest('Hi'));

      const request = server.chatRequests()[0];
      expect(request?.path).toBe('/openai/deployments/chat-prod/chat/completions');
      expect(request?.query).toEqual({ 'api-version': '2024-10-21' });
      expect(request?.credentials).toEqual({
        apiKey: credentialFingerprint('azure-test-key'),
        bearer: null,
      });
      expect(request?.headers['api-key']).toBe('[redacted]');
      expect(completion.text).toBe('Hello from Azure.');
    });

    it('treats an uninformative deployment name as the current gpt-5 family', async () => {
      server.script(textReply('Hi.'));

      await azureModel({ maxOutputTokens: 256 }).complete(userRequest('Hi'));

      const body = server.chatRequests()[0]?.body as ChatCompletionCreateParamsStreaming;
      expect(body.max_completion_tokens).toBe(256);
      expect(body).not.toHaveProperty('temperature');
      expect(body).not.toHaveProperty('max_tokens');
    });

    it('authenticates with a Microsoft Entra ID token for the Cognitive Services scope when no key is set', async () => {
      server.script(textReply('Hello, signed in.'));
      const credential = new RecordingCredential('entra-token-123');

      await azureModel({ client: { apiKey: undefined, credential } }).complete(userRequest('Hi'));

      const request = server.chatRequests()[0];
      expect(request?.credentials).toEqual({
        apiKey: null,
        bearer: credentialFingerprint('entra-token-123'),
      });
      expect(request?.headers['authorization']).toBe('Bearer [redacted]');
      expect(credential.scopeRequests).toContainEqual([AZURE_COGNITIVE_SERVICES_SCOPE]);
      expect(AZURE_COGNITIVE_SERVICES_SCOPE).toBe('https://cognitiveservices.azure.com/.default');
    });

    it('uses the v1 surface with the deployment as the model and no api-version', async () => {
      server.script(textReply('Hello from v1.'));
      const credential = new RecordingCredential('entra-token-v1');

      await azureModel({ client: { apiVersion: 'v1', apiKey: undefined, credential } }).complete(
        userRequest('Hi'),
      );

      const request = server.chatRequests()[0];
      expect(request?.path).toBe('/openai/v1/chat/completions');
      expect(request?.query).toEqual({});
      expect((request?.body as ChatCompletionCreateParamsStreaming).model).toBe('chat-prod');
      expect(request?.credentials.bearer).toBe(credentialFingerprint('entra-token-v1'));
    });

    it('sends a key on the v1 surface both as a bearer token and in the api-key header', async () => {
      server.script(textReply('Hello from v1.'));

      await azureModel({ client: { apiVersion: 'v1' } }).complete(userRequest('Hi'));

      expect(server.chatRequests()[0]?.credentials).toEqual({
        apiKey: credentialFingerprint('azure-test-key'),
        bearer: credentialFingerprint('azure-test-key'),
      });
    });

    it('fails with model_unavailable when no Entra token can be obtained', async () => {
      const failing: TokenCredential = {
        getToken: () => Promise.reject(new Error('no managed identity endpoint')),
      };

      const error = await expectAppError(
        azureModel({ client: { apiKey: undefined, credential: failing } }).complete(
          userRequest('Hi'),
        ),
      );

      expect(error.code).toBe('model_unavailable');
      expect(server.chatRequests()).toHaveLength(0);
    });
  });

  describe('Azure stream shapes', () => {
    it('tolerates the empty-choices prompt_filter_results chunk and delta-less annotation chunks', async () => {
      const answer = 'Refunds reach your card within 5 to 10 business days.';
      server.script(
        textReply(answer, { chunkSize: 7, promptFilterResults: true, filterAnnotations: true }),
      );
      const deltas: string[] = [];

      const completion = await azureModel().complete(
        userRequest('When will I get my refund?', { onTextDelta: (delta) => deltas.push(delta) }),
      );

      expect(deltas.join('')).toBe(answer);
      expect(deltas.every((delta) => delta !== '')).toBe(true);
      expect(completion).toMatchObject({ text: answer, finishReason: 'stop', model: 'chat-prod' });
      expect(completion.usage).not.toBeNull();
    });

    it('returns a filtered completion with finish reason content_filter, the streamed part and no tool calls', async () => {
      server.script(
        filteredCompletionReply('Here is how you could', {
          chunkSize: 5,
          contentFilterResults: {
            violence: { filtered: true, severity: 'high' },
            hate: { filtered: false, severity: 'safe' },
          },
        }),
      );

      const completion = await azureModel().complete(userRequest('Tell me something'));

      expect(completion.finishReason).toBe('content_filter');
      expect(completion.text).toBe('Here is how you could');
      expect(completion.toolCalls).toEqual([]);
    });

    it('ends with content_filter when the asynchronous filter blocks in an annotation chunk', async () => {
      server.script(
        filteredCompletionReply('Partial words', {
          chunkSize: 4,
          promptFilterResults: true,
          filterAnnotations: true,
        }),
      );

      const completion = await azureModel().complete(userRequest('Tell me something'));

      expect(completion.finishReason).toBe('content_filter');
      expect(completion.text).toBe('Partial words');
    });

    it('reads a filtered whole answer (no onTextDelta) the same way as a stream', async () => {
      server.script(
        filteredCompletionReply('Here is how you could', {
          promptFilterResults: true,
          contentFilterResults: { violence: { filtered: true, severity: 'high' } },
        }),
      );

      const completion = await azureModel().complete(wholeAnswerRequest('Tell me something'));

      expect(server.chatRequests()[0]?.body).toMatchObject({ stream: false });
      expect(completion).toMatchObject({
        finishReason: 'content_filter',
        text: 'Here is how you could',
        toolCalls: [],
      });
    });

    it('drops tool calls from a filtered completion so nothing acts on it', async () => {
      server.script(
        toolCallReply([{ name: 'cancel_pending_order', arguments: '{"order_id":"#W1"}' }], {
          finishReason: 'content_filter',
        }),
      );

      const completion = await azureModel().complete(userRequest('Cancel it'));

      expect(completion).toMatchObject({
        finishReason: 'content_filter',
        toolCalls: [],
        text: null,
      });
    });
  });

  describe('errors', () => {
    it.each(['content_filter_result', 'content_filter_results'] as const)(
      'maps a content-filter 400 (%s) to model_content_filtered with the categories, without retrying',
      async (spelling) => {
        server.script(azurePromptFilteredReply({ filtered: { self_harm: 'medium' }, spelling }));

        const error = await expectAppError(azureModel().complete(userRequest('…')));

        expect(error.code).toBe('model_content_filtered');
        expect(error.expected).toBe(true);
        expect(error.details).toMatchObject({
          stage: 'prompt',
          status: 400,
          categories: ['self_harm'],
          severities: { self_harm: 'medium' },
        });
        expect(server.chatRequests()).toHaveLength(1);
      },
    );

    it('reports a jailbreak attempt as a content-filter refusal in the jailbreak category', async () => {
      server.script(azurePromptFilteredReply({ jailbreak: true }));

      const error = await expectAppError(azureModel().complete(userRequest('Ignore your rules…')));

      expect(error.code).toBe('model_content_filtered');
      expect(error.details['categories']).toEqual(['jailbreak']);
    });

    it('retries a 429 after the retry-after seconds and then succeeds', async () => {
      server.script(rateLimitReply({ retryAfterSeconds: 1 }), textReply('Thanks for waiting.'));
      const started = performance.now();

      const completion = await azureModel().complete(userRequest('Hi'));

      const elapsed = performance.now() - started;
      const [first, second] = server.chatRequests();
      expect(completion.text).toBe('Thanks for waiting.');
      expect(server.chatRequests()).toHaveLength(2);
      expect(elapsed).toBeGreaterThanOrEqual(950);
      expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(950);
    });

    it('prefers retry-after-ms over retry-after', async () => {
      server.script(
        { ...rateLimitReply({ retryAfterSeconds: 20, retryAfterMs: 150 }) },
        textReply('Done.'),
      );

      await azureModel().complete(userRequest('Hi'));

      const [first, second] = server.chatRequests();
      const waited = (second?.receivedAt ?? 0) - (first?.receivedAt ?? 0);
      expect(waited).toBeGreaterThanOrEqual(140);
      expect(waited).toBeLessThan(5_000);
    });

    it('fails with model_rate_limited once the SDK retries are spent', async () => {
      server.script(
        rateLimitReply({ retryAfterMs: 10 }),
        rateLimitReply({ retryAfterMs: 10 }),
        rateLimitReply({ retryAfterMs: 10 }),
      );

      const error = await expectAppError(azureModel().complete(userRequest('Hi')));

      expect(error.code).toBe('model_rate_limited');
      expect(error.details).toMatchObject({ status: 429, retryAfter: '10' });
      expect(server.chatRequests()).toHaveLength(3);
    });

    it('fails with model_unavailable after maxRetries + 1 attempts at a persistent 500', async () => {
      const serverError = errorReply(
        500,
        { error: { message: 'boom', type: 'server_error' } },
        {
          'retry-after-ms': '5',
        },
      );
      server.script(serverError, serverError, serverError, serverError);

      const error = await expectAppError(
        azureModel({ client: { maxRetries: 2 } }).complete(userRequest('Hi')),
      );

      expect(error.code).toBe('model_unavailable');
      expect(error.details).toMatchObject({ status: 500 });
      expect(server.chatRequests()).toHaveLength(3);
      expect(server.pendingReplies).toBe(1);
    });

    it('fails with model_unavailable when the endpoint cannot be reached', async () => {
      const closed = await startFakeOpenAiServer();
      const endpoint = closed.url;
      await closed.close();

      const error = await expectAppError(
        azureModel({ client: { endpoint, maxRetries: 0 } }).complete(userRequest('Hi')),
      );

      expect(error.code).toBe('model_unavailable');
      expect(error.details).toMatchObject({ reason: 'connection' });
    });

    it('fails with model_unavailable when response headers take longer than the timeout', async () => {
      server.script(textReply('Too late.', { headersDelayMs: 2_000 }));
      const started = performance.now();

      const error = await expectAppError(
        azureModel({ client: { timeoutMs: 100, maxRetries: 0 } }).complete(userRequest('Hi')),
      );

      expect(error.code).toBe('model_unavailable');
      // Under plain Node the SDK reports APIConnectionTimeoutError (reason "timeout"); inside jest's VM the
      // abort error comes from another realm and the SDK reports a connection error instead.
      expect(['timeout', 'connection']).toContain(error.details['reason']);
      expect(performance.now() - started).toBeLessThan(1_500);
    });
  });

  describe('cancellation', () => {
    it('fails with turn_cancelled without calling the model when the signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();

      const error = await expectAppError(
        azureModel().complete(userRequest('Hi', { signal: controller.signal })),
      );

      expect(error.code).toBe('turn_cancelled');
      expect(error.expected).toBe(true);
      expect(server.chatRequests()).toHaveLength(0);
    });

    it('fails with turn_cancelled when aborted mid-stream', async () => {
      server.script(
        textReply('A long answer that streams slowly, word by word.', {
          chunkSize: 4,
          delayMs: 50,
        }),
      );
      const controller = new AbortController();
      const deltas: string[] = [];
      const onTextDelta = (delta: string) => {
        deltas.push(delta);
        if (deltas.length === 2) controller.abort();
      };

      const error = await expectAppError(
        azureModel().complete(userRequest('Hi', { signal: controller.signal, onTextDelta })),
      );

      expect(error.code).toBe('turn_cancelled');
      expect(deltas).toHaveLength(2);
    });

    it('fails with turn_cancelled at once when aborted during a retry-after wait', async () => {
      // The SDK's own wait keeps running after the cancellation (it ignores the signal), so the header is
      // kept short enough not to hold jest open.
      server.script(rateLimitReply({ retryAfterSeconds: 1 }), textReply('Never reached.'));
      const controller = new AbortController();
      const model = azureModel();
      const started = performance.now();
      setTimeout(() => controller.abort(), 100);

      const error = await expectAppError(
        model.complete(userRequest('Hi', { signal: controller.signal })),
      );

      expect(error.code).toBe('turn_cancelled');
      expect(performance.now() - started).toBeLessThan(600);
    });
  });

  describe('probe', () => {
    it('reports ready without any network call before the first completion', async () => {
      const result = await azureModel().probe();

      expect(result.ok).toBe(true);
      expect(server.requests).toHaveLength(0);
    });

    it('reports not ready after the last call found the model unavailable, still without a network call', async () => {
      const serverError = errorReply(503);
      server.script(serverError);
      const model = azureModel({ client: { maxRetries: 0 } });
      await model.complete(userRequest('Hi')).catch(() => undefined);
      const requestsBefore = server.requests.length;

      const result = await model.probe();

      expect(result.ok).toBe(false);
      expect(result.detail).toContain('model_unavailable');
      expect(server.requests).toHaveLength(requestsBefore);
    });

    it('reports ready again once a call succeeds', async () => {
      server.script(errorReply(503), textReply('Back.'));
      const model = azureModel({ client: { maxRetries: 0 } });
      await model.complete(userRequest('Hi')).catch(() => undefined);
      await model.complete(userRequest('Hi'));

      const result = await model.probe();

      expect(result.ok).toBe(true);
    });
  });
});
