/**
 * Character classes and spans shared by the card and card-detail detectors. Customers type digits from
 * other scripts too (full-width digits from a Japanese or Chinese keyboard, Arabic-Indic digits), and a card
 * number in those is as much a card number as one in ASCII.
 */

/** Decimal digit blocks recognised, each as the code point of its zero. */
const DIGIT_ZEROS = [0x30, 0xff10, 0x0660, 0x06f0, 0x0966] as const;

/** A regular-expression character class body (no brackets) matching one digit of any recognised block. */
export const DIGIT = '0-9\\uFF10-\\uFF19\\u0660-\\u0669\\u06F0-\\u06F9\\u0966-\\u096F';

/** Matches when a text has at least one digit: the cheap test that lets most messages skip all scanning. */
export const ANY_DIGIT = new RegExp(`[${DIGIT}]`);

/**
 * What may stand between the digit groups of one number: spaces (also no-break, thin and ideographic),
 * hyphens and dashes (also full-width), dots and line breaks. Up to three in a row, so `4242 - 4242` and
 * `4242\r\n4242` stay one number.
 */
export const GROUP_SEPARATOR =
  ' \\t\\r\\n\\u00A0\\u2007\\u2009\\u202F\\u3000\\-\\u2010-\\u2015\\uFF0D.';

/** ASCII digits for a string of recognised digits (other characters are dropped). */
export function toAsciiDigits(text: string): string {
  let digits = '';
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    for (const zero of DIGIT_ZEROS) {
      if (code >= zero && code <= zero + 9) {
        digits += String.fromCharCode(48 + code - zero);
        break;
      }
    }
  }
  return digits;
}

/**
 * Letters of scripts written without spaces between words: a number right after "番号は" is not glued to a
 * word the way "W2378156" is.
 */
const SCRIPT_WITHOUT_SPACES =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const LETTER_OR_UNDERSCORE = /[\p{L}\p{M}_]/u;

/**
 * True for a character that makes a digit run beside it part of a word or identifier (`W2378156`,
 * `yusuf_rossi_9620`), so the digits there are not a free-standing number.
 */
export function joinsWord(character: string | undefined): boolean {
  if (character === undefined) return false;
  return LETTER_OR_UNDERSCORE.test(character) && !SCRIPT_WITHOUT_SPACES.test(character);
}

/** A half-open range of UTF-16 offsets. */
export interface TextSpan {
  readonly start: number;
  readonly end: number;
}

/**
 * Web and e-mail addresses are recognised per whitespace-separated token, with anchored patterns: scanning
 * the whole text with unanchored ones costs time quadratic in the length of a long digit or dotted run.
 */
const TOKEN = /\S+/g;
const OPENING_PUNCTUATION = new Set('(<["\'«“‘');
const CLOSING_PUNCTUATION = new Set(')>]"\'»”’.,;:!?');
const URL_TOKEN = /:\/\/|^www\.|^[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}\//iu;
const EMAIL_TOKEN = /^[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+$/u;
/** Two letters, two check digits, then 11 to 30 letters or digits, in groups or not. */
const IBAN_CANDIDATE = /(?<![\p{L}\p{N}])[a-z]{2}[0-9]{2}(?:[ -]?[a-z0-9]){11,30}/giu;

/** The ISO 13616 check: the rearranged IBAN, letters as 10–35, is 1 modulo 97. */
export function isIbanValid(candidate: string): boolean {
  const compact = candidate.replace(/[ -]/g, '').toUpperCase();
  if (!/^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/.test(compact)) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const value = character >= 'A' ? character.charCodeAt(0) - 55 : character.charCodeAt(0) - 48;
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}

/** The longest prefix of an IBAN-shaped match that passes the check, so trailing words are not swallowed. */
function validIbanLength(candidate: string): number | undefined {
  for (let length = candidate.length; length >= 15; length -= 1) {
    const prefix = candidate.slice(0, length);
    if (/[a-z0-9]$/i.test(prefix) && isIbanValid(prefix)) return length;
  }
  return undefined;
}

/**
 * Spans whose digits are never card numbers: web addresses, e-mail addresses and valid IBANs. A tracking link
 * or a product URL carries long digit runs that are identifiers, and an IBAN (a bank account identifier
 * printed on invoices, not a payment credential) can hold a Luhn-valid run with a card-like prefix.
 */
export function spansWithoutCards(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const match of text.matchAll(TOKEN)) {
    const token = match[0];
    if (!token.includes('/') && !token.includes('@') && !/www\./i.test(token)) continue;
    let first = 0;
    let last = token.length;
    while (first < last && OPENING_PUNCTUATION.has(token[first]!)) first += 1;
    while (last > first && CLOSING_PUNCTUATION.has(token[last - 1]!)) last -= 1;
    const core = token.slice(first, last);
    if (URL_TOKEN.test(core) || EMAIL_TOKEN.test(core)) {
      spans.push({ start: match.index + first, end: match.index + last });
    }
  }
  for (const match of text.matchAll(IBAN_CANDIDATE)) {
    const length = validIbanLength(match[0]);
    if (length !== undefined) spans.push({ start: match.index, end: match.index + length });
  }
  return spans;
}

/** True when the two spans share at least one character. */
export function overlaps(first: TextSpan, second: TextSpan): boolean {
  return first.start < second.end && second.start < first.end;
}
