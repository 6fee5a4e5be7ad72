import {
  createConversationData,
  type ConversationData,
} from '../../../src/conversation/conversation-state';
import {
  RecommendationAdvisor,
  RECOMMENDATION_MESSAGES,
  type SuggestedProduct,
} from '../../../src/conversation/recommendation-advisor';
import type { TurnStatus } from '../../../src/conversation/turn-runner';
import type { ChatMessage } from '../../../src/llm/chat-model';
import type {
  StructuredOutputModel,
  StructuredOutputRequest,
} from '../../../src/llm/structured-output';
import { AppError } from '../../../src/shared/errors';
import { silentLogger } from '../../../src/shared/logger';

const SPEAKER: SuggestedProduct = {
  productId: 'p-speaker',
  name: 'Bluetooth Speaker',
  description: 'A waterproof speaker.',
  priceFromCents: 4900,
  becauseOf: { name: 'Headphones' },
};
const EARBUDS: SuggestedProduct = { ...SPEAKER, productId: 'p-earbuds', name: 'Wireless Earbuds' };

/** A conversation where a verified customer asked about an order and got the answer. */
function resolvedConversation(extra: Partial<ConversationData> = {}): ConversationData {
  const history: ChatMessage[] = [
    { role: 'user', content: 'what is the status of order #W2290001?' },
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
    { role: 'assistant', content: 'Order #W2290001 was delivered on Monday.' },
    { role: 'user', content: "great, thanks, that's all" },
    { role: 'assistant', content: "You're welcome!" },
  ];
  return { ...createConversationData(), customerId: 'sofia_alvarez_2290', history, ...extra };
}

class ScriptedJudge implements StructuredOutputModel {
  readonly modelName = 'judge';
  readonly requests: StructuredOutputRequest[] = [];
  constructor(private readonly answer: () => unknown) {}
  async completeStructured(request: StructuredOutputRequest): Promise<unknown> {
    this.requests.push(request);
    return this.answer();
  }
}

function advisor(
  options: {
    products?: readonly SuggestedProduct[] | Error;
    judge?: StructuredOutputModel | null;
  } = {},
) {
  const asked: string[] = [];
  const instance = new RecommendationAdvisor({
    suggest: (customerId) => {
      asked.push(customerId);
      const products = options.products ?? [SPEAKER, EARBUDS];
      return products instanceof Error ? Promise.reject(products) : Promise.resolve(products);
    },
    judge: options.judge ?? null,
    logger: silentLogger(),
    now: () => new Date('2026-11-24T10:00:00.000Z'),
    createId: () => 'offer-1',
  });
  return { instance, asked };
}

function turn(
  data: ConversationData,
  fields: { text?: string | null; status?: TurnStatus; declinedBefore?: boolean } = {},
) {
  const declinedAsked: string[] = [];
  return {
    request: {
      data,
      text: fields.text === undefined ? "great, thanks, that's all" : fields.text,
      status: fields.status ?? 'answered',
      declinedBefore: (customerId: string) => {
        declinedAsked.push(customerId);
        return Promise.resolve(fields.declinedBefore ?? false);
      },
    },
    declinedAsked,
  };
}

