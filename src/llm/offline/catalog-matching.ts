import type { PaymentReference } from './entities';
import { mentionsAllItems } from './entities';
import type {
  OrderItem,
  PaymentMethodDetails,
  ProductDetails,
  ProductVariant,
  UserDetails,
} from './tool-results';

/**
 * Resolving the customer's words against what the tools returned: "the water bottle" to an item of the order,
 * "the red one in XL" to a variant of the product, "my visa" to a saved payment method. Nothing is guessed:
 * when the words fit several things equally, the caller asks.
 */

/** Other words customers use for the catalogue's product names, mapped to a word of the name. */
const ITEM_SYNONYMS: Readonly<Record<string, string>> = {
  shirt: 'shirt',
  tshirt: 'shirt',
  tee: 'shirt',
  headset: 'headphone',
  earphone: 'earbud',
  earbud: 'earbud',
  phone: 'smartphone',
  cellphone: 'smartphone',
  bike: 'bicycle',
  ereader: 'reader',
  kindle: 'reader',
  vacuum: 'vacuum',
  hoover: 'vacuum',
  suitcase: 'luggage',
  charger: 'charger',
  powerbank: 'charger',
  bulb: 'bulb',
  trainer: 'shoe',
  sneaker: 'sneaker',
  boot: 'boot',
  dumbbell: 'dumbbell',
  weight: 'dumbbell',
  mat: 'mat',
  thermostat: 'thermostat',
  clock: 'clock',
  tablet: 'tablet',
  ipad: 'tablet',
  notebook: 'notebook',
  journal: 'notebook',
};

/** Lower-case content words, with a plural "s" dropped so "headphones" meets "Headphones" and "shoes" "Shoe". */
export function contentWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/t-shirt/gu, 'tshirt')
    .replace(/e-reader/gu, 'ereader')
    .split(/[^a-z0-9]+/u)
    .filter((word) => word.length > 1)
    .map(singular);
}

function singular(word: string): string {
  if (word.length > 3 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && /(?:ss|us)$/u.test(word)) return word;
  if (word.length > 3 && word.endsWith('es') && /(?:sh|ch|x)es$/u.test(word))
    return word.slice(0, -2);
  if (word.length > 2 && word.endsWith('s')) return word.slice(0, -1);
  return word;
}

function nameWords(name: string): string[] {
  return contentWords(name).map((word) => (word === 'tshirt' ? 'shirt' : word));
}

/** How well the words name the item: 1 for every word of its name, 0.75 for its head noun alone, else less. */
function nameScore(words: ReadonlySet<string>, item: Pick<OrderItem, 'name'>): number {
  const name = nameWords(item.name);
  if (name.length === 0) return 0;
  const matched = name.filter((word) => words.has(word)).length;
  if (matched === name.length) return 1;
  const head = name[name.length - 1]!;
  if (words.has(head)) return 0.75;
  return matched > 0 ? 0.5 * (matched / name.length) : 0;
}

function expandSynonyms(words: readonly string[]): Set<string> {
  const expanded = new Set(words);
  for (const word of words) {
    const synonym = ITEM_SYNONYMS[word];
    if (synonym !== undefined) expanded.add(synonym);
  }
  return expanded;
}

/** Whether the words name at least one of the items, wholly or by its head noun ("the bottle"). */
export function namesAnyItem(text: string, items: readonly Pick<OrderItem, 'name'>[]): boolean {
  const words = expandSynonyms(contentWords(text));
  return items.some((item) => nameScore(words, item) >= 0.75);
}

export type ItemResolution =
  | { kind: 'matched'; items: OrderItem[] }
  | { kind: 'ambiguous'; candidates: OrderItem[] }
  | { kind: 'none' };

/**
 * The order's items the customer means. "All"/"everything"/"both" means every item; otherwise items named
 * (wholly or by their head noun: "the bottle") are chosen, and option words ("the blue one") narrow items that
 * share a name. An order with a single item needs no words at all.
 */
