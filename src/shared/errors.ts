/**
 * One error type for the whole application. Every failure we expect has a code from this catalogue, so
 * callers branch on `code`, logs group by it, and nothing user-facing depends on a message string.
 */
export const ERROR_CODES = [
  'config_invalid',
  'tool_unknown',
  'tool_arguments_invalid',
  'tool_failed',
  'not_found',
  'not_verified',
  'confirmation_required',
  'model_unavailable',
  'model_content_filtered',
  'model_rate_limited',
  'model_bad_response',
  'turn_deadline_exceeded',
  'turn_cancelled',
  'storage_conflict',
  'storage_failed',
  'request_invalid',
  'request_too_large',
  'unauthorized',
  'data_import_failed',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorOptions {
  cause?: unknown;
  /** An expected error is part of normal operation (a customer's typo, a cancelled turn): logged at info, not error. */
  expected?: boolean;
  details?: Readonly<Record<string, unknown>>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly expected: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.expected = options.expected ?? false;
    this.details = options.details ?? {};
  }
}

/**
 * A failure a tool reports to the model as its result ("Error: order not found"). The message is written for
 * the model and may reach the customer in the model's words, so it never carries internal detail.
 */
export class ToolError extends AppError {
  constructor(message: string, options: AppErrorOptions = {}) {
    super('tool_failed', message, { expected: true, ...options });
    this.name = 'ToolError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** A short description of any thrown value, for logs. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: error.name, message: error.message };
  return { code: 'unknown', message: String(error) };
}
