import { randomUUID } from 'node:crypto';
import type { StructuredOutputModel } from '../llm/structured-output';
import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import type { ConversationData } from './conversation-state';
import {
  findBlocker,
  isNaturalClose,
  isOfferDecline,
  offlineVerdict,
  type RecommendationState,
} from './recommendation-rules';
import { judgeSatisfaction } from './satisfaction-judge';
import type { TurnStatus } from './turn-runner';

/** A product to suggest, as the catalogue's recommender gives it. */
export interface SuggestedProduct {
  productId: string;
  name: string;
  description: string | null;
  /** The cheapest variant that can be ordered now, in cents. */
  priceFromCents: number;
  /** The product the customer bought that this one is like. */
  becauseOf: { name: string };
}

/** An offer of products, channel-neutral: `channels/` renders it as cards, or as text. */
export interface ProductOffer {
  /** Comes back with the "No thanks" button. */
  id: string;
  /** The sentence before the products. */
  intro: string;
  products: readonly SuggestedProduct[];
}

export const RECOMMENDATION_MESSAGES = {
  intro: (becauseOf: string) =>
    `Before you go: since you have the ${becauseOf}, you might also like these.`,
  declined: "No problem, I won't suggest products again. Thanks for shopping with us!",
} as const;

export interface RecommendationAdvisorOptions {
  /** Up to three available products like what the customer bought and does not own; empty when none fit. */
  suggest(
    customerId: string,
    options: { signal?: AbortSignal },
  ): Promise<readonly SuggestedProduct[]>;
  /**
   * With a cloud model: judges "resolved and satisfied" at the close (one structured-output call per
   * conversation at most). Null offline: the mood and the conversation's events decide.
   */
  judge: StructuredOutputModel | null;
  logger: Logger;
  now?: () => Date;
  createId?: () => string;
}

/** What the advisor decided after a turn, and why (for the log). */
export interface RecommendationDecision {
  data: ConversationData;
  offer: ProductOffer | null;
  reason: string;
}

/**
 * Decides when products are suggested: at the natural close of a resolved conversation with a satisfied,
 * verified customer, never mid-task, never when anything in the conversation was a complaint, a return, an
 * exchange, a cancellation or a call for a person, never twice, and never again once declined (the caller
 * remembers a decline per customer, across conversations). Framework-free: the bot reads and writes the
 * per-customer memory and renders the offer.
 */
export class RecommendationAdvisor {
  private readonly now: () => Date;
  private readonly createId: () => string;

  constructor(private readonly options: RecommendationAdvisorOptions) {
    this.now = options.now ?? (() => new Date());
    this.createId = options.createId ?? randomUUID;
  }

  /**
   * Whether this message turns down the open offer: the "No thanks" button (`pressedDecline`), or "no thanks"
   * written while the offer is still the assistant's last word.
   */
  isDecline(
    data: ConversationData,
    message: { text: string | null; pressedDecline: boolean },
  ): boolean {
    if (message.pressedDecline) return true;
    return data.recommendation?.awaitingAnswer === true && isOfferDecline(message.text);
  }

  /** Records a decline in the conversation; the reply is the assistant's whole answer to it. */
  decline(data: ConversationData, text: string | null): { data: ConversationData; reply: string } {
    const reply = RECOMMENDATION_MESSAGES.declined;
    return {
      data: {
        ...data,
        history: [
          ...data.history,
          { role: 'user', content: text ?? 'No thanks' },
          { role: 'assistant', content: reply },
        ],
        recommendation: {
          ...withoutAwaitingAnswer(data.recommendation),
          declinedAt: this.now().toISOString(),
        },
      },
      reply,
    };
  }

