import { randomUUID } from 'node:crypto';
import { createParser } from 'eventsource-parser';
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { OpenAI } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParamsBase,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
  ChatCompletionReasoningEffort,
} from 'openai/resources/chat/completions';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import type {
  ChatMessage,
  ChatModel,
  Completion,
  CompletionRequest,
  FinishReason,
  TokenUsage,
  ToolCall,
  ToolSchema,
} from './chat-model';
import { readContentFilterError, readContentFilterResults } from './content-filter';

/**
 * Which request shape a model takes.
 * - `reasoning` (gpt-5 family, o-series): `max_completion_tokens`, and no `temperature`, which these models
 *   reject unless it is the default. `max_completion_tokens` counts hidden reasoning tokens too, so a small
 *   cap can leave no room for the answer (finish reason `length` with little or no text).
 * - `classic` (gpt-4.x, gpt-3.5, most self-hosted OpenAI-compatible servers): `max_tokens` and `temperature`.
 */
export type ModelFamily = 'reasoning' | 'classic';

/** Default `streamIdleTimeoutMs`: the longest silence inside a stream before the model counts as down. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MS = 30_000;

/** Default temperature for classic models: steady wording for customer service. Never sent to reasoning models. */
export const DEFAULT_CLASSIC_TEMPERATURE = 0.3;

export interface OpenAiChatModelOptions {
  /** A client from `createOpenAiClient`; its `maxRetries` and `timeout` apply to every call. */
  client: OpenAI;
  provider: 'azure' | 'openai';
  /** The model name, or the Azure deployment name. */
  model: string;
  /** `auto` (default) decides from the name, see `resolveModelFamily`; set it when a deployment name says nothing. */
  modelFamily?: ModelFamily | 'auto';
  /** Output cap when a request has none. Not sent when neither sets one. */
  maxOutputTokens?: number;
  /** Classic models only. Default 0.3. */
  temperature?: number;
  /** Reasoning models only, and only when set: not every reasoning model accepts every value. */
  reasoningEffort?: NonNullable<ChatCompletionReasoningEffort>;
  /** Longest silence between stream chunks before the call fails as `model_unavailable`. Default 30 000 ms. */
  streamIdleTimeoutMs?: number;
  /** How long a successful call or probe vouches for readiness without a new network probe. Default 30 000 ms. */
  probeFreshnessMs?: number;
  logger?: Logger;
  /** Clock in milliseconds, for readiness status. Default `Date.now`. */
  now?: () => number;
}

type CallOutcome = { at: number; ok: true } | { at: number; ok: false; code: string };

/**
 * `ChatModel` over the `openai` SDK, for Azure OpenAI (dated or v1 API), OpenAI and OpenAI-compatible servers.
 *
 * A call with `onTextDelta` streams: text deltas reach it as they arrive, including text a model writes before
 * its tool calls (some do): what to show of it is the conversation layer's decision. Tool-call fragments are
 * joined by their `index` and never reach `onTextDelta`. Azure's chunks with empty `choices`
 * (`prompt_filter_results`), and its asynchronous-filter annotation chunks (empty `id`, no `delta`), are
 * read for their finish reason and otherwise skipped.
 *
 * A call without `onTextDelta` (a mood judgement, a summary) asks for the whole completion as one JSON answer
 * and reads it as a stream of one chunk: nobody reads its text early, and a stream cost the bot's CPU about
 * 0.25 ms more per mood-sized call (the SDK against the benchmark's model server, 3,000 calls each way).
 *
 * Retries are the SDK's (`maxRetries` on the client: 408/409/429/5xx and connection errors, honouring
 * `retry-after-ms` and `retry-after`); this class adds none. Failures become `AppError`s:
 * - Azure's prompt refusal (400, `code: 'content_filter'`, jailbreak included) → `model_content_filtered`,
 *   expected, with `details.categories` and `details.severities`;
 * - 429 after the retries → `model_rate_limited`;
 * - connection errors, timeouts, a stalled or truncated stream, 5xx, 408/409, and 401/403/404 (the key,
 *   role or deployment is wrong: the model is unavailable to us, and the fallback can still answer)
 *   → `model_unavailable`;
 * - the request's `signal` aborting → `turn_cancelled`, expected, at once, even during a retry wait;
 * - any other 4xx, or a malformed stream → `model_bad_response`.
 *
 * A completion the filter cut (`finish_reason: 'content_filter'`) is returned, not thrown, with finish reason
 * `content_filter`, no tool calls (nothing from a filtered completion may act), and as `text` the part that
 * streamed before the cut (or null): it is what the customer may already have seen, never an answer.
 * A `refusal` delta is treated as text. Prompt text and keys are never logged.
 */
