import type { ConversationReference } from 'botbuilder';

/** Why a conversation went to people. The desk card says it in words; logs and records keep the code. */
export type HandoffReason =
  /** The customer asked for a person, or the model decided it could not help (`transfer_to_human_agents`). */
  | 'requested'
  /** The customer's mood turned very negative. */
  | 'customer_upset'
  /** The assistant failed to answer several turns in a row (the model down, deadlines). */
  | 'assistant_failing';

/**
 * - `queued`: waiting for an agent; the customer's messages are collected in the desk thread.
 * - `active`: an agent (or a contact-center hub) took it; the assistant is silent and relays both ways.
 * - `closed`: handed back to the assistant; kept as a record.
 */
export type HandoffStatus = 'queued' | 'active' | 'closed';

export type HandoffOutcome =
  /** An agent closed it after taking it. */
  | 'resolved_by_agent'
  /** An agent closed it without taking it (a duplicate, spam). */
  | 'closed_unanswered'
  /** A contact-center hub reported it completed. */
  | 'completed_by_hub'
  /** A contact-center hub reported it could not take it. */
  | 'failed_at_hub';

export interface AgentIdentity {
  id: string;
  name: string;
  /** The agent's Microsoft Entra object id, when Teams gives one. */
  aadObjectId?: string;
}

/** One line of the human part of the conversation, kept with the case. Text is already redacted. */
export interface TranscriptEntry {
  from: 'customer' | 'agent' | 'system';
  name: string;
  text: string;
  at: string;
}

/** What the agents see about the customer: never more than the assistant itself was allowed to see. */
export interface CustomerSummary {
  /** As the channel names them ("Olivia", "User"); not verified. */
  displayName: string;
  /** Set when the customer verified (in conversation or by their Teams sign-in). */
  verified: { customerId: string; name: string; email: string } | null;
}

/** One escalation, from request to close: the handoff record the issue asks for. */
export interface HandoffCase {
  id: string;
  status: HandoffStatus;
  reason: HandoffReason;
  /** What the problem is, for the agent: GPT-written when a model is configured, the last messages otherwise. */
  summary: string;
  /** The last customer and assistant messages before the escalation, redacted. */
  recentMessages: TranscriptEntry[];
  /** Order ids the conversation mentioned (`#W1234567`). */
  orderIds: string[];
  customer: CustomerSummary;
  /** The customer's channel id (`msteams`, `directline`, …) and the reference to reach them proactively. */
  channelId: string;
  customerReference: Partial<ConversationReference>;
  requestedAt: string;
  /** The desk thread of this case, once its card was posted. */
  thread: {
    conversationId: string;
    cardActivityId: string;
    reference: Partial<ConversationReference>;
  } | null;
  acceptedBy: AgentIdentity | null;
  acceptedAt: string | null;
  closedBy: AgentIdentity | null;
  closedAt: string | null;
  outcome: HandoffOutcome | null;
  /** The human part of the conversation (customer ↔ agent), bounded by {@link TRANSCRIPT_ENTRIES_MAX}. */
  transcript: TranscriptEntry[];
}

/** The transcript of one case keeps at most this many lines; a longer chat keeps its latest. */
export const TRANSCRIPT_ENTRIES_MAX = 500;

/** Order ids as customers and the store write them. */
const ORDER_ID_PATTERN = /#W\d{7}\b/g;

/** Distinct order ids in `texts`, in order of first mention, at most `limit`. */
export function orderIdsIn(texts: readonly string[], limit = 10): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    for (const match of text.matchAll(ORDER_ID_PATTERN)) {
      seen.add(match[0]);
      if (seen.size === limit) return [...seen];
    }
  }
  return [...seen];
}

/** Appends a line, keeping the transcript within its bound. */
export function appendTranscript(
  transcript: readonly TranscriptEntry[],
  entry: TranscriptEntry,
): TranscriptEntry[] {
  return [...transcript, entry].slice(-TRANSCRIPT_ENTRIES_MAX);
}

export const REASON_LABELS: Record<HandoffReason, string> = {
  requested: 'Asked for a person',
  customer_upset: 'Customer is upset',
  assistant_failing: 'Assistant could not answer',
};

/** How a channel id reads to an agent. */
export function channelLabel(channelId: string): string {
  switch (channelId) {
    case 'msteams':
      return 'Microsoft Teams';
    case 'directline':
    case 'webchat':
      return 'Web chat';
    case 'telephony':
    case 'acs-voice':
      return 'Phone';
    default:
      return channelId;
  }
}
