import type { ChatMessage, TokenUsage } from '../llm/chat-model';
import type { ChangeSummary } from '../tools/define-tool';
import type { MoodState } from './mood';
import type { RecommendationState } from './recommendation-rules';

export type { Mood, MoodHistoryEntry, MoodSource, MoodState, MoodTrend } from './mood';

/** A write the model asked for, held until the customer answers. */
export interface PendingConfirmation {
  id: string;
  toolName: string;
  /** The validated arguments, exactly as previewed: the change that runs is the change the customer saw. */
  arguments: string;
  summary: ChangeSummary;
  createdAt: string;
}

export interface HandoffRequest {
  summary: string;
  requestedAt: string;
}

/**
 * Everything the assistant keeps about one conversation between turns. Plain JSON: it lives in botbuilder
 * Storage (SQLite locally, shared storage at scale), so any instance can serve the next turn.
 */
export interface ConversationData {
  history: ChatMessage[];
  /** Set in code when verification succeeds; the model can neither set nor change it. */
  customerId: string | null;
  pendingConfirmation: PendingConfirmation | null;
  handoffRequests: HandoffRequest[];
  /** Turns in a row in which the assistant could not produce an answer (model down, deadline). */
  consecutiveFailures: number;
  usage: TokenUsage & { turns: number };
  /** Confirmation ids already answered, so a repeated button press cannot run a change twice. */
  settledConfirmationIds: string[];
  /**
   * Identity checks that failed in this conversation. Past a few, identity tools stop running here: a model
   * that obeys whoever writes to it would otherwise guess a zip code for a known email by trying them all.
   */
  verificationFailures?: number;
  /** Set once the customer has been told that card numbers are removed from their messages. */
  cardNoticeGiven?: boolean;
  /**
   * The open handoff case of this conversation, set by the bot when people are called in and cleared when the
   * case closes; while set, the customer's messages go to the agent desk. `noticeAt`: when the customer was
   * last told where they stand in the queue.
   */
  handoff?: { caseId: string; noticeAt?: string } | null;
  /** Set once the channel's signed-in identity (a Teams user's email) was tried for verification. */
  signInChecked?: boolean;
  /**
   * The customer's mood, its trend and recent judgements; absent until a message was judged (or with
   * `MOOD_JUDGE=off`). Updated after each answer, so during a turn it describes the customer's earlier messages.
   */
  mood?: MoodState;
  /** Product suggestions in this conversation: what rules them out, the one offer made, a decline. */
  recommendation?: RecommendationState;
}

export function createConversationData(): ConversationData {
  return {
    history: [],
    customerId: null,
    pendingConfirmation: null,
    handoffRequests: [],
    consecutiveFailures: 0,
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, turns: 0 },
    settledConfirmationIds: [],
  };
}
