/**
 * The customer's mood, judged on each of their messages and kept in conversation state with its trend.
 * Framework-free: judges implement {@link MoodJudge}; the bot decides when to judge and what to do about it.
 */

/** From best to worst. */
export const MOODS = ['satisfied', 'neutral', 'frustrated', 'angry'] as const;

export type Mood = (typeof MOODS)[number];

export type MoodTrend = 'improving' | 'steady' | 'worsening';

/**
 * Where a judgement came from: the configured GPT model, the sentiment lexicon (offline, or as fallback), or
 * `plain`: a plain request (see `isPlainRequest`), neutral without asking either.
 */
export type MoodSource = 'model' | 'lexicon' | 'plain';

/**
 * One message's mood. `score` runs from -1 (furious) to 1 (delighted), 0 being neutral, on the same scale for
 * both sources (see {@link MOOD_SCORE_BANDS}), so trends stay meaningful when a judgement falls back.
 */
export interface MoodJudgement {
  mood: Mood;
  score: number;
  source: MoodSource;
}

export interface MoodHistoryEntry extends MoodJudgement {
  /** ISO time of the judgement. */
  at: string;
}

/**
 * The mood part of {@link ConversationData}. Plain JSON. During a turn it describes the customer's earlier
 * messages: the current message's judgement is recorded after the answer was sent.
 */
export interface MoodState {
  /** The mood of the customer's latest judged message. */
  current: Mood;
  trend: MoodTrend;
  /** Oldest first, at most {@link MOOD_HISTORY_MAX} entries. */
  history: MoodHistoryEntry[];
  /** Set once the customer was offered a person because of their mood; the offer is made once per conversation. */
  agentOffered?: boolean;
}

/** Judges the mood of one customer message. */
export interface MoodJudge {
  /**
   * `text` is the customer's own words, card numbers already removed; never tool output or the assistant's
   * words. Never rejects: a judge that cannot decide answers from a fallback.
   */
  judge(text: string, options?: { signal?: AbortSignal }): Promise<MoodJudgement>;
}

/** Enough for a trend and the sharp-turn rule, small enough to keep state lean. */
export const MOOD_HISTORY_MAX = 10;

/**
 * The score range of each mood, shared by both judges: the lexicon maps its score into these bands, and the
 * model is asked for a score in them (and its score is clamped to the band of the mood it named).
 */
export const MOOD_SCORE_BANDS: Readonly<Record<Mood, { min: number; max: number }>> = {
  satisfied: { min: 0.2, max: 1 },
  neutral: { min: -0.15, max: 0.2 },
  frustrated: { min: -0.55, max: -0.15 },
  angry: { min: -1, max: -0.55 },
};

/**
 * Trend: the latest score against the mean of the (up to) two judgements before it. A quarter of the scale is
 * about one mood band: a single word more or less ("ok" after "thanks") stays steady.
 */
export const TREND_DELTA = 0.25;
const TREND_WINDOW = 2;

/**
 * A fall of this much within one message counts as a sharp turn even from a good mood: from satisfied (0.4) to
 * the edge of angry (-0.55) is about 0.95.
 */
export const SHARP_DROP = 0.9;

/** The mood a score belongs to, by {@link MOOD_SCORE_BANDS}. */
export function moodOfScore(score: number): Mood {
  if (score >= MOOD_SCORE_BANDS.satisfied.min) return 'satisfied';
  if (score >= MOOD_SCORE_BANDS.neutral.min) return 'neutral';
  if (score > MOOD_SCORE_BANDS.angry.max) return 'frustrated';
  return 'angry';
}

/** `score` moved into the band of `mood` (a model may name a mood and a score that disagree). */
export function scoreInBand(mood: Mood, score: number): number {
  const band = MOOD_SCORE_BANDS[mood];
  const value = Number.isFinite(score) ? score : (band.min + band.max) / 2;
  return Math.min(band.max, Math.max(band.min, value));
}

/** The state after one more judgement: current mood, trend, bounded history. `agentOffered` is kept. */
export function recordMood(
  previous: MoodState | undefined,
  judgement: MoodJudgement,
  at: Date,
): MoodState {
  const earlier = previous?.history ?? [];
  const entry: MoodHistoryEntry = {
    mood: judgement.mood,
    score: roundScore(judgement.score),
    at: at.toISOString(),
    source: judgement.source,
  };
  return {
    current: judgement.mood,
    trend: trendOf(earlier, entry),
    history: [...earlier, entry].slice(-MOOD_HISTORY_MAX),
    ...(previous?.agentOffered === true ? { agentOffered: true } : {}),
  };
}

function trendOf(earlier: readonly MoodHistoryEntry[], latest: MoodHistoryEntry): MoodTrend {
  const window = earlier.slice(-TREND_WINDOW);
  if (window.length === 0) return 'steady';
  const mean = window.reduce((sum, entry) => sum + entry.score, 0) / window.length;
  const delta = latest.score - mean;
  if (delta >= TREND_DELTA) return 'improving';
  if (delta <= -TREND_DELTA) return 'worsening';
  return 'steady';
}

/**
 * Whether the latest judgement in `state` is a sharp turn to anger, the moment to offer a person:
 * - the customer is angry now and was not angry in the message before (the first message counts: a customer
 *   who opens angry has turned angry before we met them), or
 * - the score fell by {@link SHARP_DROP} or more since the message before, ending frustrated or angry.
 * A customer who stays angry is not a new turn: the offer was made when they turned.
 */
export function isSharpTurnToAngry(state: MoodState): boolean {
  const latest = state.history.at(-1);
  if (latest === undefined) return false;
  const before = state.history.at(-2);
  if (latest.mood === 'angry') return before === undefined || before.mood !== 'angry';
  return (
    before !== undefined &&
    latest.mood === 'frustrated' &&
    before.score - latest.score >= SHARP_DROP
  );
}

/** Two decimals are plenty for a mood and keep the stored state readable. */
function roundScore(score: number): number {
  return Math.round(Math.max(-1, Math.min(1, score)) * 100) / 100;
}