  /**
   * After a customer turn: notes anything that rules an offer out for the rest of the conversation, then decides
   * whether this is the moment for one. `declinedBefore` reads the customer's memory; it is only asked when
   * everything else allows an offer.
   */
  async afterTurn(request: {
    data: ConversationData;
    /** The customer's message this turn; null for a button press. */
    text: string | null;
    status: TurnStatus;
    declinedBefore: (customerId: string) => Promise<boolean>;
    signal?: AbortSignal;
  }): Promise<RecommendationDecision> {
    const data = request.data;
    // A turn ran after the offer: it is no longer the last word, so a later "no" is about something else.
    const { awaitingAnswer: _answered, ...previous } = data.recommendation ?? {};
    const blocker = previous.ruledOut ?? findBlocker(data) ?? undefined;
    let state: RecommendationState = {
      ...previous,
      ...(blocker === undefined ? {} : { ruledOut: blocker }),
    };
    // Conversations with nothing to remember about suggestions keep no trace of them in their state.
    const decided = (reason: string): RecommendationDecision => ({
      data:
        Object.keys(state).length === 0 && data.recommendation === undefined
          ? data
          : { ...data, recommendation: state },
      offer: null,
      reason,
    });

    if (state.offer !== undefined) return decided('already_offered');
    if (state.declinedAt !== undefined) return decided('declined');
    if (state.judgedAt !== undefined) return decided('already_judged');
    if (request.status !== 'answered') return decided('turn_not_answered');
    if (data.customerId === null) return decided('not_verified');
    if (data.pendingConfirmation !== null) return decided('confirmation_pending');
    if ((data.handoff ?? null) !== null) return decided('with_people');
    if (!isNaturalClose(request.text)) return decided('not_a_close');
    if (state.ruledOut !== undefined) return decided(`ruled_out_${state.ruledOut}`);

    const customerId = data.customerId;
    if (await request.declinedBefore(customerId)) {
      state = { ...state, declinedAt: this.now().toISOString() };
      return decided('declined_before');
    }

    if (this.options.judge !== null) {
      state = { ...state, judgedAt: this.now().toISOString() };
      const verdict = await judgeSatisfaction({
        model: this.options.judge,
        history: data.history,
        logger: this.options.logger,
        ...(request.signal === undefined ? {} : { signal: request.signal }),
      });
      if (verdict === null) return decided('judge_failed');
      if (verdict.complaint) {
        state = { ...state, ruledOut: 'complaint' };
        return decided('judged_complaint');
      }
      if (!verdict.resolved) return decided('judged_unresolved');
      if (!verdict.satisfied) return decided('judged_unsatisfied');
    } else {
      const verdict = offlineVerdict(data);
      if (!verdict.resolved) return decided('unresolved');
      if (!verdict.satisfied) return decided('unsatisfied');
    }

    let products: readonly SuggestedProduct[];
    try {
      products = await this.options.suggest(
        customerId,
        request.signal === undefined ? {} : { signal: request.signal },
      );
    } catch (error) {
      this.options.logger.warn({ error: describeError(error) }, 'product-suggestions-failed');
      return decided('suggestions_failed');
    }
    const first = products[0];
    if (first === undefined) return decided('nothing_to_suggest');

    const offer: ProductOffer = {
      id: this.createId(),
      intro: RECOMMENDATION_MESSAGES.intro(first.becauseOf.name),
      products: products.slice(0, 3),
    };
    state = {
      ...state,
      awaitingAnswer: true,
      offer: {
        id: offer.id,
        productIds: offer.products.map((product) => product.productId),
        offeredAt: this.now().toISOString(),
      },
    };
    return {
      // The offer joins the history in words, so the model knows what was suggested if the customer asks.
      data: {
        ...data,
        recommendation: state,
        history: [
          ...data.history,
          { role: 'assistant', content: offerText(offer, { withProductIds: true }) },
        ],
      },
      offer,
      reason: 'offered',
    };
  }
}

function withoutAwaitingAnswer(state: RecommendationState | undefined): RecommendationState {
  const { awaitingAnswer: _answered, ...rest } = state ?? {};
  return rest;
}

/**
 * The offer in plain words, for channels without cards; with product ids for the history, so the model can look a
 * product up when the customer asks about it.
 */
export function offerText(offer: ProductOffer, options: { withProductIds?: boolean } = {}): string {
  const lines = offer.products.map((product) => {
    const id = options.withProductIds === true ? `, product id ${product.productId}` : '';
    return `- ${product.name} (from ${formatDollars(product.priceFromCents)}${id}): goes with your ${product.becauseOf.name}`;
  });
  return [
    offer.intro,
    ...lines,
    'Just say "no thanks" if you would rather not hear about products.',
  ].join('\n');
}

const dollars = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

export function formatDollars(cents: number): string {
  return dollars.format(cents / 100);
}
