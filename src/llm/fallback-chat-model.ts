import { AppError, describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import type { ChatModel, ChatModelProvider, Completion, CompletionRequest } from './chat-model';

/** Default `failureThreshold`: consecutive primary failures that open the circuit. */
export const DEFAULT_FAILURE_THRESHOLD = 3;

/** Default `coolDownMs`: how long an open circuit sends everything to the fallback before trying again. */
export const DEFAULT_COOL_DOWN_MS = 30_000;

export interface FallbackChatModelOptions {
  primary: ChatModel;
  /** The model that answers when the primary cannot; in this product, the offline model. */
  fallback: ChatModel;
  /** Consecutive primary failures (unavailable or rate limited) that open the circuit. Default 3. */
  failureThreshold?: number;
  /** How long an open circuit skips the primary. Default 30 000 ms. */
  coolDownMs?: number;
  logger?: Logger;
  /** Clock in milliseconds. Default `Date.now`. */
  now?: () => number;
}

/** The failures the fallback can help with; a refused prompt or a cancelled turn would fare no better there. */
const FALLBACK_CODES = new Set(['model_unavailable', 'model_rate_limited']);

/**
 * A `ChatModel` that asks the primary and, when the primary is unavailable or rate limited, sends the same
 * request to the fallback, logging `model-fallback`. A content-filter refusal, a bad response and a
 * cancellation are rethrown: the fallback is for outages, not for answers the primary would not give.
 *
 * A small circuit breaker keeps a failing primary from costing every turn its timeouts and retries: after
 * `failureThreshold` consecutive failures the primary is skipped for `coolDownMs`; the first request after
 * that tries it again, and one more failure opens the circuit for another cool-down.
 *
 * The port has no way to take back text already streamed, so a primary that fails after streaming some text
 * is not replayed on the fallback (the customer would read two beginnings); its error is rethrown.
 *
 * `provider` and `modelName` report the primary, the model this deployment is configured for.
 */
export class FallbackChatModel implements ChatModel {
  readonly provider: ChatModelProvider;
  readonly modelName: string;
  private readonly primary: ChatModel;
  private readonly fallback: ChatModel;
  private readonly failureThreshold: number;
  private readonly coolDownMs: number;
  private readonly logger: Logger;
  private readonly now: () => number;
  private consecutiveFailures = 0;
  private openUntil: number | null = null;

  constructor(options: FallbackChatModelOptions) {
    const failureThreshold = options.failureThreshold ?? DEFAULT_FAILURE_THRESHOLD;
    const coolDownMs = options.coolDownMs ?? DEFAULT_COOL_DOWN_MS;
    if (!Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new AppError('config_invalid', 'failureThreshold must be a whole number, 1 or more', {
        details: { failureThreshold },
      });
    }
    if (!Number.isFinite(coolDownMs) || coolDownMs < 0) {
      throw new AppError('config_invalid', 'coolDownMs must be 0 or more', {
        details: { coolDownMs },
      });
    }
    this.primary = options.primary;
    this.fallback = options.fallback;
    this.provider = options.primary.provider;
    this.modelName = options.primary.modelName;
    this.failureThreshold = failureThreshold;
    this.coolDownMs = coolDownMs;
    this.logger = (options.logger ?? silentLogger()).child({ component: 'fallback-chat-model' });
    this.now = options.now ?? Date.now;
  }

  /** Whether the primary is being skipped right now. */
  get circuitOpen(): boolean {
    return this.openUntil !== null && this.now() < this.openUntil;
  }

  async complete(request: CompletionRequest): Promise<Completion> {
    if (this.circuitOpen) {
      // Every turn of a cool-down takes this path: info, not warn, or the log drowns in one outage.
      this.logFallback('info', { reason: 'circuit_open' });
      return this.fallback.complete(request);
    }

    let streamedText = false;
    const primaryRequest: CompletionRequest =
      request.onTextDelta === undefined
        ? request
        : {
            ...request,
            onTextDelta: (delta) => {
              streamedText = true;
              request.onTextDelta?.(delta);
            },
          };
    try {
      const completion = await this.primary.complete(primaryRequest);
      this.consecutiveFailures = 0;
      this.openUntil = null;
      return completion;
    } catch (error) {
      if (!(error instanceof AppError) || !FALLBACK_CODES.has(error.code)) throw error;
      if (request.signal?.aborted === true) throw error;
      this.recordFailure();
      if (streamedText) {
        this.logger.warn(
          { reason: 'text_already_streamed', error: describeError(error) },
          'model-fallback-skipped',
        );
        throw error;
      }
      this.logFallback('warn', { reason: error.code, error: describeError(error) });
      return this.fallback.complete(request);
    }
  }

  /**
   * Ready when either model can answer: an outage of the primary is what the fallback is for. The detail names
   * both and the circuit's state. Never throws.
   */
  async probe(signal?: AbortSignal): Promise<{ ok: boolean; detail?: string }> {
    const [primary, fallback] = await Promise.all([
      safeProbe(this.primary, signal),
      safeProbe(this.fallback, signal),
    ]);
    const circuit =
      this.openUntil !== null && this.now() < this.openUntil
        ? `circuit open for ${this.openUntil - this.now()} ms`
        : 'circuit closed';
    return {
      ok: primary.ok || fallback.ok,
      detail: `primary ${statusText(primary)}; fallback ${statusText(fallback)}; ${circuit}`,
    };
  }

  private recordFailure(): void {
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.failureThreshold) {
      this.openUntil = this.now() + this.coolDownMs;
      this.logger.warn(
        { consecutiveFailures: this.consecutiveFailures, coolDownMs: this.coolDownMs },
        'model-circuit-open',
      );
    }
  }

  private logFallback(level: 'info' | 'warn', fields: Record<string, unknown>): void {
    this.logger[level](
      {
        primary: `${this.primary.provider}/${this.primary.modelName}`,
        fallback: `${this.fallback.provider}/${this.fallback.modelName}`,
        ...fields,
      },
      'model-fallback',
    );
  }
}

async function safeProbe(
  model: ChatModel,
  signal: AbortSignal | undefined,
): Promise<{ ok: boolean; detail?: string }> {
  if (model.probe === undefined) return { ok: true, detail: 'no probe' };
  try {
    return await model.probe(signal);
  } catch (error) {
    // The port says probes never throw; one that does is reported, not allowed to break /readyz.
    return { ok: false, detail: describeError(error).message };
  }
}

function statusText(status: { ok: boolean; detail?: string }): string {
  return `${status.ok ? 'ok' : 'down'}${status.detail === undefined ? '' : ` (${status.detail})`}`;
}
