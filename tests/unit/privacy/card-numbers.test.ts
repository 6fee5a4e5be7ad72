import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  containsCardNumber,
  findCardNumbers,
  identifyCardIssuer,
  isLuhnValid,
} from '../../../src/privacy';
import { NEGATIVES, POSITIVES, type NegativeExample } from './card-corpus';
import {
  asciiDigitsOf,
  luhnValidNumber,
  passesLuhn,
  pick,
  seededRandom,
} from './card-test-numbers';

const TAU_TASKS = join(__dirname, '../../../../shared/tau-retail/tasks_test.json');

/** Random 12-digit numbers that pass the Luhn check, the shape of τ-bench's tracking ids. */
function luhnValidTrackingNumbers(count: number): NegativeExample[] {
  const random = seededRandom(1201);
  return Array.from({ length: count }, () => {
    const tracking = luhnValidNumber(random, String(1 + Math.floor(random() * 9)), 12);
    const template = pick(random, [
      'tracking number {n}',
      'Your package {n} is on its way',
      'fulfillment tracking id {n}, items 4202497723',
      '{n}',
      'tracking: {n}.',
    ]);
    return { category: 'tracking (12-digit, Luhn-valid)', text: template.replace('{n}', tracking) };
  });
}

/**
 * 20–22 digit USPS-style numbers, unbroken and in groups of four, half of them carrying a Luhn-valid
 * Visa-prefixed 16-digit run right after the 4-digit service code: a card read only on run boundaries
 * must not be found inside.
 */
function uspsNumbers(count: number): NegativeExample[] {
  const random = seededRandom(2022);
  return Array.from({ length: count }, (_, index) => {
    const head = pick(random, ['9400', '9205', '9270', '9303', '9361', '9407', '9470']);
    const length = pick(random, [20, 22]);
    const inner = index % 2 === 0 ? luhnValidNumber(random, '4', 16) : '';
    const digits = luhnValidNumber(random, head + inner, length);
    const grouped = index % 4 < 2 ? digits : (digits.match(/.{1,4}/g) ?? []).join(' ');
    return { category: 'tracking (USPS 20–22 digits)', text: `USPS ${grouped} shipped` };
  });
}

/**
 * 15-digit FedEx-style numbers that pass the Luhn check, introduced as tracking numbers. Numbers starting 34
 * or 37 are left out on purpose: a Luhn-valid 15-digit 34/37 number is an Amex number in the issuer's one
 * length, and policy redacts it whatever label precedes it (see the test in redact-sensitive-text.test.ts).
 */
function fedExNumbers(count: number): NegativeExample[] {
  const random = seededRandom(1515);
  const numbers: NegativeExample[] = [];
  while (numbers.length < count) {
    const digits = luhnValidNumber(random, String(Math.floor(random() * 10)), 15);
    if (digits.startsWith('34') || digits.startsWith('37')) continue;
    const template = pick(random, [
      'FedEx tracking {n}',
      'fedex {n}',
      'my FedEx tracking number is {n}',
      'Tracking #{n}',
    ]);
    numbers.push({
      category: 'tracking (FedEx 15 digits, Luhn-valid)',
      text: template.replace('{n}', digits),
    });
  }
  return numbers;
}

function tauRetailInstructions(): NegativeExample[] | undefined {
  if (!existsSync(TAU_TASKS)) return undefined;
  const tasks = JSON.parse(readFileSync(TAU_TASKS, 'utf8')) as Array<{ instruction: string }>;
  return tasks.map((task) => ({
    category: 'τ-bench customer instruction',
    text: task.instruction,
  }));
}

interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  failures: string[];
}

