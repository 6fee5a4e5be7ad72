/**
 * Test-side generators for card numbers and the look-alikes that must not be read as cards. The Luhn
 * arithmetic here is written independently of src/privacy, so a mistake there cannot hide behind the same
 * mistake here.
 */

/** A small seeded generator (mulberry32): the same seed gives the same corpus on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick() needs a non-empty list');
  return item;
}

/** Sum of the Luhn weights of a full number (check digit included): valid numbers give a multiple of 10. */
function luhnSum(digits: string): number {
  return [...digits].reverse().reduce((total, character, position) => {
    const value = Number(character);
    const weighted = position % 2 === 1 ? value * 2 : value;
    return total + (weighted > 9 ? weighted - 9 : weighted);
  }, 0);
}

export function passesLuhn(digits: string): boolean {
  return luhnSum(digits) % 10 === 0;
}

/** `prefix`, random digits, and the one check digit that makes the whole `length` digits Luhn-valid. */
export function luhnValidNumber(random: () => number, prefix: string, length: number): string {
  let body = prefix;
  while (body.length < length - 1) body += String(Math.floor(random() * 10));
  for (let check = 0; check <= 9; check += 1) {
    if (passesLuhn(body + String(check))) return body + String(check);
  }
  throw new Error('unreachable: one of ten check digits always fits');
}

/** The same number with its last digit changed, so it fails the Luhn check. */
export function withWrongCheckDigit(digits: string): string {
  const last = Number(digits.slice(-1));
  return digits.slice(0, -1) + String((last + 1) % 10);
}

/**
 * Prefixes that belong to exactly one brand, with lengths that brand issues. Written from the public IIN
 * ranges, not read from the detector's table, and chosen so that no random continuation lands in another
 * brand's narrower range (e.g. no bare `62`, which could continue into Discover's 622126–622925).
 */
export const BRAND_SAMPLES = {
  visa: { prefixes: ['4', '41', '45', '49'], lengths: [13, 16, 19] },
  mastercard: { prefixes: ['51', '52', '53', '54', '55', '2221', '2300', '2720'], lengths: [16] },
  amex: { prefixes: ['34', '37'], lengths: [15] },
  discover: {
    prefixes: ['6011', '644', '647', '649', '65', '622126', '622500', '622925'],
    lengths: [16, 17, 18, 19],
  },
  jcb: { prefixes: ['3528', '3540', '3566', '3589'], lengths: [16, 17, 18, 19] },
  diners: { prefixes: ['300', '303', '305', '36', '38', '39'], lengths: [14, 15, 16, 17, 18, 19] },
  unionpay: { prefixes: ['620', '621', '623', '624', '628', '6221'], lengths: [16, 17, 18, 19] },
  maestro: {
    prefixes: [
      '5018',
      '5020',
      '5038',
      '5893',
      '6304',
      '6759',
      '6761',
      '6763',
      '56',
      '57',
      '58',
      '63',
      '67',
      '69',
    ],
    lengths: [13, 14, 15, 16, 17, 18, 19],
  },
  mir: { prefixes: ['2200', '2201', '2202', '2203', '2204'], lengths: [16, 17, 18, 19] },
} as const;

export type SampleBrand = keyof typeof BRAND_SAMPLES;
export const SAMPLE_BRANDS = Object.keys(BRAND_SAMPLES) as SampleBrand[];

/** `6221` followed by a digit under 2 stays below Discover's 622126: keep the UnionPay sample UnionPay. */
export function randomCardNumber(random: () => number, brand: SampleBrand): string {
  const sample = BRAND_SAMPLES[brand];
  let prefix: string = pick(random, sample.prefixes);
  if (prefix === '6221') prefix += pick(random, ['0', '1']);
  return luhnValidNumber(random, prefix, pick(random, sample.lengths));
}

const SEPARATORS = [' ', '-', '.', '  ', ' - ', '\u00A0', '\u2009', '\u3000', '\u2013'] as const;

/**
 * The number as a customer might write it: unbroken, in groups of four (Amex and 14-digit Diners as
 * 4-6-5 / 4-6-4) with one separator throughout, or with a different separator at every gap.
 */
export function formatCardNumber(random: () => number, digits: string): string {
  const style = pick(random, ['unbroken', 'uniform', 'mixed'] as const);
  if (style === 'unbroken') return digits;
  const sizes = digits.length === 15 || digits.length === 14 ? [4, 6, digits.length - 10] : [];
  const groups: string[] = [];
  if (sizes.length > 0 && random() < 0.7) {
    let offset = 0;
    for (const size of sizes) {
      groups.push(digits.slice(offset, offset + size));
      offset += size;
    }
  } else {
    for (let offset = 0; offset < digits.length; offset += 4)
      groups.push(digits.slice(offset, offset + 4));
  }
  const uniform = pick(random, SEPARATORS);
  return groups.reduce(
    (text, group) => text + (style === 'uniform' ? uniform : pick(random, SEPARATORS)) + group,
  );
}

/** ASCII digits of a text written in any of the digit scripts customers use (full-width, Arabic-Indic…). */
export function asciiDigitsOf(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u0660-\u0669]/g, (digit) => String(digit.charCodeAt(0) - 0x0660))
    .replace(/[\u06F0-\u06F9]/g, (digit) => String(digit.charCodeAt(0) - 0x06f0))
    .replace(/[\u0966-\u096F]/g, (digit) => String(digit.charCodeAt(0) - 0x0966))
    .replace(/[^0-9]/g, '');
}
