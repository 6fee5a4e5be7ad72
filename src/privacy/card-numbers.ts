import {
  CARD_NUMBER_LENGTH,
  identifyCardIssuer,
  isLuhnValid,
  type CardBrand,
} from './card-issuers';
import {
  ANY_DIGIT,
  DIGIT,
  GROUP_SEPARATOR,
  joinsWord,
  overlaps,
  spansWithoutCards,
  toAsciiDigits,
  type TextSpan,
} from './text-patterns';

/** A card number found in a text. Offsets are UTF-16 indexes into that text, `end` exclusive. */
export interface CardNumberMatch {
  readonly start: number;
  readonly end: number;
  readonly brand: CardBrand;
  /** The last four digits, in ASCII: the only part of the number that may be shown or stored. */
  readonly lastFour: string;
}

/** Digit groups joined by separators: the unit a number is read from. */
const DIGIT_RUN = new RegExp(`[${DIGIT}]+(?:[${GROUP_SEPARATOR}]{1,3}[${DIGIT}]+)*`, 'gu');
const DIGIT_GROUP = new RegExp(`[${DIGIT}]+`, 'gu');

/**
 * Words that introduce a tracking number. Such a label lets a number of a length its brand rarely issues
 * (see the issuer table) stand as a tracking number; it never excuses a number of a principal length.
 */
const TRACKING_LABEL =
  /(?<![\p{L}])(?:tracking|track|trk|fedex|ups|usps|dhl|waybill|awb|consignment|seguimiento|rastreo|suivi|sendungsnummer|sendungsverfolgung|tracciamento|rastreio)(?![\p{L}])|追跡|运单|快递单/iu;
/** Words that say the number is a card after all, cancelling a tracking label in the same window. */
const CARD_WORD =
  /(?<![\p{L}])(?:card|cards|visa|mastercard|amex|american express|maestro|discover|jcb|diners|unionpay|mir|credit|debit|cc|tarjeta|carte|karte|kreditkarte|carta|cartão)(?![\p{L}])|カード|卡/iu;
/** Our own card marker: not the customer's words, so it must not change how the next pass reads a label. */
const CARD_MARKER_TEXT = /\[card ending [0-9]{4}\]/g;
/** How far back a tracking label may be, within its sentence. */
const LABEL_WINDOW_CHARACTERS = 40;

interface DigitGroup {
  readonly start: number;
  readonly end: number;
  readonly digits: string;
}

function lastSentenceStop(window: string): number {
  let last = -1;
  for (const match of window.matchAll(/[.!?]\s+(?=\p{Lu})/gu)) last = match.index;
  return last;
}

function isTrackingLabelled(text: string, start: number): boolean {
  let window = text.slice(Math.max(0, start - LABEL_WINDOW_CHARACTERS), start);
  // A new sentence starts after a stop and a capital, not after "no. " in "tracking no. 1234…".
  const sentenceEnd = Math.max(window.lastIndexOf('\n'), lastSentenceStop(window));
  if (sentenceEnd >= 0) window = window.slice(sentenceEnd + 1);
  window = window.replace(CARD_MARKER_TEXT, ' ');
  return TRACKING_LABEL.test(window) && !CARD_WORD.test(window);
}

/**
 * Whether the groups' sizes look like a written card number: one unbroken run; groups of one size with a
 * shorter or equal last group (`4242 4242 4242 4242`, `42424 24242 42424 2`, `4242 4242 4242 4242 123`); or
 * the Amex and Diners 4-6-5 and 4-6-4. This keeps two phone numbers in a row (`415 555 0132 415 555 0133`)
 * and a product id followed by a count from reading as one 13–19 digit number.
 */
function isCardGrouping(sizes: readonly number[]): boolean {
  if (sizes.length === 1) return true;
  const [first, second, third] = sizes;
  const amexOrDiners =
    sizes.length === 3 && first === 4 && second === 6 && (third === 5 || third === 4);
  if (amexOrDiners) return true;
  const groupSize = first ?? 0;
  // Uniform groups wider than 8 are ids side by side (two 10-digit item ids), not one grouped number.
  if (groupSize > 8) return false;
  const last = sizes[sizes.length - 1] ?? 0;
  return sizes.slice(0, -1).every((size) => size === groupSize) && last >= 1 && last <= groupSize;
}

interface GroupedCard {
  readonly lastGroup: number;
  readonly digits: string;
  readonly brand: CardBrand;
}