/** Compares found card numbers with the expected ones by their digits, one for one. */
function score(examples: ReadonlyArray<{ text: string; cards: readonly string[] }>): Score {
  const result: Score = { truePositives: 0, falsePositives: 0, falseNegatives: 0, failures: [] };
  for (const example of examples) {
    const expected = [...example.cards];
    const found = findCardNumbers(example.text).map((card) =>
      asciiDigitsOf(example.text.slice(card.start, card.end)),
    );
    for (const digits of found) {
      const index = expected.indexOf(digits);
      if (index >= 0) {
        expected.splice(index, 1);
        result.truePositives += 1;
      } else {
        result.falsePositives += 1;
        result.failures.push(`false positive ${digits} in ${JSON.stringify(example.text)}`);
      }
    }
    result.falseNegatives += expected.length;
    for (const digits of expected)
      result.failures.push(`missed ${digits} in ${JSON.stringify(example.text)}`);
  }
  return result;
}

describe('the card corpus', () => {
  const tau = tauRetailInstructions();
  const generated = [...luhnValidTrackingNumbers(40), ...uspsNumbers(24), ...fedExNumbers(20)];
  const negatives = [...NEGATIVES, ...generated, ...(tau ?? [])];

  it('is as large as the product issue asks', () => {
    expect(POSITIVES.length).toBeGreaterThanOrEqual(60);
    expect(NEGATIVES.length + generated.length).toBeGreaterThanOrEqual(100);
  });

  it('holds only valid card numbers among its positives and only Luhn-valid look-alikes among the generated negatives', () => {
    for (const example of POSITIVES) {
      for (const card of example.cards) expect(passesLuhn(card)).toBe(true);
    }
    for (const example of generated) {
      const runs = example.text.replace(/(\d) (?=\d)/g, '$1').match(/\d{12,}/g) ?? [];
      expect(runs.some((run) => passesLuhn(run))).toBe(true);
    }
  });

  it('finds every card and nothing else: precision and recall are 1.0', () => {
    if (tau === undefined) {
      console.log(
        `τ-bench tasks not found at ${TAU_TASKS}: scoring without the customer instructions.`,
      );
    }
    const positives = score(POSITIVES);
    const onNegatives = score(negatives.map((example) => ({ text: example.text, cards: [] })));
    const truePositives = positives.truePositives;
    const falsePositives = positives.falsePositives + onNegatives.falsePositives;
    const falseNegatives = positives.falseNegatives;
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / (truePositives + falseNegatives);
    const cardCount = POSITIVES.reduce((total, example) => total + example.cards.length, 0);
    console.log(
      [
        `card corpus: ${POSITIVES.length} positive texts holding ${cardCount} cards; ${negatives.length} negative texts`,
        `  (${NEGATIVES.length} hand-written, ${generated.length} seeded look-alikes, ${tau?.length ?? 0} τ-bench instructions)`,
        `  true positives ${truePositives}, false positives ${falsePositives}, false negatives ${falseNegatives}`,
        `  precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)}`,
      ].join('\n'),
    );

    expect([...positives.failures, ...onNegatives.failures]).toEqual([]);
    expect(precision).toBe(1);
    expect(recall).toBe(1);
  });

  it('reports no card in any negative, category by category', () => {
    const byCategory = new Map<string, string[]>();
    for (const example of negatives) {
      if (!containsCardNumber(example.text)) continue;
      byCategory.set(example.category, [...(byCategory.get(example.category) ?? []), example.text]);
    }

    expect(Object.fromEntries(byCategory)).toEqual({});
  });
});

