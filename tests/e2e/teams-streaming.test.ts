import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Activity, ConversationAccount } from 'botbuilder';
import {
  ConnectorRecorder,
  connectorError,
  type RecordedRequest,
} from '../helpers/connector-recorder';
import {
  startFakeOpenAiServer,
  textReply,
  type FakeOpenAiServer,
  type RecordedRequest as ModelRequest,
} from '../helpers/fake-openai-server';
import { startTestAssistant, TestCustomer, type TestAssistant } from '../helpers/test-assistant';

/**
 * Teams streaming through the real server over HTTP: the real `openai` client streams from a local model
 * server, and the bot's replies land at a recording Bot Connector that answers like Teams (201 with the stream's
 * id for the first update, 202 for the next ones, 403 when the customer presses Stop).
 */
const STREAM_INTERVAL_MS = 300;
const BOT = { id: 'care-bot', name: 'Care bot' };
const TENANT = { id: 'tenant-1' };

/** A Teams user in a conversation of the given type with the bot. */
function teamsCustomer(
  assistant: TestAssistant,
  recorder: ConnectorRecorder,
  conversation: { id: string; conversationType: 'personal' | 'groupChat' | 'channel' },
): { customer: TestCustomer; send: (fields: Partial<Activity>) => Promise<Partial<Activity>[]> } {
  const customer = new TestCustomer({
    botUrl: assistant.url,
    recorder,
    conversationId: conversation.id,
    channelId: 'msteams',
    userId: `29:${conversation.id}-user`,
  });
  const send = (fields: Partial<Activity>) =>
    customer.send({
      recipient: BOT,
      conversation: { ...conversation, tenantId: TENANT.id } as ConversationAccount,
      channelData: { tenant: TENANT },
      ...fields,
    });
  return { customer, send };
}

/** The `streaminfo` entity exactly as it arrived on the wire (the raw JSON body, not a parsed fallback). */
function wireStreamInfo(request: RecordedRequest): Record<string, unknown> | undefined {
  const entities = (request.body as { entities?: Record<string, unknown>[] } | undefined)?.entities;
  return entities?.find((entity) => entity.type === 'streaminfo');
}

/** Typing activities that carry text: streamed updates, as opposed to bare typing indicators. */
function isUpdate(request: RecordedRequest): boolean {
  return request.activity?.type === 'typing' && (request.activity.text ?? '') !== '';
}

function lastUserMessage(request: ModelRequest): string {
  const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
  return messages.filter((message) => message.role === 'user').at(-1)!.content;
}

