import type { Activity } from 'botbuilder';
import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import type { HandoffCase } from '../../src/handoff/handoff-case';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  startTestAssistant,
  TestCustomer,
  textOf,
  type TestAssistant,
} from '../helpers/test-assistant';

/**
 * The agent desk end to end, over HTTP with the real server and the offline model: the bot is installed in the
 * agents' team, a Web Chat customer asks for a person, the card appears in the desk as a new thread, an agent
 * accepts, both sides talk through the thread, and Close hands the customer back to the assistant.
 */
const TENANT = 'tenant-1';
const TEAM = '19:support-team@thread.tacv2';
const BOT = { id: '28:care-bot', name: 'Ava' };
const DANA = { id: '29:dana', name: 'Dana', aadObjectId: 'aad-dana' };
const SAM = { id: '29:sam', name: 'Sam', aadObjectId: 'aad-sam' };
const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

let sequence = 0;

/** An activity from Teams in the agents' team: a channel message, a thread reply, an invoke. */
function teamsActivity(
  recorder: ConnectorRecorder,
  fields: Partial<Activity> & { conversationId: string },
): Partial<Activity> {
  sequence += 1;
  const { conversationId, ...rest } = fields;
  return {
    type: 'message',
    id: `teams-${sequence}`,
    channelId: 'msteams',
    serviceUrl: recorder.serviceUrl,
    conversation: {
      id: conversationId,
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT,
    } as Activity['conversation'],
    recipient: BOT,
    from: DANA,
    channelData: {
      team: { id: TEAM, name: 'Support' },
      channel: { id: TEAM },
      tenant: { id: TENANT },
    },
    timestamp: new Date(),
    ...rest,
  };
}

async function post(
  url: string,
  activity: Partial<Activity>,
): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${url}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
}

function installInTeam(url: string, recorder: ConnectorRecorder) {
  return post(
    url,
    teamsActivity(recorder, {
      conversationId: TEAM,
      type: 'conversationUpdate',
      from: { id: '29:admin', name: 'Admin' },
      membersAdded: [{ id: BOT.id, name: BOT.name }],
      channelData: {
        eventType: 'teamMemberAdded',
        team: { id: TEAM, name: 'Support' },
        tenant: { id: TENANT },
      },
    }),
  );
}

/** Presses a desk card button the way Teams sends `Action.Execute`. */
function pressDeskButton(
  url: string,
  recorder: ConnectorRecorder,
  options: { threadId: string; caseId: string; action: 'accept' | 'close'; agent: typeof DANA },
) {
  return post(
    url,
    teamsActivity(recorder, {
      conversationId: options.threadId,
      type: 'invoke',
      name: 'adaptiveCard/action',
      from: options.agent,
      value: {
        action: {
          type: 'Action.Execute',
          verb: `handoff.${options.action}`,
          data: { handoffAction: options.action, caseId: options.caseId },
        },
        trigger: 'manual',
      },
    }),
  );
}

/** An agent's reply in a desk thread; `<at>Ava</at>` in the text comes with its mention entity, as in Teams. */
function replyInThread(
  url: string,
  recorder: ConnectorRecorder,
  options: { threadId: string; agent: typeof DANA; text: string },
) {
  const mention = `<at>${BOT.name}</at>`;
  return post(
    url,
    teamsActivity(recorder, {
      conversationId: options.threadId,
      from: options.agent,
      text: options.text,
      ...(options.text.includes(mention)
        ? { entities: [{ type: 'mention', mentioned: BOT, text: mention }] }
        : {}),
    }),
  );
}

/** The desk threads started so far: new conversations in the desk channel, with their case ids. */
function deskThreads(
  recorder: ConnectorRecorder,
): { threadId: string; caseId: string; card: unknown }[] {
  return recorder.requests
    .filter((request) => request.operation === 'createConversation' && request.status < 300)
    .map((request) => {
      const card = request.activity?.attachments?.[0]?.content as {
        actions?: { data?: { caseId?: string } }[];
      };
      return {
        threadId: request.conversationId ?? '',
        caseId: card.actions?.[0]?.data?.caseId ?? '',
        card,
      };
    });
}

function messagesTo(recorder: ConnectorRecorder, conversationId: string, after = 0): string[] {
  return recorder
    .activitiesFor(conversationId)
    .filter((delivered) => delivered.sequence > after && delivered.activity.type === 'message')
    .map((delivered) => delivered.activity.text ?? '');
}

function lastSequence(recorder: ConnectorRecorder): number {
  return recorder.requests.at(-1)?.sequence ?? 0;
}

