import { LexiconMoodJudge } from '../../../src/conversation/lexicon-mood-judge';
import { MOODS, type Mood } from '../../../src/conversation/mood';
import { HELD_OUT_MESSAGES, TUNING_MESSAGES, type LabelledMessage } from './mood-corpus';

const judge = new LexiconMoodJudge();

interface Evaluation {
  accuracy: number;
  /** Messages judged two or more moods away from their label (satisfied for frustrated, say). */
  farOff: number;
  /** Calm messages (satisfied or neutral) judged angry: each would be a needless offer of a person. */
  calmJudgedAngry: number;
  angryRecall: number;
  confusion: Record<Mood, Record<Mood, number>>;
}

function evaluate(messages: readonly LabelledMessage[]): Evaluation {
  const confusion = Object.fromEntries(
    MOODS.map((label) => [label, Object.fromEntries(MOODS.map((mood) => [mood, 0]))]),
  ) as Record<Mood, Record<Mood, number>>;
  let right = 0;
  let farOff = 0;
  let calmJudgedAngry = 0;
  for (const message of messages) {
    const judged = judge.judgeNow(message.text).mood;
    confusion[message.mood][judged] += 1;
    if (judged === message.mood) right += 1;
    if (Math.abs(MOODS.indexOf(judged) - MOODS.indexOf(message.mood)) >= 2) farOff += 1;
    if (message.mood !== 'frustrated' && message.mood !== 'angry' && judged === 'angry')
      calmJudgedAngry += 1;
  }
  const angry = messages.filter((message) => message.mood === 'angry').length;
  return {
    accuracy: right / messages.length,
    farOff,
    calmJudgedAngry,
    angryRecall: confusion.angry.angry / angry,
    confusion,
  };
}

describe('LexiconMoodJudge on labelled after-sales messages', () => {
  it('agrees with the labels of the tuning corpus on at least 90 % of its messages', () => {
    const result = evaluate(TUNING_MESSAGES);

    expect(result.accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('agrees with the labels of the held-out corpus on at least 60 % of its messages', () => {
    // Measured 23/36 = 0.64 when the corpus was written; the lexicon misses frustration and anger told without
    // feeling words ("the dishwasher leaks and I have had it for only a month").
    const result = evaluate(HELD_OUT_MESSAGES);

    expect(result.accuracy).toBeGreaterThanOrEqual(0.6);
  });

  it('judges no calm message of either corpus angry, so calm customers are never offered a person', () => {
    const result = evaluate([...TUNING_MESSAGES, ...HELD_OUT_MESSAGES]);

    expect(result.calmJudgedAngry).toBe(0);
  });

  it('recognises at least a third of the angry messages of the held-out corpus', () => {
    // Measured 3/8 when the corpus was written: the lexicon is cautious, anger without strong words or capitals
    // ("stop giving me the same stupid answer") reads as frustration. A model judge does better here.
    const result = evaluate(HELD_OUT_MESSAGES);

    expect(result.angryRecall).toBeGreaterThanOrEqual(0.35);
  });
});

describe('LexiconMoodJudge cues', () => {
  it('returns angry when a complaint is shouted in capitals', () => {
    expect(judge.judgeNow('WHERE IS MY ORDER, IT IS TWO WEEKS LATE').mood).toBe('angry');
  });

  it('returns satisfied when thanks are shouted', () => {
    expect(judge.judgeNow('THANK YOU SO MUCH').mood).toBe('satisfied');
  });

  it('returns a lower score when the same complaint ends in stacked exclamation marks', () => {
    const calm = judge.judgeNow('The lamp arrived broken.');
    const loud = judge.judgeNow('The lamp arrived broken!!!');

    expect(loud.score).toBeLessThan(calm.score);
  });

  it('returns neutral when a request uses words AFINN counts as feelings ("like", "please", "help")', () => {
    expect(judge.judgeNow("I'd like a refund please, can you help?").mood).toBe('neutral');
  });

  it('returns frustrated when a delay is told without a feeling word', () => {
    expect(judge.judgeNow('Why is this taking so long?').mood).toBe('frustrated');
  });

  it('returns neutral for an empty message', () => {
    expect(judge.judgeNow('')).toEqual({ mood: 'neutral', score: 0, source: 'lexicon' });
  });

  it('answers through the port with the same judgement', async () => {
    const text = 'This is a scam, you stole my money';

    await expect(judge.judge(text)).resolves.toEqual(judge.judgeNow(text));
  });
});
