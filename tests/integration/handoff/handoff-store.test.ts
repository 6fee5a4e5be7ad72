import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { HandoffCase } from '../../../src/handoff/handoff-case';
import { HandoffStore } from '../../../src/handoff/handoff-store';
import { SqliteStorage } from '../../../src/storage/sqlite-storage';

/**
 * The handoff records on the real SQLite storage, with two stores on one file as two bot instances would be:
 * concurrent changes never lose an update, and only one of two simultaneous accepts wins.
 */
function newCase(id: string): HandoffCase {
  return {
    id,
    status: 'queued',
    reason: 'requested',
    summary: 'Wants a person',
    recentMessages: [],
    orderIds: [],
    customer: { displayName: 'Customer', verified: null },
    channelId: 'directline',
    customerReference: { conversation: { id: `conversation-${id}` } as never },
    requestedAt: '2026-11-24T10:00:00.000Z',
    thread: null,
    acceptedBy: null,
    acceptedAt: null,
    closedBy: null,
    closedAt: null,
    outcome: null,
    transcript: [],
  };
}

describe('HandoffStore on shared SQLite storage', () => {
  let directory: string;
  let storages: SqliteStorage[];
  let stores: [HandoffStore, HandoffStore];

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'handoff-store-'));
    const file = path.join(directory, 'state.sqlite');
    storages = [new SqliteStorage({ path: file }), new SqliteStorage({ path: file })];
    stores = [new HandoffStore(storages[0]!), new HandoffStore(storages[1]!)];
  });

  afterEach(async () => {
    for (const storage of storages) await storage.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('lets exactly one of two simultaneous accepts take the case', async () => {
    await stores[0].createCase(newCase('case-1'));
    const accept = (store: HandoffStore, agent: string) =>
      store.updateCase('case-1', (latest) =>
        latest.status === 'queued'
          ? { ...latest, status: 'active', acceptedBy: { id: agent, name: agent } }
          : null,
      );

    const results = await Promise.all([accept(stores[0], 'dana'), accept(stores[1], 'sam')]);

    expect(results.filter((result) => result?.changed)).toHaveLength(1);
    const stored = await stores[1].getCase('case-1');
    const winner = results.find((result) => result?.changed)!.value.acceptedBy!.id;
    expect(stored?.acceptedBy?.id).toBe(winner);
  });

  it('keeps every case in the queue, each with its own place, when two instances enqueue at once', async () => {
    // The queue's first ever write is unconditional (Storage has no create-if-absent); from then on eTags hold.
    await stores[0].enqueue('case-first');
    const ids = Array.from({ length: 20 }, (_, index) => `case-${index}`);

    const places = await Promise.all(ids.map((id, index) => stores[index % 2]!.enqueue(id)));

    const queue = await stores[0].queue();
    expect([...queue].sort()).toEqual(['case-first', ...ids].sort());
    expect([...places].sort((a, b) => a - b)).toEqual(ids.map((_, index) => index + 2));
    await stores[1].dequeue('case-3');
    expect(await stores[0].queue()).toEqual(queue.filter((id) => id !== 'case-3'));
  });

  it('never loses a queue entry within one process, even on the first ever write', async () => {
    const ids = Array.from({ length: 20 }, (_, index) => `case-${index}`);

    await Promise.all(ids.map((id) => stores[0].enqueue(id)));

    expect(await stores[0].queue()).toEqual(ids);
  });

  it('answers null for a case that does not exist, and finds a case by its desk thread', async () => {
    expect(await stores[0].updateCase('missing', (latest) => latest)).toBeNull();
    await stores[0].createCase(newCase('case-9'));
    await stores[0].linkThread('19:desk@thread.tacv2;messageid=1', 'case-9');

    expect(await stores[1].caseIdForThread('19:desk@thread.tacv2;messageid=1')).toBe('case-9');
    expect(await stores[1].caseIdForThread('19:desk@thread.tacv2;messageid=2')).toBeNull();
  });
});
