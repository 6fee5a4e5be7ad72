/**
 * Pattern extraction of the structured things customers type: order ids, emails, zip codes, names, cancel
 * reasons, addresses and payment methods. Regular expressions are the right tool here: these have fixed
 * shapes, and a classifier would only blur them.
 */

/** The cancel reasons the order tools accept, word for word. */
export type CancelReason = 'no longer needed' | 'ordered by mistake';

export interface PersonName {
  firstName: string;
  lastName: string;
}

/** A postal address as the order tools take it; `address2` is an empty string when there is none. */
export interface PostalAddress {
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
}

/** What a customer said about a payment method: an exact id, a kind, a card brand or last four digits. */
export interface PaymentReference {
  id: string | null;
  source: 'credit_card' | 'gift_card' | 'paypal' | null;
  brand: string | null;
  lastFour: string | null;
}

/**
 * `#W` and seven digits, however typed: "#W2378156", "W2378156", "w 237 8156", "# W2378156". A bare
 * "#2378156" is read as the same id, since customers drop the letter more often than they mean another shop.
 */
const ORDER_ID_PATTERN = /(?:#\s*)?\bW\s*-?\s*((?:\d[\s-]?){6}\d)(?![\d])|#\s*(\d{7})(?!\d)/giu;

const EMAIL_PATTERN =
  /[a-z0-9](?:[a-z0-9._%+-]*[a-z0-9_])?@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*\.[a-z]{2,}/giu;

const PAYMENT_ID_PATTERN = /\b(credit_card|gift_card|paypal)_(\d+)\b/giu;

/** Every order id in the text, as `#W` + 7 digits, in order of appearance and without repeats. */
export function extractOrderIds(text: string): string[] {
  const ids: string[] = [];
  for (const match of text.matchAll(ORDER_ID_PATTERN)) {
    const digits = (match[1] ?? match[2] ?? '').replace(/[\s-]/gu, '');
    if (digits.length !== 7) continue;
    const id = `#W${digits}`;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Every email address in the text, lower-cased, without repeats. */
export function extractEmails(text: string): string[] {
  const emails: string[] = [];
  for (const match of text.matchAll(EMAIL_PATTERN)) {
    const email = match[0].toLowerCase();
    if (!emails.includes(email)) emails.push(email);
  }
  return emails;
}

/** Exact payment method ids such as `credit_card_7815826`. */
export function extractPaymentMethodIds(text: string): string[] {
  return [...text.matchAll(PAYMENT_ID_PATTERN)].map((match) => match[0].toLowerCase());
}

/** The text with order ids, emails and payment method ids blanked, so their digits are not read as a zip. */
function withoutIdentifiers(text: string): string {
  return text
    .replace(EMAIL_PATTERN, ' ')
    .replace(ORDER_ID_PATTERN, ' ')
    .replace(PAYMENT_ID_PATTERN, ' ');
}

const ZIP_CUE =
  /\b(?:zip|zipcode|zip code|postal code|postcode|post code)\b\s*(?:code\s*)?(?:is|:|=|-)?\s*(\d{5})(?:-\d{4})?(?![\d.,]\d)/iu;
/** Five digits standing alone: not part of a longer number, a price, a decimal or a measurement. */
const STANDALONE_FIVE_DIGITS =
  /(?<![\d$.,\-/])\b(\d{5})(?:-\d{4})?\b(?![.,]\d)(?!\s*(?:mah|ml|ft|lbs?|gb|tb|mp|w\b|bar|inch|inches|pieces|%))/giu;

/**
 * The zip code in the text: five digits after a cue word ("zip 19122") when there is one, otherwise the last
 * five-digit number standing alone. A longer number (a phone, an order's digits) is never cut down to a zip.
 */
export function extractZip(text: string): string | null {
  const cleaned = withoutIdentifiers(text);
  const cued = ZIP_CUE.exec(cleaned);
  if (cued?.[1] !== undefined) return cued[1];
  let last: string | null = null;
  for (const match of cleaned.matchAll(STANDALONE_FIVE_DIGITS)) last = match[1] ?? last;
  return last;
}

/** Lower-case words that are never part of a person's name, to reject "I am looking for…". */
const NOT_NAME_WORDS = new Set(
  (
    'a an the and or but my your our his her their its it is are was were be been am i im me you we they ' +
    'this that these those here there what which who when where why how not no yes ok okay sure please ' +
    'thanks thank hi hello hey looking trying calling writing wondering going waiting having just still ' +
    'very so too also zip zipcode code postal postcode email mail address name first last number order ' +
    'orders account from in on at to for with of by about again now today new old good fine great ' +
    'interested unhappy happy upset annoyed sorry here want need would like could can will do does did ' +
    'return cancel exchange refund track change help agent person human'
  ).split(' '),
);

const NAME_WORD = "[A-Za-z][A-Za-z'\\-]*";
const FIRST_LAST_PATTERN = new RegExp(
  `\\bfirst\\s*name\\s*(?:is|:)?\\s*(${NAME_WORD})[\\s,]+(?:and\\s+)?(?:my\\s+)?(?:last\\s*name|surname|family\\s*name)\\s*(?:is|:)?\\s*(${NAME_WORD})`,
  'iu',
);
/** Cue phrases that are followed by a full name. "I am"/"this is" need capitals, "my name is" does not. */
const STRONG_NAME_CUE = new RegExp(
  `\\b(?:my\\s+name\\s+is|my\\s+name's|my\\s+names|name\\s*(?:is|:)|under\\s+the\\s+name(?:\\s+of)?|full\\s+name\\s*(?:is|:)?|call\\s+me)\\s+(${NAME_WORD})\\s+(${NAME_WORD})`,
  'iu',
);
const WEAK_NAME_CUE = new RegExp(
  `\\b(?:i\\s+am|i'm|im|this\\s+is|it's|its)\\s+(${NAME_WORD})\\s+(${NAME_WORD})`,
  'iu',
);

function capitalize(word: string): string {
  return word
    .split(/([-'])/u)
    .map((part) => (part.length > 0 ? part[0]!.toUpperCase() + part.slice(1).toLowerCase() : part))
    .join('');
}

function isNameWord(word: string): boolean {
  return word.length >= 2 && !NOT_NAME_WORDS.has(word.toLowerCase());
}

function isCapitalized(word: string): boolean {
  return /^[A-Z]/u.test(word);
}

function nameOf(first: string, last: string): PersonName {
  return { firstName: capitalize(first), lastName: capitalize(last) };
}

/**
 * A customer's full name. Read after a cue ("my name is …", "first name … last name …", "I'm Jane Doe"); when
 * the assistant has just asked for verification details, a message that is only two words (with perhaps a zip
 * or an email beside them) is read as a name too.
 */
export function extractName(
  text: string,
  options: { expectingName?: boolean } = {},
): PersonName | null {
  const firstLast = FIRST_LAST_PATTERN.exec(text);
  if (firstLast?.[1] !== undefined && firstLast[2] !== undefined) {
    return nameOf(firstLast[1], firstLast[2]);
  }
  const strong = STRONG_NAME_CUE.exec(text);
  if (
    strong?.[1] !== undefined &&
    strong[2] !== undefined &&
    isNameWord(strong[1]) &&
    isNameWord(strong[2])
  ) {
    return nameOf(strong[1], strong[2]);
  }
  const weak = WEAK_NAME_CUE.exec(text);
  if (
    weak?.[1] !== undefined &&
    weak[2] !== undefined &&
    isNameWord(weak[1]) &&
    isNameWord(weak[2]) &&
    ((isCapitalized(weak[1]) && isCapitalized(weak[2])) ||
      // In lower case, "this is taking forever" must not pass for a name: a verb form never starts one.
      (options.expectingName === true && !/(?:ing|ed)$/iu.test(weak[1])))
  ) {
    return nameOf(weak[1], weak[2]);
  }
  const rest = withoutIdentifiers(text)
    .replace(/\b\d+(?:-\d+)?\b/gu, ' ')
    .replace(
      /\b(?:zip|zipcode|zip code|postal code|postcode|and|my|is|it's|sure|ok|okay|yes|name|email|here|you go)\b/giu,
      ' ',
    )
    .replace(/[,.;:!?()]/gu, ' ')
    .trim()
    .split(/\s+/u)
    .filter((word) => word !== '');
  const hasOtherDetail = extractZip(text) !== null || extractEmails(text).length > 0;
  if (
    rest.length === 2 &&
    rest.every((word) => new RegExp(`^${NAME_WORD}$`, 'u').test(word) && isNameWord(word)) &&
    (options.expectingName === true || (hasOtherDetail && rest.every(isCapitalized)))
  ) {
    return nameOf(rest[0]!, rest[1]!);
  }
  return null;
}

const MISTAKE_WORDS =
  /\b(?:by\s+(?:mistake|accident)|mistaken(?:ly)?|accident(?:al(?:ly)?)?|ordered\s+(?:it\s+)?twice|double\s+order(?:ed)?|duplicate|wrong\s+(?:order|item|thing|product)|didn'?t\s+mean\s+to|did\s+not\s+mean\s+to|misclick(?:ed)?|ordered\s+the\s+wrong|in\s+error|mistake)\b/iu;
const NOT_NEEDED_WORDS =
  /\b(?:no\s+longer\s+(?:need|needed|want|wanted|require)|(?:don'?t|do\s+not|dont)\s+(?:need|want)|not\s+needed|unneeded|changed\s+my\s+mind|change\s+of\s+mind|found\s+(?:it|one)\s+(?:cheaper|elsewhere)|(?:needn'?t|not\s+necessary)|bought\s+(?:it\s+)?elsewhere|no\s+need)\b/iu;

/** The cancel reason, when the customer gave one the tools accept. "Changed my mind" counts as not needed. */
export function extractCancelReason(text: string): CancelReason | null {
  if (MISTAKE_WORDS.test(text)) return 'ordered by mistake';
  if (NOT_NEEDED_WORDS.test(text)) return 'no longer needed';
  return null;
}

const US_STATES: Readonly<Record<string, string>> = {
  alabama: 'AL',
  alaska: 'AK',
  arizona: 'AZ',
  arkansas: 'AR',
  california: 'CA',
  colorado: 'CO',
  connecticut: 'CT',
  delaware: 'DE',
  'district of columbia': 'DC',
  florida: 'FL',
  georgia: 'GA',
  hawaii: 'HI',
  idaho: 'ID',
  illinois: 'IL',
  indiana: 'IN',
  iowa: 'IA',
  kansas: 'KS',
  kentucky: 'KY',
  louisiana: 'LA',
  maine: 'ME',
  maryland: 'MD',
  massachusetts: 'MA',
  michigan: 'MI',
  minnesota: 'MN',
  mississippi: 'MS',
  missouri: 'MO',
  montana: 'MT',
  nebraska: 'NE',
  nevada: 'NV',
  'new hampshire': 'NH',
  'new jersey': 'NJ',
  'new mexico': 'NM',
  'new york': 'NY',
  'north carolina': 'NC',
  'north dakota': 'ND',
  ohio: 'OH',
  oklahoma: 'OK',
  oregon: 'OR',
  pennsylvania: 'PA',
  'rhode island': 'RI',
  'south carolina': 'SC',
  'south dakota': 'SD',
  tennessee: 'TN',
  texas: 'TX',
  utah: 'UT',
  vermont: 'VT',
  virginia: 'VA',
  washington: 'WA',
  'west virginia': 'WV',
  wisconsin: 'WI',
  wyoming: 'WY',
};
const STATE_CODES = new Set(Object.values(US_STATES));
const STATE_NAMES_PATTERN = Object.keys(US_STATES)
  .sort((left, right) => right.length - left.length)
  .join('|');
const STATE_AND_ZIP = new RegExp(
  `(?:^|[\\s,])(${STATE_NAMES_PATTERN}|[A-Za-z]{2})\\.?\\s*,?\\s+(\\d{5})(?:-\\d{4})?\\b`,
  'giu',
);
const UNIT_PATTERN =
  /\b(?:apt|apartment|suite|ste|unit|floor|fl|room|rm|building|bldg)\b\.?\s*#?\s*[\w-]+|#\s*\d+[a-z]?\b/iu;
const STREET_START = /(?:^|[\s,:])(\d{1,6}[a-z]?\s+[A-Za-z])/iu;

/**
 * A postal address written in one line: "123 Elm Street, Suite 4, Austin, TX 78712". Returns null unless the
 * street, city, state and zip are all there (a partial address is asked for again, never guessed). The country
 * defaults to "USA", the only country the store ships to in its data.
 */
export function extractAddress(text: string): PostalAddress | null {
  const cleaned = text.replace(EMAIL_PATTERN, ' ').replace(ORDER_ID_PATTERN, ' ');
  const start = STREET_START.exec(cleaned);
  if (start === null) return null;
  const fromStreet = cleaned.slice(start.index + start[0].indexOf(start[1]!));
  // The last state-and-zip pair wins: a street number can look like a zip, a state code never follows it.
  let stateMatch: { state: string; zip: string; index: number } | null = null;
  for (const match of fromStreet.matchAll(STATE_AND_ZIP)) {
    const state = normalizeState(match[1] ?? '');
    if (state !== null && match.index > 0)
      stateMatch = { state, zip: match[2]!, index: match.index };
  }
  if (stateMatch === null) return null;
  const { state, zip } = stateMatch;
  const before = fromStreet.slice(0, stateMatch.index);

  const parts = before
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (parts.length === 0) return null;
  let address2 = '';
  const remaining: string[] = [];
  for (const part of parts) {
    if (
      address2 === '' &&
      remaining.length > 0 &&
      UNIT_PATTERN.test(part) &&
      UNIT_PATTERN.exec(part)?.index === 0
    ) {
      address2 = part;
    } else {
      remaining.push(part);
    }
  }
  let address1: string;
  let city: string;
  if (remaining.length >= 2) {
    city = remaining[remaining.length - 1]!;
    address1 = remaining.slice(0, -1).join(', ');
  } else {
    // No commas: "10 Main St Apt 4 Springfield". The city is what follows the street type or the unit.
    const single = remaining[0]!;
    const split =
      /^(.*\b(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|highway|hwy|parkway|pkwy|terrace|ter|circle|cir|broadway|square|sq)\.?)(?:\s+((?:apt|apartment|suite|ste|unit|#)\.?\s*#?\s*[\w-]+))?\s+([A-Za-z][A-Za-z .'-]*)$/iu.exec(
        single,
      );
    if (split === null) return null;
    address1 = split[1]!.trim();
    if (split[2] !== undefined && address2 === '') address2 = split[2].trim();
    city = split[3]!.trim();
  }
  const unitInStreet = UNIT_PATTERN.exec(address1);
  if (address2 === '' && unitInStreet !== null && unitInStreet.index > 0) {
    address2 = address1
      .slice(unitInStreet.index)
      .replace(/^[,\s]+/u, '')
      .trim();
    address1 = address1
      .slice(0, unitInStreet.index)
      .replace(/[,\s]+$/u, '')
      .trim();
  }
  if (!/^\d/u.test(address1) || city === '' || /\d/u.test(city)) return null;
  return {
    address1: tidy(address1),
    address2: tidy(address2),
    city: titleCase(tidy(city)),
    state,
    country: 'USA',
    zip,
  };
}

function normalizeState(raw: string): string | null {
  const lower = raw.trim().toLowerCase();
  const byName = US_STATES[lower];
  if (byName !== undefined) return byName;
  const upper = raw.trim().toUpperCase();
  return upper.length === 2 && STATE_CODES.has(upper) ? upper : null;
}

function tidy(text: string): string {
  return text
    .replace(/\s+/gu, ' ')
    .replace(/[.,;:]+$/u, '')
    .trim();
}

function titleCase(text: string): string {
  return text
    .split(' ')
    .map((word) => (word === word.toLowerCase() ? capitalize(word) : word))
    .join(' ');
}

const CARD_BRANDS: Readonly<Record<string, string>> = {
  visa: 'visa',
  mastercard: 'mastercard',
  'master card': 'mastercard',
  amex: 'amex',
  'american express': 'amex',
  discover: 'discover',
};

/** What the customer said about a payment method, or null when they named none. */
export function extractPaymentReference(text: string): PaymentReference | null {
  const id = extractPaymentMethodIds(text)[0] ?? null;
  const lower = text.toLowerCase();
  let source: PaymentReference['source'] = null;
  if (/\bpay\s?pal\b/u.test(lower)) source = 'paypal';
  else if (/\bgift[\s-]?cards?\b|\bstore credit\b/u.test(lower)) source = 'gift_card';
  else if (/\b(?:credit|debit|bank)\s*cards?\b|\bcard\b/u.test(lower)) source = 'credit_card';
  let brand: string | null = null;
  for (const [word, value] of Object.entries(CARD_BRANDS)) {
    if (new RegExp(`\\b${word}\\b`, 'u').test(lower)) brand = value;
  }
  if (brand !== null && source === null) source = 'credit_card';
  const lastFourMatch =
    /\b(?:ending|ends|last\s*(?:four|4)(?:\s*digits)?|finishing)\s*(?:in|with|is|are|:)?\s*(\d{4})\b/u.exec(
      lower,
    );
  const lastFour = lastFourMatch?.[1] ?? null;
  if (lastFour !== null && source === null) source = 'credit_card';
  if (id === null && source === null) return null;
  const idSource = id === null ? null : (id.replace(/_\d+$/u, '') as PaymentReference['source']);
  return { id, source: idSource ?? source, brand, lastFour };
}

const ORDINALS: readonly [RegExp, number][] = [
  [/\b(?:first|1st)\b/iu, 0],
  [/\b(?:second|2nd)\b/iu, 1],
  [/\b(?:third|3rd)\b/iu, 2],
  [/\b(?:fourth|4th)\b/iu, 3],
  [/\b(?:fifth|5th)\b/iu, 4],
  [/\b(?:last|latest|most recent|newest)\b/iu, -1],
];

/**
 * A position the customer points at in a list the assistant showed ("the second one", "the last order"):
 * 0-based, or -1 for the last. Null when there is none.
 */
export function extractOrdinal(text: string): number | null {
  for (const [pattern, index] of ORDINALS) if (pattern.test(text)) return index;
  return null;
}

/** True when the customer means every item: "all of it", "the whole order", "everything". */
export function mentionsAllItems(text: string): boolean {
  return /\b(?:all(?:\s+(?:of\s+)?(?:it|them|the\s+items|items|my\s+items))?|everything|entire\s+order|whole\s+order|the\s+whole\s+thing|both)\b/iu.test(
    text,
  );
}

/** True when the customer speaks of their account's saved address rather than one order's. */
export function mentionsAccountAddress(text: string): boolean {
  return /\b(?:default|account|profile|on\s+file|saved|home\s+address\s+on)\b/iu.test(text);
}

/** Words too common to help a policy search. */
const QUERY_STOP_WORDS = new Set(
  (
    'a an the and or but if is are was were be been being am i me my mine you your yours we our us it its ' +
    'this that these those there here what which who whom when where why how do does did doing done have ' +
    'has had can could would should will shall may might must please tell know want wanted wondering ' +
    'question ask asking about to of in on at for with from by as so just really also any some hi hello hey ' +
    'thanks thank ok okay get got like'
  ).split(' '),
);

/**
 * A search query from a customer's question: its content words, without identifiers, at most 300 characters.
 * Falls back to the whole text when every word is a stop word.
 */
export function buildSearchQuery(text: string): string {
  const words = withoutIdentifiers(text)
    .toLowerCase()
    .replace(/[^a-z0-9\s'-]/gu, ' ')
    .split(/\s+/u)
    .filter((word) => word.length > 1 && !QUERY_STOP_WORDS.has(word));
  const query = (words.length > 0 ? words.join(' ') : text.trim()).slice(0, 300).trim();
  return query.length >= 2 ? query : 'customer service';
}

/**
 * The text as the classifier sees it: identifiers become placeholder words, so "#W2378156" and "W 237 8156"
 * look the same to it, and no customer data is part of what it learns.
 */
/** Asks for a profile picture, in the words customers use for one. */
const AVATAR_WORDS = /\b(?:avatar|pfp|profile\s+(?:picture|pic|photo|image))\b/iu;

/** Whether a message asks about a profile picture ("make me an avatar of …", "change my pfp"). */
export function mentionsAvatar(text: string): boolean {
  return AVATAR_WORDS.test(text);
}

/**
 * What a request for an avatar says it should show: "make me an avatar of a fox astronaut, please" gives
 * "a fox astronaut". Null when the message names nothing to draw ("can I get a new avatar?").
 */
export function extractAvatarDescription(text: string): string | null {
  const match =
    /\b(?:avatar|pfp|profile\s+(?:picture|pic|photo|image)|picture|image|drawing)\b[\s,:-]*(?:(?:that|which)\s+(?:is|shows|looks\s+like)|should\s+be|of|with|showing|featuring|like|as|to(?:\s+be)?)\s+(.+)$/iu.exec(
      text,
    ) ??
    /\b(?:avatar|pfp|profile\s+(?:picture|pic|photo|image))\b\s*(?:please\s*)?[:-]\s*(.+)$/iu.exec(
      text,
    );
  const description = match?.[1]
    ?.replace(/\s*(?:,?\s*please|,?\s*thanks?(?:\s+you)?)?\s*[.!?]*\s*$/iu, '')
    .trim();
  if (description === undefined || description.replace(/[^\p{L}\p{N}]/gu, '').length < 2)
    return null;
  return description.slice(0, 300);
}

export function normalizeForClassification(text: string): string {
  return text
    .replace(EMAIL_PATTERN, ' email ')
    .replace(ORDER_ID_PATTERN, ' order ')
    .replace(PAYMENT_ID_PATTERN, ' card ')
    .replace(/\$\s?\d+(?:[.,]\d+)?/gu, ' price ')
    .replace(/(?<![\w])\d{5}(?:-\d{4})?(?![\w])/gu, ' zipcode ')
    .replace(/\s+/gu, ' ')
    .trim();
}