describe('RecommendationAdvisor.afterTurn', () => {
  it('offers the suggested products once at the close of a resolved conversation', async () => {
    const { instance } = advisor();

    const decision = await instance.afterTurn(turn(resolvedConversation()).request);

    expect(decision.reason).toBe('offered');
    expect(decision.offer).toEqual({
      id: 'offer-1',
      intro: RECOMMENDATION_MESSAGES.intro('Headphones'),
      products: [SPEAKER, EARBUDS],
    });
    expect(decision.data.recommendation).toMatchObject({
      awaitingAnswer: true,
      offer: { id: 'offer-1', productIds: ['p-speaker', 'p-earbuds'] },
    });
    const last = decision.data.history.at(-1)!;
    expect(last.role).toBe('assistant');
    expect(last.content).toContain('Bluetooth Speaker');
    expect(last.content).toContain('p-speaker');
  });

  it('leaves no trace in the state of a conversation with nothing to remember', async () => {
    const { instance } = advisor();

    const decision = await instance.afterTurn(
      turn(resolvedConversation(), { text: 'where is it now?' }).request,
    );

    expect(decision.reason).toBe('not_a_close');
    expect(decision.data.recommendation).toBeUndefined();
  });

  it('never offers twice in a conversation', async () => {
    const { instance, asked } = advisor();
    const first = await instance.afterTurn(turn(resolvedConversation()).request);

    const second = await instance.afterTurn(turn(first.data, { text: 'thanks, bye' }).request);

    expect(second.offer).toBeNull();
    expect(second.reason).toBe('already_offered');
    expect(second.data.recommendation?.awaitingAnswer).toBeUndefined();
    expect(asked).toHaveLength(1);
  });

  it.each([
    ['not_a_close', { text: 'what about my other order?' }, {}],
    ['turn_not_answered', { status: 'failed' as const }, {}],
    ['turn_not_answered', { status: 'awaiting_confirmation' as const }, {}],
    ['not_verified', {}, { customerId: null }],
    [
      'confirmation_pending',
      {},
      {
        pendingConfirmation: {
          id: 'c',
          toolName: 'cancel_pending_order',
          arguments: '{}',
          summary: { title: 'Cancel', details: [] },
          createdAt: '2026-11-24T09:59:00.000Z',
        },
      },
    ],
    ['with_people', {}, { handoff: { caseId: 'case-1' } }],
  ] as const)('makes no offer: %s', async (reason, fields, extra) => {
    const { instance, asked } = advisor();

    const decision = await instance.afterTurn(
      turn(resolvedConversation(extra as Partial<ConversationData>), fields).request,
    );

    expect(decision.offer).toBeNull();
    expect(decision.reason).toBe(reason);
    expect(asked).toEqual([]);
  });

  it.each([
    ['return', 'return_delivered_order_items'],
    ['exchange', 'exchange_delivered_order_items'],
    ['cancellation', 'cancel_pending_order'],
    ['escalation', 'transfer_to_human_agents'],
  ])('makes no offer after a %s in the conversation', async (blocker, tool) => {
    const { instance } = advisor();
    const data = resolvedConversation();
    data.history.splice(
      1,
      0,
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'w1', name: tool, arguments: '{}' }],
      },
      {
        role: 'tool',
        toolCallId: 'w1',
        name: tool,
        content: 'Error: the customer declined this change.',
      },
    );

    const decision = await instance.afterTurn(turn(data).request);

    expect(decision.offer).toBeNull();
    expect(decision.reason).toBe(`ruled_out_${blocker}`);
  });

  it('makes no offer to a customer who complained, even once the complaint left the history', async () => {
    const { instance } = advisor();
    const complained = resolvedConversation();
    complained.history.unshift({
      role: 'user',
      content: 'the speaker arrived damaged, this is awful',
    });
    const earlier = await instance.afterTurn(turn(complained, { text: 'ok' }).request);
    const trimmed = { ...earlier.data, history: resolvedConversation().history };

    const decision = await instance.afterTurn(turn(trimmed).request);

    expect(decision.offer).toBeNull();
    expect(decision.reason).toBe('ruled_out_complaint');
  });

  it('makes no offer to an angry customer', async () => {
    const { instance } = advisor();
    const data = resolvedConversation({
      mood: {
        current: 'angry',
        trend: 'worsening',
        history: [
          { mood: 'angry', score: -0.8, source: 'lexicon', at: '2026-11-24T10:00:00.000Z' },
        ],
      },
    });

    const decision = await instance.afterTurn(turn(data).request);

    expect(decision.reason).toBe('ruled_out_unhappy');
  });

  it('makes no offer to a customer who declined before, and asks the memory only at a close', async () => {
    const { instance, asked } = advisor();
    const notClosing = turn(resolvedConversation(), {
      text: 'where is it now?',
      declinedBefore: true,
    });
    await instance.afterTurn(notClosing.request);
    const closing = turn(resolvedConversation(), { declinedBefore: true });

    const decision = await instance.afterTurn(closing.request);

    expect(notClosing.declinedAsked).toEqual([]);
    expect(closing.declinedAsked).toEqual(['sofia_alvarez_2290']);
    expect(decision.reason).toBe('declined_before');
    expect(decision.data.recommendation?.declinedAt).toBeDefined();
    expect(asked).toEqual([]);
  });

  it('makes no offer when nothing was resolved (only the identity check ran)', async () => {
    const { instance } = advisor();
    const data: ConversationData = {
      ...resolvedConversation(),
      history: [
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'v', name: 'find_user_id_by_email', arguments: '{}' }],
        },
        {
          role: 'tool',
          toolCallId: 'v',
          name: 'find_user_id_by_email',
          content: 'sofia_alvarez_2290',
        },
        { role: 'assistant', content: 'You are verified.' },
      ],
    };

    expect((await instance.afterTurn(turn(data).request)).reason).toBe('unresolved');
  });

  it('makes no offer when there is nothing to suggest, or the suggestions fail', async () => {
    const none = await advisor({ products: [] }).instance.afterTurn(
      turn(resolvedConversation()).request,
    );
    const failed = await advisor({ products: new Error('embeddings down') }).instance.afterTurn(
      turn(resolvedConversation()).request,
    );

    expect(none.reason).toBe('nothing_to_suggest');
    expect(failed.reason).toBe('suggestions_failed');
    expect(failed.offer).toBeNull();
  });

  describe('with a model as judge', () => {
    it('asks the model once with a strict schema over the conversation, and offers when it is content', async () => {
      const judge = new ScriptedJudge(() => ({
        resolved: true,
        satisfied: true,
        complaint: false,
      }));
      const { instance } = advisor({ judge });

      const decision = await instance.afterTurn(turn(resolvedConversation()).request);

      expect(decision.reason).toBe('offered');
      expect(judge.requests).toHaveLength(1);
      const request = judge.requests[0]!;
      expect(request.schema).toMatchObject({
        type: 'object',
        additionalProperties: false,
        required: ['resolved', 'satisfied', 'complaint'],
      });
      expect(request.messages.at(-1)!.content).toContain('Customer: great, thanks');
      expect(request.messages.at(-1)!.content).toContain(
        'Assistant: Order #W2290001 was delivered',
      );
    });

    it.each([
      ['judged_unsatisfied', { resolved: true, satisfied: false, complaint: false }],
      ['judged_unresolved', { resolved: false, satisfied: true, complaint: false }],
      ['judged_complaint', { resolved: true, satisfied: true, complaint: true }],
      ['judge_failed', { resolved: 'yes' }],
    ])('makes no offer when the model answers %s', async (reason, answer) => {
      const judge = new ScriptedJudge(() => answer);
      const { instance, asked } = advisor({ judge });

      const decision = await instance.afterTurn(turn(resolvedConversation()).request);

      expect(decision.offer).toBeNull();
      expect(decision.reason).toBe(reason);
      expect(asked).toEqual([]);
    });

    it('makes no offer when the model call fails, and does not ask again in the conversation', async () => {
      const judge = new ScriptedJudge(() => {
        throw new AppError('model_unavailable', 'down');
      });
      const { instance } = advisor({ judge });

      const first = await instance.afterTurn(turn(resolvedConversation()).request);
      const second = await instance.afterTurn(turn(first.data, { text: 'bye' }).request);

      expect(first.reason).toBe('judge_failed');
      expect(second.reason).toBe('already_judged');
      expect(judge.requests).toHaveLength(1);
    });

    it('does not ask the model when a blocker already rules the offer out', async () => {
      const judge = new ScriptedJudge(() => ({
        resolved: true,
        satisfied: true,
        complaint: false,
      }));
      const { instance } = advisor({ judge });
      const data = resolvedConversation();
      data.history.unshift({ role: 'user', content: 'I want a refund' });

      await instance.afterTurn(turn(data).request);

      expect(judge.requests).toEqual([]);
    });
  });
});

