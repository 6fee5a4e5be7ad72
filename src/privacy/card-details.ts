import { DIGIT, type TextSpan } from './text-patterns';

/**
 * The secrets written beside a card number: its security code (CVV, CVC, CID…) and its expiry date. Only the
 * value is removed; the label the customer wrote stays, so "cvv 123" reads "cvv [security code removed]".
 */
export type CardDetailKind = 'security_code' | 'expiry';

/** A card detail found in a text; offsets are UTF-16 indexes, `end` exclusive. */
export interface CardDetailSpan extends TextSpan {
  readonly kind: CardDetailKind;
}

/** How far (in characters) a labelled expiry date may be from a card number and still be that card's. */
export const EXPIRY_NEAR_CARD_CHARACTERS = 100;

const WORD_START = '(?<![\\p{L}\\p{N}])';
const WORD_END = '(?![\\p{L}])';

function labels(latin: readonly string[], unspaced: readonly string[]): string {
  const bounded = latin.map((label) => `${WORD_START}(?:${label})${WORD_END}`);
  // Labels in scripts written without spaces sit right against the words around them.
  return `(?:${[...bounded, ...unspaced].join('|')})`;
}

const SECURITY_CODE_LABEL = labels(
  [
    'cvv2?',
    'cvc2?',
    'cvn2?',
    'cav2',
    'cvd',
    'cid',
    'csc',
    'card\\s+(?:security|verification)\\s+(?:code|value|number)',
    '(?:card\\s+)?security\\s+(?:code|number)',
    'code\\s+on\\s+the\\s+back(?:\\s+of\\s+(?:the|my)\\s+card)?',
    '(?:3|4|three|four)[\\s-]digits?\\s+(?:security\\s+)?code',
    'c[óo]digo\\s+de\\s+seguridad',
    'c[óo]digo\\s+de\\s+seguran[çc]a',
    'code\\s+de\\s+s[ée]curit[ée]',
    'cryptogramme(?:\\s+visuel)?',
    'kartenpr[üu]fnummer',
    'pr[üu]fnummer',
    'sicherheitscode',
    'codice\\s+di\\s+sicurezza',
    'beveiligingscode',
    'код\\s+безопасности',
  ],
  ['セキュリティー?コード', '安全码', '安全碼'],
);

const EXPIRY_LABEL = labels(
  [
    'exp(?:iry|iration|ires|ire|\\.)?(?:\\s+date)?',
    'valid\\s+(?:thru|through|until|till|to)',
    'good\\s+(?:thru|through)',
    'vence',
    'vencimiento',
    'caducidad',
    'caduca',
    'fecha\\s+de\\s+(?:vencimiento|caducidad|expiraci[óo]n)',
    "date\\s+d['’]expiration",
    'expire\\s+(?:le|fin)',
    "valable\\s+jusqu['’](?:au|à)",
    'g[üu]ltig\\s+bis',
    'ablaufdatum',
    'l[äa]uft\\s+ab',
    'scadenza',
    'scade',
    'validade',
    'vencimento',
    'geldig\\s+tot',
    'срок\\s+действия',
    'годна\\s+до',
  ],
  ['有効期限', '有效期'],
);

/** Between a label and its value: colons, "is", "number"… ("CVV is 123", "Prüfnummer: 123", "exp. date: 12/27"). */
const LABEL_FILLER = `(?:[\\s:#=：\\-–—.(),]|(?:is|es|est|ist|è|é|number|no|nr|num|n°|code|date|は|为|為)${WORD_END}){0,8}`;

const SECURITY_CODE_VALUE = `[${DIGIT}]{3,4}(?![${DIGIT}])(?![/\\-.][${DIGIT}])`;

const MONTH = '(?:0?[1-9]|1[0-2])';
const YEAR = '(?:20)?[0-9]{2}(?![0-9])';
/** An expiry as printed on a card: 12/27, 12/2027, 1-27, 12.27 (not a full date such as 12/27/2025). */
const WRITTEN_EXPIRY = `(?<![0-9])${MONTH}\\s?[/\\-.]\\s?${YEAR}(?![/\\-.][0-9])`;
/** Shapes too ambiguous alone, read as an expiry only after a label: 1227, 12 27, 2027-12, Dec 2027. */
const LABELLED_ONLY_EXPIRY = [
  `(?<![0-9])(?:0[1-9]|1[0-2])${YEAR}`,
  `(?<![0-9])${MONTH}\\s${YEAR}`,
  `(?<![0-9])20[0-9]{2}\\s?[/\\-.]\\s?${MONTH}(?![0-9])`,
  `(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?\\s*(?:20)?[0-9]{2}(?![0-9])`,
].join('|');

