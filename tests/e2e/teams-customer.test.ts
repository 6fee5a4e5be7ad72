import type { Activity, TeamsChannelAccount } from 'botbuilder';
import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import { startTestAssistant, textOf, type TestAssistant } from '../helpers/test-assistant';

/**
 * Customers in Teams, over HTTP with the real server and the offline model: verified by their Teams sign-in,
 * confirming a change with an `Action.Execute` card that Teams redraws with the outcome, and kept apart from
 * each other in a group chat.
 */
const TENANT = 'tenant-1';
const BOT = { id: '28:care-bot', name: 'Ava' };
const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

let sequence = 0;

function member(id: string, name: string, email: string): TeamsChannelAccount {
  return {
    id,
    name,
    aadObjectId: `aad-${id}`,
    email,
    userPrincipalName: email,
    givenName: name,
    surname: '',
    tenantId: TENANT,
    userRole: 'user',
  };
}

/** A Teams user in one conversation: a personal chat, or a group chat where the bot is @mentioned. */
class TeamsUser {
  constructor(
    private readonly options: {
      url: string;
      recorder: ConnectorRecorder;
      conversationId: string;
      user: TeamsChannelAccount;
      conversationType: 'personal' | 'groupChat';
    },
  ) {}

  activity(fields: Partial<Activity>): Partial<Activity> {
    sequence += 1;
    const group = this.options.conversationType === 'groupChat';
    return {
      type: 'message',
      id: `teams-customer-${sequence}`,
      channelId: 'msteams',
      serviceUrl: this.options.recorder.serviceUrl,
      conversation: {
        id: this.options.conversationId,
        conversationType: this.options.conversationType,
        isGroup: group,
        tenantId: TENANT,
      } as Activity['conversation'],
      from: {
        id: this.options.user.id,
        name: this.options.user.name,
        aadObjectId: this.options.user.aadObjectId,
      },
      recipient: BOT,
      channelData: { tenant: { id: TENANT } },
      timestamp: new Date(),
      ...fields,
    };
  }

  /** Says something (with the bot's @mention in a group chat) and returns the bot's messages of that turn. */
  async say(text: string): Promise<Partial<Activity>[]> {
    const group = this.options.conversationType === 'groupChat';
    const mention = `<at>${BOT.name}</at>`;
    const before = lastSequence(this.options.recorder);
    await this.post(
      this.activity({
        text: group ? `${mention} ${text}` : text,
        ...(group ? { entities: [{ type: 'mention', mentioned: BOT, text: mention }] } : {}),
      }),
    );
    return this.options.recorder
      .activitiesFor(this.options.conversationId)
      .filter((delivered) => delivered.sequence > before && delivered.activity.type === 'message')
      .map((delivered) => delivered.activity);
  }

  /** Presses an `Action.Execute` button and returns the invoke response's body. */
  async execute(action: { verb: string; data: unknown }): Promise<unknown> {
    const response = await this.post(
      this.activity({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { type: 'Action.Execute', ...action }, trigger: 'manual' },
      }),
    );
    return response.json();
  }

  private async post(activity: Partial<Activity>): Promise<Response> {
    const response = await fetch(`${this.options.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    if (!response.ok)
      throw new Error(`the bot answered ${response.status}: ${await response.text()}`);
    return response;
  }
}

function lastSequence(recorder: ConnectorRecorder): number {
  return recorder.requests.at(-1)?.sequence ?? 0;
}

/** The `Action.Execute` buttons of the adaptive cards in some activities. */
function executeActions(
  activities: Partial<Activity>[],
): { title: string; verb: string; data: unknown }[] {
  return activities.flatMap((activity) =>
    (activity.attachments ?? [])
      .filter((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive')
      .flatMap((attachment) =>
        (
          (
            attachment.content as {
              actions?: { type: string; title: string; verb: string; data: unknown }[];
            }
          ).actions ?? []
        ).filter((action) => action.type === 'Action.Execute'),
      ),
  );
}

describe('customers in Teams', () => {
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

  it('verifies a signed-in Teams user by their email and confirms a change with Action.Execute', async () => {
    const user = member('29:olivia', 'Olivia Bennett', olivia.email);
    recorder.setMembers('a:personal-olivia', [user]);
    const olive = new TeamsUser({
      url: assistant.url,
      recorder,
      conversationId: 'a:personal-olivia',
      user,
      conversationType: 'personal',
    });

    const status = await olive.say('what is the status of order #W4821001?');
    expect(textOf(status)).toMatch(/pending/i);
    expect(textOf(status)).not.toMatch(/email address/i);

    const asked = await olive.say('please cancel order #W4821001, I no longer need it');
    const [yes, no] = executeActions(asked);
    expect([yes?.title, no?.title]).toEqual(['Yes, go ahead', 'No, leave it']);
    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('pending');

    const redrawn = await olive.execute(yes!);

    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('cancelled');
    expect(redrawn).toMatchObject({
      statusCode: 200,
      type: 'application/vnd.microsoft.card.adaptive',
    });
    expect(JSON.stringify(redrawn)).toContain('Confirmed: done');
    expect(JSON.stringify(redrawn)).not.toContain('Action.Execute');

    // Pressing the same button again changes nothing and says so.
    const again = await olive.execute(yes!);
    expect(JSON.stringify(again)).toMatch(/no longer open/);
  });

  it('asks a Teams user to verify when their sign-in email matches no customer', async () => {
    const user = member('29:stranger', 'Stranger', 'nobody@example.org');
    recorder.setMembers('a:personal-stranger', [user]);
    const stranger = new TeamsUser({
      url: assistant.url,
      recorder,
      conversationId: 'a:personal-stranger',
      user,
      conversationType: 'personal',
    });

    const reply = await stranger.say('what is the status of order #W4821001?');

    expect(textOf(reply)).toMatch(/email/i);
    expect(textOf(reply)).not.toMatch(/pending/i);
  });

  it("never shows one group chat member another member's verified orders", async () => {
    const oliviaUser = member('29:olivia', 'Olivia Bennett', olivia.email);
    const colleague = member('29:colleague', 'Colleague', 'colleague@example.org');
    recorder.setMembers('19:group-chat@thread.v2', [oliviaUser, colleague]);
    const inGroup = (user: TeamsChannelAccount) =>
      new TeamsUser({
        url: assistant.url,
        recorder,
        conversationId: '19:group-chat@thread.v2',
        user,
        conversationType: 'groupChat',
      });

    const oliviaReply = await inGroup(oliviaUser).say('what is the status of order #W4821001?');
    expect(textOf(oliviaReply)).toMatch(/pending/i);

    const colleagueReply = await inGroup(colleague).say('what is the status of order #W4821001?');
    expect(textOf(colleagueReply)).not.toMatch(/pending/i);
    expect(textOf(colleagueReply)).toMatch(/email/i);
  });

  it('leaves Teams users to verify in conversation when sign-in verification is off', async () => {
    await assistant.dispose();
    assistant = await startTestAssistant({ TEAMS_SIGN_IN_VERIFICATION: 'false' });
    const user = member('29:olivia', 'Olivia Bennett', olivia.email);
    recorder.setMembers('a:personal-olivia-2', [user]);
    const olive = new TeamsUser({
      url: assistant.url,
      recorder,
      conversationId: 'a:personal-olivia-2',
      user,
      conversationType: 'personal',
    });

    const reply = await olive.say('what is the status of order #W4821001?');

    expect(textOf(reply)).toMatch(/email/i);
    expect(recorder.requests.some((request) => request.operation === 'getConversationMember')).toBe(
      false,
    );
  });
});
