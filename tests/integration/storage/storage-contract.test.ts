import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MemoryStorage, type Storage } from 'botbuilder';
import { SqliteStorage } from '../../../src/storage/sqlite-storage';

/**
 * The behaviour every `Storage` of ours must share with botbuilder's `MemoryStorage`, the reference that
 * `ConversationState` and `UserState` are written against. Each case runs against both.
 */
interface StorageUnderTest {
  /** The store a test writes through. */
  storage: Storage;
  /**
   * A second writer on the same data. For SQLite that is a second connection on the same file (another bot
   * process). For MemoryStorage it is the same instance: two MemoryStorage objects sharing one memory object
   * would each count eTags from 1 and hand out duplicates, so the only honest second writer is the instance.
   */
  secondWriter: Storage;
  dispose(): Promise<void>;
}

interface Subject {
  name: string;
  open(): StorageUnderTest;
}

const subjects: Subject[] = [
  {
    name: 'MemoryStorage (botbuilder reference)',
    open: () => {
      const storage = new MemoryStorage();
      return { storage, secondWriter: storage, dispose: () => Promise.resolve() };
    },
  },
  {
    name: 'SqliteStorage',
    open: () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'storage-contract-'));
      const file = path.join(folder, 'state.sqlite');
      const storage = new SqliteStorage({ path: file });
      const secondWriter = new SqliteStorage({ path: file });
      return {
        storage,
        secondWriter,
        dispose: async () => {
          await storage.close();
          await secondWriter.close();
          rmSync(folder, { recursive: true, force: true });
        },
      };
    },
  },
];

describe.each(subjects)('$name', (subject) => {
  let subjectStorage: StorageUnderTest;
  let storage: Storage;

  beforeEach(() => {
    subjectStorage = subject.open();
    storage = subjectStorage.storage;
  });

  afterEach(async () => {
    await subjectStorage.dispose();
  });

  it('returns no entry for keys that were never written', async () => {
    await storage.write({ present: { value: 1 } });

    const items = await storage.read(['absent', 'present']);

    expect(Object.keys(items)).toEqual(['present']);
  });

  it('returns what was written, with an eTag, for the keys asked for only', async () => {
    await storage.write({
      first: { count: 1, nested: { list: [1, 'two'] } },
      second: { count: 2 },
    });

    const items = await storage.read(['first']);

    expect(items).toEqual({
      first: { count: 1, nested: { list: [1, 'two'] }, eTag: expect.any(String) },
    });
  });

  it('leaves the caller’s object unchanged when writing', async () => {
    const item = { count: 1 };

    await storage.write({ key: item });

    expect(item).toEqual({ count: 1 });
  });

  it('gives every successful write a new eTag', async () => {
    await storage.write({ key: { count: 1 } });
    const first = (await storage.read(['key'])).key;

    await storage.write({ key: { ...first, count: 2 } });
    const second = (await storage.read(['key'])).key;

    expect(second.count).toBe(2);
    expect(second.eTag).not.toBe(first.eTag);
  });

  it('accepts a write carrying the stored eTag', async () => {
    await storage.write({ key: { count: 1 } });
    const stored = (await storage.read(['key'])).key;

    await storage.write({ key: { ...stored, count: 2 } });

    expect((await storage.read(['key'])).key.count).toBe(2);
  });

  it("overwrites whatever is stored when the eTag is '*'", async () => {
    await storage.write({ key: { count: 1 } });
    await storage.write({ key: { count: 2 } });

    await storage.write({ key: { count: 3, eTag: '*' } });

    expect((await storage.read(['key'])).key.count).toBe(3);
  });

  it('overwrites whatever is stored when the item has no eTag', async () => {
    await storage.write({ key: { count: 1 } });

    await storage.write({ key: { count: 2 } });

    expect((await storage.read(['key'])).key.count).toBe(2);
  });

  it('writes an item with an eTag when nothing is stored under its key yet', async () => {
    await storage.write({ key: { count: 1, eTag: 'from-elsewhere' } });

    expect((await storage.read(['key'])).key.count).toBe(1);
  });

  it('rejects a stale eTag and keeps the stored item', async () => {
    await storage.write({ key: { count: 1 } });
    const stale = (await storage.read(['key'])).key;
    await storage.write({ key: { ...stale, count: 2 } });

    await expect(storage.write({ key: { ...stale, count: 99 } })).rejects.toThrow(
      'Storage: error writing "key" due to eTag conflict.',
    );

    expect((await storage.read(['key'])).key.count).toBe(2);
  });

  it('lets exactly one of two writers holding the same eTag win', async () => {
    await storage.write({ key: { owner: 'nobody' } });
    const seenByFirst = (await storage.read(['key'])).key;
    const seenBySecond = (await subjectStorage.secondWriter.read(['key'])).key;

    const outcomes = await Promise.allSettled([
      storage.write({ key: { ...seenByFirst, owner: 'first' } }),
      subjectStorage.secondWriter.write({ key: { ...seenBySecond, owner: 'second' } }),
    ]);

    expect(outcomes.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected']);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('eTag conflict');
    expect((await subjectStorage.secondWriter.read(['key'])).key.owner).toBe('first');
  });

  it('deletes the keys given, ignores keys never written, and keeps the rest', async () => {
    await storage.write({ gone: { value: 1 }, kept: { value: 2 } });

    await storage.delete(['gone', 'never-written']);

    expect(Object.keys(await storage.read(['gone', 'kept']))).toEqual(['kept']);
  });

  it('treats keys that differ only in case as different keys', async () => {
    await storage.write({ Key: { value: 'upper' }, key: { value: 'lower' } });

    const items = await storage.read(['Key', 'key']);

    expect([items.Key.value, items.key.value]).toEqual(['upper', 'lower']);
  });

  it('stores keys with the characters channel conversation ids carry', async () => {
    const key = 'msteams/conversations/19:abc@thread.tacv2;messageid=1700000000000/ünï 😀';

    await storage.write({ [key]: { value: 1 } });

    expect((await storage.read([key]))[key].value).toBe(1);
  });

  it('round-trips items through JSON: a Date comes back as its ISO string', async () => {
    const when = new Date('2026-03-01T10:00:00.000Z');

    await storage.write({ key: { when, missing: undefined, text: 'héllo\n"quoted"' } });

    expect((await storage.read(['key'])).key).toEqual({
      when: '2026-03-01T10:00:00.000Z',
      text: 'héllo\n"quoted"',
      eTag: expect.any(String),
    });
  });
});
