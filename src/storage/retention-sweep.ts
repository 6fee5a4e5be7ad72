import { describeError } from '../shared/errors';
import type { Logger } from '../shared/logger';

/** A store that forgets what is older than a date: `ManagedTranscriptStore`, `ManagedStorage`. */
export interface RetentionTarget {
  deleteOlderThan(before: Date): Promise<number>;
}

/** One hour: retention is counted in days, so an hour late is nothing, and a sweep costs one indexed delete. */
export const DEFAULT_SWEEP_INTERVAL_MS = 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionSweepOptions {
  target: RetentionTarget;
  /** What is swept, as it appears in log lines, e.g. `transcripts`. */
  name: string;
  /** How long what the target holds is kept, in milliseconds. */
  retentionMs: number;
  /** Time between two sweeps. Default `DEFAULT_SWEEP_INTERVAL_MS`. */
  intervalMs?: number;
  /** The clock retention is counted with; the target's own clock should be the same. Default: system clock. */
  now?: () => Date;
  logger: Logger;
}

export interface RetentionSweep {
  /**
   * Deletes what is older than the retention now and resolves with how many were deleted (what the target
   * counts). Rejects when the target fails; a sweep already running is joined, not doubled.
   */
  sweep(): Promise<number>;
  /** Stops the timer. Idempotent; a sweep in flight finishes. */
  stop(): void;
}

/**
 * Sweeps `target` at once and then every `intervalMs` until stopped. The timer is `unref`'d, so it never keeps
 * the process alive; a failed sweep is logged (`retention-sweep-failed`) and the next one tries again.
 */
export function startRetentionSweep(options: RetentionSweepOptions): RetentionSweep {
  const { target, name, retentionMs, logger } = options;
  const now = options.now ?? (() => new Date());
  const intervalMs = options.intervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  if (!Number.isSafeInteger(retentionMs) || retentionMs <= 0) {
    throw new RangeError('retentionMs must be a positive whole number of milliseconds.');
  }
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError('intervalMs must be a positive whole number of milliseconds.');
  }

  const sweepOnce = async (): Promise<number> => {
    const before = new Date(now().getTime() - retentionMs);
    const deleted = await target.deleteOlderThan(before);
    logger.info({ store: name, deleted, before: before.toISOString() }, 'retention-sweep');
    return deleted;
  };
  let running: Promise<number> | null = null;
  const sweep = (): Promise<number> => {
    if (running !== null) return running;
    const current = sweepOnce().finally(() => {
      if (running === current) running = null;
    });
    running = current;
    return current;
  };
  const sweepLogged = (): void => {
    sweep().catch((error: unknown) =>
      logger.error({ store: name, error: describeError(error) }, 'retention-sweep-failed'),
    );
  };

  const timer = setInterval(sweepLogged, intervalMs);
  timer.unref();
  sweepLogged();
  return { sweep, stop: () => clearInterval(timer) };
}