export class OpenAiChatModel implements ChatModel {
  readonly provider: 'azure' | 'openai';
  readonly modelName: string;
  /** The request shape this model gets, resolved once from the options. */
  readonly modelFamily: ModelFamily;
  private readonly client: OpenAI;
  private readonly maxOutputTokens: number | undefined;
  private readonly temperature: number;
  private readonly reasoningEffort: NonNullable<ChatCompletionReasoningEffort> | undefined;
  private readonly streamIdleTimeoutMs: number;
  private readonly probeFreshnessMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private lastOutcome: CallOutcome | null = null;

  constructor(options: OpenAiChatModelOptions) {
    assertPositiveWholeNumbers({
      maxOutputTokens: options.maxOutputTokens,
      streamIdleTimeoutMs: options.streamIdleTimeoutMs,
      probeFreshnessMs: options.probeFreshnessMs,
    });
    this.client = options.client;
    this.provider = options.provider;
    this.modelName = options.model;
    this.modelFamily = resolveModelFamily({
      model: options.model,
      provider: options.provider,
      modelFamily: options.modelFamily ?? 'auto',
    });
    this.maxOutputTokens = options.maxOutputTokens;
    this.temperature = options.temperature ?? DEFAULT_CLASSIC_TEMPERATURE;
    this.reasoningEffort = options.reasoningEffort;
    this.streamIdleTimeoutMs = options.streamIdleTimeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MS;
    this.probeFreshnessMs = options.probeFreshnessMs ?? 30_000;
    this.logger = (options.logger ?? silentLogger()).child({
      component: 'chat-model',
      provider: options.provider,
      model: options.model,
    });
    this.now = options.now ?? Date.now;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    const { signal } = request;
    if (signal?.aborted === true) throw cancelled(signal);
    const startedAt = this.now();
    const callbackFailure: { error?: unknown } = {};
    try {
      const completion = await untilAborted(
        request.onTextDelta === undefined
          ? this.fetchWhole(request)
          : this.stream(request, callbackFailure),
        signal,
      );
      this.lastOutcome = { at: this.now(), ok: true };
      this.logger.debug(
        {
          durationMs: this.now() - startedAt,
          finishReason: completion.finishReason,
          toolCalls: completion.toolCalls.length,
          usage: completion.usage,
        },
        'model-complete',
      );
      return completion;
    } catch (error) {
      // The caller's own callback failed: that is its error to see, not a model failure.
      if ('error' in callbackFailure && error === callbackFailure.error) throw error;
      const appError = toAppError(error, signal);
      this.recordFailure(appError, startedAt);
      throw appError;
    }
  }

  /**
   * Readiness without spending tokens. For OpenAI and compatible servers: `GET /models`, skipped while a recent
   * call or probe succeeded. For Azure no network call is made (the cheapest real check is a paid completion):
   * the status of the last call is reported, and a model never called counts as ready. Never throws.
   */
  async probe(signal?: AbortSignal): Promise<{ ok: boolean; detail?: string }> {
    const last = this.lastOutcome;
    const name = `${this.provider} ${this.modelName}`;
    if (last !== null && last.ok && this.now() - last.at < this.probeFreshnessMs) {
      return { ok: true, detail: `${name}: last call succeeded ${this.now() - last.at} ms ago` };
    }
    if (this.provider === 'azure') {
      if (last === null) return { ok: true, detail: `${name}: configured, not called yet` };
      const ago = this.now() - last.at;
      return last.ok
        ? { ok: true, detail: `${name}: last call succeeded ${ago} ms ago` }
        : {
            ok: last.code !== 'model_unavailable',
            detail: `${name}: last call failed (${last.code}) ${ago} ms ago`,
          };
    }
    try {
      await this.client.models.list({
        maxRetries: 0,
        timeout: 5_000,
        ...(signal ? { signal } : {}),
      });
      this.lastOutcome = { at: this.now(), ok: true };
      return { ok: true, detail: `${name}: reachable` };
    } catch (error) {
      const appError = toAppError(error, signal);
      return { ok: false, detail: `${name}: ${appError.code} (${appError.message})` };
    }
  }

