import type { Activity } from 'botbuilder';
import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import { EnvironmentSchema } from '../../src/config/config';
import { sniffImageType } from '../../src/llm/image-generator';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  azureImageFilteredReply,
  fakePng,
  imageReply,
  startFakeOpenAiServer,
  textReply,
  toolCallReply,
  type FakeOpenAiServer,
  type RecordedRequest,
} from '../helpers/fake-openai-server';
import { startTestAssistant, TestCustomer, type TestAssistant } from '../helpers/test-assistant';

/**
 * Generated avatars through the real server: the real `openai` client draws with an Azure image deployment on
 * the local fake server, images are stored in the data folder and served over HTTP, and the bot shows a
 * customer's new avatar as an attachment. Offline, the DiceBear library draws the same avatars every time.
 */
const AZURE_KEY = 'test-azure-key';
const CHAT_DEPLOYMENT = 'care-gpt-5-mini';
const IMAGE_DEPLOYMENT = 'avatars-gpt-image-1-mini';
const DEFAULT_ASSISTANT_PROMPT = EnvironmentSchema.shape.ASSISTANT_AVATAR_PROMPT.parse(undefined);
const OLIVIA = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

interface Fetched {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

async function get(url: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const response = await fetch(url, { headers });
  return {
    status: response.status,
    headers: response.headers,
    bytes: Buffer.from(await response.arrayBuffer()),
  };
}

function imageAttachments(activities: Partial<Activity>[]) {
  return activities.flatMap((activity) =>
    (activity.attachments ?? []).filter((attachment) =>
      attachment.contentType.startsWith('image/'),
    ),
  );
}

function lastToolResult(request: RecordedRequest): string {
  const messages = (request.body as { messages: { role: string; content: string }[] }).messages;
  return messages.filter((message) => message.role === 'tool').at(-1)?.content ?? '';
}

function askForAvatar(description: string, answer: string) {
  return [
    toolCallReply([{ name: 'create_profile_avatar', arguments: JSON.stringify({ description }) }]),
    textReply(answer),
  ];
}

describe('avatars with an Azure OpenAI image deployment', () => {
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
      AZURE_OPENAI_CHAT_DEPLOYMENT: CHAT_DEPLOYMENT,
      AZURE_OPENAI_IMAGE_DEPLOYMENT: IMAGE_DEPLOYMENT,
      LLM_FALLBACK_TO_OFFLINE: 'false',
      AVATAR_DAILY_LIMIT: '2',
    };
    assistant = await startTestAssistant(env);
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
    await model?.close();
  });

  it("serves the assistant's avatar drawn by the image deployment, and the same bytes after a restart", async () => {
    const first = await get(`${assistant.url}/avatars/assistant`);

    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('image/png');
    expect(sniffImageType(first.bytes)).toBe('image/png');
    expect(first.headers.get('etag')).toMatch(/^"[\w-]+"$/u);
    expect(first.headers.get('cache-control')).toContain('max-age=');
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    const drawn = model.imageRequests();
    expect(drawn).toHaveLength(1);
    expect(drawn[0]!.path).toBe(`/openai/deployments/${IMAGE_DEPLOYMENT}/images/generations`);
    expect((drawn[0]!.body as { prompt: string }).prompt).toBe(DEFAULT_ASSISTANT_PROMPT);

    await assistant.stop();
    assistant = await startTestAssistant(env, { dataDir: assistant.dataDir });
    const afterRestart = await get(`${assistant.url}/avatars/assistant`);

    // The fake model draws a different PNG for every request: equal bytes mean it was not drawn again.
    expect(afterRestart.bytes.equals(first.bytes)).toBe(true);
    expect(afterRestart.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(model.imageRequests()).toHaveLength(1);
  });

  it("answers 304 to a browser that has the assistant's avatar already", async () => {
    const first = await get(`${assistant.url}/avatars/assistant`);

    const again = await get(`${assistant.url}/avatars/assistant`, {
      'if-none-match': first.headers.get('etag')!,
    });

    expect(again.status).toBe(304);
    expect(again.bytes.length).toBe(0);
  });

  it("shows a customer's new avatar as an image attachment whose URL serves that image", async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'avatar-fox',
    });
    const fox = fakePng('a fox astronaut, as drawn');
    model.scriptImages(imageReply({ bytes: fox }));
    model.script(...askForAvatar('a fox astronaut', "Here's your fox astronaut avatar!"));

    const replies = await customer.say('Make me an avatar of a fox astronaut');

    const [attachment] = imageAttachments(replies);
    expect(attachment?.contentType).toBe('image/png');
    expect(attachment?.contentUrl).toMatch(/^\/avatars\/[\w-]{22}$/u);
    const served = await get(new URL(attachment!.contentUrl!, assistant.url).toString());
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(served.bytes.equals(fox)).toBe(true);
    expect((model.imageRequests().at(-1)!.body as { prompt: string }).prompt).toContain(
      'a fox astronaut',
    );
    const events = recorder
      .activitiesFor('avatar-fox')
      .map((delivered) => delivered.activity)
      .filter((activity) => activity.type === 'event');
    expect(events).toEqual([
      expect.objectContaining({
        name: 'profile.avatar',
        value: { url: attachment!.contentUrl },
      }) as unknown,
    ]);
  });

  it('answers 404 for an image id nobody was given', async () => {
    const missing = await get(`${assistant.url}/avatars/AAAAAAAAAAAAAAAAAAAAAA`);

    expect(missing.status).toBe(404);
  });

  it('holds the daily limit: the third avatar of the day is refused without drawing', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'avatar-limit',
    });
    for (const animal of ['an owl', 'a whale']) {
      model.script(...askForAvatar(animal, 'Here it is!'));
      expect(imageAttachments(await customer.say(`an avatar of ${animal} please`))).toHaveLength(1);
    }
    const drawnBefore = model.imageRequests().length;
    model.script(
      ...askForAvatar('a tiger', "You've reached today's limit for new avatars; try tomorrow."),
    );

    const third = await customer.say('and one of a tiger');

    expect(imageAttachments(third)).toHaveLength(0);
    expect(model.imageRequests()).toHaveLength(drawnBefore);
    expect(lastToolResult(model.chatRequests().at(-1)!)).toMatch(
      /^Error: the daily limit of 2 avatars is reached/u,
    );
  });

  it('gives a calm reply when the image filter refuses the description', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'avatar-filtered',
    });
    model.scriptImages(azureImageFilteredReply());
    model.script(
      ...askForAvatar(
        'something the filter refuses',
        "I'm sorry, I can't make an avatar from that description. Would you like to try another?",
      ),
    );

    const replies = await customer.say('make me an avatar of something the filter refuses');

    expect(imageAttachments(replies)).toHaveLength(0);
    expect(replies.map((reply) => reply.text).join('\n')).toContain(
      "I'm sorry, I can't make an avatar from that description.",
    );
    expect(lastToolResult(model.chatRequests().at(-1)!)).toMatch(
      /^Error: the image service's safety filter declined this description/u,
    );
  });
});

