import { isRecord } from '../shared/is-record';

/**
 * Reading Azure OpenAI's content-filter results. Azure reports them in three places: a 400 error's `innererror`
 * when the prompt is refused, `choices[].content_filter_results` when a completion is cut, and
 * `prompt_filter_results` annotations. The category objects have one shape in all three:
 * `{ filtered, severity }` for hate, sexual, violence and self_harm; `{ filtered, detected }` for jailbreak,
 * profanity and protected material; lists for custom blocklists.
 */

/** What the filter objected to; never the text itself. */
export interface ContentFilterVerdict {
  /** Categories that blocked the content, e.g. `['self_harm']` or `['jailbreak']`, sorted. */
  categories: string[];
  /** The severity Azure gave each blocking category that has one (`low`, `medium`, `high`). */
  severities: Record<string, string>;
}

/**
 * The categories that blocked content in a `content_filter_result(s)` object. Categories that were only
 * detected (annotate-only configurations) or that report a filter error are not blocking and are left out.
 */
export function readContentFilterResults(results: unknown): ContentFilterVerdict {
  const verdict: ContentFilterVerdict = { categories: [], severities: {} };
  if (!isRecord(results)) return verdict;
  for (const [category, result] of Object.entries(results)) {
    if (isBlocking(result)) {
      verdict.categories.push(category);
      if (isRecord(result) && typeof result['severity'] === 'string') {
        verdict.severities[category] = result['severity'];
      }
    }
  }
  verdict.categories.sort();
  return verdict;
}

/**
 * The verdict in an Azure 400 error body (the object under the response's `error` key), or null when the
 * error is not a content-filter refusal. The captured Azure responses say `content_filter_result`; the
 * documentation's example says `content_filter_results`; both are read.
 */
export function readContentFilterError(errorBody: unknown): ContentFilterVerdict | null {
  if (!isRecord(errorBody)) return null;
  const innerError = isRecord(errorBody['innererror']) ? errorBody['innererror'] : {};
  const isFilterRefusal =
    errorBody['code'] === 'content_filter' || innerError['code'] === 'ResponsibleAIPolicyViolation';
  if (!isFilterRefusal) return null;
  const results =
    innerError['content_filter_result'] ??
    innerError['content_filter_results'] ??
    errorBody['content_filter_result'] ??
    errorBody['content_filter_results'];
  return readContentFilterResults(results);
}

function isBlocking(result: unknown): boolean {
  if (Array.isArray(result)) return result.some(isBlocking);
  if (!isRecord(result)) return false;
  if (result['filtered'] === true) return true;
  // Custom blocklists report `{ filtered, details: [{ filtered, id }] }`.
  return Array.isArray(result['details']) && result['details'].some(isBlocking);
}