/** What may separate the details that follow a card: punctuation (also CJK), spaces and "and". */
const DETAIL_PUNCTUATION = '[\\s,;:|()\\[\\]\\-–—/.、，。：；（）]*';
const DETAIL_SEPARATOR = `${DETAIL_PUNCTUATION}(?:(?:and|with|y|con|et|avec|und|mit|e|com|en|&)${WORD_END}${DETAIL_PUNCTUATION})?`;

const LABELLED_SECURITY_CODE = `${SECURITY_CODE_LABEL}${LABEL_FILLER}(?<value>${SECURITY_CODE_VALUE})`;
const LABELLED_EXPIRY = `${EXPIRY_LABEL}${LABEL_FILLER}(?<value>${WRITTEN_EXPIRY}|${LABELLED_ONLY_EXPIRY})`;

const LABELLED_SECURITY_CODES = new RegExp(LABELLED_SECURITY_CODE, 'giud');
const LABELLED_EXPIRIES = new RegExp(LABELLED_EXPIRY, 'giud');

/** Details right after a card, tried in this order at each step; unlabelled values count only here. */
const FOLLOWING_DETAILS: ReadonlyArray<{ kind: CardDetailKind; pattern: RegExp }> = [
  {
    kind: 'security_code',
    pattern: new RegExp(`${DETAIL_SEPARATOR}${LABELLED_SECURITY_CODE}`, 'iuyd'),
  },
  { kind: 'expiry', pattern: new RegExp(`${DETAIL_SEPARATOR}${LABELLED_EXPIRY}`, 'iuyd') },
  { kind: 'expiry', pattern: new RegExp(`${DETAIL_SEPARATOR}(?<value>${WRITTEN_EXPIRY})`, 'iuyd') },
  {
    kind: 'security_code',
    pattern: new RegExp(`${DETAIL_SEPARATOR}(?<value>${SECURITY_CODE_VALUE})`, 'iuyd'),
  },
];

/** A card has at most a security code and an expiry; a few more steps allow for a repeated value. */
const MOST_FOLLOWING_DETAILS = 4;

function valueSpan(match: RegExpExecArray, kind: CardDetailKind): CardDetailSpan | undefined {
  const value = match.indices?.groups?.['value'];
  return value === undefined ? undefined : { kind, start: value[0], end: value[1] };
}

function allLabelled(text: string, pattern: RegExp, kind: CardDetailKind): CardDetailSpan[] {
  const spans: CardDetailSpan[] = [];
  for (const match of text.matchAll(pattern)) {
    const span = valueSpan(match, kind);
    if (span !== undefined) spans.push(span);
  }
  return spans;
}

/**
 * Security codes introduced by a label ("cvv 123", "security code: 1234", "Prüfnummer 123"), anywhere in the
 * text: a labelled security code is a secret whether or not the card number is in the same message.
 */
export function findLabelledSecurityCodes(text: string): CardDetailSpan[] {
  return allLabelled(text, LABELLED_SECURITY_CODES, 'security_code');
}

/**
 * Expiry dates introduced by a label ("exp 12/27", "valid thru 12/2027"), anywhere in the text. Alone an
 * expiry date is no secret ("my warranty expires 12/27"); callers keep those near a card number.
 */
export function findLabelledExpiries(text: string): CardDetailSpan[] {
  return allLabelled(text, LABELLED_EXPIRIES, 'expiry');
}

/**
 * The expiry dates and security codes written straight after a card number, labelled or not
 * ("4242 4242 4242 4242 12/27 123", "…4242, exp 12/27, cvc 123"). Stops at the first thing that is neither,
 * and before running into another card (`stopAt`).
 */
export function findDetailsAfterCard(
  text: string,
  position: number,
  stopAt: number,
): CardDetailSpan[] {
  const spans: CardDetailSpan[] = [];
  let cursor = position;
  for (let step = 0; step < MOST_FOLLOWING_DETAILS; step += 1) {
    let next: { span: CardDetailSpan; end: number } | undefined;
    for (const { kind, pattern } of FOLLOWING_DETAILS) {
      pattern.lastIndex = cursor;
      const match = pattern.exec(text);
      const span = match === null ? undefined : valueSpan(match, kind);
      if (match !== null && span !== undefined) {
        next = { span, end: match.index + match[0].length };
        break;
      }
    }
    if (next === undefined || next.span.end > stopAt) break;
    spans.push(next.span);
    cursor = next.end;
  }
  return spans;
}