export function resolveItems(text: string, items: readonly OrderItem[]): ItemResolution {
  if (items.length === 0) return { kind: 'none' };
  const words = expandSynonyms(contentWords(text));
  const scored = items.map((item) => ({ item, score: nameScore(words, item) }));
  const named = scored.filter((entry) => entry.score >= 0.75);
  if (named.length === 0) {
    const byOptions = items.filter((item) => optionMatches(text, item) > 0);
    if (byOptions.length === 1) return { kind: 'matched', items: byOptions };
    if (mentionsAllItems(text)) return { kind: 'matched', items: [...items] };
    if (new Set(items.map((item) => item.item_id)).size === 1)
      return { kind: 'matched', items: [items[0]!] };
    return { kind: 'none' };
  }
  const best = Math.max(...named.map((entry) => entry.score));
  // A full name beats a head noun only for items of the same head ("water bottle" vs "bottle" of another kind).
  const chosen = named.filter(
    (entry) => entry.score === best || !sameHead(entry.item, named, best),
  );
  const byName = new Map<string, OrderItem[]>();
  for (const { item } of chosen) byName.set(item.name, [...(byName.get(item.name) ?? []), item]);
  const result: OrderItem[] = [];
  const all = mentionsAllItems(text);
  for (const group of byName.values()) {
    const distinct = uniqueByItemId(group);
    if (distinct.length === 1 || all) {
      result.push(...(all ? group : [group[0]!]));
      continue;
    }
    const scores = distinct.map((item) => optionMatches(text, item));
    const top = Math.max(...scores);
    const narrowed = distinct.filter((_, index) => scores[index] === top);
    if (top === 0 || narrowed.length > 1) return { kind: 'ambiguous', candidates: distinct };
    result.push(narrowed[0]!);
  }
  return { kind: 'matched', items: result };
}

function sameHead(
  item: OrderItem,
  named: readonly { item: OrderItem; score: number }[],
  best: number,
): boolean {
  const head = nameWords(item.name).at(-1);
  return named.some((entry) => entry.score === best && nameWords(entry.item.name).at(-1) === head);
}

function uniqueByItemId(items: readonly OrderItem[]): OrderItem[] {
  const seen = new Set<string>();
  return items.filter((item) => (seen.has(item.item_id) ? false : (seen.add(item.item_id), true)));
}

function optionMatches(text: string, item: Pick<OrderItem, 'options'>): number {
  return Object.entries(item.options).filter(([key, value]) =>
    mentionsOptionValue(text, key, value),
  ).length;
}

const SIZE_WORDS: Readonly<Record<string, readonly string[]>> = {
  xs: ['extra small', 'x-small', 'xsmall'],
  s: ['small'],
  m: ['medium'],
  l: ['large'],
  xl: ['extra large', 'x-large', 'xlarge'],
  xxl: ['double xl', '2xl', 'xx-large', 'xxlarge', 'extra extra large'],
};

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
}

/** A value as a pattern that tolerates the usual spellings: "full size"/"full-size", "1000ml"/"1000 ml". */
function valuePattern(value: string): string {
  return escapeRegExp(value.toLowerCase())
    .replace(/(?:\\-|\s)+/gu, '[\\s-]*')
    .replace(/(\d)([a-z])/gu, '$1\\s*$2')
    .replace(/grey|gray/gu, 'gr[ae]y');
}

function mentions(text: string, pattern: string): boolean {
  return new RegExp(`(?<![a-z0-9])${pattern}(?![a-z0-9])`, 'iu').test(text);
}

/**
 * Whether the text names this option value. Bare numbers ("10") and size letters ("M") count only with their
 * option's name beside them ("size 10", "size M") or, for sizes, as the words customers use ("medium");
 * yes/no/none values count when the option itself is mentioned ("waterproof", "no backlight").
 */