describe('Teams streaming', () => {
  let model: FakeOpenAiServer;
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;

  beforeAll(async () => {
    model = await startFakeOpenAiServer();
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant({
      OPENAI_BASE_URL: model.openAiBaseUrl,
      OPENAI_MODEL: 'gpt-5-mini',
      LLM_FALLBACK_TO_OFFLINE: 'false',
      TEAMS_STREAM_INTERVAL_MS: String(STREAM_INTERVAL_MS),
    });
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
    await model?.close();
  });

  beforeEach(() => {
    model.reset();
  });

  it('streams a slow answer in a personal chat as typing updates with streaminfo entities, then a final message', async () => {
    const answer =
      'Your order #W4821001 is pending: it has not shipped yet, so you can still change the address or cancel it.';
    model.script(textReply(answer, { chunkSize: 6, delayMs: 70 }));
    const { send } = teamsCustomer(assistant, recorder, {
      id: 'a:teams-personal-1',
      conversationType: 'personal',
    });

    await send({ text: 'where is my order?' });

    const requests = recorder.requests.filter(
      (request) => request.conversationId === 'a:teams-personal-1',
    );
    const updates = requests.filter(isUpdate);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    const entities = updates.map((request) => wireStreamInfo(request)!);
    expect(entities.map((entity) => entity.streamType)).toEqual(updates.map(() => 'streaming'));
    expect(entities.map((entity) => entity.streamSequence)).toEqual(
      updates.map((_, index) => index + 1),
    );
    // Teams answers the first update 201 with the stream's id; every later update names it.
    const streamId = (updates[0]!.responseBody as { id: string }).id;
    expect(updates[0]!.status).toBe(201);
    expect(entities[0]!.streamId).toBeUndefined();
    expect(entities.slice(1).map((entity) => entity.streamId)).toEqual(
      entities.slice(1).map(() => streamId),
    );
    // The same fields go in channelData too, for clients that read them there.
    updates.forEach((request, index) => {
      const { type: _type, ...fields } = entities[index]!;
      expect(request.activity!.channelData).toEqual(fields);
    });
    const texts = updates.map((request) => request.activity!.text!);
    texts.forEach((text, index) => {
      expect(answer.startsWith(text)).toBe(true);
      if (index > 0) expect(text.length).toBeGreaterThan(texts[index - 1]!.length);
    });
    for (let index = 1; index < updates.length; index += 1) {
      expect(updates[index]!.receivedAt - updates[index - 1]!.receivedAt).toBeGreaterThanOrEqual(
        STREAM_INTERVAL_MS,
      );
    }

    const messages = requests.filter((request) => request.activity?.type === 'message');
    expect(messages).toHaveLength(1);
    expect(messages[0]!.activity!.text).toBe(answer);
    expect(wireStreamInfo(messages[0]!)).toEqual({
      type: 'streaminfo',
      streamType: 'final',
      streamId,
    });
    expect(messages[0]!.activity!.channelData).toEqual({ streamType: 'final', streamId });
    expect(messages[0]!.status).toBeLessThan(300);
  });

  it('stops the stream and the model when Teams refuses an update with 403, and answers the next turn', async () => {
    const conversationId = 'a:teams-personal-stop';
    let modelAborted!: () => void;
    const aborted = new Promise<void>((resolve) => {
      modelAborted = resolve;
    });
    const longAnswer = `Here is everything about your order. ${'More detail follows. '.repeat(40)}`;
    model.script(textReply(longAnswer, { chunkSize: 6, delayMs: 40, onClientGone: modelAborted }));
    const removeInterceptor = recorder.intercept((request) =>
      request.conversationId === conversationId && request.stream?.streamSequence === 2
        ? {
            status: 403,
            body: connectorError('ContentStreamNotAllowed', 'Content stream is not allowed'),
          }
        : undefined,
    );
    const { send } = teamsCustomer(assistant, recorder, {
      id: conversationId,
      conversationType: 'personal',
    });
    const started = performance.now();

    try {
      await send({ text: 'tell me everything about my order' });
    } finally {
      removeInterceptor();
    }
    const turnMs = performance.now() - started;

    const modelStopped = await Promise.race([
      aborted.then(() => true),
      sleep(2_000).then(() => false),
    ]);
    expect(modelStopped).toBe(true);
    const fullStreamMs = (longAnswer.length / 6) * 40;
    expect(turnMs).toBeLessThan(fullStreamMs / 2);
    const requests = recorder.requests.filter(
      (request) => request.conversationId === conversationId,
    );
    const refused = requests.findIndex((request) => request.status === 403);
    expect(refused).toBeGreaterThan(0);
    expect(requests.slice(refused + 1).filter(isUpdate)).toEqual([]);
    expect(requests.filter((request) => request.activity?.type === 'message')).toEqual([]);

    model.script(textReply('Sure, what would you like to know?'));
    const next = await send({ text: 'sorry, one more question' });

    expect(next.map((activity) => activity.text)).toEqual(['Sure, what would you like to know?']);
    expect(lastUserMessage(model.chatRequests().at(-1)!)).toBe('sorry, one more question');
  });

  it.each([
    {
      conversationType: 'groupChat' as const,
      id: '19:group-chat-1@thread.v2',
      channelData: { tenant: TENANT },
    },
    {
      conversationType: 'channel' as const,
      id: '19:general@thread.tacv2;messageid=1700000000001',
      channelData: {
        tenant: TENANT,
        team: { id: '19:team-1@thread.tacv2' },
        channel: { id: '19:general@thread.tacv2' },
      },
    },
  ])(
    'sends a whole message without streamed updates in a Teams $conversationType, without the bot mention for the model',
    async ({ conversationType, id, channelData }) => {
      const answer = 'Happy to help: your order #W4821001 is pending and has not shipped yet.';
      model.script(textReply(answer, { chunkSize: 6, delayMs: 60 }));
      const { send } = teamsCustomer(assistant, recorder, { id, conversationType });
      const mention = `<at>${BOT.name}</at>`;

      const replies = await send({
        text: `${mention} where is my order?`,
        entities: [{ type: 'mention', mentioned: BOT, text: mention }],
        channelData,
      });

      const requests = recorder.requests.filter((request) => request.conversationId === id);
      expect(requests.filter(isUpdate)).toEqual([]);
      expect(replies.map((activity) => activity.text)).toEqual([answer]);
      expect(requests.some((request) => wireStreamInfo(request) !== undefined)).toBe(false);
      expect(lastUserMessage(model.chatRequests().at(-1)!)).toBe('where is my order?');
    },
  );
});
