import Sentiment from 'sentiment';
import { moodOfScore, type MoodJudge, type MoodJudgement } from './mood';

/**
 * After-sales words AFINN lacks or weighs for everyday talk, added through the library's `extras`.
 * - Problems with goods and service that AFINN misses or underrates ("broken" is only -1 there), and the words
 *   of a complaint that drags on: "still", "again", "already", "twice", "nobody", "never", "waiting".
 * - Threats (chargeback, lawyer, reporting) weigh like the strongest words: they are anger, however polite.
 * - Words that are requests or commerce in a support chat, not feelings, are neutral: AFINN's "like" ("I'd like
 *   a refund", +2), "want" (+1), "please" (+1), "yes" (+1), "gift" ("gift card", +2), "free" ("free shipping"),
 *   "pay", "no", "sorry", "cancel" (-1). "help" (+2) is halved: "please help" is no delight, but "doesn't help"
 *   should still count against.
 * - "charged" is -3 in AFINN ("a charged atmosphere"); here it is a payment, a complaint only when doubled.
 * - "joke" is +2 in AFINN; said to support it is always "what a joke". "bad" (-3) is softened to -2.
 */
export const AFTER_SALES_EXTRAS: Readonly<Record<string, number>> = {
  broken: -2,
  refund: 0,
  useless: -3,
  waiting: -1,
  waited: -1,
  forever: -1,
  late: -1,
  still: -1,
  again: -1,
  already: -1,
  twice: -1,
  never: -1,
  nothing: -1,
  nobody: -2,
  chasing: -1,
  faulty: -2,
  cracked: -2,
  smashed: -3,
  defective: -3,
  damaged: -2,
  missing: -1,
  stopped: -1,
  unfortunately: -1,
  bad: -2,
  scam: -3,
  unacceptable: -3,
  incompetent: -3,
  pathetic: -3,
  ridiculous: -3,
  lies: -3,
  joke: -2,
  kidding: -2,
  chargeback: -4,
  lawyer: -4,
  reporting: -3,
  charged: -1,
  done: 0,
  help: 1,
  please: 0,
  like: 0,
  want: 0,
  yes: 0,
  no: 0,
  sorry: 0,
  cancel: 0,
  gift: 0,
  free: 0,
  pay: 0,
  worked: 2,
  works: 1,
  sorted: 2,
  smoothly: 2,
  quickly: 1,
};

/**
 * Complaints that carry no emotional word: each match counts like a word of -2. "How long does a refund take"
 * is a question; "why is this taking so long" is not.
 */