async function storedCase(
  assistant: TestAssistant,
  caseId: string,
): Promise<HandoffCase | undefined> {
  const key = `handoff/case/${caseId}`;
  const items = await assistant.app.storage.read([key]);
  return (items[key] as { value?: HandoffCase } | undefined)?.value;
}

describe('the agent desk in a Teams channel', () => {
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;

  beforeEach(async () => {
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant();
  });

  afterEach(async () => {
    await assistant?.dispose();
    await recorder?.close();
  });

  it('learns the desk from the installation in a team and says so there, without a customer welcome', async () => {
    const installed = await installInTeam(assistant.url, recorder);

    expect(installed.status).toBe(200);
    const said = messagesTo(recorder, TEAM);
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/agent desk/i);
    expect(said[0]).not.toMatch(/verify|email address/i);
  });

  it('moves the desk within its team on "set desk", but never to another team', async () => {
    await installInTeam(assistant.url, recorder);
    const escalationsChannel = '19:escalations@thread.tacv2';
    const setDesk = (conversationId: string, teamId: string) =>
      post(
        assistant.url,
        teamsActivity(recorder, {
          conversationId,
          text: '<at>Ava</at> set desk',
          entities: [{ type: 'mention', mentioned: BOT, text: '<at>Ava</at>' }],
          channelData: {
            team: { id: teamId },
            channel: { id: conversationId },
            tenant: { id: TENANT },
          },
        }),
      );

    await setDesk(escalationsChannel, TEAM);
    await setDesk('19:elsewhere@thread.tacv2', '19:another-team@thread.tacv2');
    expect(messagesTo(recorder, '19:elsewhere@thread.tacv2').join('\n')).toMatch(
      /can't become the desk/,
    );
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-moved-1',
    });
    await customer.say('I want to talk to a person');

    const [thread] = deskThreads(recorder);
    expect(thread!.threadId.startsWith(`${escalationsChannel};messageid=`)).toBe(true);
  });

  it('hands a Web Chat customer to an agent and back: accept, relay both ways, close', async () => {
    await installInTeam(assistant.url, recorder);
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-web-1',
    });
    await customer.say(`my email is ${olivia.email} and my zip code is ${olivia.zip}`);
    await customer.say('what is the status of order #W4821001?');

    const escalated = await customer.say('I want to talk to a real person please');

    expect(textOf(escalated)).toMatch(/number 1 in the queue/i);
    const [thread] = deskThreads(recorder);
    expect(thread).toBeDefined();
    const card = JSON.stringify(thread!.card);
    expect(card).toContain(olivia.email);
    expect(card).toContain('#W4821001');
    expect(card).toContain('Web chat');
    expect(card).toContain('handoff.accept');
    // The standard event goes to the customer's channel too, for a contact-center hub to act on.
    const events = recorder
      .activitiesFor('desk-web-1')
      .filter((delivered) => delivered.activity.type === 'event');
    expect(events.map((delivered) => delivered.activity.name)).toEqual(['handoff.initiate']);

    const accepted = await pressDeskButton(assistant.url, recorder, {
      threadId: thread!.threadId,
      caseId: thread!.caseId,
      action: 'accept',
      agent: DANA,
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
    });
    expect(JSON.stringify(accepted.body)).toContain('Taken by Dana');
    expect(messagesTo(recorder, 'desk-web-1').at(-1)).toMatch(/Dana from our team has joined/);
    // Everyone in the thread sees the card change, not only the agent who pressed.
    const cardActivityId = thread!.threadId.split(';messageid=')[1];
    const updates = recorder.requests.filter(
      (request) => request.operation === 'updateActivity' && request.activityId === cardActivityId,
    );
    expect(updates.length).toBeGreaterThan(0);

    const secondAccept = await pressDeskButton(assistant.url, recorder, {
      threadId: thread!.threadId,
      caseId: thread!.caseId,
      action: 'accept',
      agent: SAM,
    });
    expect(secondAccept.body).toEqual({
      statusCode: 200,
      type: 'application/vnd.microsoft.activity.message',
      value: 'Already taken by Dana.',
    });

    // The customer's words go to the thread; the assistant stays silent.
    const mark = lastSequence(recorder);
    const silent = await customer.say(
      'The headphones arrived with a broken band, card 4111 1111 1111 1111',
    );
    expect(silent).toEqual([]);
    const inThread = messagesTo(recorder, thread!.threadId, mark);
    expect(inThread).toHaveLength(1);
    expect(inThread[0]).toContain('broken band');
    expect(inThread[0]).not.toContain('4111 1111 1111 1111');

    // The agent's reply reaches the customer on Web Chat.
    await replyInThread(assistant.url, recorder, {
      threadId: thread!.threadId,
      agent: DANA,
      text: `<at>Ava</at> I'm sorry about that, I'll send a replacement today.`,
    });
    expect(messagesTo(recorder, 'desk-web-1').at(-1)).toBe(
      "**Dana:** I'm sorry about that, I'll send a replacement today.",
    );

    // Another agent's message in the thread is not sent to the customer.
    const beforeSam = messagesTo(recorder, 'desk-web-1').length;
    await replyInThread(assistant.url, recorder, {
      threadId: thread!.threadId,
      agent: SAM,
      text: 'I can help too',
    });
    expect(messagesTo(recorder, 'desk-web-1')).toHaveLength(beforeSam);
    expect(messagesTo(recorder, thread!.threadId).at(-1)).toMatch(/Dana has this conversation/);

    await replyInThread(assistant.url, recorder, {
      threadId: thread!.threadId,
      agent: DANA,
      text: 'close',
    });
    expect(messagesTo(recorder, 'desk-web-1').at(-1)).toMatch(/Dana has closed the chat/);
    const closed = await storedCase(assistant, thread!.caseId);
    expect(closed).toMatchObject({
      status: 'closed',
      outcome: 'resolved_by_agent',
      acceptedBy: { name: 'Dana' },
      closedBy: { name: 'Dana' },
    });
    expect(closed!.transcript.map((entry) => entry.from)).toEqual([
      'system',
      'customer',
      'agent',
      'system',
    ]);
    expect(JSON.stringify(closed)).not.toContain('4111 1111 1111 1111');

    // The assistant answers again.
    const back = await customer.say('what is the status of order #W4821001?');
    expect(textOf(back)).toContain('#W4821001');
    expect(messagesTo(recorder, thread!.threadId).join('\n')).not.toContain('what is the status');
  });

  it('keeps two escalations apart, each in its own thread, with queue places', async () => {
    await installInTeam(assistant.url, recorder);
    const first = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-two-1',
    });
    const second = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-two-2',
    });

    const [firstReply, secondReply] = await Promise.all([
      first.say('I need to speak to a human agent'),
      second.say('Can I talk to a person?'),
    ]);

    const places = [textOf(firstReply), textOf(secondReply)].map(
      (text) => /number (\d) in the queue/.exec(text)?.[1],
    );
    expect(places.sort()).toEqual(['1', '2']);
    const threads = deskThreads(recorder);
    expect(threads).toHaveLength(2);
    expect(new Set(threads.map((thread) => thread.threadId)).size).toBe(2);

    for (const thread of threads) {
      await pressDeskButton(assistant.url, recorder, { ...thread, action: 'accept', agent: DANA });
    }
    const mark = lastSequence(recorder);
    await first.say('message from the first customer');
    await second.say('message from the second customer');
    const byThread = threads.map((thread) =>
      messagesTo(recorder, thread.threadId, mark).join('\n'),
    );
    const firstThread = byThread.findIndex((text) => text.includes('first customer'));
    expect(firstThread).toBeGreaterThanOrEqual(0);
    expect(byThread[firstThread]).not.toContain('second customer');
    expect(byThread[1 - firstThread]).toContain('second customer');
    expect(byThread[1 - firstThread]).not.toContain('first customer');
  });

  it('carries on after a restart in the middle of a handoff', async () => {
    await installInTeam(assistant.url, recorder);
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-restart-1',
    });
    await customer.say('let me talk to a person');
    const [thread] = deskThreads(recorder);
    await pressDeskButton(assistant.url, recorder, { ...thread!, action: 'accept', agent: DANA });

    await assistant.stop();
    assistant = await startTestAssistant({}, { dataDir: assistant.dataDir });
    const afterRestart = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-restart-1',
    });

    const mark = lastSequence(recorder);
    expect(await afterRestart.say('are you still there?')).toEqual([]);
    expect(messagesTo(recorder, thread!.threadId, mark).join('\n')).toContain(
      'are you still there?',
    );
    await replyInThread(assistant.url, recorder, {
      threadId: thread!.threadId,
      agent: DANA,
      text: 'Yes, still here.',
    });
    expect(messagesTo(recorder, 'desk-restart-1').at(-1)).toBe('**Dana:** Yes, still here.');
  });

  it('refuses desk buttons pressed outside the desk team', async () => {
    await installInTeam(assistant.url, recorder);
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-outsider-1',
    });
    await customer.say('I want a human');
    const [thread] = deskThreads(recorder);

    const outsider = await post(
      assistant.url,
      teamsActivity(recorder, {
        conversationId: '19:other@thread.tacv2',
        type: 'invoke',
        name: 'adaptiveCard/action',
        from: SAM,
        channelData: { team: { id: '19:other-team@thread.tacv2' }, tenant: { id: TENANT } },
        value: {
          action: {
            type: 'Action.Execute',
            verb: 'handoff.accept',
            data: { handoffAction: 'accept', caseId: thread!.caseId },
          },
          trigger: 'manual',
        },
      }),
    );

    expect(JSON.stringify(outsider.body)).toMatch(/Only members of the agent desk team/);
    expect((await storedCase(assistant, thread!.caseId))?.status).toBe('queued');
  });

  it('keeps a customer with the assistant when no desk exists, and posts the case once one does', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-later-1',
    });
    const asked = await customer.say('I want to talk to a person');
    expect(textOf(asked)).toMatch(/Nobody can join the chat right now/);
    expect(deskThreads(recorder)).toHaveLength(0);
    // Still served by the assistant meanwhile.
    expect(textOf(await customer.say('where is my order #W4821001?'))).toMatch(/email/i);

    await installInTeam(assistant.url, recorder);

    const threads = deskThreads(recorder);
    expect(threads).toHaveLength(1);
    expect(JSON.stringify(threads[0]!.card)).toContain('Asked for a person');
  });

  it('lets a contact-center hub take the conversation with handoff.status, and give it back', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-hub-1',
    });
    await customer.say('I want to talk to a person');
    const initiate = recorder
      .activitiesFor('desk-hub-1')
      .find((delivered) => delivered.activity.name === 'handoff.initiate')!.activity;
    expect(initiate.value).toMatchObject({ reason: 'requested', queuePosition: 1 });
    const caseId = (initiate.value as { caseId: string }).caseId;
    const hubStatus = (state: string) =>
      customer.send({ type: 'event', name: 'handoff.status', value: { state } });

    await hubStatus('accepted');
    expect(await customer.say('hello, anyone there?')).toEqual([]);
    expect((await storedCase(assistant, caseId))?.status).toBe('active');

    await hubStatus('completed');
    expect(await storedCase(assistant, caseId)).toMatchObject({
      status: 'closed',
      outcome: 'completed_by_hub',
    });
    expect(textOf(await customer.say('where is my order #W4821001?'))).toMatch(/email/i);

    // A hub that cannot take the next request says so, and the customer hears it.
    await customer.say('I want to talk to a person again');
    const failed = await hubStatus('failed');
    expect(textOf(failed)).toMatch(/couldn't reach a person/);
  });

  it('calls people in when the assistant fails twice in a row because the model is down', async () => {
    await assistant.dispose();
    // Nothing listens on port 9: every model call fails, and the offline fallback is off.
    assistant = await startTestAssistant({
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_API_KEY: 'test-key',
      LLM_FALLBACK_TO_OFFLINE: 'false',
    });
    await installInTeam(assistant.url, recorder);
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'desk-down-1',
    });

    const first = await customer.say('where is my order #W4821001?');
    expect(textOf(first)).toMatch(/trouble answering/);
    expect(deskThreads(recorder)).toHaveLength(0);
    const second = await customer.say('hello?');

    expect(textOf(second)).toMatch(/number 1 in the queue/);
    const [thread] = deskThreads(recorder);
    const card = JSON.stringify(thread!.card);
    expect(card).toContain('Assistant could not answer');
    // Without a working model the summary is the customer's own last words.
    expect(card).toContain('where is my order #W4821001?');
  }, 60_000);

  it('answers @mentions in a channel, ignores channel chatter without one', async () => {
    await installInTeam(assistant.url, recorder);
    const mark = lastSequence(recorder);
    const channel = '19:general-chatter@thread.tacv2';

    await post(
      assistant.url,
      teamsActivity(recorder, { conversationId: channel, text: 'lunch at noon?' }),
    );
    expect(messagesTo(recorder, channel, mark)).toEqual([]);

    await post(
      assistant.url,
      teamsActivity(recorder, {
        conversationId: channel,
        text: '<at>Ava</at> what is your returns policy?',
        entities: [{ type: 'mention', mentioned: BOT, text: '<at>Ava</at>' }],
      }),
    );
    const answered = messagesTo(recorder, channel, mark).join('\n');
    expect(answered).toMatch(/return/i);
    expect(answered).not.toContain('<at>');
  });
});
