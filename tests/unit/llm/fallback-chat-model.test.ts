import type {
  ChatModel,
  ChatModelProvider,
  Completion,
  CompletionRequest,
} from '../../../src/llm/chat-model';
import { FallbackChatModel } from '../../../src/llm/fallback-chat-model';
import type { FallbackChatModelOptions } from '../../../src/llm/fallback-chat-model';
import { AppError } from '../../../src/shared/errors';
import type { ErrorCode } from '../../../src/shared/errors';
import { createLogger } from '../../../src/shared/logger';

type Behaviour =
  | { kind: 'answer'; text: string; streamFirst?: boolean }
  | { kind: 'fail'; error: Error; streamFirst?: boolean };

/**
 * A ChatModel that follows its behaviours one per call, repeating the last one, and records the requests it
 * saw.
 */
class FakeChatModel implements ChatModel {
  readonly requests: CompletionRequest[] = [];
  probeResult: { ok: boolean; detail?: string } | Error = { ok: true };

  constructor(
    readonly provider: ChatModelProvider,
    readonly modelName: string,
    private readonly behaviours: Behaviour[],
  ) {}

  complete(request: CompletionRequest): Promise<Completion> {
    this.requests.push(request);
    const behaviour = this.behaviours.length > 1 ? this.behaviours.shift() : this.behaviours[0];
    if (behaviour === undefined)
      return Promise.reject(new Error(`${this.modelName}: no behaviour left`));
    if (behaviour.streamFirst === true) request.onTextDelta?.('Partial ');
    if (behaviour.kind === 'fail') return Promise.reject(behaviour.error);
    return Promise.resolve({
      text: behaviour.text,
      toolCalls: [],
      finishReason: 'stop',
      usage: null,
      model: this.modelName,
    });
  }

  probe(): Promise<{ ok: boolean; detail?: string }> {
    if (this.probeResult instanceof Error) return Promise.reject(this.probeResult);
    return Promise.resolve(this.probeResult);
  }
}

const answer = (text: string): Behaviour => ({ kind: 'answer', text });
const failWith = (code: ErrorCode, options: { streamFirst?: boolean } = {}): Behaviour => ({
  kind: 'fail',
  error: new AppError(code, `primary failed: ${code}`),
  ...options,
});

function request(extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return { messages: [{ role: 'user', content: 'Where is my order?' }], tools: [], ...extra };
}

class ManualClock {
  value = 1_000_000;
  readonly now = () => this.value;
  advance(milliseconds: number): void {
    this.value += milliseconds;
  }
}

function setup(primaryBehaviours: Behaviour[], options: Partial<FallbackChatModelOptions> = {}) {
  const primary = new FakeChatModel('azure', 'gpt-5-mini', primaryBehaviours);
  const fallback = new FakeChatModel('offline', 'offline', [answer('offline answer')]);
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: { write: (line: string) => lines.push(line) },
  });
  const clock = new ManualClock();
  const model = new FallbackChatModel({ primary, fallback, logger, now: clock.now, ...options });
  const events = () => lines.map((line) => JSON.parse(line) as { msg: string; reason?: string });
  return { primary, fallback, model, clock, events };
}

