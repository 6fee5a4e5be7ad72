import { MemoryStorage, TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import {
  recommendationMemoryKey,
  RecommendationCoordinator,
} from '../../../src/bot/recommendation-coordinator';
import {
  createConversationData,
  type ConversationData,
} from '../../../src/conversation/conversation-state';
import {
  RECOMMENDATION_MESSAGES,
  RecommendationAdvisor,
} from '../../../src/conversation/recommendation-advisor';
import { silentLogger } from '../../../src/shared/logger';

const NOW = new Date('2026-11-24T10:00:00.000Z');

function resolvedConversation(): ConversationData {
  return {
    ...createConversationData(),
    customerId: 'sofia_alvarez_2290',
    history: [
      { role: 'user', content: 'status of #W2290001?' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'c1', name: 'get_order_details', arguments: '{}' }],
      },
      {
        role: 'tool',
        toolCallId: 'c1',
        name: 'get_order_details',
        content: '{"status":"delivered"}',
      },
      { role: 'assistant', content: 'Delivered.' },
    ],
  };
}

function coordinator(storage = new MemoryStorage()) {
  const advisor = new RecommendationAdvisor({
    suggest: () =>
      Promise.resolve([
        {
          productId: 'p-1',
          name: 'Wireless Earbuds',
          description: 'Small.',
          priceFromCents: 7900,
          becauseOf: { name: 'Bluetooth Speaker' },
        },
      ]),
    judge: null,
    logger: silentLogger(),
    now: () => NOW,
  });
  return {
    storage,
    coordinator: new RecommendationCoordinator({ advisor, storage, now: () => NOW }),
  };
}

/** Runs `logic` on one incoming activity and returns what the bot sent. */
async function onActivity(
  activity: Partial<Activity>,
  logic: (context: TurnContext) => Promise<void>,
): Promise<Partial<Activity>[]> {
  const adapter = new TestAdapter(logic);
  await adapter.send(activity);
  return adapter.activeQueue.splice(0);
}

describe('RecommendationCoordinator', () => {
  it('sends one offer card at the close on Web Chat', async () => {
    const { coordinator: subject } = coordinator();
    const sent: Partial<Activity>[] = [];
    let after: ConversationData | null = null;

    await onActivity({ type: 'message', text: 'thanks, bye' }, async (context) => {
      after = await subject.afterTurn(context, {
        data: resolvedConversation(),
        text: 'thanks, bye',
        status: 'answered',
        kind: 'webchat',
        send: (activity) => {
          sent.push(activity);
          return Promise.resolve();
        },
        logger: silentLogger(),
      });
    });

    expect(sent).toHaveLength(1);
    expect(sent[0]!.attachments?.[0]?.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(after!.recommendation?.offer?.productIds).toEqual(['p-1']);
  });

  it.each([
    ['voice', { channelId: 'acs-voice' }],
    ['teams', { channelId: 'msteams', conversation: { id: 'g', conversationType: 'groupChat' } }],
  ] as const)(
    'makes no offer on %s where it would not be welcome or private',
    async (kind, fields) => {
      const { coordinator: subject } = coordinator();
      const sent: Partial<Activity>[] = [];

      await onActivity(
        { type: 'message', text: 'thanks, bye', ...fields } as Partial<Activity>,
        async (context) => {
          await subject.afterTurn(context, {
            data: resolvedConversation(),
            text: 'thanks, bye',
            status: 'answered',
            kind,
            send: (activity) => {
              sent.push(activity);
              return Promise.resolve();
            },
            logger: silentLogger(),
          });
        },
      );

      expect(sent).toEqual([]);
    },
  );

  it('answers the "No thanks" button and remembers it for the customer', async () => {
    const { coordinator: subject, storage } = coordinator();
    let after: ConversationData | null = null;

    const replies = await onActivity(
      { type: 'message', value: { productOffer: { id: 'offer-1', decision: 'decline' } } },
      async (context) => {
        after = await subject.handleDecline(context, resolvedConversation(), {
          text: null,
          logger: silentLogger(),
        });
      },
    );

    expect(replies.map((reply) => reply.text)).toEqual([RECOMMENDATION_MESSAGES.declined]);
    expect(after!.recommendation?.declinedAt).toBe(NOW.toISOString());
    const key = recommendationMemoryKey('sofia_alvarez_2290');
    expect((await storage.read([key]))[key]).toMatchObject({ declinedAt: NOW.toISOString() });
  });

  it('leaves any other message to the turn', async () => {
    const { coordinator: subject } = coordinator();
    let result: ConversationData | null | undefined;

    const replies = await onActivity({ type: 'message', text: 'no thanks' }, async (context) => {
      result = await subject.handleDecline(context, resolvedConversation(), {
        text: 'no thanks',
        logger: silentLogger(),
      });
    });

    expect(result).toBeNull();
    expect(replies).toEqual([]);
  });

  it('makes no offer to a customer whose decline is remembered', async () => {
    const storage = new MemoryStorage();
    await storage.write({
      [recommendationMemoryKey('sofia_alvarez_2290')]: { declinedAt: NOW.toISOString() },
    });
    const { coordinator: subject } = coordinator(storage);
    const sent: Partial<Activity>[] = [];

    await onActivity({ type: 'message', text: 'thanks, bye' }, async (context) => {
      await subject.afterTurn(context, {
        data: resolvedConversation(),
        text: 'thanks, bye',
        status: 'answered',
        kind: 'webchat',
        send: (activity) => {
          sent.push(activity);
          return Promise.resolve();
        },
        logger: silentLogger(),
      });
    });

    expect(sent).toEqual([]);
  });
});
