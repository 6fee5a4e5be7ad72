import { createOpenAiClient } from '../../../src/llm/create-openai-client';
import { OpenAiChatModel } from '../../../src/llm/openai-chat-model';
import type { OpenAiChatModelOptions } from '../../../src/llm/openai-chat-model';
import {
  startFakeOpenAiServer,
  textReply,
  type FakeOpenAiServer,
} from '../../helpers/fake-openai-server';

/** A request's own reasoning effort (the mood judge asks for low) over the model's configured one. */
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

function model(
  options: Partial<Omit<OpenAiChatModelOptions, 'client' | 'provider'>>,
): OpenAiChatModel {
  const name = options.model ?? 'gpt-5-mini';
  const bundle = createOpenAiClient({
    provider: 'openai',
    apiKey: 'sk-test-key',
    baseURL: server.openAiBaseUrl,
    model: name,
    maxRetries: 0,
  });
  return new OpenAiChatModel({
    client: bundle.client,
    provider: 'openai',
    ...options,
    model: name,
  });
}

async function sentBody(
  chatModel: OpenAiChatModel,
  reasoningEffort: 'low' | undefined,
): Promise<Record<string, unknown>> {
  server.script(textReply('{"mood":"neutral","score":0}'));
  await chatModel.complete({
    messages: [{ role: 'user', content: 'ok' }],
    tools: [],
    ...(reasoningEffort === undefined ? {} : { reasoningEffort }),
  });
  return server.chatRequests().at(-1)!.body as Record<string, unknown>;
}

describe('OpenAiChatModel reasoning effort per request', () => {
  it("sends the request's effort instead of the configured one to a reasoning model", async () => {
    const body = await sentBody(model({ reasoningEffort: 'high' }), 'low');

    expect(body.reasoning_effort).toBe('low');
  });

  it('sends the configured effort when the request names none', async () => {
    const body = await sentBody(model({ reasoningEffort: 'high' }), undefined);

    expect(body.reasoning_effort).toBe('high');
  });

  it('sends no effort to a classic model even when the request names one', async () => {
    const body = await sentBody(model({ model: 'gpt-4.1-mini' }), 'low');

    expect(body).not.toHaveProperty('reasoning_effort');
  });
});
