import type { ChatMessage } from '../llm/chat-model';
import type { ConversationData } from './conversation-state';
import type { Mood, MoodState } from './mood';

/**
 * The rules that keep product suggestions to the one moment they are welcome: the natural close of a resolved
 * conversation with a satisfied customer. Pure functions of the conversation's state and words; the advisor
 * (`recommendation-advisor.ts`) applies them.
 */

/** What rules an offer out for the rest of a conversation once it has happened. */
export type RecommendationBlocker =
  'complaint' | 'return' | 'exchange' | 'cancellation' | 'escalation' | 'unhappy';

/** What a conversation remembers about product suggestions (`ConversationData.recommendation`). */
export interface RecommendationState {
  /**
   * The first thing seen that rules an offer out. Kept here, not re-read from the history each time, because the
   * history is trimmed and a complaint at the start must still count at the end.
   */
  ruledOut?: RecommendationBlocker;
  /** The one offer of this conversation: there is never a second. */
  offer?: { id: string; productIds: string[]; offeredAt: string };
  /** The offer is the assistant's last message, so a plain "no thanks" answers it. */
  awaitingAnswer?: boolean;
  /** The customer declined products, in this conversation or an earlier one. */
  declinedAt?: string;
  /** A model judged the close; it is asked once per conversation, whatever it said. */
  judgedAt?: string;
}

const UNHAPPY_MOODS: ReadonlySet<Mood> = new Set<Mood>(['frustrated', 'angry']);

/** Whether any recorded judgement of this conversation's mood was frustrated or angry. */
function everUnhappy(mood: MoodState): boolean {
  return (
    UNHAPPY_MOODS.has(mood.current) || mood.history.some((entry) => UNHAPPY_MOODS.has(entry.mood))
  );
}

/** Tools whose use means the conversation was about something going wrong. */
const BLOCKING_TOOLS: Readonly<Record<string, RecommendationBlocker>> = {
  return_delivered_order_items: 'return',
  exchange_delivered_order_items: 'exchange',
  cancel_pending_order: 'cancellation',
  transfer_to_human_agents: 'escalation',
};

/**
 * Customer words that mean a complaint or a request to undo a purchase, asked for even when no tool ran (it was
 * refused, or the customer gave up). Deliberately broad: a missed offer costs nothing, an offer to someone who
 * just complained costs trust.
 */
