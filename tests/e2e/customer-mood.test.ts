import type { Activity } from 'botbuilder';
import { PERSON_OFFER } from '../../src/channels/person-offer';
import type { ConversationData } from '../../src/conversation/conversation-state';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  startTestAssistant,
  TestCustomer,
  textOf,
  type TestAssistant,
} from '../helpers/test-assistant';

/**
 * The customer's mood through the real server, offline (the lexicon judges): a customer who turns angry is
 * offered a person once, pressing the offer starts the normal transfer, a calm customer is offered nothing,
 * and the mood is in the stored conversation state.
 */
async function storedConversation(
  assistant: TestAssistant,
  conversationId: string,
): Promise<ConversationData> {
  const key = `directline/conversations/${conversationId}/`;
  const items = await assistant.app.storage.read([key]);
  return (items[key] as { care: ConversationData }).care;
}

function offersIn(activities: Partial<Activity>[]): Partial<Activity>[] {
  return activities.filter((activity) =>
    activity.suggestedActions?.actions.some((action) => action.title === 'Talk to a person'),
  );
}

describe('the customer’s mood, offline', () => {
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

  it('offers a customer who turns angry a person exactly once, after the answer', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-angry-1',
    });

    const calm = await customer.say('Hi, where is my order #W7314001?');
    const angry = await customer.say(
      'It was due two weeks ago. This is UNACCEPTABLE, worst service ever!!',
    );
    const stillAngry = await customer.say('Ridiculous. Three weeks and nothing!!!');

    expect(offersIn(calm)).toHaveLength(0);
    expect(offersIn(angry)).toHaveLength(1);
    // The answer comes first, the offer after it.
    expect(angry.at(-1)).toBe(offersIn(angry)[0]);
    expect(angry.length).toBeGreaterThan(1);
    expect(offersIn(stillAngry)).toHaveLength(0);
    const stored = await storedConversation(assistant, 'mood-angry-1');
    expect(stored.mood).toMatchObject({ current: 'angry', agentOffered: true });
    expect(stored.mood!.history.map((entry) => [entry.mood, entry.source])).toEqual([
      ['neutral', 'lexicon'],
      ['angry', 'lexicon'],
      ['angry', 'lexicon'],
    ]);
  });

  it('starts the normal transfer to a person when the customer presses the offer', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-angry-2',
    });
    const angry = await customer.say('My blender arrived BROKEN and nobody cares!!');
    const button = offersIn(angry)[0]!.suggestedActions!.actions[0]!;

    const pressed = await customer.say(String(button.value));

    expect(button.value).toBe(PERSON_OFFER.buttonText);
    expect(textOf(pressed)).toMatch(/asked for a person|person from our team/iu);
    const stored = await storedConversation(assistant, 'mood-angry-2');
    expect(stored.handoff?.caseId).toEqual(expect.any(String));
  });

  it('transfers a customer who answers the offer with a plain yes', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-angry-3',
    });
    const angry = await customer.say('Are you kidding me?! This is a scam, where is my refund???');

    const yes = await customer.say('yes');

    expect(offersIn(angry)).toHaveLength(1);
    expect(textOf(yes)).toMatch(/asked for a person|person from our team/iu);
    expect((await storedConversation(assistant, 'mood-angry-3')).handoff?.caseId).toEqual(
      expect.any(String),
    );
  });

  it('offers a calm customer no person, and stores their mood', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'mood-calm-1',
    });

    const turns = [
      await customer.say('Hello, can you tell me the warranty on a coffee maker?'),
      await customer.say('And how long does a refund take?'),
      await customer.say('Great, thanks a lot for your help!'),
    ];

    expect(turns.flatMap(offersIn)).toHaveLength(0);
    const stored = await storedConversation(assistant, 'mood-calm-1');
    expect(stored.mood).toMatchObject({ current: 'satisfied', trend: 'improving' });
    expect(stored.mood!.agentOffered).toBeUndefined();
    expect(stored.mood!.history).toHaveLength(3);
  });
});