  /** The completion as one JSON answer, read like a stream of one chunk. */
  private async fetchWhole(request: CompletionRequest): Promise<Completion> {
    const answer = await this.client.chat.completions.create(
      { ...this.buildRequestBody(request), stream: false },
      request.signal ? { signal: request.signal } : undefined,
    );
    // The SDK hands back the body as text when the server did not say it was JSON.
    const choices = (answer as { choices?: unknown } | null)?.choices;
    if (!Array.isArray(choices)) {
      throw new AppError(
        'model_bad_response',
        'The model answered with something other than a completion',
        {
          details: { reason: 'not_a_completion' },
        },
      );
    }
    const accumulator = new CompletionAccumulator(this.modelName);
    accumulator.add(asChunk(answer), () => undefined);
    return this.finishCompletion(accumulator);
  }

  /**
   * The completion streamed: the SDK makes the request (auth, Azure's deployment path, retries that honour
   * `retry-after`, errors before the answer starts), and the body's server-sent events are read here with
   * `eventsource-parser`, the way the SDK's `Stream` reads them: `[DONE]` ends the answer, every other event is
   * a JSON chunk, and a chunk carrying `error` is the server failing mid-answer (an `APIError` without status).
   * Why not iterate the SDK's `Stream`: it hands each event through three nested async generators. Here the
   * events of one network read are handled in one go, which took a streamed call's client CPU from 677 µs to
   * 560 µs (medians of 8 runs of 3,000 calls each way, against the bench's model server).
   */
  private async stream(
    request: CompletionRequest,
    callbackFailure: { error?: unknown },
  ): Promise<Completion> {
    const { data: sdkStream, response } = await this.client.chat.completions
      .create(
        {
          ...this.buildRequestBody(request),
          stream: true,
          stream_options: { include_usage: true },
        },
        request.signal ? { signal: request.signal } : undefined,
      )
      .withResponse();
    const body = response.body as AsyncIterable<Uint8Array | string> | null;
    if (body === null) {
      throw new AppError('model_bad_response', 'The model answered a stream with no body', {
        details: { reason: 'no_body' },
      });
    }

    // The SDK's timeout covers only the wait for response headers; a stream that stops mid-way would otherwise
    // hold the turn until its deadline, where no fallback can help. Aborting the SDK's controller ends the
    // body being read. One timer, restarted by each read (`refresh`) rather than replaced.
    let stalled = false;
    const idleTimer = setTimeout(() => {
      stalled = true;
      sdkStream.controller.abort();
    }, this.streamIdleTimeoutMs);

    const accumulator = new CompletionAccumulator(this.modelName);
    const onText = (delta: string) => {
      try {
        request.onTextDelta?.(delta);
      } catch (error) {
        callbackFailure.error = error;
        throw error;
      }
    };
    let done = false;
    // A throw from `onEvent` (a chunk that is not JSON, an error event, the caller's callback) leaves `feed`
    // and ends the read below.
    const parser = createParser({
      onEvent: ({ data }) => {
        if (done) return;
        if (data.startsWith('[DONE]')) {
          done = true;
          return;
        }
        const chunk = JSON.parse(data) as unknown;
        if (chunk === null || typeof chunk !== 'object' || Array.isArray(chunk)) {
          throw new AppError(
            'model_bad_response',
            'The model streamed something other than a chunk',
            {
              details: { reason: 'not_a_chunk' },
            },
          );
        }
        const { error } = chunk as { error?: unknown };
        if (error) throw new APIError(undefined, error, undefined, response.headers);
        accumulator.add(chunk as ChatCompletionChunk, onText);
      },
    });
    const decoder = new TextDecoder();
    try {
      // Read to the end even after `[DONE]`, so the connection goes back to the pool for the next call.
      for await (const bytes of body) {
        idleTimer.refresh();
        parser.feed(typeof bytes === 'string' ? bytes : decoder.decode(bytes, { stream: true }));
      }
    } catch (error) {
      const mappedElsewhere =
        ('error' in callbackFailure && error === callbackFailure.error) ||
        error instanceof AppError ||
        error instanceof APIError ||
        error instanceof SyntaxError;
      if (mappedElsewhere) throw error;
      if (!stalled && request.signal?.aborted !== true) {
        // The connection closed after the answer had started.
        throw new AppError('model_unavailable', 'The model stream was interrupted', {
          cause: error,
          details: { reason: 'stream_interrupted' },
        });
      }
    } finally {
      clearTimeout(idleTimer);
    }
    if (request.signal?.aborted === true) throw cancelled(request.signal);
    if (stalled) {
      throw new AppError(
        'model_unavailable',
        `The model stream stalled: no data for ${this.streamIdleTimeoutMs} ms`,
        { details: { reason: 'stream_stalled' } },
      );
    }
    return this.finishCompletion(accumulator);
  }