export function mentionsOptionValue(text: string, key: string, value: string): boolean {
  const lower = text.toLowerCase();
  const keyPattern = valuePattern(key);
  const normalizedValue = value.toLowerCase();
  if (normalizedValue === 'yes' || normalizedValue === 'no' || normalizedValue === 'none') {
    const negated = new RegExp(
      `(?:\\bno|\\bnot|\\bnon|\\bwithout)[\\s-]*(?:a\\s+)?${keyPattern}`,
      'iu',
    ).test(lower);
    if (normalizedValue === 'yes') return mentions(lower, keyPattern) && !negated;
    return (
      negated || new RegExp(`${keyPattern}\\s*[:=]?\\s*${normalizedValue}\\b`, 'iu').test(lower)
    );
  }
  const sizeWords = SIZE_WORDS[normalizedValue];
  if (sizeWords !== undefined && key.toLowerCase() === 'size') {
    if (new RegExp(`\\bsize\\s*:?\\s*${escapeRegExp(normalizedValue)}\\b`, 'iu').test(lower))
      return true;
    // Typed in capitals, a size stands alone: "an M", "XL please".
    if (
      new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(value.toUpperCase())}(?![A-Za-z0-9])`, 'u').test(
        text,
      )
    )
      return true;
    return sizeWords.some((word) => mentions(lower, valuePattern(word)));
  }
  if (/^\d+$/u.test(normalizedValue)) {
    return (
      new RegExp(`${keyPattern}\\s*(?:of|:|=)?\\s*${normalizedValue}(?![\\d])`, 'iu').test(lower) ||
      new RegExp(`(?<![\\d])${normalizedValue}\\s*${keyPattern}`, 'iu').test(lower)
    );
  }
  return mentions(lower, valuePattern(normalizedValue));
}

export type VariantChoice =
  | { kind: 'chosen'; variant: ProductVariant; changes: Record<string, string> }
  | { kind: 'no_change_requested' }
  | { kind: 'unavailable'; changes: Record<string, string> }
  | { kind: 'no_match'; changes: Record<string, string> }
  | { kind: 'ambiguous'; candidates: ProductVariant[]; changes: Record<string, string> };

/**
 * The variant of the product the customer asks for, read as changes to the item they have: each option value
 * they name that differs from the current one, everything else kept. Only that exact variant is chosen; when it
 * is out of stock the answer says so, and when the product does not come that way but other variants have the
 * named values, they are offered as a choice (changing more than the customer asked is never decided for them).
 */
export function chooseVariant(
  text: string,
  product: ProductDetails,
  current: OrderItem,
): VariantChoice {
  const variants = Object.values(product.variants);
  const valuesByKey = new Map<string, Set<string>>();
  for (const variant of variants) {
    for (const [key, value] of Object.entries(variant.options)) {
      valuesByKey.set(key, (valuesByKey.get(key) ?? new Set()).add(value));
    }
  }
  const changes: Record<string, string> = {};
  for (const [key, values] of valuesByKey) {
    const mentioned = [...values].filter((value) => mentionsOptionValue(text, key, value));
    // When several values of one option are named ("from blue to red"), the one that is not current is the wish;
    // the longest wins among several ("stainless steel" over a shorter overlap).
    const different = mentioned
      .filter((value) => value !== current.options[key])
      .sort((left, right) => right.length - left.length);
    if (different[0] !== undefined) changes[key] = different[0];
  }
  if (Object.keys(changes).length === 0) return { kind: 'no_change_requested' };
  const hasChanges = (variant: ProductVariant): boolean =>
    variant.item_id !== current.item_id &&
    Object.entries(changes).every(([key, value]) => variant.options[key] === value);
  const keepsTheRest = (variant: ProductVariant): boolean =>
    Object.entries(variant.options).every(
      ([key, value]) => key in changes || current.options[key] === value,
    );
  const exact = variants.filter((variant) => hasChanges(variant) && keepsTheRest(variant));
  const exactAvailable = exact.find((variant) => variant.available);
  if (exactAvailable !== undefined) return { kind: 'chosen', variant: exactAvailable, changes };
  if (exact.length > 0) return { kind: 'unavailable', changes };
  const alternatives = variants.filter((variant) => hasChanges(variant) && variant.available);
  if (alternatives.length === 0) return { kind: 'no_match', changes };
  const kept = (variant: ProductVariant): number =>
    Object.entries(variant.options).filter(([key, value]) => current.options[key] === value).length;
  return {
    kind: 'ambiguous',
    candidates: alternatives.sort((left, right) => kept(right) - kept(left)),
    changes,
  };
}

/** The option values on offer for each option of the product, available variants only. */
export function availableOptionValues(product: ProductDetails): Record<string, string[]> {
  const values: Record<string, string[]> = {};
  for (const variant of Object.values(product.variants)) {
    if (!variant.available) continue;
    for (const [key, value] of Object.entries(variant.options)) {
      const list = (values[key] ??= []);
      if (!list.includes(value)) list.push(value);
    }
  }
  return values;
}

export type PaymentResolution =
  | { kind: 'matched'; method: PaymentMethodDetails }
  | { kind: 'ambiguous'; candidates: PaymentMethodDetails[] }
  | { kind: 'none' };

/** The saved payment method the customer named, among the user's methods. */
export function resolvePaymentMethod(
  reference: PaymentReference,
  user: UserDetails,
): PaymentResolution {
  const methods = Object.values(user.payment_methods);
  if (reference.id !== null) {
    const exact = methods.find((method) => method.id === reference.id);
    return exact === undefined ? { kind: 'none' } : { kind: 'matched', method: exact };
  }
  let candidates = methods.filter(
    (method) => reference.source === null || method.source === reference.source,
  );
  if (reference.brand !== null) {
    candidates = candidates.filter((method) => method.brand?.toLowerCase() === reference.brand);
  }
  if (reference.lastFour !== null) {
    candidates = candidates.filter((method) => method.last_four === reference.lastFour);
  }
  if (candidates.length === 1) return { kind: 'matched', method: candidates[0]! };
  return candidates.length === 0 ? { kind: 'none' } : { kind: 'ambiguous', candidates };
}
