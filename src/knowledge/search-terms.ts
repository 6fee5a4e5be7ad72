/**
 * How policy text and customers' questions become search terms. The same steps run on both sides, so
 * "refunded", "refunds" and "refunding" in a question all meet "refund" in a document.
 */

/**
 * Words too common in English questions and documents to tell passages apart, and the small talk around a
 * question ("could you tell me…"). "not" stays a term: it is what tells "What is not covered" from
 * "What is covered".
 */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  `
  a about above after again against all also am an and any are aren as at be because been before being
  below between both but by can cannot could couldn d did didn do does doesn doing don down during
  each either else etc ever every few for from further get gets give got had hadn has hasn have haven
  having he hello her here hers herself hey hi him himself his how i if in into is isn it its itself
  just know let like ll m may me might more most must mustn my myself need no nor now of off ok okay
  on once one only or other our ours ourselves out over own please re s same shall she should shouldn
  so some such t tell than thank thanks that the their theirs them themselves then there these they
  this those through to too under until up us ve very want was wasn we were weren what when where
  which while who whom why will with won would wouldn yes you your yours yourself yourselves
  `
    .trim()
    .split(/\s+/u),
);

/** Anything that is not a letter or a digit separates words: markdown marks, dashes, `$`, quotes. */
const WORD_SEPARATOR = /[^\p{L}\p{N}]+/u;

/** Splits text into raw words. */
export function tokenize(text: string): string[] {
  return text.split(WORD_SEPARATOR).filter((word) => word.length > 0);
}

/** The search terms for one word of a customer's question: its own term and any synonyms. */
export function toQueryTerms(word: string): string[] | null {
  const term = toSearchTerm(word);
  if (term === null) return null;
  return [term, ...(QUERY_SYNONYMS.get(term) ?? [])];
}

/**
 * Turns one raw word into its search term, or null for a word that carries no meaning for search.
 * Diacritics are folded so "décor" and "decor" meet.
 */
export function toSearchTerm(word: string): string | null {
  const folded = word
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase();
  if (folded.length === 0 || ENGLISH_STOP_WORDS.has(folded)) return null;
  return stem(folded);
}

/**
 * A deliberately light English stemmer: plural, past and -ing endings and a few noun endings. A full Porter
 * stemmer over-merges product words ("general"/"generic"); for short policy passages, prefix matching at
 * query time covers what this leaves out ("deliver" finds "delivery").
 */
export function stem(term: string): string {
  if (term.length <= 3 || /\d/u.test(term)) return term;
  let stemmed = term;
  const replaced = /(ss|us|is)$/u.test(term) ? null : replaceSuffix(term, SUFFIX_RULES);
  if (replaced !== null && replaced.length >= 3) {
    stemmed = replaced;
    // A consonant doubled before the ending goes with it: "shipped" → "shipp" → "ship".
    if (stemmed.length > 4 && /([^aeiouls])\1$/u.test(stemmed)) stemmed = stemmed.slice(0, -1);
  }
  // Always, not only after an ending: American "canceled" and British "cancelled" both meet "cancel".
  if (stemmed.length > 4 && stemmed.endsWith('ll')) stemmed = stemmed.slice(0, -1);
  // A final silent e goes too, so "damage" and "damaged" meet at "damag".
  if (stemmed.length > 4 && stemmed.endsWith('e')) stemmed = stemmed.slice(0, -1);
  return stemmed;
}

/** Endings and their replacements, longest first; the first that matches applies. */
const SUFFIX_RULES: readonly (readonly [string, string])[] = [
  ['ications', 'y'],
  ['ication', 'y'],
  ['ations', ''],
  ['ation', ''],
  ['ies', 'y'],
  ['ied', 'y'],
  ['sses', 'ss'],
  ['xes', 'x'],
  ['ches', 'ch'],
  ['shes', 'sh'],
  ['ing', ''],
  ['ed', ''],
  ['es', 'e'],
  ['s', ''],
];

function replaceSuffix(term: string, rules: readonly (readonly [string, string])[]): string | null {
  for (const [suffix, replacement] of rules) {
    if (term.endsWith(suffix)) return term.slice(0, term.length - suffix.length) + replacement;
  }
  return null;
}

/**
 * Customers' words for what the documents call otherwise, by search term. A question's term also searches for
 * these; documents are indexed as written. Keep it short: every entry widens every search that uses the word.
 */
const QUERY_SYNONYMS: ReadonlyMap<string, readonly string[]> = buildSynonyms([
  [['package', 'packages'], ['parcel']],
  [['missing', 'stolen'], ['lost']],
  [
    ['human', 'someone', 'representative', 'operator', 'manager'],
    ['person', 'agent'],
  ],
  [['history', 'log'], ['transcript']],
  [['color'], ['colour']],
  [
    ['broken', 'broke'],
    ['fault', 'defect'],
  ],
  [['money', 'reimburse', 'reimbursement'], ['refund']],
  [['guarantee', 'guaranteed'], ['warranty']],
  [['postcode', 'postal'], ['zip']],
  [['cost', 'fee'], ['price']],
  [['dispatched', 'sent'], ['shipped']],
]);

function buildSynonyms(
  groups: readonly (readonly [readonly string[], readonly string[]])[],
): Map<string, string[]> {
  const synonyms = new Map<string, string[]>();
  for (const [words, meanings] of groups) {
    for (const word of words) synonyms.set(stem(word), meanings.map(stem));
  }
  return synonyms;
}
