import {
  isSharpTurnToAngry,
  MOOD_HISTORY_MAX,
  moodOfScore,
  recordMood,
  scoreInBand,
  type Mood,
  type MoodState,
} from '../../../src/conversation/mood';

const at = new Date('2026-03-02T10:00:00Z');

/** The state after judging these (mood, score) pairs in order. */
function stateAfter(...judgements: [Mood, number][]): MoodState {
  let state: MoodState | undefined;
  for (const [mood, score] of judgements)
    state = recordMood(state, { mood, score, source: 'lexicon' }, at);
  if (state === undefined) throw new Error('no judgement');
  return state;
}

describe('recordMood', () => {
  it('returns a steady trend after the first judgement', () => {
    const state = stateAfter(['frustrated', -0.3]);

    expect(state).toEqual({
      current: 'frustrated',
      trend: 'steady',
      history: [{ mood: 'frustrated', score: -0.3, at: at.toISOString(), source: 'lexicon' }],
    });
  });

  it('returns worsening when the score falls a quarter of the scale below the last two', () => {
    expect(stateAfter(['neutral', 0], ['neutral', 0.05], ['frustrated', -0.3]).trend).toBe(
      'worsening',
    );
  });

  it('returns improving when the score rises a quarter of the scale above the last two', () => {
    expect(stateAfter(['angry', -0.7], ['frustrated', -0.4], ['neutral', 0]).trend).toBe(
      'improving',
    );
  });

  it('returns steady when the score moves less than a quarter of the scale', () => {
    expect(stateAfter(['neutral', 0.1], ['neutral', -0.1]).trend).toBe('steady');
  });

  it('keeps only the last ten judgements', () => {
    const judgements: [Mood, number][] = Array.from({ length: 14 }, (_, index) => [
      'neutral',
      index / 100,
    ]);

    const state = stateAfter(...judgements);

    expect(state.history).toHaveLength(MOOD_HISTORY_MAX);
    expect(state.history[0]!.score).toBe(0.04);
  });

  it('keeps agentOffered once set', () => {
    const offered = { ...stateAfter(['angry', -0.8]), agentOffered: true };

    const next = recordMood(offered, { mood: 'neutral', score: 0, source: 'model' }, at);

    expect(next.agentOffered).toBe(true);
  });
});

describe('isSharpTurnToAngry', () => {
  it('returns true when an angry message follows a calm one', () => {
    expect(isSharpTurnToAngry(stateAfter(['neutral', 0], ['angry', -0.7]))).toBe(true);
  });

  it('returns true when the first message is angry', () => {
    expect(isSharpTurnToAngry(stateAfter(['angry', -0.8]))).toBe(true);
  });

  it('returns true when a frustrated customer turns angry', () => {
    expect(isSharpTurnToAngry(stateAfter(['frustrated', -0.3], ['angry', -0.6]))).toBe(true);
  });

  it('returns false when the customer stays angry', () => {
    expect(isSharpTurnToAngry(stateAfter(['angry', -0.7], ['angry', -0.9]))).toBe(false);
  });

  it('returns true when a satisfied customer drops to frustrated in one message', () => {
    expect(isSharpTurnToAngry(stateAfter(['satisfied', 0.5], ['frustrated', -0.45]))).toBe(true);
  });

  it('returns false when a neutral customer becomes frustrated', () => {
    expect(isSharpTurnToAngry(stateAfter(['neutral', 0], ['frustrated', -0.5]))).toBe(false);
  });

  it('returns false when the customer calms down', () => {
    expect(isSharpTurnToAngry(stateAfter(['angry', -0.8], ['neutral', 0]))).toBe(false);
  });
});

describe('mood score bands', () => {
  it.each<[number, Mood]>([
    [0.2, 'satisfied'],
    [0.19, 'neutral'],
    [-0.15, 'neutral'],
    [-0.16, 'frustrated'],
    [-0.54, 'frustrated'],
    [-0.55, 'angry'],
  ])('returns the mood of score %p', (score, mood) => {
    expect(moodOfScore(score)).toBe(mood);
  });

  it('moves a score that disagrees with its mood into the mood band', () => {
    expect(scoreInBand('angry', 0.4)).toBe(-0.55);
  });

  it('returns the middle of the band for a missing score', () => {
    expect(scoreInBand('neutral', Number.NaN)).toBeCloseTo(0.025);
  });
});
