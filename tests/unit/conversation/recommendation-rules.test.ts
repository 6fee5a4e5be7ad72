import {
  createConversationData,
  type ConversationData,
} from '../../../src/conversation/conversation-state';
import type { MoodState } from '../../../src/conversation/mood';
import {
  findBlocker,
  isNaturalClose,
  isOfferDecline,
  offlineVerdict,
} from '../../../src/conversation/recommendation-rules';
import type { ChatMessage } from '../../../src/llm/chat-model';

function conversation(
  history: ChatMessage[],
  extra: Partial<ConversationData> = {},
): ConversationData {
  return { ...createConversationData(), customerId: 'sofia_alvarez_2290', history, ...extra };
}

const toolCall = (name: string): ChatMessage[] => [
  { role: 'assistant', content: null, toolCalls: [{ id: `call_${name}`, name, arguments: '{}' }] },
  { role: 'tool', toolCallId: `call_${name}`, name, content: '{"ok":true}' },
];

function mood(
  current: MoodState['current'],
  history: MoodState['current'][] = [current],
): MoodState {
  return {
    current,
    trend: 'steady',
    history: history.map((entry) => ({
      mood: entry,
      score: 0,
      source: 'lexicon',
      at: '2026-11-24T10:00:00.000Z',
    })),
  };
}

describe('isNaturalClose', () => {
  it.each([
    "great, thanks, that's all",
    'thank you so much',
    'bye',
    'perfect, cheers',
    "no thanks, I'm all set",
    'that is everything, have a nice day',
    'that’s all',
  ])('returns true when the customer signs off: %s', (text) => {
    expect(isNaturalClose(text)).toBe(true);
  });

  it.each([
    'thanks, and where is my other order?',
    'thanks! can you also check #W2290001',
    'thanks but the speaker is broken',
    'thanks, now I want to return the shoes',
    'where is my order',
    'ok',
    '',
  ])('returns false when there is more to come or no closing words: %s', (text) => {
    expect(isNaturalClose(text)).toBe(false);
  });

  it('returns false for a button press (no words)', () => {
    expect(isNaturalClose(null)).toBe(false);
  });
});

describe('isOfferDecline', () => {
  it.each([
    'no thanks',
    'No thank you.',
    'nah',
    'not interested',
    "I'm good, thanks",
    'maybe later',
  ])('returns true for a decline: %s', (text) => {
    expect(isOfferDecline(text)).toBe(true);
  });

  it.each(['tell me more about the speaker', 'how much are the earbuds?', 'yes please', 'nothing'])(
    'returns false for anything else: %s',
    (text) => {
      expect(isOfferDecline(text)).toBe(false);
    },
  );
});

describe('findBlocker', () => {
  it('returns null for a conversation about an order status', () => {
    const data = conversation([
      { role: 'user', content: 'what is the status of order #W2290001?' },
      ...toolCall('get_order_details'),
      { role: 'assistant', content: 'It was delivered.' },
    ]);

    expect(findBlocker(data)).toBeNull();
  });

  it.each([
    ['return_delivered_order_items', 'return'],
    ['exchange_delivered_order_items', 'exchange'],
    ['cancel_pending_order', 'cancellation'],
    ['transfer_to_human_agents', 'escalation'],
  ] as const)('returns the blocker when the model called %s', (tool, blocker) => {
    expect(findBlocker(conversation(toolCall(tool)))).toBe(blocker);
  });

  it.each([
    ['the speaker arrived broken', 'complaint'],
    ['this is unacceptable', 'complaint'],
    ['I want to send it back', 'return'],
    ['can I get a refund', 'return'],
    ['please cancel it', 'cancellation'],
    ['can I exchange the shoes for a bigger size', 'exchange'],
    ['let me talk to a person', 'escalation'],
  ] as const)('returns the blocker when the customer wrote "%s"', (text, blocker) => {
    expect(findBlocker(conversation([{ role: 'user', content: text }]))).toBe(blocker);
  });

  it('returns escalation when a handoff was asked for or is open', () => {
    const requested = conversation([], {
      handoffRequests: [{ summary: 'wants a person', requestedAt: 'now' }],
    });
    const open = conversation([], { handoff: { caseId: 'case-1' } });

    expect(findBlocker(requested)).toBe('escalation');
    expect(findBlocker(open)).toBe('escalation');
  });

  it('returns unhappy when the customer is frustrated or angry, or was at any point', () => {
    expect(findBlocker(conversation([], { mood: mood('angry') }))).toBe('unhappy');
    expect(findBlocker(conversation([], { mood: mood('frustrated') }))).toBe('unhappy');
    expect(
      findBlocker(conversation([], { mood: mood('satisfied', ['angry', 'neutral', 'satisfied']) })),
    ).toBe('unhappy');
  });

  it("ignores blocking words in the assistant's own messages", () => {
    const data = conversation([
      { role: 'assistant', content: 'You can return items within 30 days.' },
    ]);

    expect(findBlocker(data)).toBeNull();
  });
});

describe('offlineVerdict', () => {
  const answered = [
    ...toolCall('get_order_details'),
    { role: 'assistant', content: 'Delivered.' } as ChatMessage,
  ];

  it('returns resolved and satisfied after an answered question with no mood recorded', () => {
    expect(offlineVerdict(conversation(answered))).toEqual({ resolved: true, satisfied: true });
  });

  it("returns unresolved when only the customer's identity was looked up", () => {
    expect(offlineVerdict(conversation(toolCall('find_user_id_by_email'))).resolved).toBe(false);
  });

  it('returns unresolved when the only tool failed', () => {
    const failed: ChatMessage[] = [
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'c1', name: 'get_order_details', arguments: '{}' }],
      },
      {
        role: 'tool',
        toolCallId: 'c1',
        name: 'get_order_details',
        content: 'Error: order not found',
      },
    ];

    expect(offlineVerdict(conversation(failed)).resolved).toBe(false);
  });

  it('returns not satisfied when the mood is worsening', () => {
    const data = conversation(answered, { mood: { ...mood('neutral'), trend: 'worsening' } });

    expect(offlineVerdict(data).satisfied).toBe(false);
  });

  it('returns satisfied for a satisfied or steady neutral mood', () => {
    expect(offlineVerdict(conversation(answered, { mood: mood('satisfied') })).satisfied).toBe(
      true,
    );
    expect(offlineVerdict(conversation(answered, { mood: mood('neutral') })).satisfied).toBe(true);
  });
});
