import type { Embeddings } from './embeddings';
import { normalizeVector } from './embeddings';

/** Default `dimensions`: room for a catalogue's vocabulary with few collisions, small enough to store per product. */
export const LEXICAL_DIMENSIONS_DEFAULT = 1024;

/** Words that say nothing about what a product is. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be by for from has have in is it its of on or that the this to with without ' +
    'your you our we up per can all any into than then them they their will just more most very also ' +
    'yes no one two three four five six seven eight nine ten'
  ).split(' '),
);

/**
 * A small retail thesaurus: words that name the same kind of thing share a concept feature, so "headphones" and
 * "Bluetooth speaker" are close although they share no word. A word may belong to several concepts. Words are
 * listed as `lexicalWords` yields them (lower case, singular).
 */
const CONCEPT_WORDS: Readonly<Record<string, string>> = {
  audio:
    'headphone earbud earphone headset speaker sound audio playback music noise bluetooth stereo microphone',
  computing:
    'laptop tablet keyboard mouse computer monitor usb charger charging smartphone phone stylus display screen reader',
  fitness: 'watch wristwatch fitness heart gps running run yoga bicycle bike sport workout gym',
  outdoor:
    'hiking trail waterproof backpack luggage travel camera rugged sunglass bottle outdoor camping',
  kitchen: 'coffee espresso kettle blender carafe drink milk grill cook cooking kitchen toaster',
  home: 'vacuum purifier thermostat lamp air room home cleaning',
  furniture: 'chair desk sofa bookshelf bookcase office ergonomic shelf furniture table',
  apparel: 'shirt tee shoe boot cotton clothing jacket sock',
};

const CONCEPTS: ReadonlyMap<string, readonly string[]> = (() => {
  const concepts = new Map<string, string[]>();
  for (const [concept, words] of Object.entries(CONCEPT_WORDS)) {
    for (const word of words.split(' '))
      concepts.set(word, [...(concepts.get(word) ?? []), concept]);
  }
  return concepts;
})();

/**
 * Offline embeddings: a hashed bag of words. Each word (lower-cased, accents and a plural `s` removed, stop words
 * and bare numbers dropped), and each concept of a small built-in retail thesaurus the word belongs to, is hashed
 * into `dimensions` buckets with a sign (the hashing trick), weighted 1 + ln(count); the vector is L2-normalised.
 * Deterministic and independent of any corpus, so a text's vector never changes and can be stored. Texts are
 * close when they share words or kinds of thing; there is no deeper understanding than that.
 */
export class LexicalEmbeddings implements Embeddings {
  readonly provider = 'offline' as const;
  readonly modelName: string;
  private readonly dimensions: number;

  constructor(options: { dimensions?: number } = {}) {
    this.dimensions = options.dimensions ?? LEXICAL_DIMENSIONS_DEFAULT;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 16) {
      throw new RangeError('dimensions must be a whole number, 16 or more');
    }
    // The version names the scheme: a change to words, thesaurus or hashing must get a new name, so vectors
    // stored under the old one are recomputed rather than compared with new ones.
    this.modelName = `lexical-v1-${this.dimensions}`;
  }

  embed(texts: readonly string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((text) => this.vectorOf(text)));
  }

  /** The vector of one text, synchronously. */
  vectorOf(text: string): number[] {
    const counts = new Map<string, number>();
    const add = (feature: string) => counts.set(feature, (counts.get(feature) ?? 0) + 1);
    for (const word of lexicalWords(text)) {
      add(`word:${word}`);
      for (const concept of CONCEPTS.get(word) ?? []) add(`concept:${concept}`);
    }
    const vector = new Array<number>(this.dimensions).fill(0);
    for (const [feature, count] of counts) {
      const hash = fnv1a(feature);
      const bucket = hash % this.dimensions;
      // The hash's top bit signs the feature, so collisions cancel out on average instead of piling up.
      const sign = (hash & 0x80000000) === 0 ? 1 : -1;
      vector[bucket] = vector[bucket]! + sign * (1 + Math.log(count));
    }
    return normalizeVector(vector);
  }
}

/** The words of a text as the lexical vector counts them. */
export function lexicalWords(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/u)
    .filter((word) => word.length > 1 && !/^\d+$/u.test(word) && !STOP_WORDS.has(word))
    .map(singular);
}

function singular(word: string): string {
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 4 && /(?:ss|ch|sh|x)es$/u.test(word)) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us')) {
    return word.slice(0, -1);
  }
  return word;
}

/** 32-bit FNV-1a: fast, well spread, and the same on every machine. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
