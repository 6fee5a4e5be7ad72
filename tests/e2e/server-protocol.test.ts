import { BOT_MESSAGES, MESSAGE_CHARACTERS_MAX } from '../../src/bot/care-bot';
import type { ConversationData } from '../../src/conversation/conversation-state';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  startTestAssistant,
  TestCustomer,
  textOf,
  type TestAssistant,
} from '../helpers/test-assistant';

/** The HTTP surface of the assistant on its embedded defaults: health, welcome, and bad input. */
describe('the assistant server', () => {
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;

  beforeAll(async () => {
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant();
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
  });

  const customer = (conversationId: string) =>
    new TestCustomer({ botUrl: assistant.url, recorder, conversationId });

  async function storedConversation(conversationId: string): Promise<ConversationData | undefined> {
    const key = `directline/conversations/${conversationId}/`;
    const items = await assistant.app.storage.read([key]);
    return (items[key] as { care?: ConversationData } | undefined)?.care;
  }

  it('reports alive and ready, with the model that answers', async () => {
    const health = await fetch(`${assistant.url}/healthz`);
    const ready = await fetch(`${assistant.url}/readyz`);

    expect(health.status).toBe(200);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      model: { provider: 'offline', reachable: true },
    });
  });

  it('welcomes a customer who joins the conversation', async () => {
    const joining = customer('welcome-1');

    const replies = await joining.send({
      type: 'conversationUpdate',
      text: undefined,
      membersAdded: [
        { id: 'care-bot', name: 'Care bot' },
        { id: 'user-welcome-1', name: 'Customer' },
      ],
    });

    expect(textOf(replies)).toMatch(/after-sales assistant/);
    expect(textOf(replies)).toMatch(/zip code/);
  });

  it('answers a quick turn with the reply alone, without a typing indicator', async () => {
    const chatting = customer('typing-1');

    await chatting.say('hello');

    // Web Chat's livestream updates are typing activities too; the indicator is the one without a stream.
    const sent = recorder.activitiesFor('typing-1');
    const indicators = sent.filter(
      (delivered) => delivered.activity.type === 'typing' && delivered.stream === undefined,
    );
    expect(indicators).toEqual([]);
    expect(sent.filter((delivered) => delivered.activity.type === 'message')).toHaveLength(1);
  });

  it('rejects bad requests with clear errors and keeps serving the conversation', async () => {
    const chatting = customer('bad-input-1');
    await chatting.say('hello');
    const before = await storedConversation('bad-input-1');
    expect(before?.history.length).toBeGreaterThan(0);

    const malformed = await chatting.post(undefined, { rawBody: '{"type": "message", "text": ' });
    const noType = await chatting.post({ ...chatting.activity({ text: 'x' }), type: undefined });
    const noConversation = await chatting.post({
      ...chatting.activity({ text: 'x' }),
      conversation: undefined,
    });
    const foreignServiceUrl = await chatting.post(
      chatting.activity({ text: 'x', serviceUrl: 'https://example.com/' }),
    );
    const huge = await chatting.post(chatting.activity({ text: 'x'.repeat(300 * 1024) }));
    const notJson = await chatting.post(undefined, {
      rawBody: 'text=hello',
      headers: { 'content-type': 'text/plain' },
    });

    expect(malformed.status).toBe(400);
    expect(noType.status).toBe(400);
    expect(await noType.json()).toMatchObject({ error: 'the activity needs a type' });
    expect(noConversation.status).toBe(400);
    expect(foreignServiceUrl.status).toBe(400);
    expect(huge.status).toBe(413);
    expect(notJson.status).toBe(400);
    expect(await storedConversation('bad-input-1')).toEqual(before);

    const after = await chatting.say('thanks');
    expect(after.length).toBeGreaterThan(0);
    expect((await storedConversation('bad-input-1'))!.history.length).toBeGreaterThan(
      before!.history.length,
    );
  });

  it('refuses an overlong message politely without sending it to the model', async () => {
    const chatting = customer('long-1');

    const replies = await chatting.say('a'.repeat(MESSAGE_CHARACTERS_MAX + 1));

    expect(textOf(replies)).toBe(BOT_MESSAGES.tooLong);
    expect(await storedConversation('long-1')).toBeUndefined();
  });

  it('asks for text when a message has none', async () => {
    const chatting = customer('attachment-1');

    const replies = await chatting.send({
      text: undefined,
      attachments: [{ contentType: 'image/png', contentUrl: 'http://127.0.0.1/x.png' }],
    });

    expect(textOf(replies)).toBe(BOT_MESSAGES.textOnly);
  });
});
