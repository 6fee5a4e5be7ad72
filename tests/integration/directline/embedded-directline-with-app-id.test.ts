import { DirectLineTestClient, type DirectLineActivity } from '../../helpers/directline-client';
import { startTestAssistant, type TestAssistant } from '../../helpers/test-assistant';

/**
 * The embedded Direct Line turned on for a bot with an app id: customers chat through it, while
 * `/api/messages` still refuses requests without a Bot Framework token. Nothing here reaches Microsoft Entra.
 */
const fromBot = (activity: DirectLineActivity) =>
  activity.from.role === 'bot' && activity.type === 'message';

describe('the embedded Direct Line with an app id', () => {
  let assistant: TestAssistant;

  beforeAll(async () => {
    assistant = await startTestAssistant({
      HOST: '127.0.0.1',
      MicrosoftAppId: '00000000-0000-0000-0000-0000000000aa',
      MicrosoftAppPassword: 'not-a-real-secret',
      MicrosoftAppTenantId: '00000000-0000-0000-0000-0000000000bb',
      DIRECT_LINE_EMBEDDED: 'true',
    });
  });

  afterAll(async () => {
    await assistant?.dispose();
  });

  it('serves a conversation in-process and keeps the messaging endpoint closed to unauthenticated callers', async () => {
    const client = await DirectLineTestClient.start(assistant.url);

    const welcome = await client.waitFor(fromBot);
    expect(welcome.text).toMatch(/after-sales assistant/);
    expect(welcome.from.id).toBe('00000000-0000-0000-0000-0000000000aa');
    const posted = await client.say('hello');
    const postedId = (posted.body as { id: string }).id;
    const answer = await client.waitFor(
      (activity) => fromBot(activity) && activity.replyToId === postedId,
    );
    expect(answer.text).toMatch(/email address or full name/);

    const unauthenticated = await fetch(`${assistant.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'message',
        text: 'hi',
        channelId: 'directline',
        serviceUrl: assistant.url,
        conversation: { id: client.conversationId },
        from: { id: 'intruder' },
        recipient: { id: 'bot' },
      }),
    });
    expect(unauthenticated.status).toBe(401);
  });
});