describe('RecommendationAdvisor decline', () => {
  it('returns true for "no thanks" written right after the offer, and for the button at any time', async () => {
    const { instance } = advisor();
    const offered = (await instance.afterTurn(turn(resolvedConversation()).request)).data;

    expect(instance.isDecline(offered, { text: 'no thanks', pressedDecline: false })).toBe(true);
    expect(instance.isDecline(resolvedConversation(), { text: null, pressedDecline: true })).toBe(
      true,
    );
  });

  it('returns false for "no thanks" when no offer is the last word', async () => {
    const { instance } = advisor();
    const offered = (await instance.afterTurn(turn(resolvedConversation()).request)).data;
    const movedOn = (
      await instance.afterTurn(turn(offered, { text: 'where is my parcel' }).request)
    ).data;

    expect(
      instance.isDecline(resolvedConversation(), { text: 'no thanks', pressedDecline: false }),
    ).toBe(false);
    expect(instance.isDecline(movedOn, { text: 'no thanks', pressedDecline: false })).toBe(false);
  });

  it('records the decline and the exchange in the conversation', async () => {
    const { instance } = advisor();
    const offered = (await instance.afterTurn(turn(resolvedConversation()).request)).data;

    const declined = instance.decline(offered, 'no thanks');

    expect(declined.reply).toBe(RECOMMENDATION_MESSAGES.declined);
    expect(declined.data.recommendation?.awaitingAnswer).toBeUndefined();
    expect(declined.data.recommendation).toMatchObject({
      declinedAt: '2026-11-24T10:00:00.000Z',
    });
    expect(declined.data.history.slice(-2)).toEqual([
      { role: 'user', content: 'no thanks' },
      { role: 'assistant', content: RECOMMENDATION_MESSAGES.declined },
    ]);
  });
});
