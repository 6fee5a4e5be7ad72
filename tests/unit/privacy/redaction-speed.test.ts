import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { redactDeep, redactSensitiveText } from '../../../src/privacy';
import { NEGATIVES, POSITIVES } from './card-corpus';

const TAU_TASKS = join(__dirname, '../../../../shared/tau-retail/tasks_test.json');
const MESSAGE_COUNT = 10_000;

/** The messages a day of chat might bring: mostly ordinary, some with numbers, a few with cards. */
function messages(): string[] {
  const tau = existsSync(TAU_TASKS)
    ? (JSON.parse(readFileSync(TAU_TASKS, 'utf8')) as Array<{ instruction: string }>).map(
        (task) => task.instruction,
      )
    : [];
  const ordinary = [
    'Hi, where is my order?',
    'I want to return the headphones, they stopped working after a week.',
    'Thanks, that is all for today!',
    'Can I talk to a person please',
  ];
  const pool = [
    ...ordinary,
    ...tau,
    ...NEGATIVES.map((example) => example.text),
    ...POSITIVES.map((e) => e.text),
  ];
  return Array.from({ length: MESSAGE_COUNT }, (_, index) => pool[index % pool.length]!);
}

describe('redaction speed (measured, not asserted)', () => {
  it('redacts 10,000 messages and prints the time taken', () => {
    const batch = messages();
    const expectedCards = batch.reduce(
      (total, text) =>
        total + (POSITIVES.find((example) => example.text === text)?.cards.length ?? 0),
      0,
    );
    redactSensitiveText(batch[0]!);

    const started = performance.now();
    let cards = 0;
    for (const text of batch) cards += redactSensitiveText(text).cardsFound;
    const textMilliseconds = performance.now() - started;

    const activities = batch.map((text, index) => ({
      type: 'message',
      id: `a${index}`,
      text,
      from: { id: 'u' },
    }));
    const deepStarted = performance.now();
    const redacted = activities.map((activity) => redactDeep(activity));
    const deepMilliseconds = performance.now() - deepStarted;

    const characters = batch.reduce((total, text) => total + text.length, 0);
    console.log(
      [
        `redactSensitiveText: ${MESSAGE_COUNT} messages (${characters} characters, ${cards} cards) in ` +
          `${textMilliseconds.toFixed(1)} ms = ${((textMilliseconds * 1000) / MESSAGE_COUNT).toFixed(1)} µs per message`,
        `redactDeep: ${MESSAGE_COUNT} activities in ${deepMilliseconds.toFixed(1)} ms`,
      ].join('\n'),
    );
    expect(cards).toBe(expectedCards);
    expect(redacted).toHaveLength(MESSAGE_COUNT);
  });

  it('reads very long runs of digits, dots, groups and addresses in one pass (time printed)', () => {
    const inputs: Record<string, string> = {
      'a 100,000-digit run': '7'.repeat(100_000),
      'a 100,000-character dotted run': '1.'.repeat(50_000),
      'a URL with a 100,000-digit path': `https://example.com/${'1'.repeat(100_000)}`,
      '20,000 groups of four': '4242 '.repeat(20_000),
      '50,000 single digits': '1 '.repeat(50_000),
    };
    const lines: string[] = [];
    const cardsFound: Record<string, number> = {};
    for (const [name, text] of Object.entries(inputs)) {
      const started = performance.now();
      cardsFound[name] = redactSensitiveText(text).cardsFound;
      lines.push(`${name}: ${(performance.now() - started).toFixed(1)} ms`);
    }
    console.log(`long inputs:\n  ${lines.join('\n  ')}`);

    expect(cardsFound).toEqual({
      'a 100,000-digit run': 0,
      'a 100,000-character dotted run': 0,
      'a URL with a 100,000-digit path': 0,
      '20,000 groups of four': 5_000,
      '50,000 single digits': 0,
    });
  });
});
