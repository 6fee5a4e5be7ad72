import { MiniSearchPolicySearch } from '../../../src/knowledge/minisearch-policy-search';
import { loadPolicyLibrary } from '../../../src/knowledge/policy-library';
import {
  HELD_OUT_POLICY_QUESTIONS,
  POLICY_QUESTIONS,
  type LabelledQuestion,
} from './policy-questions';

interface Measure {
  questions: number;
  /** Questions whose best hit answers them. */
  atOne: number;
  /** Questions answered by one of the three hits the tool returns. */
  atThree: number;
  misses: string[];
}

async function measure(questions: readonly LabelledQuestion[]): Promise<Measure> {
  const search = new MiniSearchPolicySearch(await loadPolicyLibrary());
  const result: Measure = { questions: questions.length, atOne: 0, atThree: 0, misses: [] };
  for (const question of questions) {
    const found = (await search.search(question.query, { limit: 3 })).map(
      (hit) => `${hit.documentId} › ${hit.section}`,
    );
    if (found[0] !== undefined && question.answers.includes(found[0])) result.atOne += 1;
    if (found.some((place) => question.answers.includes(place))) result.atThree += 1;
    else result.misses.push(`${question.query} → ${found.join(' | ') || '(nothing)'}`);
  }
  return result;
}

describe('policy search quality on labelled questions', () => {
  it('labels only sections that exist in the documents', async () => {
    const library = await loadPolicyLibrary();
    const sections = new Set(
      library.passages.map((passage) => `${passage.documentId} › ${passage.section}`),
    );

    const unknown = [...POLICY_QUESTIONS, ...HELD_OUT_POLICY_QUESTIONS]
      .flatMap((question) => question.answers)
      .filter((answer) => !sections.has(answer));

    expect(unknown).toEqual([]);
  });

  it('answers every labelled question within three hits and nine in ten with the first', async () => {
    const result = await measure(POLICY_QUESTIONS);

    expect(result.misses).toEqual([]);
    expect(result.atOne / result.questions).toBeGreaterThanOrEqual(0.9);
  });

  it('answers nine in ten held-out questions within three hits and half with the first', async () => {
    const result = await measure(HELD_OUT_POLICY_QUESTIONS);

    expect(result.atThree / result.questions).toBeGreaterThanOrEqual(0.9);
    expect(result.atOne / result.questions).toBeGreaterThanOrEqual(0.5);
  });
});