const COMPLAINT_PHRASES: readonly RegExp[] = [
  /\b(?:too|so) long\b/giu,
  /\b(?:second|third|fourth|fifth|\d+(?:st|nd|rd|th)) time\b/giu,
  /\bnot what (?:i|we) (?:asked|ordered|wanted|paid)/giu,
  /\bwhat(?:'s| is) going on\b/giu,
  /\b(?:hasn'?t|haven'?t|has not|have not|never) (?:arrived|come|shown up|updated|been (?:delivered|refunded|shipped))/giu,
];
const COMPLAINT_PHRASE_WEIGHT = -2;

/**
 * The score on the common -1..1 scale is `SCORE_SCALE * afinn / sqrt(max(words, MIN_WORDS))`. The library's own
 * comparative divides by the word count, which makes a long complaint look calm ("I've been waiting two weeks
 * and my order still hasn't arrived" averages -0.2 a word); the square root keeps length from drowning the
 * words that matter. With 0.4: one -2 word in a nine-word message is -0.27 (frustrated); -4 in the same message
 * is -0.53 (the edge of angry); "thanks" alone in a short message is 0.4 (satisfied).
 * Chosen on the tuning corpus (tests/unit/conversation/mood-corpus.ts) by a grid over scale, floor and penalty.
 */
export const SCORE_SCALE = 0.4;
/** Short messages have few words to spread over: "late" alone should not read as fury. */
export const MIN_WORDS = 4;
/**
 * Shouting in capitals and stacked exclamation or question marks ("!!", "?!", "???") on a negative message push
 * it this much further down each: they are what separates "the item is broken" from "the item is BROKEN!!!".
 */
export const CUE_PENALTY = 0.3;
/**
 * A complaint written mostly in capitals (at least 60 % of at least 10 letters), or with capitals and stacked
 * marks together, is shouted: angry.
 */
const CAPITALS_SHARE_SHOUTED = 0.6;
const CAPITALS_LETTERS_MIN = 10;
/** Where shouting a complaint lands: just inside the angry band. */
const ANGRY_SHOUTING_SCORE = -0.6;

/** Capitals that are names, not shouting. */
const ACRONYMS = new Set([
  'UPS',
  'DHL',
  'USPS',
  'FEDEX',
  'USB',
  'HDMI',
  'LED',
  'LCD',
  'SSD',
  'RAM',
  'CPU',
  'GPU',
  'FAQ',
  'USA',
  'PIN',
  'ZIP',
  'SKU',
  'ETA',
]);

/** What the lexicon judge reads in a message, exposed for tests and tuning. */
export interface LexiconReading {
  /** AFINN score with {@link AFTER_SALES_EXTRAS} and complaint phrases, negations flipped ("not happy"). */
  afinn: number;
  words: number;
  shouting: boolean;
  stackedPunctuation: boolean;
  /** On the common -1..1 scale. */
  score: number;
}

/**
 * A mood from the AFINN-165 lexicon (the `sentiment` library) with after-sales words added, plus two cues the
 * lexicon cannot see: shouting in capitals and stacked exclamation or question marks. Runs offline in a few
 * microseconds; the mood is the band of {@link MOOD_SCORE_BANDS} the score falls in.
 */
export class LexiconMoodJudge implements MoodJudge {
  private readonly sentiment = new Sentiment();

  judge(text: string): Promise<MoodJudgement> {
    return Promise.resolve(this.judgeNow(text));
  }

  /** The same judgement, synchronously: for fallbacks that must not wait. */
  judgeNow(text: string): MoodJudgement {
    const { score } = this.read(text);
    return { mood: moodOfScore(score), score, source: 'lexicon' };
  }

  read(text: string): LexiconReading {
    // sentiment 5 merges `extras` into its shared English labels on every call (so other users of the library in
    // this process see them too); nothing else here uses it, and the merge is idempotent.
    const analysis = this.sentiment.analyze(text, { extras: { ...AFTER_SALES_EXTRAS } });
    const phrases = COMPLAINT_PHRASES.reduce(
      (count, pattern) => count + (text.match(pattern)?.length ?? 0),
      0,
    );
    const afinn = analysis.score + COMPLAINT_PHRASE_WEIGHT * phrases;
    const words = analysis.tokens.filter((token) => token !== '').length;
    const shouting = isShouting(text);
    const stackedPunctuation = /[!?]\s*!|!\s*\?|\?{3,}/u.test(text);
    let score = (SCORE_SCALE * afinn) / Math.sqrt(Math.max(words, MIN_WORDS));
    if (score < 0) score -= CUE_PENALTY * (Number(shouting) + Number(stackedPunctuation));
    // Shouting with no feeling word at all ("WHERE IS MY ORDER") is a complaint on its way; shouted thanks stay
    // thanks.
    else if (afinn === 0 && shouting) score = -CUE_PENALTY;
    if (score < 0 && (isShoutedWhole(text) || (shouting && stackedPunctuation))) {
      score = Math.min(score, ANGRY_SHOUTING_SCORE);
    }
    return { afinn, words, shouting, stackedPunctuation, score: Math.max(-1, Math.min(1, score)) };
  }
}

/** Two words of three capitals or more, or one of four or more, that are not known acronyms. */
function isShouting(text: string): boolean {
  const capitalWords = (text.match(/\b[A-Z]{3,}\b/gu) ?? []).filter((word) => !ACRONYMS.has(word));
  return capitalWords.length >= 2 || capitalWords.some((word) => word.length >= 4);
}

function isShoutedWhole(text: string): boolean {
  const letters = text.match(/[A-Za-z]/gu)?.length ?? 0;
  const capitals = text.match(/[A-Z]/gu)?.length ?? 0;
  return letters >= CAPITALS_LETTERS_MIN && capitals / letters >= CAPITALS_SHARE_SHOUTED;
}
