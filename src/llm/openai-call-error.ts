import { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { AppError } from '../shared/errors';
import { readContentFilterError } from './content-filter';

/**
 * The catalogue code for a failed side call through the SDK (embeddings, a structured judgement), where the
 * caller only needs to know what kind of failure it was: cancelled, filtered, rate limited, unavailable, or a
 * request the service would not take. `what` names the call in the message ("The embeddings call …").
 */
export function toOpenAiCallError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof APIUserAbortError) {
    return new AppError('turn_cancelled', `The ${what} call was cancelled`, {
      expected: true,
      cause: error,
    });
  }
  if (error instanceof APIConnectionError) {
    return new AppError('model_unavailable', `The ${what} service could not be reached`, {
      cause: error,
    });
  }
  if (error instanceof APIError) {
    // `instanceof` narrows to APIError<any, …>; the defaults are the shapes the SDK documents.
    const apiError = error as APIError;
    const status = apiError.status;
    const details = { status: status ?? null, code: apiError.code ?? null };
    if (readContentFilterError(apiError.error) !== null) {
      return new AppError('model_content_filtered', `The content filter refused the ${what} call`, {
        expected: true,
        cause: error,
        details,
      });
    }
    if (status === 429) {
      return new AppError('model_rate_limited', `The ${what} service is rate limited`, {
        cause: error,
        details,
      });
    }
    // 401/403/404: the key, role or deployment is wrong; to the caller the service is simply not there.
    if (status === undefined || status >= 500 || [401, 403, 404, 408, 409].includes(status)) {
      return new AppError('model_unavailable', `The ${what} service failed`, {
        cause: error,
        details,
      });
    }
    return new AppError('model_bad_response', `The ${what} service rejected the request`, {
      cause: error,
      details,
    });
  }
  return new AppError('model_unavailable', `The ${what} call failed`, { cause: error });
}