  private finishCompletion(accumulator: CompletionAccumulator): Completion {
    const completion = accumulator.finish();
    if (completion.finishReason === 'content_filter') {
      this.logger.warn(
        { stage: 'completion', categories: accumulator.filteredCategories() },
        'model-content-filtered',
      );
    }
    return completion;
  }

  private buildRequestBody(request: CompletionRequest): ChatCompletionCreateParamsBase {
    const maxTokens = request.maxOutputTokens ?? this.maxOutputTokens;
    const reasoningEffort = request.reasoningEffort ?? this.reasoningEffort;
    const limits =
      this.modelFamily === 'reasoning'
        ? {
            ...(maxTokens === undefined ? {} : { max_completion_tokens: maxTokens }),
            ...(reasoningEffort === undefined ? {} : { reasoning_effort: reasoningEffort }),
          }
        : {
            ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
            temperature: this.temperature,
          };
    return {
      model: this.modelName,
      messages: request.messages.map(toWireMessage),
      // An empty `tools` array is rejected by the API, so it is left out rather than sent empty.
      ...(request.tools.length > 0 ? { tools: request.tools.map(toWireTool) } : {}),
      ...limits,
    };
  }

  private recordFailure(error: AppError, startedAt: number): void {
    if (error.code === 'turn_cancelled') {
      this.logger.info({ durationMs: this.now() - startedAt }, 'model-cancelled');
      return;
    }
    this.lastOutcome = { at: this.now(), ok: false, code: error.code };
    const fields = { code: error.code, details: error.details, durationMs: this.now() - startedAt };
    if (error.expected) this.logger.info(fields, 'model-error');
    else this.logger.warn(fields, 'model-error');
  }
}

/**
 * The request shape for a model: the explicit `modelFamily` when given, else from the name (its last path
 * segment, lower-cased, so `openai/gpt-5-mini` and an Azure deployment `prod-gpt-5-mini` both count):
 * - a `gpt-5…` name or an o-series name (`o1`, `o3-mini`, `o4-mini`, …) → `reasoning`;
 * - a `gpt-4…`, `gpt-3.5…` or `gpt-35…` name → `classic`;
 * - any other name → `reasoning` on Azure (its current chat models are the gpt-5 family, and deployment names
 *   are arbitrary), `classic` elsewhere (self-hosted compatible servers know `max_tokens`).
 */
export function resolveModelFamily(options: {
  model: string;
  provider: 'azure' | 'openai';
  modelFamily: ModelFamily | 'auto';
}): ModelFamily {
  if (options.modelFamily !== 'auto') return options.modelFamily;
  const name = (options.model.split('/').pop() ?? '').toLowerCase();
  if (/(^|[^a-z0-9])(gpt-?5|o[1-9])([^a-z]|$)/.test(name)) return 'reasoning';
  if (/(^|[^a-z0-9])gpt-?(4|3\.?5)/.test(name)) return 'classic';
  return options.provider === 'azure' ? 'reasoning' : 'classic';
}

interface PartialToolCall {
  index: number;
  id: string;
  name: string;
  arguments: string;
}

/** Joins a stream's chunks into one completion. */
class CompletionAccumulator {
  private text = '';
  private sawText = false;
  private readonly toolCalls = new Map<number, PartialToolCall>();
  private finishReason: string | null = null;
  private usage: TokenUsage | null = null;
  private answeredBy: string;
  private filterResults: unknown = null;

  constructor(modelName: string) {
    this.answeredBy = modelName;
  }

