import {
  ActivityHandler,
  ActivityTypes,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  TeamsInfo,
  TurnContext,
  type Activity,
  type ConversationReference,
  type TeamsChannelAccount,
} from 'botbuilder';
import type restify from 'restify';
import {
  ConnectorRecorder,
  connectorError,
  type RecordedRequest,
} from '../helpers/connector-recorder';
import { serveBot } from '../helpers/restify-bot';

/**
 * The Bot Framework protocol end to end: a real CloudAdapter (auth disabled, as in local mode) behind a real
 * restify server receives activities over HTTP, and its replies travel over HTTP to the connector recorder.
 */

const BOT = { id: '28:care-bot', name: 'Care' };
const USER: TeamsChannelAccount = {
  id: '29:1user-Ada',
  name: 'Ada Lovelace',
  aadObjectId: '00000000-0000-0000-0000-00000000a0a0',
  email: 'ada@contoso.example',
  userPrincipalName: 'ada@contoso.example',
};
const AGENT: TeamsChannelAccount = {
  id: '29:1agent-Grace',
  name: 'Grace Hopper',
  email: 'grace@contoso.example',
};
/** Shaped like a Teams channel thread id: ':' ';' '@' must survive URL encoding both ways. */
const THREAD_ID = '19:abc123@thread.tacv2;messageid=1700000000000';
/** Characters no channel promises to avoid, each with its own encoding trap. */
const AWKWARD_ID = 'a:awkward/id with%20space?and#hash&more=1';
const TEAM_ID = '19:team-general@thread.tacv2';

/** A bot with one behaviour per command, so each test drives one botbuilder call through the channel. */
class ProbeBot extends ActivityHandler {
  lastReference: Partial<ConversationReference> | undefined;
  readonly failures: string[] = [];

  constructor() {
    super();
    this.onMessage(async (context, next) => {
      this.lastReference = TurnContext.getConversationReference(context.activity);
      await this.answer(context, context.activity.text ?? '');
      await next();
    });
  }

  private async answer(context: TurnContext, text: string): Promise<void> {
    switch (text) {
      case 'edit me': {
        const draft = await context.sendActivity('Draft answer');
        await context.updateActivity({
          type: ActivityTypes.Message,
          id: draft?.id,
          text: 'Final answer',
        });
        return;
      }
      case 'delete me': {
        const temporary = await context.sendActivity('Temporary notice');
        await context.deleteActivity(temporary?.id ?? '');
        return;
      }
      case 'who am i': {
        const member = await TeamsInfo.getMember(context, context.activity.from.id);
        await context.sendActivity(`You are ${member.email ?? 'unknown'}`);
        return;
      }
      case 'team': {
        const details = await TeamsInfo.getTeamDetails(context);
        const channels = await TeamsInfo.getTeamChannels(context);
        const firstPage = await TeamsInfo.getPagedMembers(context, 1);
        await context.sendActivity(
          `${details.name ?? ''}: ${channels.map((channel) => channel.name).join(', ')}; first member ${firstPage.members[0]?.name ?? ''}, more: ${String(firstPage.continuationToken !== undefined)}`,
        );
        return;
      }
      case 'stream': {
        // A Teams-style streamed answer: typing chunks with cumulative text, then the final message. The stream
        // fields go in channelData as well as in the streaminfo entity: botbuilder's serializer strips every
        // entity field but `type`, `text` and `mentioned` (see the quirk test below).
        const streamed = (info: Record<string, unknown>) => ({
          channelData: info,
          entities: [{ type: 'streaminfo', ...info }],
        });
        const started = await context.sendActivity({
          type: ActivityTypes.Typing,
          text: 'Looking',
          ...streamed({ streamType: 'streaming', streamSequence: 1 }),
        });
        const streamId = started?.id ?? '';
        try {
          for (const [index, chunk] of ['Looking up', 'Looking up your order'].entries()) {
            await context.sendActivity({
              type: ActivityTypes.Typing,
              text: chunk,
              ...streamed({ streamId, streamType: 'streaming', streamSequence: index + 2 }),
            });
          }
          await context.sendActivity({
            type: ActivityTypes.Message,
            text: 'Looking up your order: it ships tomorrow.',
            ...streamed({ streamId, streamType: 'final' }),
          });
        } catch (error) {
          const status = (error as { statusCode?: number }).statusCode;
          this.failures.push(`stream stopped with ${String(status)}`);
        }
        return;
      }
      default:
        await context.sendActivity(`Echo: ${text}`);
    }
  }
}