describe('findCardNumbers', () => {
  it('returns the brand, the last four digits and the offsets of the number without its surroundings', () => {
    const text = 'Pay with 3782 822463 10005, please.';

    expect(findCardNumbers(text)).toEqual([{ start: 9, end: 26, brand: 'amex', lastFour: '0005' }]);
    expect(text.slice(9, 26)).toBe('3782 822463 10005');
  });

  it.each([
    ['4242424242424242', 'visa'],
    ['5555555555554444', 'mastercard'],
    ['2223003122003222', 'mastercard'],
    ['378282246310005', 'amex'],
    ['6011111111111117', 'discover'],
    ['6442521669926188', 'discover'],
    ['6533618326459494', 'discover'],
    ['6221260561675083', 'discover'],
    ['3530111333300000', 'jcb'],
    ['30569309025904', 'diners'],
    ['36227206271667', 'diners'],
    ['6200000000000005', 'unionpay'],
    ['6759649826438453', 'maestro'],
    ['5018646220890338', 'maestro'],
    ['2200411606865122', 'mir'],
  ])('names %s a %s card', (digits, brand) => {
    expect(findCardNumbers(`card ${digits}`)).toEqual([
      expect.objectContaining({ brand, lastFour: digits.slice(-4) }),
    ]);
  });

  it('gives ASCII last four digits for a number typed in full-width digits', () => {
    expect(findCardNumbers('番号は４１１１１１１１１１１１１１１１です')).toEqual([
      expect.objectContaining({ brand: 'visa', lastFour: '1111' }),
    ]);
  });

  it('reads a 16-digit card inside a longer unbroken run as no card at all', () => {
    expect(findCardNumbers('92004242424242424242')).toEqual([]);
    expect(findCardNumbers('4242424242424242')).toHaveLength(1);
  });

  it('keeps a rare-length number labelled as tracking, but not when it is also called a card', () => {
    expect(findCardNumbers('FedEx tracking 674350041966064')).toEqual([]);
    expect(findCardNumbers('FedEx tracking, card 674350041966064')).toHaveLength(1);
    expect(findCardNumbers('tracking was fine. Card 674350041966064')).toHaveLength(1);
    expect(findCardNumbers('Tracking arrived. My 674350041966064')).toHaveLength(1);
    expect(findCardNumbers('FedEx tracking no. 674350041966064')).toEqual([]);
  });

  it('finds a principal-length number even when it is labelled as tracking', () => {
    expect(findCardNumbers('tracking number 4242 4242 4242 4242')).toHaveLength(1);
  });

  it('throws a TypeError naming the problem when given something other than a string', () => {
    expect(() => findCardNumbers(undefined as unknown as string)).toThrow(
      new TypeError('findCardNumbers expects a string, received undefined.'),
    );
    expect(() => containsCardNumber(4242424242424242 as unknown as string)).toThrow(TypeError);
  });
});

describe('the issuer table', () => {
  it('accepts a brand only in its lengths', () => {
    expect(identifyCardIssuer('378282246310005')?.brand).toBe('amex');
    expect(identifyCardIssuer('3782822463100053')).toBeUndefined();
    expect(identifyCardIssuer('5555555555554444')?.brand).toBe('mastercard');
    expect(identifyCardIssuer('55555555555544441')).toBeUndefined();
  });

  it('gives the narrow ranges precedence over Maestro and falls back to Maestro outside their lengths', () => {
    expect(identifyCardIssuer('6011111111111117')?.brand).toBe('discover');
    expect(identifyCardIssuer('6011111111111')?.brand).toBe('maestro');
    expect(identifyCardIssuer('6221250000000000')?.brand).toBe('unionpay');
    expect(identifyCardIssuer('6229260000000000')?.brand).toBe('unionpay');
    expect(identifyCardIssuer('6229250000000000')?.brand).toBe('discover');
  });

  it('marks the lengths a brand rarely issues', () => {
    expect(identifyCardIssuer('674350041966064')).toEqual({
      brand: 'maestro',
      principalLength: false,
    });
    expect(identifyCardIssuer('6759649826438453')).toEqual({
      brand: 'maestro',
      principalLength: true,
    });
  });

  it('knows no brand for prefixes outside every range', () => {
    for (const prefix of [
      '1',
      '7',
      '8',
      '9',
      '0',
      '2220',
      '2721',
      '306',
      '35',
      '3527',
      '3590',
      '33',
    ]) {
      expect(identifyCardIssuer(prefix.padEnd(16, '0'))).toBeUndefined();
    }
  });

  it('checks the Luhn digit', () => {
    expect(isLuhnValid('79927398713')).toBe(true);
    expect(isLuhnValid('79927398710')).toBe(false);
    expect(isLuhnValid('4242424242424242')).toBe(true);
    expect(isLuhnValid('4242424242424241')).toBe(false);
    expect(isLuhnValid('')).toBe(false);
  });
});
