/**
 * The issuer (IIN) table the detector uses: which leading digits and lengths make a number a card number of
 * a given brand. A number counts as a card only when its prefix is in this table, its length is one of the
 * brand's lengths, and its Luhn check digit is right; a Luhn-valid number with an unknown prefix (a tracking
 * number, an account number) is not a card.
 *
 * | brand      | prefixes (IIN ranges)                    | lengths | principal |
 * |------------|------------------------------------------|---------|-----------|
 * | discover   | 6011, 644–649, 65, 622126–622925         | 16–19   | 16        |
 * | unionpay   | 62 (outside Discover's 622126–622925)    | 16–19   | 16, 19    |
 * | jcb        | 3528–3589                                | 16–19   | 16        |
 * | amex       | 34, 37                                   | 15      | 15        |
 * | diners     | 300–305, 36, 38–39                       | 14–19   | 14, 16    |
 * | visa       | 4                                        | 13, 16, 19 | 16     |
 * | mastercard | 51–55, 2221–2720                         | 16      | 16        |
 * | mir        | 2200–2204                                | 16–19   | 16        |
 * | maestro    | 50, 56–69 (what the rows above leave)    | 13–19   | 16, 19    |
 *
 * Rows are tried in this order and the first row whose prefix and length both fit names the brand, so the
 * narrow ranges (Discover's 6011/644–649/65, UnionPay's 62) win over Maestro's wide 56–69, and a 13-digit
 * number starting 6011 falls through to Maestro. Mir is not in the product issue's list; it is here because
 * its range (2200–2204) belongs to no other brand and Mir cards are as secret as any other. Maestro also issues
 * 12-digit cards; they are below the 13-digit floor of the product issue and are not detected.
 *
 * "Principal" lengths are the ones a brand issues nearly all its cards in. A number of a brand's other
 * lengths (a 15-digit "Maestro", a 13-digit "Visa") is still a card, unless the customer labelled it as a
 * tracking number ("FedEx tracking 612345678901234"): carriers such as FedEx issue 15-digit numbers that pass
 * the Luhn check one time in ten, while a card of a rare length is seldom introduced as a tracking number.
 */
export type CardBrand =
  'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'maestro' | 'mir';

/** One row of the issuer table. Prefix ranges are inclusive and compare the number's first digits. */
export interface CardIssuer {
  readonly brand: CardBrand;
  /** Inclusive ranges of leading digits, both ends of one range having the same number of digits. */
  readonly prefixRanges: ReadonlyArray<readonly [low: string, high: string]>;
  readonly lengths: readonly number[];
  readonly principalLengths: readonly number[];
}

function lengthsFrom(shortest: number, longest: number): number[] {
  return Array.from({ length: longest - shortest + 1 }, (_, index) => shortest + index);
}

/** The table above, in the order rows are tried. */
export const CARD_ISSUERS: readonly CardIssuer[] = [
  {
    brand: 'discover',
    prefixRanges: [
      ['6011', '6011'],
      ['644', '649'],
      ['65', '65'],
      ['622126', '622925'],
    ],
    lengths: lengthsFrom(16, 19),
    principalLengths: [16],
  },
  {
    brand: 'unionpay',
    prefixRanges: [['62', '62']],
    lengths: lengthsFrom(16, 19),
    principalLengths: [16, 19],
  },
  {
    brand: 'jcb',
    prefixRanges: [['3528', '3589']],
    lengths: lengthsFrom(16, 19),
    principalLengths: [16],
  },
  {
    brand: 'amex',
    prefixRanges: [
      ['34', '34'],
      ['37', '37'],
    ],
    lengths: [15],
    principalLengths: [15],
  },
  {
    brand: 'diners',
    prefixRanges: [
      ['300', '305'],
      ['36', '36'],
      ['38', '39'],
    ],
    lengths: lengthsFrom(14, 19),
    principalLengths: [14, 16],
  },
  { brand: 'visa', prefixRanges: [['4', '4']], lengths: [13, 16, 19], principalLengths: [16] },
  {
    brand: 'mastercard',
    prefixRanges: [
      ['51', '55'],
      ['2221', '2720'],
    ],
    lengths: [16],
    principalLengths: [16],
  },
  {
    brand: 'mir',
    prefixRanges: [['2200', '2204']],
    lengths: lengthsFrom(16, 19),
    principalLengths: [16],
  },
  {
    brand: 'maestro',
    prefixRanges: [
      ['50', '50'],
      ['56', '69'],
    ],
    lengths: lengthsFrom(13, 19),
    principalLengths: [16, 19],
  },
];

/** The shortest and longest card numbers looked for (the product issue's 13–19 digits). */
export const CARD_NUMBER_LENGTH = { shortest: 13, longest: 19 } as const;

/** What the issuer table says about a digit string. */
export interface CardIssuerMatch {
  readonly brand: CardBrand;
  /** False when the length is one the brand rarely issues (see the table). */
  readonly principalLength: boolean;
}

function hasPrefixIn(digits: string, ranges: CardIssuer['prefixRanges']): boolean {
  return ranges.some(([low, high]) => {
    const head = digits.slice(0, low.length);
    // Same-length digit strings compare like the numbers they spell.
    return head.length === low.length && head >= low && head <= high;
  });
}

/**
 * The brand whose prefix and length fit `digits` (ASCII digits only, no separators), or undefined. The Luhn
 * check is separate: see {@link isLuhnValid}.
 */
export function identifyCardIssuer(digits: string): CardIssuerMatch | undefined {
  for (const issuer of CARD_ISSUERS) {
    if (issuer.lengths.includes(digits.length) && hasPrefixIn(digits, issuer.prefixRanges)) {
      return {
        brand: issuer.brand,
        principalLength: issuer.principalLengths.includes(digits.length),
      };
    }
  }
  return undefined;
}

/**
 * The Luhn (mod 10) check every payment card number carries in its last digit: from the right, every second
 * digit is doubled (minus 9 when over 9) and the total must end in 0. `digits` holds ASCII digits only.
 */
export function isLuhnValid(digits: string): boolean {
  let total = 0;
  let doubled = false;
  for (let index = digits.length - 1; index >= 0; index -= 1) {
    let value = digits.charCodeAt(index) - 48;
    if (doubled) {
      value *= 2;
      if (value > 9) value -= 9;
    }
    total += value;
    doubled = !doubled;
  }
  return digits.length > 0 && total % 10 === 0;
}
