import MiniSearch from 'minisearch';
import { AppError } from '../shared/errors';
import type { PolicyPassage } from './policy-document';
import type { PolicyLibrary } from './policy-library';
import {
  DEFAULT_POLICY_SEARCH_LIMIT,
  type PolicySearch,
  type PolicySearchHit,
  type PolicySearchOptions,
} from './policy-search';
import { tokenize, toQueryTerms, toSearchTerm } from './search-terms';

/** The fields of a passage that are searched. */
interface IndexedPassage {
  id: string;
  title: string;
  section: string;
  text: string;
}

export interface MiniSearchPolicySearchOptions {
  /**
   * Hits scoring below this fraction of the best hit are dropped, so a strong answer is not padded with
   * passages that share one common word with the question. Default 0.15.
   */
  minRelativeScore?: number;
}

/** The most passages one search may return, whatever the caller asks: results go into a prompt. */
export const MAX_POLICY_SEARCH_LIMIT = 10;

/**
 * Search weights. A heading that names the question's topic ("Lost or missing parcels") is the strongest evidence a
 * passage answers it; the document title is weaker, since it is shared by every passage of the document.
 */
const FIELD_BOOST = { section: 2, title: 1.2, text: 1 } as const;

/**
 * Measured on the labelled questions in tests: 0.15 keeps every passage that answers (a warranty table that
 * scores a quarter of the worked example above it) and trims a weak hit in about one search in six.
 */
const DEFAULT_MIN_RELATIVE_SCORE = 0.15;

/** The weight of a document's introduction relative to its sections. */
const INTRODUCTION_BOOST = 0.5;

/**
 * Keyword search over policy passages with MiniSearch: BM25+ ranking, stemmed terms without English stop
 * words, prefix matching ("warrant" finds "warranty") and typo tolerance on longer words.
 */
export class MiniSearchPolicySearch implements PolicySearch {
  private readonly index: MiniSearch<IndexedPassage>;
  private readonly passages = new Map<string, PolicyPassage>();
  /** Passages before a document's first section. */
  private readonly introductions = new Set<string>();
  private readonly minRelativeScore: number;

  constructor(
    library: Pick<PolicyLibrary, 'passages'>,
    options: MiniSearchPolicySearchOptions = {},
  ) {
    this.minRelativeScore = options.minRelativeScore ?? DEFAULT_MIN_RELATIVE_SCORE;
    if (!(this.minRelativeScore >= 0 && this.minRelativeScore <= 1)) {
      throw new AppError('config_invalid', 'minRelativeScore must be between 0 and 1');
    }
    this.index = new MiniSearch<IndexedPassage>({
      fields: ['title', 'section', 'text'],
      tokenize,
      processTerm: toSearchTerm,
      searchOptions: {
        boost: { ...FIELD_BOOST },
        combineWith: 'OR',
        // Questions are widened with customers' words for what the documents call otherwise ("package").
        processTerm: toQueryTerms,
        // On one- and two-letter terms prefix matching would match nearly everything; typos are only tolerated
        // in words of five letters or more, where one wrong letter still leaves the word recognisable.
        prefix: (term) => term.length >= 3,
        fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
        // A document's opening lines list its topics without the rules; the sections hold the answers.
        boostDocument: (id: string) => (this.introductions.has(id) ? INTRODUCTION_BOOST : 1),
      },
    });
    for (const passage of library.passages) {
      this.passages.set(passage.id, passage);
      if (passage.headingPath.length === 1) this.introductions.add(passage.id);
      this.index.add({
        id: passage.id,
        title: passage.documentTitle,
        // Only the headings below the title: the title is its own field.
        section: passage.headingPath.slice(1).join(' '),
        text: passage.text,
      });
    }
  }

  /** How many passages are indexed. */
  get size(): number {
    return this.passages.size;
  }

  search(query: string, options: PolicySearchOptions = {}): Promise<PolicySearchHit[]> {
    const asked = Math.trunc(options.limit ?? DEFAULT_POLICY_SEARCH_LIMIT);
    const limit = Number.isFinite(asked)
      ? Math.min(Math.max(asked, 1), MAX_POLICY_SEARCH_LIMIT)
      : DEFAULT_POLICY_SEARCH_LIMIT;
    const results = this.index.search(query);
    const best = results[0]?.score ?? 0;
    const hits: PolicySearchHit[] = [];
    for (const result of results) {
      if (hits.length >= limit || result.score < best * this.minRelativeScore) break;
      const passage = this.passages.get(String(result.id));
      if (passage === undefined) continue;
      hits.push({
        passageId: passage.id,
        documentId: passage.documentId,
        documentTitle: passage.documentTitle,
        section: passage.section,
        text: passage.text,
        score: result.score,
      });
    }
    return Promise.resolve(hits);
  }
}