  add(chunk: ChatCompletionChunk, onText: (delta: string) => void): void {
    if (chunk.usage) {
      this.usage = {
        promptTokens: chunk.usage.prompt_tokens,
        completionTokens: chunk.usage.completion_tokens,
        totalTokens: chunk.usage.total_tokens,
      };
    }
    // Azure's annotation chunks carry model "" and would otherwise blank the name.
    if (typeof chunk.model === 'string' && chunk.model !== '') this.answeredBy = chunk.model;
    // `choices` is empty in Azure's prompt_filter_results chunk and in the final usage chunk.
    for (const choice of chunk.choices ?? []) {
      // One choice is requested (n defaults to 1); anything else is not ours to merge.
      if (choice.index !== 0) continue;
      const annotations = (choice as { content_filter_results?: unknown }).content_filter_results;
      if (annotations !== undefined) this.filterResults = annotations;
      // Azure's asynchronous-filter annotation chunks have no delta at all.
      const delta = choice.delta as ChatCompletionChunk.Choice.Delta | undefined;
      if (delta !== undefined && delta !== null) {
        for (const piece of [delta.content, delta.refusal]) {
          if (typeof piece === 'string' && piece !== '') {
            this.text += piece;
            this.sawText = true;
            onText(piece);
          }
        }
        for (const fragment of delta.tool_calls ?? []) this.addToolFragment(fragment);
      }
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  finish(): Completion {
    const finishReason = this.normalizedFinishReason();
    const text = this.sawText ? this.text : null;
    if (finishReason === 'content_filter') {
      return { text, toolCalls: [], finishReason, usage: this.usage, model: this.answeredBy };
    }
    const toolCalls = [...this.toolCalls.values()]
      .sort((left, right) => left.index - right.index)
      .map((call): ToolCall => {
        if (call.name === '') {
          throw new AppError('model_bad_response', 'The model sent a tool call without a name', {
            details: { reason: 'tool_call_without_name', index: call.index },
          });
        }
        // Some compatible servers omit ids; the id only has to pair the call with its result.
        return {
          id: call.id || `call_${randomUUID()}`,
          name: call.name,
          arguments: call.arguments,
        };
      });
    if (finishReason === 'tool_calls' && toolCalls.length === 0) {
      throw new AppError('model_bad_response', 'The model stopped for tool calls but sent none', {
        details: { reason: 'tool_calls_missing' },
      });
    }
    return { text, toolCalls, finishReason, usage: this.usage, model: this.answeredBy };
  }

  filteredCategories(): string[] {
    return readContentFilterResults(this.filterResults).categories;
  }

  private addToolFragment(fragment: ChatCompletionChunk.Choice.Delta.ToolCall): void {
    let call = this.toolCalls.get(fragment.index);
    if (call === undefined) {
      call = { index: fragment.index, id: '', name: '', arguments: '' };
      this.toolCalls.set(fragment.index, call);
    }
    if (fragment.id && call.id === '') call.id = fragment.id;
    // The name comes whole in the first fragment; some servers repeat it in later ones.
    if (fragment.function?.name && call.name === '') call.name = fragment.function.name;
    if (fragment.function?.arguments) call.arguments += fragment.function.arguments;
  }

  private normalizedFinishReason(): FinishReason {
    switch (this.finishReason) {
      case 'content_filter':
      case 'length':
      case 'tool_calls':
        return this.finishReason;
      case 'function_call':
        return 'tool_calls';
      case 'stop':
        // Several compatible servers say `stop` after tool calls; what the model asked for is what counts.
        return this.toolCalls.size > 0 ? 'tool_calls' : 'stop';
      case null:
        // The connection ended cleanly but the model never said it was done: a truncated answer.
        throw new AppError('model_unavailable', 'The model stream ended without a finish reason', {
          details: { reason: 'stream_truncated' },
        });
      default:
        throw new AppError('model_bad_response', 'The model sent an unknown finish reason', {
          details: { reason: 'unknown_finish_reason', finishReason: this.finishReason },
        });
    }
  }
}

/**
 * A whole completion as the one chunk a stream of it would add up to: Azure's filter results stay where the
 * accumulator reads them (on the choice), and only function tool calls are kept, as a stream carries no others.
 */
function asChunk(answer: ChatCompletion): ChatCompletionChunk {
  return {
    id: answer.id,
    object: 'chat.completion.chunk',
    created: answer.created,
    model: answer.model,
    usage: answer.usage,
    choices: answer.choices.map((choice) => {
      const filterResults = (choice as { content_filter_results?: unknown }).content_filter_results;
      // A filtered choice may come without a message.
      const message = choice.message as ChatCompletion.Choice['message'] | undefined;
      return {
        index: choice.index,
        finish_reason: choice.finish_reason,
        ...(filterResults === undefined ? {} : { content_filter_results: filterResults }),
        delta: {
          content: message?.content ?? null,
          refusal: message?.refusal ?? null,
          tool_calls: (message?.tool_calls ?? []).flatMap((call, index) =>
            call.type === 'function'
              ? [{ index, id: call.id, type: 'function' as const, function: call.function }]
              : [],
          ),
        },
      };
    }),
  };
}

function toWireMessage(message: ChatMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'system':
    case 'user':
      return { role: message.role, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        // The API rejects an empty `tool_calls` array, so it is present only with calls in it.
        ...(message.toolCalls !== undefined && message.toolCalls.length > 0
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
    case 'tool':
      // The wire format has no name on tool results; the id pairs them with the call.
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
  }
}

function toWireTool(tool: ToolSchema): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: {
      name: tool.name,
      description: tool.description,
      parameters: tool.parameters,
      strict: tool.strict,
    },
  };
}

function assertPositiveWholeNumbers(values: Record<string, number | undefined>): void {
  const problems = Object.entries(values)
    .filter(([, value]) => value !== undefined && !(Number.isInteger(value) && value > 0))
    .map(([name]) => `${name} must be a positive whole number`);
  if (problems.length > 0) {
    throw new AppError('config_invalid', `Invalid chat model options: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
}

/** Settles with `work`, or rejects as cancelled the moment `signal` aborts (the SDK's retry wait ignores it). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function cancelled(signal: AbortSignal): AppError {
  return new AppError('turn_cancelled', 'The model call was cancelled', {
    expected: true,
    cause: signal.reason,
  });
}

/** The catalogue code for anything a model call can throw. */
function toAppError(error: unknown, signal: AbortSignal | undefined): AppError {
  if (signal?.aborted === true) return cancelled(signal);
  if (error instanceof AppError) return error;
  if (error instanceof APIUserAbortError) {
    return new AppError('turn_cancelled', 'The model call was cancelled', {
      expected: true,
      cause: error,
    });
  }
  if (error instanceof APIConnectionTimeoutError) {
    return new AppError('model_unavailable', 'The model did not answer in time', {
      cause: error,
      details: { reason: 'timeout' },
    });
  }
  if (error instanceof APIConnectionError) {
    return new AppError('model_unavailable', 'The model could not be reached', {
      cause: error,
      details: { reason: 'connection' },
    });
  }
  if (error instanceof APIError) return fromApiError(error as APIError);
  // The SDK parses each SSE event, and a whole answer, with JSON.parse and lets its SyntaxError through.
  if (error instanceof SyntaxError) {
    return new AppError('model_bad_response', 'The model sent something that is not JSON', {
      cause: error,
      details: { reason: 'invalid_json' },
    });
  }
  // What is left failed before any response: typically the Entra token provider (an OpenAIError).
  return new AppError('model_unavailable', 'The model call failed', {
    cause: error,
    details: { reason: 'client' },
  });
}

function fromApiError(error: APIError): AppError {
  const status = error.status;
  const base = {
    cause: error,
    details: {
      status: status ?? null,
      code: error.code ?? null,
      ...(error.requestID ? { requestId: error.requestID } : {}),
    },
  };
  const verdict = readContentFilterError(error.error);
  if (verdict !== null) {
    return new AppError('model_content_filtered', 'The content filter refused the prompt', {
      ...base,
      expected: true,
      details: {
        ...base.details,
        stage: 'prompt',
        categories: verdict.categories,
        severities: verdict.severities,
      },
    });
  }
  if (status === 429) {
    const retryAfter = error.headers?.get('retry-after-ms') ?? error.headers?.get('retry-after');
    return new AppError('model_rate_limited', 'The model is rate limited', {
      ...base,
      details: { ...base.details, retryAfter: retryAfter ?? null },
    });
  }
  // No status: an error event inside the stream, i.e. the server failed after it had started answering.
  if (status === undefined || status >= 500 || status === 408 || status === 409) {
    return new AppError('model_unavailable', 'The model service failed', base);
  }
  if (status === 401 || status === 403 || status === 404) {
    const reason = status === 404 ? 'deployment or model not found' : 'credentials rejected';
    return new AppError('model_unavailable', `The model service refused the call: ${reason}`, base);
  }
  return new AppError('model_bad_response', badRequestMessage(error), base);
}

/** A 400 for a parameter the model does not take usually means the model family was guessed wrong. */
function badRequestMessage(error: APIError): string {
  if (
    (error.code === 'unsupported_parameter' || error.code === 'unsupported_value') &&
    typeof error.param === 'string' &&
    ['max_tokens', 'max_completion_tokens', 'temperature', 'reasoning_effort'].includes(error.param)
  ) {
    return `The model rejected the parameter ${error.param}; set the model family (LLM_MODEL_FAMILY) explicitly`;
  }
  return `The model rejected the request (${error.status ?? 'no status'})`;
}