describe("the assistant's avatar on Teams cards", () => {
  let model: FakeOpenAiServer;
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;

  beforeAll(async () => {
    model = await startFakeOpenAiServer();
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant({
      AZURE_OPENAI_ENDPOINT: model.url,
      AZURE_OPENAI_API_KEY: AZURE_KEY,
      AZURE_OPENAI_CHAT_DEPLOYMENT: CHAT_DEPLOYMENT,
      AZURE_OPENAI_IMAGE_DEPLOYMENT: IMAGE_DEPLOYMENT,
      LLM_FALLBACK_TO_OFFLINE: 'false',
      TEAMS_SIGN_IN_VERIFICATION: 'false',
      PUBLIC_BASE_URL: 'https://bot.contoso.example',
    });
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
    await model?.close();
  });

  it("shows the avatar's public address in the header of a Teams confirmation card", async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'teams-avatar-card',
      channelId: 'msteams',
    });
    const personalChat = {
      conversation: {
        id: 'teams-avatar-card',
        conversationType: 'personal',
      } as Activity['conversation'],
    };
    model.script(
      toolCallReply([
        {
          name: 'find_user_id_by_email',
          arguments: JSON.stringify({ email: OLIVIA.email, zip: OLIVIA.zip }),
        },
      ]),
      textReply('You are verified.'),
      toolCallReply([
        {
          name: 'cancel_pending_order',
          arguments: JSON.stringify({ order_id: '#W4821001', reason: 'no longer needed' }),
        },
      ]),
    );
    await customer.send({ ...personalChat, text: `${OLIVIA.email}, zip ${OLIVIA.zip}` });

    const replies = await customer.send({ ...personalChat, text: 'cancel #W4821001 please' });

    const card = replies
      .flatMap((reply) => reply.attachments ?? [])
      .find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive');
    const header = (card?.content as { body: { columns?: { items: unknown[] }[] }[] }).body[0];
    expect(header?.columns?.[0]?.items[0]).toMatchObject({
      type: 'Image',
      url: 'https://bot.contoso.example/avatars/assistant',
    });
  });
});

describe('avatars offline', () => {
  let recorder: ConnectorRecorder;

  beforeAll(async () => {
    recorder = await ConnectorRecorder.start();
  });

  afterAll(async () => {
    await recorder?.close();
  });

  async function customerAvatar(assistant: TestAssistant, conversationId: string) {
    const customer = new TestCustomer({ botUrl: assistant.url, recorder, conversationId });
    const replies = await customer.say('make me an avatar of a fox astronaut');
    const [attachment] = imageAttachments(replies);
    expect(attachment?.contentType).toBe('image/svg+xml');
    return {
      replies,
      image: await get(new URL(attachment!.contentUrl!, assistant.url).toString()),
    };
  }

  it('draws the same DiceBear avatar for the same description on two separate installations', async () => {
    const first = await startTestAssistant();
    const second = await startTestAssistant();
    try {
      const one = await customerAvatar(first, 'offline-avatar-1');
      const other = await customerAvatar(second, 'offline-avatar-2');

      expect(one.image.status).toBe(200);
      expect(one.image.headers.get('content-type')).toBe('image/svg+xml');
      expect(one.image.headers.get('content-security-policy')).toContain('sandbox');
      expect(one.image.bytes.equals(other.image.bytes)).toBe(true);
      expect(one.replies.map((reply) => reply.text).join('\n')).toMatch(/avatar library/u);
    } finally {
      await first.dispose();
      await second.dispose();
    }
  });

  it("keeps the assistant's offline avatar across a restart", async () => {
    let assistant = await startTestAssistant();
    try {
      const first = await get(`${assistant.url}/avatars/assistant`);
      await assistant.stop();
      assistant = await startTestAssistant({}, { dataDir: assistant.dataDir });

      const afterRestart = await get(`${assistant.url}/avatars/assistant`);

      expect(first.headers.get('content-type')).toBe('image/svg+xml');
      expect(afterRestart.bytes.equals(first.bytes)).toBe(true);
    } finally {
      await assistant.dispose();
    }
  });
});
