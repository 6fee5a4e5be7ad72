import { createOpenAiClient } from '../../../src/llm/create-openai-client';
import { OpenAiStructuredOutputModel } from '../../../src/llm/openai-structured-output';
import type { StructuredOutputRequest } from '../../../src/llm/structured-output';
import { AppError } from '../../../src/shared/errors';
import {
  azurePromptFilteredReply,
  errorReply,
  filteredCompletionReply,
  startFakeOpenAiServer,
  textReply,
  type FakeOpenAiServer,
} from '../../helpers/fake-openai-server';

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

const SCHEMA = {
  type: 'object',
  properties: { satisfied: { type: 'boolean' } },
  required: ['satisfied'],
  additionalProperties: false,
};

const REQUEST: StructuredOutputRequest = {
  name: 'verdict',
  schema: SCHEMA,
  messages: [
    { role: 'system', content: 'Judge the conversation.' },
    { role: 'user', content: 'Customer: thanks!' },
  ],
};

function model(name: string, provider: 'azure' | 'openai' = 'azure'): OpenAiStructuredOutputModel {
  const bundle =
    provider === 'azure'
      ? createOpenAiClient({
          provider: 'azure',
          endpoint: server.url,
          apiVersion: '2024-10-21',
          deployment: name,
          apiKey: 'azure-key',
          maxRetries: 0,
        })
      : createOpenAiClient({
          provider: 'openai',
          model: name,
          apiKey: 'sk',
          baseURL: server.openAiBaseUrl,
          maxRetries: 0,
        });
  return new OpenAiStructuredOutputModel({
    client: bundle.client,
    provider,
    model: bundle.model,
    maxOutputTokens: 500,
    reasoningEffort: 'low',
  });
}

describe('OpenAiStructuredOutputModel', () => {
  it('asks for a strict json_schema answer, without streaming, and returns it parsed', async () => {
    server.script(textReply('{"satisfied":true}'));

    const answer = await model('gpt-5-mini').completeStructured(REQUEST);

    expect(answer).toEqual({ satisfied: true });
    const [request] = server.chatRequests();
    expect(request!.path).toBe('/openai/deployments/gpt-5-mini/chat/completions');
    expect(request!.body).toMatchObject({
      messages: REQUEST.messages,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'verdict', strict: true, schema: SCHEMA },
      },
      max_completion_tokens: 500,
      reasoning_effort: 'low',
    });
    expect((request!.body as { stream?: unknown }).stream).toBeUndefined();
  });

  it('sends max_tokens and temperature 0 to a classic model', async () => {
    server.script(textReply('{"satisfied":false}'));

    await model('gpt-4.1-mini', 'openai').completeStructured(REQUEST);

    expect(server.chatRequests()[0]!.body).toMatchObject({ max_tokens: 500, temperature: 0 });
  });

  it.each([
    ['an answer that is not JSON', textReply('yes, satisfied'), 'model_bad_response'],
    ['a cut-off answer', textReply('{"satis', { finishReason: 'length' }), 'model_bad_response'],
    ['a filtered answer', filteredCompletionReply(''), 'model_content_filtered'],
    ['a refused prompt', azurePromptFilteredReply({ jailbreak: true }), 'model_content_filtered'],
    ['a server failure', errorReply(500), 'model_unavailable'],
  ])('throws on %s', async (_case, reply, code) => {
    server.script(reply);

    const failure = await model('gpt-5-mini')
      .completeStructured(REQUEST)
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe(code);
  });
});