/** The longest card number that starts at group `first`, if any. */
function longestCardFrom(
  groups: readonly DigitGroup[],
  first: number,
  trackingLabelled: () => boolean,
): GroupedCard | undefined {
  let digits = '';
  const sizes: number[] = [];
  let best: GroupedCard | undefined;
  for (let index = first; index < groups.length; index += 1) {
    const group = groups[index]!;
    digits += group.digits;
    sizes.push(group.digits.length);
    if (digits.length > CARD_NUMBER_LENGTH.longest) break;
    if (digits.length < CARD_NUMBER_LENGTH.shortest || !isCardGrouping(sizes)) continue;
    const issuer = identifyCardIssuer(digits);
    if (issuer === undefined || !isLuhnValid(digits)) continue;
    if (!issuer.principalLength && trackingLabelled()) continue;
    best = { lastGroup: index, digits, brand: issuer.brand };
  }
  return best;
}

/**
 * Card numbers in the groups of one digit run. A card starts at the run's first group, or at the second when
 * the first is a short number of 1–3 digits ("2 4242 4242 4242 4242"); after a card, the rest of the run is
 * read again the same way (two cards in a row, or a card then its security code). Starting anywhere else
 * would find card-shaped pieces inside long grouped numbers such as a USPS `9400 1118 9922 3397 8862 34`.
 */
function cardsInGroups(
  text: string,
  groups: readonly DigitGroup[],
  found: CardNumberMatch[],
): void {
  let labelled: boolean | undefined;
  const trackingLabelled = (): boolean => (labelled ??= isTrackingLabelled(text, groups[0]!.start));
  let first = 0;
  while (first < groups.length) {
    let card = longestCardFrom(groups, first, trackingLabelled);
    let start = first;
    if (card === undefined && groups[first]!.digits.length <= 3 && first + 1 < groups.length) {
      start = first + 1;
      card = longestCardFrom(groups, start, trackingLabelled);
    }
    if (card === undefined) return;
    found.push({
      start: groups[start]!.start,
      end: groups[card.lastGroup]!.end,
      brand: card.brand,
      lastFour: card.digits.slice(-4),
    });
    first = card.lastGroup + 1;
  }
}

function digitGroupsOf(run: string, offset: number): DigitGroup[] {
  return Array.from(run.matchAll(DIGIT_GROUP), (match) => ({
    start: offset + match.index,
    end: offset + match.index + match[0].length,
    digits: toAsciiDigits(match[0]),
  }));
}

/** A hyphen glued to a word before the digits makes them part of an identifier (`SKU-4242…`, `INV-…`). */
function gluedBefore(text: string, start: number): boolean {
  const before = text[start - 1];
  if (joinsWord(before)) return true;
  return before === '-' && joinsWord(text[start - 2]);
}

/** Rejects a non-string with a clear error instead of reading it as an empty text. */
export function assertText(text: unknown, caller: string): asserts text is string {
  if (typeof text !== 'string') {
    throw new TypeError(
      `${caller} expects a string, received ${text === null ? 'null' : typeof text}.`,
    );
  }
}

/**
 * Finds payment card numbers in free text: 13–19 digits, unbroken or grouped with spaces, dashes or dots,
 * with a known issuer prefix and length (see `CARD_ISSUERS`) and a valid Luhn check digit. A number is read
 * only on digit-run boundaries: digits glued to letters (`W2378156`, `yusuf_rossi_9620`), inside a longer
 * unbroken run (a 22-digit USPS number), after a `+` (an international phone number), or inside a URL, an
 * e-mail address or a valid IBAN are never a card.
 *
 * @throws TypeError when `text` is not a string.
 */
export function findCardNumbers(text: string): CardNumberMatch[] {
  assertText(text, 'findCardNumbers');
  const found: CardNumberMatch[] = [];
  if (!ANY_DIGIT.test(text)) return found;
  let excluded: TextSpan[] | undefined;
  for (const match of text.matchAll(DIGIT_RUN)) {
    // Most runs (a zip code, an order number) are too short to hold a card even with separators.
    if (match[0].length < CARD_NUMBER_LENGTH.shortest) continue;
    let groups = digitGroupsOf(match[0], match.index);
    const digitCount = groups.reduce((total, group) => total + group.digits.length, 0);
    if (digitCount < CARD_NUMBER_LENGTH.shortest) continue;
    if (text[match.index - 1] === '+') continue;
    if (gluedBefore(text, match.index)) groups = groups.slice(1);
    if (joinsWord(text[match.index + match[0].length])) groups = groups.slice(0, -1);
    if (groups.length === 0) continue;
    excluded ??= spansWithoutCards(text);
    const runSpan = { start: groups[0]!.start, end: groups[groups.length - 1]!.end };
    if (excluded.some((span) => overlaps(span, runSpan))) continue;
    cardsInGroups(text, groups, found);
  }
  return found;
}

/**
 * True when the text holds at least one card number as {@link findCardNumbers} reads them: for asserting that
 * nothing leaked into a log line, a stored transcript or a model request.
 *
 * @throws TypeError when `text` is not a string.
 */
export function containsCardNumber(text: string): boolean {
  return findCardNumbers(text).length > 0;
}
