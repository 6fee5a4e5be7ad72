import {
  EXPIRY_MARKER,
  SECURITY_CODE_MARKER,
  containsCardNumber,
  findCardNumbers,
  redactSensitiveText,
} from '../../../src/privacy';
import { NEGATIVES, POSITIVES } from './card-corpus';
import {
  SAMPLE_BRANDS,
  asciiDigitsOf,
  formatCardNumber,
  pick,
  randomCardNumber,
  seededRandom,
} from './card-test-numbers';

describe('redactSensitiveText on the corpus', () => {
  it.each(POSITIVES.map((example) => [example.text, example] as const))(
    'leaves no card number, expiry or code of %j',
    (_, example) => {
      const result = redactSensitiveText(example.text);

      expect(result.cardsFound).toBe(example.cards.length);
      expect(containsCardNumber(result.text)).toBe(false);
      const outputDigits = asciiDigitsOf(result.text);
      for (const card of example.cards) expect(outputDigits).not.toContain(card);
      for (const secret of example.removed ?? []) expect(result.text).not.toContain(secret);
      for (const card of example.cards)
        expect(result.text).toContain(`[card ending ${card.slice(-4)}]`);
    },
  );

  it('changes no negative at all', () => {
    const changed = NEGATIVES.filter(
      (example) => redactSensitiveText(example.text).text !== example.text,
    );

    expect(changed.map((example) => example.text)).toEqual([]);
  });
});

describe('redactSensitiveText', () => {
  it('replaces the card, its expiry and its security code, and keeps the labels and the rest', () => {
    const result = redactSensitiveText(
      'Card 4242 4242 4242 4242 exp 12/27 cvv 913, order #W2378156.',
    );

    expect(result.text).toBe(
      'Card [card ending 4242] exp [expiry removed] cvv [security code removed], order #W2378156.',
    );
    expect(result.cardsFound).toBe(1);
  });

  it('reports each redaction with its kind and its offsets in the original text', () => {
    const text = 'use 5555555555554444 12/27 331';

    const { redactions } = redactSensitiveText(text);

    expect(redactions.map(({ kind, start, end }) => [kind, text.slice(start, end)])).toEqual([
      ['card_number', '5555555555554444'],
      ['expiry', '12/27'],
      ['security_code', '331'],
    ]);
  });

  it('removes a labelled security code even with no card number in the message', () => {
    expect(redactSensitiveText('my cvv is 123').text).toBe(`my cvv is ${SECURITY_CODE_MARKER}`);
    expect(redactSensitiveText('security code: 4821').text).toBe(
      `security code: ${SECURITY_CODE_MARKER}`,
    );
    expect(redactSensitiveText('CVC2 1234').redactions).toEqual([
      { kind: 'security_code', start: 5, end: 9 },
    ]);
  });

  it('keeps an expiry date with no card number near it', () => {
    expect(redactSensitiveText('my warranty expires 12/27').text).toBe('my warranty expires 12/27');
    expect(redactSensitiveText('exp 12/27').text).toBe('exp 12/27');
  });

  it('removes a labelled expiry within reach of a card number, before or after it', () => {
    expect(redactSensitiveText('expiry 11/28 for the card 4242424242424242').text).toBe(
      `expiry ${EXPIRY_MARKER} for the card [card ending 4242]`,
    );
    const far = `4242424242424242 ${'and some more words '.repeat(6)}my warranty expires 12/27`;
    expect(redactSensitiveText(far).text).toContain('expires 12/27');
  });

  it('removes unlabelled dates and codes only straight after a card number', () => {
    expect(redactSensitiveText('4242424242424242 12/27 123').text).toBe(
      `[card ending 4242] ${EXPIRY_MARKER} ${SECURITY_CODE_MARKER}`,
    );
    expect(redactSensitiveText('4242424242424242 was charged on 12/27 for 123 items').text).toBe(
      '[card ending 4242] was charged on 12/27 for 123 items',
    );
    expect(redactSensitiveText('I ordered 123 items on 12/27').text).toBe(
      'I ordered 123 items on 12/27',
    );
  });

  it('redacts a 15-digit Amex-shaped number even when it is labelled as tracking', () => {
    // The policy behind leaving 34/37 out of the generated FedEx negatives: a number that is exactly an Amex
    // number in its only length is redacted, whatever the customer called it.
    expect(redactSensitiveText('FedEx tracking 378282246310005').text).toBe(
      'FedEx tracking [card ending 0005]',
    );
  });

  it('never leaves the digits of a number written with mixed separators', () => {
    const result = redactSensitiveText(
      'here 4242 4242-4242.4242\u00a0and 5555\u20135555 5555  4444',
    );

    expect(result.cardsFound).toBe(2);
    expect(asciiDigitsOf(result.text)).not.toContain('4242424242424242');
    expect(asciiDigitsOf(result.text)).not.toContain('5555555555554444');
  });

  it('returns the same text when there is nothing to redact', () => {
    const text = 'Where is my order #W2378156? Zip 19122.';

    expect(redactSensitiveText(text)).toEqual({ text, redactions: [], cardsFound: 0 });
  });

  it('throws a TypeError naming the problem when given something other than a string', () => {
    expect(() => redactSensitiveText(null as unknown as string)).toThrow(
      new TypeError('redactSensitiveText expects a string, received null.'),
    );
  });
});

describe('idempotence', () => {
  it('changes nothing when redacting an already-redacted text', () => {
    const texts = [
      ...POSITIVES.map((example) => example.text),
      ...NEGATIVES.map((example) => example.text),
      'cvv 123 and exp 12/27 near 4242424242424242, FedEx tracking 674350041966064',
      '4242424242424242 tracking 674350041966064',
    ];
    for (const text of texts) {
      const once = redactSensitiveText(text).text;
      const twice = redactSensitiveText(once);

      expect(twice.text).toBe(once);
      expect(twice.redactions).toEqual([]);
    }
  });
});

describe('random card numbers of every brand (property)', () => {
  const TEMPLATES = [
    '{card}',
    'My card is {card}.',
    'please charge {card}, thanks',
    'card: {card}',
    'Número de tarjeta: {card}',
    'カード番号は{card}です',
    '({card})',
    '"{card}"',
    'charge {card}\nthanks',
    'use {card} exp 09/29 cvv 404',
    '{card} 07/31 808',
    'order #W2378156, zip 19122, card {card}',
  ];
  const PER_BRAND = 200;

  it.each(SAMPLE_BRANDS)('leaves no trace of a %s number in any separator style', (brand) => {
    const random = seededRandom(brand.length * 7919 + brand.charCodeAt(0));
    for (let index = 0; index < PER_BRAND; index += 1) {
      const digits = randomCardNumber(random, brand);
      const text = pick(random, TEMPLATES).replace('{card}', formatCardNumber(random, digits));

      const found = findCardNumbers(text);
      const result = redactSensitiveText(text);

      expect({ text, found: found.map((card) => [card.brand, card.lastFour]) }).toEqual({
        text,
        found: [[brand, digits.slice(-4)]],
      });
      expect(asciiDigitsOf(result.text)).not.toContain(digits);
      expect(containsCardNumber(result.text)).toBe(false);
      // The card marker keeps four digits that may happen to spell one of these values.
      const withoutMarkers = result.text.replace(/\[card ending [0-9]{4}\]/g, '');
      expect(withoutMarkers).not.toMatch(/09\/29|404|07\/31|808/);
      expect(redactSensitiveText(result.text).text).toBe(result.text);
    }
  });
});
