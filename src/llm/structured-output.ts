import type { SystemMessage, UserMessage } from './chat-model';

/** One question to a model whose answer must be a JSON value of a given schema. */
export interface StructuredOutputRequest {
  /** Names the schema for the API: letters, digits, `_` and `-`, at most 64 characters. */
  name: string;
  /**
   * A JSON schema in OpenAI's strict subset (every object closed with `additionalProperties: false`, every
   * property required): the service then guarantees an answer of this shape.
   */
  schema: Readonly<Record<string, unknown>>;
  messages: readonly (SystemMessage | UserMessage)[];
  signal?: AbortSignal;
  maxOutputTokens?: number;
}

/**
 * The port for structured output (`response_format: json_schema`, strict): a judgement or an extraction rather
 * than a conversation. The offline model has no such thing; callers decide by other means without one.
 */
export interface StructuredOutputModel {
  /** Deployment or model name, for logs. */
  readonly modelName: string;
  /**
   * The model's answer, parsed from JSON but not validated: the caller checks it against its own schema.
   * Throws AppError `model_content_filtered`, `model_rate_limited`, `model_unavailable`, `turn_cancelled`, or
   * `model_bad_response` (a refusal, a cut-off answer, text that is not JSON).
   */
  completeStructured(request: StructuredOutputRequest): Promise<unknown>;
}
