import { PassThrough } from 'node:stream';
import { createLogger, silentLogger, type Logger } from '../../../src/shared/logger';
import {
  DAY_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  startRetentionSweep,
  type RetentionSweep,
  type RetentionTarget,
} from '../../../src/storage/retention-sweep';

const START = Date.parse('2026-03-01T09:00:00.000Z');

/** A target that records the cut-off dates it was asked for and answers with `deleted`, or fails. */
function recordingTarget(answer: () => Promise<number> = () => Promise.resolve(0)): {
  target: RetentionTarget;
  cutOffs: Date[];
} {
  const cutOffs: Date[] = [];
  return {
    cutOffs,
    target: {
      deleteOlderThan: (before) => {
        cutOffs.push(before);
        return answer();
      },
    },
  };
}

function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  return { logger: createLogger({ level: 'info', destination: stream }), lines };
}

let sweep: RetentionSweep | undefined;

beforeEach(() => {
  jest.useFakeTimers({ now: START });
});

afterEach(() => {
  sweep?.stop();
  sweep = undefined;
  jest.useRealTimers();
});

describe('startRetentionSweep', () => {
  it('sweeps at once, cutting off the retention before now', () => {
    const { target, cutOffs } = recordingTarget();

    sweep = startRetentionSweep({
      target,
      name: 'transcripts',
      retentionMs: 30 * DAY_MS,
      logger: silentLogger(),
    });

    expect(cutOffs).toEqual([new Date(START - 30 * DAY_MS)]);
  });

  it('sweeps again every hour on the given clock, until stopped', async () => {
    const { target, cutOffs } = recordingTarget();
    let clock = START;
    sweep = startRetentionSweep({
      target,
      name: 'transcripts',
      retentionMs: DAY_MS,
      now: () => new Date(clock),
      logger: silentLogger(),
    });

    clock += DAY_MS;
    await jest.advanceTimersByTimeAsync(DEFAULT_SWEEP_INTERVAL_MS);
    sweep.stop();
    await jest.advanceTimersByTimeAsync(5 * DEFAULT_SWEEP_INTERVAL_MS);

    expect(cutOffs).toEqual([new Date(START - DAY_MS), new Date(START)]);
  });

  it('does not keep the process alive', () => {
    jest.useRealTimers();
    const { target } = recordingTarget();
    const intervals = jest.spyOn(global, 'setInterval');

    sweep = startRetentionSweep({
      target,
      name: 'transcripts',
      retentionMs: DAY_MS,
      logger: silentLogger(),
    });

    const timer = intervals.mock.results[0]?.value as NodeJS.Timeout;
    expect(timer.hasRef()).toBe(false);
    intervals.mockRestore();
  });

  it('resolves a sweep with how many were deleted, and logs the count', async () => {
    jest.useRealTimers();
    const { logger, lines } = capturingLogger();
    const { target } = recordingTarget(() => Promise.resolve(3));
    sweep = startRetentionSweep({ target, name: 'transcripts', retentionMs: DAY_MS, logger });

    const deleted = await sweep.sweep();
    await new Promise((resolve) => setImmediate(resolve));

    expect(deleted).toBe(3);
    expect(lines.filter((line) => line.msg === 'retention-sweep')).toContainEqual(
      expect.objectContaining({ store: 'transcripts', deleted: 3 }),
    );
  });

  it('logs a failed sweep and tries again at the next one', async () => {
    jest.useRealTimers();
    const { logger, lines } = capturingLogger();
    let calls = 0;
    const { target } = recordingTarget(() => {
      calls += 1;
      return calls === 1 ? Promise.reject(new Error('disk full')) : Promise.resolve(2);
    });

    sweep = startRetentionSweep({ target, name: 'transcripts', retentionMs: DAY_MS, logger });
    await new Promise((resolve) => setImmediate(resolve));
    const deleted = await sweep.sweep();
    await new Promise((resolve) => setImmediate(resolve));

    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'retention-sweep-failed', store: 'transcripts' }),
    );
    expect(deleted).toBe(2);
  });

  it('rejects a retention that is not a positive number of milliseconds', () => {
    const { target } = recordingTarget();

    expect(() =>
      startRetentionSweep({ target, name: 'transcripts', retentionMs: 0, logger: silentLogger() }),
    ).toThrow(RangeError);
  });
});
