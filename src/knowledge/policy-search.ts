/** One passage found for a query, with where it comes from. */
export interface PolicySearchHit {
  readonly passageId: string;
  readonly documentId: string;
  readonly documentTitle: string;
  /** The section heading path below the document title, e.g. "Exchanges" or "How to make a claim". */
  readonly section: string;
  readonly text: string;
  /** Relevance; higher is better. Comparable within one search only. */
  readonly score: number;
}

export interface PolicySearchOptions {
  /** The most passages to return. Default 3. */
  limit?: number;
}

/**
 * Finds the passages of the company's policy documents that answer a question. Async so that an
 * embeddings-based implementation fits the same port.
 */
export interface PolicySearch {
  /** Best first; empty when nothing relevant matched. */
  search(query: string, options?: PolicySearchOptions): Promise<PolicySearchHit[]>;
}

/** How many passages a search returns when the caller does not say. */
export const DEFAULT_POLICY_SEARCH_LIMIT = 3;