describe('FallbackChatModel', () => {
  it('returns the primary answer and leaves the fallback alone when the primary succeeds', async () => {
    const { model, fallback } = setup([answer('primary answer')]);

    const completion = await model.complete(request());

    expect(completion.text).toBe('primary answer');
    expect(fallback.requests).toHaveLength(0);
  });

  it.each(['model_unavailable', 'model_rate_limited'] as const)(
    'sends the same request to the fallback and logs model-fallback on %s',
    async (code) => {
      const { model, primary, fallback, events } = setup([failWith(code)]);
      const sent = request();

      const completion = await model.complete(sent);

      expect(completion.text).toBe('offline answer');
      expect(primary.requests).toHaveLength(1);
      expect(fallback.requests).toEqual([sent]);
      expect(events()).toContainEqual(
        expect.objectContaining({ msg: 'model-fallback', reason: code }),
      );
    },
  );

  it.each(['model_content_filtered', 'turn_cancelled', 'model_bad_response'] as const)(
    'rethrows %s without asking the fallback',
    async (code) => {
      const { model, fallback } = setup([failWith(code)]);

      await expect(model.complete(request())).rejects.toMatchObject({ code });
      expect(fallback.requests).toHaveLength(0);
    },
  );

  it('rethrows an error that is not an AppError without asking the fallback', async () => {
    const bug = new TypeError('undefined is not a function');
    const { model, fallback } = setup([{ kind: 'fail', error: bug }]);

    await expect(model.complete(request())).rejects.toBe(bug);
    expect(fallback.requests).toHaveLength(0);
  });

  it('does not fall back once the caller has cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { model, fallback } = setup([failWith('model_unavailable')]);

    await expect(model.complete(request({ signal: controller.signal }))).rejects.toMatchObject({
      code: 'model_unavailable',
    });
    expect(fallback.requests).toHaveLength(0);
  });

  it('does not replay on the fallback when the primary had already streamed text', async () => {
    const { model, fallback, events } = setup([
      failWith('model_unavailable', { streamFirst: true }),
    ]);
    const deltas: string[] = [];

    await expect(
      model.complete(request({ onTextDelta: (delta) => deltas.push(delta) })),
    ).rejects.toMatchObject({ code: 'model_unavailable' });
    expect(deltas).toEqual(['Partial ']);
    expect(fallback.requests).toHaveLength(0);
    expect(events()).toContainEqual(expect.objectContaining({ msg: 'model-fallback-skipped' }));
  });

  it('skips the primary after the threshold of consecutive failures until the cool-down ends', async () => {
    const { model, primary, fallback, clock, events } = setup([failWith('model_unavailable')], {
      failureThreshold: 3,
      coolDownMs: 10_000,
    });
    for (let attempt = 0; attempt < 3; attempt += 1) await model.complete(request());
    expect(primary.requests).toHaveLength(3);
    expect(model.circuitOpen).toBe(true);

    await model.complete(request());
    clock.advance(9_999);
    await model.complete(request());

    expect(primary.requests).toHaveLength(3);
    expect(fallback.requests).toHaveLength(5);
    expect(events()).toContainEqual(expect.objectContaining({ msg: 'model-circuit-open' }));
    expect(events()).toContainEqual(
      expect.objectContaining({ msg: 'model-fallback', reason: 'circuit_open' }),
    );
  });

  it('tries the primary again after the cool-down and closes the circuit when it answers', async () => {
    const { model, primary, clock } = setup(
      [
        failWith('model_unavailable'),
        failWith('model_unavailable'),
        answer('back again'),
        answer('still here'),
      ],
      { failureThreshold: 2, coolDownMs: 5_000 },
    );
    await model.complete(request());
    await model.complete(request());
    expect(model.circuitOpen).toBe(true);

    clock.advance(5_000);
    const recovered = await model.complete(request());
    const next = await model.complete(request());

    expect(recovered.text).toBe('back again');
    expect(next.text).toBe('still here');
    expect(primary.requests).toHaveLength(4);
    expect(model.circuitOpen).toBe(false);
  });

  it('reopens the circuit at once when the first try after the cool-down fails', async () => {
    const { model, primary, clock } = setup([failWith('model_rate_limited')], {
      failureThreshold: 2,
      coolDownMs: 5_000,
    });
    await model.complete(request());
    await model.complete(request());
    clock.advance(5_000);

    await model.complete(request());
    await model.complete(request());

    expect(primary.requests).toHaveLength(3);
    expect(model.circuitOpen).toBe(true);
  });

  it('counts only consecutive failures: a success in between resets the count', async () => {
    const { model } = setup(
      [
        failWith('model_unavailable'),
        answer('ok'),
        failWith('model_unavailable'),
        answer('ok again'),
      ],
      { failureThreshold: 2 },
    );

    for (let attempt = 0; attempt < 4; attempt += 1) await model.complete(request());

    expect(model.circuitOpen).toBe(false);
  });

  it('reports the primary as its provider and model name', () => {
    const { model } = setup([answer('x')]);

    expect(model.provider).toBe('azure');
    expect(model.modelName).toBe('gpt-5-mini');
  });

  it('probes as ready while the fallback can answer for a primary that is down', async () => {
    const { model, primary } = setup([answer('x')]);
    primary.probeResult = { ok: false, detail: 'last call failed (model_unavailable)' };

    const result = await model.probe();

    expect(result.ok).toBe(true);
    expect(result.detail).toContain('primary down');
    expect(result.detail).toContain('fallback ok');
  });

  it('probes without throwing when a model’s probe throws', async () => {
    const { model, primary, fallback } = setup([answer('x')]);
    primary.probeResult = new Error('probe exploded');
    fallback.probeResult = { ok: false };

    const result = await model.probe();

    expect(result.ok).toBe(false);
    expect(result.detail).toContain('probe exploded');
  });

  it('rejects a failure threshold below 1 with a config error', () => {
    let thrown: unknown;
    try {
      setup([answer('x')], { failureThreshold: 0 });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(AppError);
    expect((thrown as AppError).code).toBe('config_invalid');
  });
});
