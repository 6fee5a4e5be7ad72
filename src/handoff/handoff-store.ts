import type { Storage, StoreItem } from 'botbuilder';
import { AppError } from '../shared/errors';
import type { HandoffCase } from './handoff-case';

/** Where the agents work: a Teams channel of their team, learned when the bot is installed there. */
export interface DeskLocation {
  teamId: string;
  /** The Teams channel cards are posted in (`19:…@thread.tacv2`). */
  channelId: string;
  teamName?: string;
  tenantId?: string;
  serviceUrl: string;
  /** The bot as that team knows it, for new threads. */
  bot: { id: string; name: string };
  learnedAt: string;
}

/** Queue changes in this process, one after another per storage. */
const queueChains = new WeakMap<Storage, Promise<void>>();

/** Optimistic writes retry this often when another instance changed the same item in between. */
const CONFLICT_RETRIES = 8;

const KEYS = {
  desk: 'handoff/desk',
  queue: 'handoff/queue',
  case: (id: string) => `handoff/case/${id}`,
  thread: (conversationId: string) => `handoff/thread/${conversationId}`,
} as const;

interface QueueItem extends StoreItem {
  caseIds: string[];
}
interface CaseItem extends StoreItem {
  value: HandoffCase;
}
interface ThreadItem extends StoreItem {
  caseId: string;
}
interface DeskItem extends StoreItem {
  value: DeskLocation;
}

/**
 * Handoff records in the bot's own botbuilder `Storage` (SQLite locally, shared storage at scale), so a restart
 * or another instance loses and crosses nothing. Every change is a read-modify-write with the item's eTag: when
 * two agents press Accept at once, one write wins and the other sees the case already taken.
 */
export class HandoffStore {
  constructor(private readonly storage: Storage) {}

  async getCase(id: string): Promise<HandoffCase | null> {
    const items = await this.storage.read([KEYS.case(id)]);
    return (items[KEYS.case(id)] as CaseItem | undefined)?.value ?? null;
  }

  async createCase(value: HandoffCase): Promise<void> {
    await this.storage.write({ [KEYS.case(value.id)]: { value, eTag: '*' } satisfies CaseItem });
  }

  /**
   * Applies `change` to the stored case and saves it, retrying on a concurrent write. `change` sees the latest
   * stored case and returns the new one, or `null` to leave it as it is. Resolves with the case as stored
   * afterwards and whether `change` changed it; `null` when there is no such case.
   */
  async updateCase(
    id: string,
    change: (current: HandoffCase) => HandoffCase | null,
  ): Promise<{ value: HandoffCase; changed: boolean } | null> {
    const key = KEYS.case(id);
    for (let attempt = 0; ; attempt += 1) {
      const items = await this.storage.read([key]);
      const item = items[key] as CaseItem | undefined;
      if (item === undefined) return null;
      const next = change(item.value);
      if (next === null) return { value: item.value, changed: false };
      try {
        await this.storage.write({ [key]: { value: next, eTag: item.eTag } satisfies CaseItem });
        return { value: next, changed: true };
      } catch (error) {
        if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
      }
    }
  }

  async caseIdForThread(threadConversationId: string): Promise<string | null> {
    const key = KEYS.thread(threadConversationId);
    const items = await this.storage.read([key]);
    return (items[key] as ThreadItem | undefined)?.caseId ?? null;
  }

  async linkThread(threadConversationId: string, caseId: string): Promise<void> {
    await this.storage.write({
      [KEYS.thread(threadConversationId)]: { caseId, eTag: '*' } satisfies ThreadItem,
    });
  }

  /** Waiting cases, oldest first. */
  async queue(): Promise<string[]> {
    const items = await this.storage.read([KEYS.queue]);
    return (items[KEYS.queue] as QueueItem | undefined)?.caseIds ?? [];
  }

  /** Adds a case at the end of the queue; resolves with its place (1 = next). */
  async enqueue(caseId: string): Promise<number> {
    const queue = await this.changeQueue((ids) => (ids.includes(caseId) ? ids : [...ids, caseId]));
    return queue.indexOf(caseId) + 1;
  }

  /** Takes a case out of the queue (taken or closed). */
  async dequeue(caseId: string): Promise<void> {
    await this.changeQueue((ids) => ids.filter((id) => id !== caseId));
  }

  async desk(): Promise<DeskLocation | null> {
    const items = await this.storage.read([KEYS.desk]);
    return (items[KEYS.desk] as DeskItem | undefined)?.value ?? null;
  }

  async setDesk(value: DeskLocation): Promise<void> {
    await this.storage.write({ [KEYS.desk]: { value, eTag: '*' } satisfies DeskItem });
  }

  /**
   * Changes the queue with its eTag, retrying when another instance changed it in between. `Storage` has no
   * "create if absent", so the very first queue write of a deployment is unconditional: two instances writing
   * their first ever escalation in the same millisecond could lose one entry. Within one process, queue
   * changes on the same storage run one at a time, so that cannot happen there.
   */
  private changeQueue(change: (ids: string[]) => string[]): Promise<string[]> {
    const previous = queueChains.get(this.storage) ?? Promise.resolve();
    const run = previous.then(async () => {
      for (let attempt = 0; ; attempt += 1) {
        const items = await this.storage.read([KEYS.queue]);
        const item = items[KEYS.queue] as QueueItem | undefined;
        const next = change(item?.caseIds ?? []);
        try {
          await this.storage.write({
            [KEYS.queue]: { caseIds: next, eTag: item?.eTag ?? '*' } satisfies QueueItem,
          });
          return next;
        } catch (error) {
          if (!isConflict(error) || attempt >= CONFLICT_RETRIES) throw error;
        }
      }
    });
    queueChains.set(
      this.storage,
      run.then(
        () => undefined,
        () => undefined,
      ),
    );
    return run;
  }
}

/** An eTag mismatch, as our SQLite storage, botbuilder's MemoryStorage and the Azure stores report it. */
function isConflict(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'storage_conflict';
  if (typeof error !== 'object' || error === null) return false;
  const { statusCode, code, message } = error as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  return (
    statusCode === 412 ||
    code === 412 ||
    code === 'ConditionNotMet' ||
    (typeof message === 'string' && /etag conflict/i.test(message))
  );
}
