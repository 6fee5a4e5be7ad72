import { z } from 'zod';
import type { PolicySearch } from '../knowledge/policy-search';
import { AppError } from '../shared/errors';
import { defineTool, type AnyToolDefinition } from './define-tool';

export const SearchPoliciesInput = z.object({
  query: z
    .string()
    .trim()
    .min(2)
    .max(300)
    .describe(
      'The customer\'s question as a few keywords, e.g. "refund time credit card", "cancel shipped order", "blender warranty 18 months".',
    ),
});
export type SearchPoliciesInput = z.infer<typeof SearchPoliciesInput>;

/** One passage as the model reads it. */
export interface PolicyResult {
  /** The document id, e.g. "returns-and-refunds". */
  document: string;
  title: string;
  section: string;
  text: string;
  /** Relevance within this search, rounded; higher is better. */
  score: number;
}

export interface SearchPoliciesOutput {
  results: PolicyResult[];
  /** Present only when nothing matched: tells the model what to do instead of guessing. */
  note?: string;
}

export interface SearchPoliciesToolOptions {
  search: PolicySearch;
  /** Passages per search, 1 to 4; default 3. Each costs up to ~150 tokens of prompt. */
  limit?: number;
  /**
   * What the documents cover, named in the description so the model knows when to search; pass the titles
   * of a company's own documents. Default: the topics of the built-in documents.
   */
  topics?: readonly string[];
}

const BUILT_IN_TOPICS = [
  'returns',
  'refunds',
  'exchanges',
  'shipping and delivery',
  'warranty',
  'cancellations and order changes',
  'payments and gift cards',
  'privacy',
  'talking to a person',
];

/** The default number of passages per search: enough for a rule and its exception, cheap in a prompt. */
export const SEARCH_POLICIES_DEFAULT_LIMIT = 3;
const SEARCH_POLICIES_MAX_LIMIT = 4;

export const NO_POLICY_MATCH_NOTE =
  'No policy passage matched. Do not answer from memory: try other keywords once, or offer to transfer the customer to a person.';

/**
 * `search_policies`: finds the passages of the company's policy documents that answer a general question.
 * Policies are public, so it runs without verification and never touches customer data.
 */
export function createSearchPoliciesTool(options: SearchPoliciesToolOptions): AnyToolDefinition {
  const limit = options.limit ?? SEARCH_POLICIES_DEFAULT_LIMIT;
  const topics = (options.topics ?? BUILT_IN_TOPICS).map((topic) => topic.trim()).filter(Boolean);
  if (topics.length === 0) {
    throw new AppError('config_invalid', 'search_policies needs at least one topic to describe');
  }
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_POLICIES_MAX_LIMIT) {
    throw new AppError(
      'config_invalid',
      `search_policies limit must be an integer from 1 to ${SEARCH_POLICIES_MAX_LIMIT}`,
    );
  }
  return defineTool({
    name: 'search_policies',
    description: `Search the company's policies: ${topics.join(', ')}. Use for general policy questions; no verification needed. Returns the best passages with document and section.`,
    kind: 'read',
    input: SearchPoliciesInput,
    execute: async ({ query }): Promise<SearchPoliciesOutput> => {
      const hits = await options.search.search(query, { limit });
      const results = hits.slice(0, limit).map((hit) => ({
        document: hit.documentId,
        title: hit.documentTitle,
        section: hit.section,
        text: hit.text,
        score: Math.round(hit.score * 100) / 100,
      }));
      return results.length > 0 ? { results } : { results, note: NO_POLICY_MATCH_NOTE };
    },
  });
}
