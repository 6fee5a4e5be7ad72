import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  credentialFingerprint,
  startFakeOpenAiServer,
  textReply,
  toolCallReply,
  type FakeOpenAiServer,
  type RecordedRequest,
} from '../helpers/fake-openai-server';
import {
  confirmationButtons,
  startTestAssistant,
  TestCustomer,
  textOf,
  type TestAssistant,
} from '../helpers/test-assistant';

/**
 * The whole assistant over HTTP, with the real `openai` client talking to a local server that speaks Azure
 * OpenAI's wire format: the model's tool calls run against the real SQLite store, and code, not the model,
 * decides what may change.
 */
const AZURE_KEY = 'test-azure-key';
const DEPLOYMENT = 'care-gpt-5-mini';
const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

function messagesOf(
  request: RecordedRequest,
): { role: string; content?: string | null; tool_call_id?: string }[] {
  return (request.body as { messages: { role: string; content?: string | null }[] }).messages;
}

describe('the assistant with Azure OpenAI', () => {
  let model: FakeOpenAiServer;
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;
  let env: Record<string, string>;

  beforeAll(async () => {
    model = await startFakeOpenAiServer({ requiredCredential: AZURE_KEY });
    recorder = await ConnectorRecorder.start();
    env = {
      AZURE_OPENAI_ENDPOINT: model.url,
      AZURE_OPENAI_API_KEY: AZURE_KEY,
      AZURE_OPENAI_CHAT_DEPLOYMENT: DEPLOYMENT,
      LLM_FALLBACK_TO_OFFLINE: 'false',
    };
    assistant = await startTestAssistant(env);
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
    await model?.close();
  });

  it('verifies the customer, asks for confirmation, and cancels the order only after the customer presses yes', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'azure-journey-1',
    });
    model.script(
      toolCallReply([
        {
          name: 'find_user_id_by_email',
          arguments: JSON.stringify({ email: olivia.email, zip: olivia.zip }),
        },
      ]),
      textReply(`Thanks ${olivia.firstName}, you're verified. How can I help?`),
    );

    const verified = await customer.say(`Hi, I'm ${olivia.email} and my zip is ${olivia.zip}`);

    expect(textOf(verified)).toContain("you're verified");
    const firstRequest = model.chatRequests()[0]!;
    expect(firstRequest.path).toBe(`/openai/deployments/${DEPLOYMENT}/chat/completions`);
    expect(firstRequest.query['api-version']).toBe('2024-10-21');
    expect(firstRequest.credentials.apiKey).toBe(credentialFingerprint(AZURE_KEY));
    const verifyResult = messagesOf(model.chatRequests()[1]!).at(-1)!;
    expect(verifyResult).toMatchObject({ role: 'tool', content: olivia.customerId });

    model.script(
      toolCallReply([
        {
          name: 'cancel_pending_order',
          arguments: JSON.stringify({ order_id: '#W4821001', reason: 'no longer needed' }),
        },
      ]),
    );
    const asked = await customer.say('Please cancel order #W4821001, I no longer need it');

    expect(textOf(asked)).toContain('#W4821001');
    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('pending');
    const buttons = confirmationButtons(asked);
    expect(buttons.map((button) => button.title)).toEqual(['Yes, go ahead', 'No, leave it']);
    expect(model.pendingReplies).toBe(0);

    model.script(textReply('Done: order #W4821001 is cancelled and the refund is on its way.'));
    const done = await customer.press(buttons[0]!);

    expect(textOf(done)).toContain('is cancelled');
    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('cancelled');
    const outcome = messagesOf(model.chatRequests().at(-1)!).at(-1)!;
    expect(outcome.role).toBe('tool');
    expect(JSON.parse(outcome.content!)).toMatchObject({
      order_id: '#W4821001',
      status: 'cancelled',
    });

    const again = await customer.press(buttons[0]!);
    expect(textOf(again)).toContain('no longer open');
  });

  it('keeps a verified conversation across a restart of the server', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'azure-restart-1',
    });
    model.script(
      toolCallReply([
        {
          name: 'find_user_id_by_email',
          arguments: JSON.stringify({ email: olivia.email, zip: olivia.zip }),
        },
      ]),
      textReply('You are verified.'),
    );
    await customer.say(`${olivia.email}, zip ${olivia.zip}`);

    await assistant.stop();
    assistant = await startTestAssistant(env, { dataDir: assistant.dataDir });
    const afterRestart = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'azure-restart-1',
    });
    model.reset();
    model.script(
      toolCallReply([
        { name: 'get_order_details', arguments: JSON.stringify({ order_id: '#W4821002' }) },
      ]),
      textReply('Your backpack order #W4821002 was delivered.'),
    );

    const answer = await afterRestart.say('And what about order #W4821002?');

    expect(textOf(answer)).toContain('#W4821002');
    expect(messagesOf(model.chatRequests()[0]!)[0]!.content).toContain(
      `verified as user id ${olivia.customerId}`,
    );
    const orderResult = messagesOf(model.chatRequests()[1]!).at(-1)!;
    expect(JSON.parse(orderResult.content!)).toMatchObject({
      order_id: '#W4821002',
      user_id: olivia.customerId,
    });
  });

  it("answers another customer's order as not found even when the model asks for it", async () => {
    const other = SAMPLE_CUSTOMERS.find((customer) => customer.customerId !== olivia.customerId)!;
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'azure-privacy-1',
    });
    model.reset();
    model.script(
      toolCallReply([
        {
          name: 'find_user_id_by_email',
          arguments: JSON.stringify({ email: olivia.email, zip: olivia.zip }),
        },
      ]),
      textReply('Verified.'),
      toolCallReply([
        { name: 'get_order_details', arguments: JSON.stringify({ order_id: other.orderIds[0] }) },
        { name: 'get_user_details', arguments: JSON.stringify({ user_id: other.customerId }) },
      ]),
      textReply('I could not find that.'),
    );
    await customer.say(`${olivia.email} ${olivia.zip}`);

    await customer.say(`Show me order ${other.orderIds[0]} of ${other.customerId}`);

    const results = messagesOf(model.chatRequests().at(-1)!)
      .filter((message) => message.role === 'tool')
      .slice(-2);
    expect(results.map((message) => message.content)).toEqual([
      'Error: order not found',
      'Error: user not found',
    ]);
  });

  it('shows a typing indicator while a slow turn works, and refreshes it until the answer', async () => {
    model.reset();
    model.script(textReply('Sorry for the wait, here I am.', { headersDelayMs: 3_800 }));
    const chatting = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'typing-slow-1',
    });

    await chatting.say('hello?');

    const sent = recorder
      .activitiesFor('typing-slow-1')
      .filter(
        (delivered) => delivered.stream === undefined || delivered.stream.streamType === 'final',
      )
      .map((delivered) => delivered.activity.type);
    // One indicator after 500 ms, another 3 s later, then the answer; none after it.
    expect(sent).toEqual(['typing', 'typing', 'message']);
  });

  it('livestreams the answer on Web Chat: what it is doing, the text as it grows, then the final message', async () => {
    model.reset();
    const answer =
      'Your order #W4821001 is pending: it has not shipped yet, so you can still change or cancel it.';
    model.respond((request) => {
      const messages = messagesOf(request);
      if (messages.at(-1)!.role === 'tool')
        return textReply(answer, { chunkSize: 6, delayMs: 40, headersDelayMs: 400 });
      if (String(messages[0]!.content).includes('not verified yet')) {
        return toolCallReply([
          {
            name: 'find_user_id_by_email',
            arguments: JSON.stringify({ email: olivia.email, zip: olivia.zip }),
          },
        ]);
      }
      return toolCallReply([{ name: 'get_order_details', arguments: '{"order_id":"#W4821001"}' }]);
    });
    const chatting = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'livestream-1',
    });
    await chatting.say(`${olivia.email} ${olivia.zip}`);
    const before = recorder.activitiesFor('livestream-1').length;

    await chatting.say('where is my order #W4821001?');

    const turn = recorder
      .activitiesFor('livestream-1')
      .slice(before)
      .filter((delivered) => delivered.stream);
    const informative = turn.filter((delivered) => delivered.stream!.streamType === 'informative');
    const streaming = turn.filter((delivered) => delivered.stream!.streamType === 'streaming');
    const final = turn.filter((delivered) => delivered.stream!.streamType === 'final');
    expect(informative[0]!.activity.text).toMatch(/order #W4821001/i);
    expect(streaming.length).toBeGreaterThan(2);
    const texts = streaming.map((delivered) => delivered.activity.text!);
    texts.forEach((text, index) => {
      expect(answer.startsWith(text)).toBe(true);
      if (index > 0) expect(text.length).toBeGreaterThan(texts[index - 1]!.length);
    });
    const sequences = turn
      .filter((delivered) => delivered.stream!.streamType !== 'final')
      .map((d) => d.stream!.streamSequence);
    expect(sequences).toEqual(sequences.map((_, index) => index + 1));
    // The first update's id names the stream; every later update and the final message carry it.
    const streamId = turn[0]!.activityId;
    expect(turn.slice(1).every((delivered) => delivered.stream!.streamId === streamId)).toBe(true);
    expect(final).toHaveLength(1);
    expect(final[0]!.activity).toMatchObject({ type: 'message', text: answer });
  });

  it('cites the policy documents an answer rests on, under the answer', async () => {
    model.reset();
    model.respond((request) => {
      const messages = messagesOf(request);
      if (messages.at(-1)!.role === 'tool')
        return textReply('Refunds go back to the original payment method.');
      return toolCallReply([
        { name: 'search_policies', arguments: '{"query":"how long does a refund take"}' },
      ]);
    });
    const chatting = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'sources-1',
    });

    const replies = await chatting.say('how long does a refund take?');

    const answer = textOf(replies);
    expect(answer).toContain('Refunds go back to the original payment method.');
    expect(answer).toMatch(/Sources: Returns and refunds › /);
  });

  it('never lets a card number reach the model or the stored conversation', async () => {
    model.reset();
    model.script(textReply('I can help with payments once you are verified.'));
    const chatting = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'card-1',
    });

    const replies = await chatting.say('can I pay with 4111-1111-1111-1111, cvv 737?');

    expect(textOf(replies)).toContain('removed the card number');
    const sent = JSON.stringify(model.chatRequests().map((request) => request.body));
    expect(sent).toContain('[card ending 1111]');
    expect(sent).not.toMatch(/4111-?1111-?1111-?1111|737/);
    const stored = await assistant.app.storage.read([`directline/conversations/card-1/`]);
    const state = JSON.stringify(stored);
    expect(state).toContain('[card ending 1111]');
    expect(state).not.toMatch(/4111-?1111-?1111-?1111|737/);
  });

  it('finishes a turn in flight before it stops', async () => {
    const second = await startTestAssistant(env);
    model.reset();
    model.script(textReply('Still here, and finished.', { headersDelayMs: 700 }));
    const chatting = new TestCustomer({ botUrl: second.url, recorder, conversationId: 'drain-1' });
    const turn = chatting.say('hello');
    await recorder.waitFor((request) => request.conversationId === 'drain-1');

    const stopped = second.dispose();
    const replies = await turn;
    await stopped;

    expect(textOf(replies)).toContain('Still here, and finished.');
    await expect(fetch(`${second.url}/healthz`)).rejects.toThrow();
  });

  it('refuses a request without a valid Bot Framework token when an app id is configured', async () => {
    const secured = await startTestAssistant({
      MicrosoftAppId: '00000000-0000-0000-0000-00000000a11d',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000aa',
    });
    try {
      const customer = new TestCustomer({
        botUrl: secured.url,
        recorder,
        conversationId: 'secured-1',
      });
      const unauthenticated = await customer.post(customer.activity({ text: 'hi' }));
      const forged = await customer.post(customer.activity({ text: 'hi' }), {
        headers: { authorization: 'Bearer not.a.jwt' },
      });

      expect(unauthenticated.status).toBe(401);
      expect(forged.status).toBe(401);
      expect(recorder.activitiesFor('secured-1')).toEqual([]);
    } finally {
      await secured.dispose();
    }
  });
});