let recorder: ConnectorRecorder;
let server: restify.Server;
let adapter: CloudAdapter;
let bot: ProbeBot;
let botUrl: string;
const turnErrors: unknown[] = [];
let inboundCount = 0;

function inbound(text: string, overrides: Partial<Activity> = {}): Partial<Activity> {
  inboundCount += 1;
  return {
    type: ActivityTypes.Message,
    id: `inbound-${inboundCount}`,
    channelId: 'msteams',
    serviceUrl: recorder.serviceUrl,
    timestamp: new Date(),
    from: { id: USER.id, name: USER.name, aadObjectId: USER.aadObjectId },
    recipient: BOT,
    conversation: { id: THREAD_ID, conversationType: 'channel', isGroup: true, name: '' },
    text,
    locale: 'en-US',
    ...overrides,
  };
}

async function postActivity(activity: Partial<Activity>): Promise<Response> {
  return fetch(`${botUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
}

function texts(requests: readonly RecordedRequest[]): (string | undefined)[] {
  return requests.map((request) => request.activity?.text);
}

beforeAll(async () => {
  recorder = await ConnectorRecorder.start({
    members: { [THREAD_ID]: [USER, AGENT], [TEAM_ID]: [AGENT, USER] },
    teams: {
      [TEAM_ID]: {
        name: 'Customer Care',
        aadGroupId: '00000000-0000-0000-0000-0000000000cc',
        channels: [
          { id: TEAM_ID, name: 'General' },
          { id: '19:escalations@thread.tacv2', name: 'Escalations' },
        ],
      },
    },
  });
  // No app id: inbound JWTs are not checked and replies carry no token (platform-facts §7.2).
  adapter = new CloudAdapter(
    new ConfigurationBotFrameworkAuthentication(
      {},
      new ConfigurationServiceClientCredentialFactory({}),
    ),
  );
  adapter.onTurnError = (_context, error) => {
    turnErrors.push(error);
    return Promise.resolve();
  };
  bot = new ProbeBot();
  ({ server, url: botUrl } = await serveBot(adapter, (context) => bot.run(context)));
});

afterEach(() => {
  recorder.clear();
  expect(turnErrors.splice(0)).toEqual([]);
  expect(bot.failures.splice(0)).toEqual([]);
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.server.closeAllConnections();
  });
  await recorder.close();
});

describe('CloudAdapter over HTTP, replying to the connector recorder', () => {
  it('delivers the echo as a reply to the posted activity, without a token', async () => {
    const activity = inbound('hello there');

    const response = await postActivity(activity);
    const [reply] = await recorder.waitFor((request) => request.operation === 'replyToActivity');

    expect(response.status).toBe(200);
    expect(reply).toMatchObject({
      method: 'POST',
      path: `/v3/conversations/${encodeURIComponent(THREAD_ID)}/activities/${activity.id}`,
      conversationId: THREAD_ID,
      replyToId: activity.id,
      hasAuthorization: false,
      status: 200,
      activity: {
        type: 'message',
        text: 'Echo: hello there',
        from: { id: BOT.id },
        recipient: { id: USER.id },
        conversation: { id: THREAD_ID },
        replyToId: activity.id,
      },
    });
    expect(reply?.headers['x-ms-conversation-id']).toBe(THREAD_ID);
  });

  it('decodes conversation ids holding / % ? # & and spaces', async () => {
    await postActivity(
      inbound('odd id', {
        conversation: { id: AWKWARD_ID, isGroup: false, name: '', conversationType: 'personal' },
      }),
    );

    const delivered = recorder.activitiesFor(AWKWARD_ID);

    expect(texts(delivered)).toEqual(['Echo: odd id']);
  });

  it('updates the very message it sent, by the id the channel gave it', async () => {
    await postActivity(inbound('edit me'));

    const [draft, update] = await recorder.waitFor(
      (request) =>
        request.operation === 'replyToActivity' || request.operation === 'updateActivity',
      { count: 2 },
    );

    expect(update).toMatchObject({
      method: 'PUT',
      operation: 'updateActivity',
      conversationId: THREAD_ID,
      activityId: draft?.activityId,
      activity: { text: 'Final answer', id: draft?.activityId },
      responseBody: { id: draft?.activityId },
    });
    expect(texts(recorder.activitiesFor(THREAD_ID))).toEqual(['Draft answer', 'Final answer']);
  });

  it('deletes the message it sent', async () => {
    await postActivity(inbound('delete me'));

    const [deletion] = await recorder.waitFor((request) => request.operation === 'deleteActivity');
    const [notice] = recorder.activitiesFor(THREAD_ID);

    expect(deletion).toMatchObject({
      method: 'DELETE',
      conversationId: THREAD_ID,
      activityId: notice?.activityId,
      status: 200,
    });
  });

  it('answers TeamsInfo.getMember with the configured member', async () => {
    await postActivity(inbound('who am i'));

    const [lookup] = await recorder.waitFor(
      (request) => request.operation === 'getConversationMember',
    );

    expect(lookup).toMatchObject({ conversationId: THREAD_ID, memberId: USER.id });
    expect(texts(recorder.activitiesFor(THREAD_ID))).toEqual(['You are ada@contoso.example']);
  });

  it('answers TeamsInfo team details, channels and paged members inside a team', async () => {
    await postActivity(
      inbound('team', { channelData: { team: { id: TEAM_ID }, tenant: { id: 'contoso' } } }),
    );

    expect(
      recorder.requests.map((request) => [
        request.operation,
        request.teamId ?? request.conversationId,
      ]),
    ).toEqual([
      ['fetchTeamDetails', TEAM_ID],
      ['fetchChannelList', TEAM_ID],
      ['getConversationPagedMembers', TEAM_ID],
      ['replyToActivity', THREAD_ID],
    ]);
    expect(texts(recorder.activitiesFor(THREAD_ID))).toEqual([
      'Customer Care: General, Escalations; first member Grace Hopper, more: true',
    ]);
  });

  it('delivers a proactive message through continueConversationAsync on a stored reference', async () => {
    await postActivity(inbound('remember me'));
    const reference = bot.lastReference;
    if (reference === undefined) throw new Error('the bot kept no conversation reference');
    recorder.clear();

    await adapter.continueConversationAsync('', reference, async (context) => {
      await context.sendActivity('Your refund went through.');
    });
    const [proactive] = await recorder.waitFor(
      (request) => request.activity?.text === 'Your refund went through.',
    );

    // CloudAdapter replies to the synthetic continuation event's random id: a reply, not a plain send.
    expect(proactive).toMatchObject({
      operation: 'replyToActivity',
      conversationId: THREAD_ID,
      hasAuthorization: false,
      activity: { from: { id: BOT.id }, recipient: { id: USER.id } },
    });
    expect(proactive?.replyToId).not.toBe(reference.activityId);
  });

  it('creates a new thread in a Teams channel with createConversationAsync and posts into it', async () => {
    let createdId: string | undefined;

    await adapter.createConversationAsync(
      '',
      'msteams',
      recorder.serviceUrl,
      '',
      {
        isGroup: true,
        bot: BOT,
        channelData: { channel: { id: '19:escalations@thread.tacv2' } },
        activity: {
          type: ActivityTypes.Message,
          text: 'Ada needs help with order 1042.',
        } as Activity,
      },
      async (context) => {
        createdId = context.activity.conversation.id;
        await context.sendActivity('Transcript follows.');
      },
    );
    const [created] = await recorder.waitFor(
      (request) => request.operation === 'createConversation',
    );

    expect(created).toMatchObject({
      status: 201,
      conversationId: createdId,
      responseBody: { id: createdId, activityId: created?.activityId },
    });
    expect(createdId).toBe(`19:escalations@thread.tacv2;messageid=${created?.activityId}`);
    expect(texts(recorder.activitiesFor(createdId ?? ''))).toEqual([
      'Ada needs help with order 1042.',
      'Transcript follows.',
    ]);
  });

  it('answers a Teams stream like Teams: 201 with the stream id, then 202 for each chunk', async () => {
    await postActivity(inbound('stream'));

    const streamed = await recorder.waitFor((request) => request.stream !== undefined, {
      count: 4,
    });

    expect(streamed.map((request) => [request.status, request.stream?.streamType])).toEqual([
      [201, 'streaming'],
      [202, 'streaming'],
      [202, 'streaming'],
      [200, 'final'],
    ]);
    expect(new Set(streamed.map((request) => request.activityId))).toEqual(
      new Set([streamed[0]?.activityId]),
    );
  });

  it('shows the botbuilder 4.23 quirk: entity fields other than type are stripped, channelData survives', async () => {
    await postActivity(inbound('stream'));

    const [start] = await recorder.waitFor((request) => request.stream !== undefined);

    // If this starts failing after a botbuilder upgrade, the serializer was fixed: the entity carries its fields.
    expect(start?.activity?.entities).toEqual([{ type: 'streaminfo' }]);
    expect(start?.activity?.channelData).toEqual({ streamType: 'streaming', streamSequence: 1 });
  });

  it('fails a request chosen by an interceptor, and the bot sees the status', async () => {
    // What Teams does when the user presses Stop: the next streaming update is refused with a 403.
    const remove = recorder.intercept((request) =>
      request.stream?.streamSequence === 3
        ? {
            status: 403,
            body: connectorError('ContentStreamNotAllowed', 'Content stream is not allowed'),
          }
        : undefined,
    );
    await postActivity(inbound('stream'));
    remove();

    expect(
      recorder.requests.map((request) => [request.status, request.stream?.streamSequence]),
    ).toEqual([
      [201, 1],
      [202, 2],
      [403, 3],
    ]);
    expect(recorder.requests[2]?.activityId).toBeUndefined();
    expect(bot.failures.splice(0)).toEqual(['stream stopped with 403']);
  });
});

describe('CloudAdapter quirks the real server must live with', () => {
  it('cannot reply in a conversation whose id is not Latin-1: the id also travels in a header', async () => {
    await postActivity(
      inbound('hello', {
        conversation: { id: 'a:会话', isGroup: false, name: '', conversationType: 'personal' },
      }),
    );

    const errors = turnErrors.splice(0).map((error) => (error as { code?: string }).code);

    expect(errors).toEqual(['ERR_INVALID_CHAR']);
    expect(recorder.requests).toEqual([]);
  });

  it('sends (not replies) when the inbound activity has no id, and then any conversation id works', async () => {
    await postActivity(
      inbound('hello', {
        id: undefined,
        conversation: { id: 'a:会话', isGroup: false, name: '', conversationType: 'personal' },
      }),
    );

    expect(recorder.requests.map((request) => [request.operation, request.conversationId])).toEqual(
      [['sendToConversation', 'a:会话']],
    );
  });

  it('answers an activity without a type with a 500 from restify, not a 400', async () => {
    const response = await postActivity(inbound('hello', { type: undefined }));

    expect(response.status).toBe(500);
    expect(recorder.requests).toEqual([]);
  });
});

describe('ConnectorRecorder on its own', () => {
  it('records an unknown operation with a 404', async () => {
    const response = await fetch(`${recorder.serviceUrl}v3/conversations/x/nonsense`, {
      method: 'PATCH',
    });

    expect(response.status).toBe(404);
    expect(recorder.requests.map((request) => [request.operation, request.status])).toEqual([
      ['unknown', 404],
    ]);
  });

  it('refuses a body that is not JSON with a 400, and records it', async () => {
    const response = await fetch(`${recorder.serviceUrl}v3/conversations/x/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"type": "message", ',
    });

    expect(response.status).toBe(400);
    expect(recorder.requests[0]).toMatchObject({
      operation: 'sendToConversation',
      status: 400,
      body: '{"type": "message", ',
    });
    expect(recorder.activitiesFor('x')).toEqual([]);
  });

  it('answers 404 for members of a conversation it was not told about', async () => {
    const response = await fetch(
      `${recorder.serviceUrl}v3/conversations/${encodeURIComponent('a:unknown')}/members`,
    );

    expect(response.status).toBe(404);
    expect(recorder.requests[0]?.conversationId).toBe('a:unknown');
  });

  it('fails waitFor after its timeout, listing what was recorded', async () => {
    await fetch(`${recorder.serviceUrl}v3/conversations/c1/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'only this' }),
    });

    await expect(
      recorder.waitFor((request) => request.operation === 'deleteActivity', { timeoutMs: 50 }),
    ).rejects.toThrow(
      /Timed out after 50 ms.*\n.*POST \/v3\/conversations\/c1\/activities → 200 sendToConversation message "only this"/,
    );
  });

  it('resolves waitFor when a matching request arrives later', async () => {
    const waiting = recorder.waitFor((request) => request.conversationId === 'later');

    await fetch(`${recorder.serviceUrl}v3/conversations/later/activities`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'message', text: 'arrived' }),
    });

    expect(texts(await waiting)).toEqual(['arrived']);
  });

  it('gives every delivered activity a distinct id, across clear()', async () => {
    const send = () =>
      fetch(`${recorder.serviceUrl}v3/conversations/c2/activities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'hi' }),
      }).then((response) => response.json() as Promise<{ id: string }>);

    const first = await send();
    recorder.clear();
    const second = await send();

    expect(first.id).not.toBe(second.id);
  });
});
