import { performance } from 'node:perf_hooks';
import type { Activity } from 'botbuilder';
import { PERSON_OFFER } from '../../src/channels/person-offer';
import type { ConversationData } from '../../src/conversation/conversation-state';
import { MOOD_SYSTEM_PROMPT } from '../../src/conversation/model-mood-judge';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  startFakeOpenAiServer,
  textReply,
  type FakeOpenAiServer,
  type RecordedRequest,
} from '../helpers/fake-openai-server';
import { startTestAssistant, TestCustomer, type TestAssistant } from '../helpers/test-assistant';

/**
 * The mood judged by GPT through the real server and the real `openai` client against a local Azure OpenAI:
 * the mood request runs alongside the turn, so the answer never waits for it; it carries the customer's words
 * alone; and a mood slower than the wait after the answer gives way to the lexicon.
 */
const AZURE_KEY = 'test-azure-key';
const DEPLOYMENT = 'care-gpt-5-mini';
const ANSWER = 'I am sorry about the double charge. Let me look into it.';

interface WireMessage {
  role: string;
  content?: string | null;
}

function bodyOf(request: RecordedRequest): {
  messages: WireMessage[];
  tools?: unknown[];
  reasoning_effort?: string;
} {
  return request.body as { messages: WireMessage[] };
}

function isMoodRequest(request: RecordedRequest): boolean {
  return bodyOf(request).messages[0]?.content === MOOD_SYSTEM_PROMPT;
}

async function storedConversation(
  assistant: TestAssistant,
  conversationId: string,
): Promise<ConversationData> {
  const key = `directline/conversations/${conversationId}/`;
  const items = await assistant.app.storage.read([key]);
  return (items[key] as { care: ConversationData }).care;
}

describe('the customer’s mood with Azure OpenAI', () => {
  let model: FakeOpenAiServer;
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;
  /** `performance.now()` when the mood answer left the model server. */
  let moodAnsweredAt: number | null;
  /** Whether the bot hung up on a mood request before its answer. */
  let moodAbandoned: boolean;
  let moodDelayMs: number;
  let moodAnswer: string;
  /** The mood answer never comes: the stream opens and stays silent. */
  let moodStalls: boolean;

  beforeAll(async () => {
    model = await startFakeOpenAiServer({ requiredCredential: AZURE_KEY });
    recorder = await ConnectorRecorder.start();
    model.respond((request) => {
      if (!isMoodRequest(request)) return textReply(ANSWER);
      return textReply(moodAnswer, {
        headersDelayMs: moodDelayMs,
        ...(moodStalls ? { stallAfterChunks: 0 } : {}),
        onFirstContent: () => {
          moodAnsweredAt = performance.now();
        },
        onClientGone: () => {
          moodAbandoned = true;
        },
      });
    });
    assistant = await startTestAssistant({
      AZURE_OPENAI_ENDPOINT: model.url,
      AZURE_OPENAI_API_KEY: AZURE_KEY,
      AZURE_OPENAI_CHAT_DEPLOYMENT: DEPLOYMENT,
      LLM_FALLBACK_TO_OFFLINE: 'false',
      // The product's default: the configured model judges.
      MOOD_JUDGE: 'auto',
    });
  });

  beforeEach(() => {
    moodAnsweredAt = null;
    moodAbandoned = false;
    moodStalls = false;
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
    await model?.close();
  });

  it('delivers the answer before a slow mood judgement is done, then records the model’s mood and offers a person', async () => {
    moodDelayMs = 800;
    moodAnswer = '{"mood":"angry","score":-0.8}';
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-gpt-1',
    });

    const replies = await customer.say('You charged my card 4111 1111 1111 1111 twice. Fix it.');

    const moodRequest = model.chatRequests().find(isMoodRequest)!;
    const answer = recorder
      .activitiesFor('mood-gpt-1')
      .find(
        (delivered) => delivered.activity.type === 'message' && delivered.activity.text === ANSWER,
      )!;
    // Started with the turn, not after it; answered later than the answer was delivered.
    expect(moodRequest.receivedAt).toBeLessThan(answer.receivedAt);
    expect(moodAnsweredAt).not.toBeNull();
    expect(answer.receivedAt).toBeLessThan(moodAnsweredAt!);
    const stored = await storedConversation(assistant, 'mood-gpt-1');
    expect(stored.mood).toMatchObject({
      current: 'angry',
      agentOffered: true,
      history: [{ mood: 'angry', score: -0.8, source: 'model' }],
    });
    expect(replies.at(-1)?.text).toBe(PERSON_OFFER.text);
  });

  it("sends the mood request the customer's words alone, card number removed, with low reasoning effort", async () => {
    moodDelayMs = 0;
    moodAnswer = '{"mood":"frustrated","score":-0.3}';
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-gpt-2',
    });
    const before = model.chatRequests().length;
    await customer.say('Hi, I ordered a lamp last week.');

    await customer.say('My card 4111 1111 1111 1111 was charged but nothing came. Annoying.');

    const moodRequests = model.chatRequests().slice(before).filter(isMoodRequest);
    expect(moodRequests).toHaveLength(2);
    const body = bodyOf(moodRequests[1]!);
    expect(body.messages).toEqual([
      { role: 'system', content: MOOD_SYSTEM_PROMPT },
      { role: 'user', content: expect.stringContaining('was charged but nothing came. Annoying.') },
    ]);
    expect(body.messages[1]!.content).not.toMatch(/4111.?1111.?1111.?1111/u);
    expect(body.messages[1]!.content).toContain('[card ending 1111]');
    expect(body.tools).toBeUndefined();
    expect(body.reasoning_effort).toBe('low');
    const stored = await storedConversation(assistant, 'mood-gpt-2');
    expect(stored.mood!.history.map((entry) => entry.source)).toEqual(['model', 'model']);
  });

  it('asks the model nothing about a plain request, and records it neutral', async () => {
    moodDelayMs = 0;
    moodAnswer = '{"mood":"angry","score":-0.9}';
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-gpt-plain',
    });
    const before = model.chatRequests().length;

    const replies = await customer.say('Where is my order #W4821001?');

    expect(replies.map((activity: Partial<Activity>) => activity.text)).toContain(ANSWER);
    const requests = model.chatRequests().slice(before);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter(isMoodRequest)).toEqual([]);
    const stored = await storedConversation(assistant, 'mood-gpt-plain');
    expect(stored.mood!.history).toEqual([
      expect.objectContaining({ mood: 'neutral', score: 0, source: 'plain' }),
    ]);
  });

  // Last: a mood judge that timed out leaves the model alone for a while, so later turns would use the lexicon.
  it('stops waiting for a mood not done by the bound after the answer, and records the lexicon’s', async () => {
    moodDelayMs = 0;
    moodStalls = true;
    moodAnswer = '{"mood":"satisfied","score":0.9}';
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-gpt-3',
    });
    const started = performance.now();

    const replies = await customer.say('This is a scam, you stole my money!!');

    const took = performance.now() - started;
    expect(took).toBeLessThan(4_000);
    expect(replies.map((activity: Partial<Activity>) => activity.text)).toContain(ANSWER);
    const stored = await storedConversation(assistant, 'mood-gpt-3');
    expect(stored.mood!.history).toEqual([
      expect.objectContaining({ mood: 'angry', source: 'lexicon' }),
    ]);
    expect(moodAnsweredAt).toBeNull();
    expect(moodAbandoned).toBe(true);
  });
});