const BLOCKING_WORDS: readonly [RegExp, RecommendationBlocker][] = [
  [
    /\b(?:complain\w*|unacceptable|terrible|awful|horrible|worst|ridiculous|disgusting|furious|angry|annoy\w*|upset|frustrat\w*|disappoint\w*|useless|rubbish|pathetic|scam|fed up|never again|broken|damaged|defective|faulty|not working|(?:doesn'?t|does not|don'?t|won'?t|stopped) work\w*|wrong (?:item|size|colou?r|product|order))\b/iu,
    'complaint',
  ],
  [/\b(?:return\w*|refund\w*|send (?:it|them) back)\b/iu, 'return'],
  [/\b(?:exchange\w*|swap\w*)\b/iu, 'exchange'],
  [/\b(?:cancel\w*)\b/iu, 'cancellation'],
  [
    /\b(?:(?:speak|talk) to (?:a |an )?(?:human|person|agent|manager|someone)|escalat\w*)\b/iu,
    'escalation',
  ],
];

/**
 * The first thing in the conversation that rules an offer out: a blocking tool call (even one only previewed or
 * declined), a handoff asked for or open, the customer frustrated or angry, or blocking words in what they wrote.
 * Null when nothing does.
 */
export function findBlocker(data: ConversationData): RecommendationBlocker | null {
  if ((data.handoff ?? null) !== null || data.handoffRequests.length > 0) return 'escalation';
  if (data.mood != null && everUnhappy(data.mood)) return 'unhappy';
  for (const message of data.history) {
    const blocker = blockerIn(message);
    if (blocker !== null) return blocker;
  }
  return null;
}

function blockerIn(message: ChatMessage): RecommendationBlocker | null {
  if (message.role === 'assistant') {
    for (const call of message.toolCalls ?? []) {
      const blocker = BLOCKING_TOOLS[call.name];
      if (blocker !== undefined) return blocker;
    }
    return null;
  }
  if (message.role !== 'user') return null;
  const text = plainApostrophes(message.content);
  for (const [pattern, blocker] of BLOCKING_WORDS) {
    if (pattern.test(text)) return blocker;
  }
  return null;
}

/** Words that close a conversation: thanks, goodbye, "that's all". */
const CLOSING =
  /\b(?:thanks?|thank you|thx|ty|cheers|appreciate(?:d| it)|bye|goodbye|good night|have a (?:good|nice|great|lovely) (?:day|one|evening|night|weekend)|take care|that'?s (?:all|everything|it)|that is (?:all|everything|it)|all (?:set|good|sorted)|nothing else|i'?m (?:done|good|all set)|done for now)\b/iu;

/** Signs the customer has more to ask or something still wrong, even while thanking. */
const MORE_TO_COME =
  /\?|#?\bW\d{7}\b|\b(?:but|also|another|other|next|what|where|when|why|how|which|can you|could you|would you|still|cancel\w*|return\w*|refund\w*|exchange\w*|change|track\w*|problem|issue|wrong|broken|damaged|not working)\b/iu;

/** A closing message is short: a long one is about something. */
const CLOSING_WORDS_MAX = 12;

/**
 * Whether the customer is signing off: thanks or goodbye words ("great, thanks, that's all"), short, with no
 * question, order number or new request in it. "Thanks, and where is my other order?" is not a close.
 */
export function isNaturalClose(text: string | null): boolean {
  if (text === null) return false;
  const trimmed = plainApostrophes(text).trim();
  if (trimmed === '' || wordCount(trimmed) > CLOSING_WORDS_MAX) return false;
  return CLOSING.test(trimmed) && !MORE_TO_COME.test(trimmed);
}

const DECLINE =
  /^(?:no|nope|nah|pass|i'?ll pass|not (?:now|today|really|interested|for me)|maybe (?:later|another time|next time)|i'?m (?:good|fine|ok|okay)(?: thanks?| thank you)?)\b|\bno,? thank(?:s| you)\b|\bnot interested\b|\bno (?:more )?(?:recommendations|suggestions|offers|ads|marketing)\b|\bstop (?:suggesting|recommending)\b/iu;
const DECLINE_WORDS_MAX = 10;

/** Whether a message, said right after an offer, turns it down ("no thanks", "not interested", "nah"). */
export function isOfferDecline(text: string | null): boolean {
  if (text === null) return false;
  const trimmed = plainApostrophes(text).trim();
  if (trimmed === '' || wordCount(trimmed) > DECLINE_WORDS_MAX) return false;
  return DECLINE.test(trimmed);
}

/** Identity lookups help nobody with their question; they do not make a conversation "resolved". */
const IDENTITY_TOOLS = new Set(['find_user_id_by_email', 'find_user_id_by_name_zip']);

/**
 * The offline judgement of "resolved and satisfied", from what the conversation shows without a model: the
 * assistant answered something with a tool (not only the customer's identity) and the tool did not fail; the
 * mood is satisfied, or neutral and not worsening (the customer's closing words count for the rest). Blockers are
 * checked separately ({@link findBlocker}).
 */
export function offlineVerdict(data: ConversationData): { resolved: boolean; satisfied: boolean } {
  const resolved = data.history.some(
    (message) =>
      message.role === 'tool' &&
      !IDENTITY_TOOLS.has(message.name) &&
      !message.content.startsWith('Error'),
  );
  const mood = data.mood ?? null;
  const satisfied =
    mood === null ||
    mood.current === 'satisfied' ||
    (mood.current === 'neutral' && mood.trend !== 'worsening');
  return { resolved, satisfied };
}

/** Phones and word processors type ’ for ': the patterns are written with the plain one. */
function plainApostrophes(text: string): string {
  return text.replace(/[\u2018\u2019\u02bc]/gu, "'");
}

function wordCount(text: string): number {
  return text.split(/\s+/u).filter((word) => word !== '').length;
}
