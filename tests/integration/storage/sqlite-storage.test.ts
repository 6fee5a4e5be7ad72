import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { AppError } from '../../../src/shared/errors';
import { SqliteStorage } from '../../../src/storage/sqlite-storage';

let folder: string;
let file: string;
const opened: SqliteStorage[] = [];

function openStorage(
  options: Partial<ConstructorParameters<typeof SqliteStorage>[0]> = {},
): SqliteStorage {
  const storage = new SqliteStorage({ path: file, ...options });
  opened.push(storage);
  return storage;
}

async function rejectionOf(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'sqlite-storage-'));
  file = path.join(folder, 'state.sqlite');
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
  rmSync(folder, { recursive: true, force: true });
});

describe('SqliteStorage across restarts', () => {
  it('returns every item and eTag written before a close and reopen', async () => {
    const before = openStorage();
    await before.write({ conversation: { turns: 3 }, user: { name: 'Ada' } });
    const written = await before.read(['conversation', 'user']);
    await before.close();

    const after = openStorage();

    expect(await after.read(['conversation', 'user'])).toEqual(written);
  });

  it('still rejects an eTag that went stale before the restart', async () => {
    const before = openStorage();
    await before.write({ key: { count: 1 } });
    const stale = (await before.read(['key'])).key;
    await before.write({ key: { ...stale, count: 2 } });
    await before.close();

    const after = openStorage();

    await expect(after.write({ key: { ...stale, count: 3 } })).rejects.toThrow('eTag conflict');
  });

  it('keeps a write whose process was killed without closing the database', () => {
    const child = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(__dirname, 'fixtures', 'write-then-crash.ts'),
        file,
        JSON.stringify({ key: { saved: true } }),
      ],
      { encoding: 'utf8', timeout: 20_000 },
    );
    expect({ signal: child.signal, stderr: child.stderr }).toEqual({
      signal: 'SIGKILL',
      stderr: '',
    });

    return expect(openStorage().read(['key'])).resolves.toEqual({
      key: { saved: true, eTag: expect.any(String) },
    });
  });
});

describe('SqliteStorage write batches', () => {
  it('writes nothing of a batch when one of its items conflicts', async () => {
    const storage = openStorage();
    await storage.write({ existing: { count: 1 } });
    const stale = (await storage.read(['existing'])).existing;
    await storage.write({ existing: { ...stale, count: 2 } });

    await expect(
      storage.write({
        before: { value: 'a' },
        existing: { ...stale, count: 99 },
        after: { value: 'b' },
      }),
    ).rejects.toThrow('eTag conflict');

    expect(await storage.read(['before', 'existing', 'after'])).toEqual({
      existing: { count: 2, eTag: expect.any(String) },
    });
  });

  it('reports a conflict as an expected AppError with code storage_conflict and the key', async () => {
    const storage = openStorage();
    await storage.write({ key: { count: 1 } });
    await storage.write({ key: { count: 2 } });

    const error = await rejectionOf(
      storage.write({ key: { count: 3, eTag: 'not-the-stored-one' } }),
    );

    expect(error).toBeInstanceOf(Error);
    expect([error.code, error.expected, error.details.key]).toEqual([
      'storage_conflict',
      true,
      'key',
    ]);
  });

  it('hands out eTags unique across two connections on the same file', async () => {
    const first = openStorage();
    const second = openStorage();
    await first.write({ a: { value: 1 } });
    await second.write({ b: { value: 1 } });

    const items = await first.read(['a', 'b']);

    expect(items.a.eTag).not.toBe(items.b.eTag);
  });
});

describe('SqliteStorage locking', () => {
  it('waits for another process’s write lock, then writes', async () => {
    const storage = openStorage();
    await storage.write({ warm: { value: 0 } });
    // A worker thread has its own SQLite connection, like another bot process: it takes the write lock, holds
    // it for a while, then commits. The main thread blocks inside SQLite's busy handler meanwhile.
    const worker = new Worker(
      `
      const { parentPort, workerData } = require('node:worker_threads');
      const Database = require(workerData.modulePath);
      const database = new Database(workerData.file);
      database.exec('BEGIN IMMEDIATE');
      parentPort.postMessage({ type: 'locked' });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
      database.exec('COMMIT');
      parentPort.postMessage({ type: 'released', at: Date.now() });
      database.close();
      `,
      {
        eval: true,
        workerData: { modulePath: require.resolve('better-sqlite3'), file, holdMs: 400 },
      },
    );
    const released = new Promise<number>((resolve, reject) => {
      worker.on('message', (message: { type: string; at?: number }) => {
        if (message.type === 'released') resolve(message.at ?? 0);
      });
      worker.on('error', reject);
    });
    await new Promise<void>((resolve) => {
      worker.once('message', () => resolve());
    });

    await storage.write({ key: { value: 1 } });
    const writtenAt = Date.now();

    expect(writtenAt).toBeGreaterThanOrEqual(await released);
    expect((await storage.read(['key'])).key.value).toBe(1);
    await worker.terminate();
  });

  it('fails with storage_failed (busy) and writes nothing when the lock is held past the busy timeout', async () => {
    const storage = openStorage({ busyTimeoutMs: 50 });
    await storage.write({ key: { value: 'original' } });
    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');

    const error = await rejectionOf(
      storage.write({ key: { value: 'changed' }, added: { value: 1 } }),
    );
    other.exec('ROLLBACK');
    other.close();

    expect([error.code, error.details.reason]).toEqual(['storage_failed', 'busy']);
    expect(await storage.read(['key', 'added'])).toEqual({
      key: { value: 'original', eTag: expect.any(String) },
    });
  });
});

describe('SqliteStorage file', () => {
  it('runs the file in WAL mode', () => {
    openStorage();

    const inspector = new Database(file, { readonly: true });
    const mode: unknown = inspector.pragma('journal_mode', { simple: true });
    inspector.close();

    expect(mode).toBe('wal');
  });

  it('creates the folder of the database file when it is missing', async () => {
    const nested = path.join(folder, 'data', 'state', 'bot.sqlite');

    const storage = openStorage({ path: nested });
    await storage.write({ key: { value: 1 } });

    expect(existsSync(nested)).toBe(true);
  });

  it('refuses a file that is not a SQLite database, and leaves it as it was', () => {
    const notes = 'these are somebody else’s notes, not a database\n'.repeat(20);
    writeFileSync(file, notes);

    let error: unknown;
    try {
      openStorage();
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('storage_failed');
    expect((error as AppError).message).toContain('not a database');
    expect(readFileSync(file, 'utf8')).toBe(notes);
  });

  it('refuses a file written by a newer schema', () => {
    const newer = new Database(file);
    newer.pragma('user_version = 2');
    newer.close();

    expect(() => openStorage()).toThrow('schema version 2');
  });
});

describe('SqliteStorage.deleteOlderThan', () => {
  it('deletes the items not written since the date, counts them, and keeps the rest', async () => {
    let now = new Date('2026-01-01T00:00:00.000Z');
    const storage = openStorage({ now: () => now });
    await storage.write({ old: { value: 1 }, refreshed: { value: 1 } });
    now = new Date('2026-02-01T00:00:00.000Z');
    await storage.write({ refreshed: { value: 2 }, recent: { value: 1 } });

    const deleted = await storage.deleteOlderThan(new Date('2026-01-15T00:00:00.000Z'));

    expect(deleted).toBe(1);
    expect(Object.keys(await storage.read(['old', 'refreshed', 'recent'])).sort()).toEqual([
      'recent',
      'refreshed',
    ]);
  });

  it('keeps an item written exactly at the date', async () => {
    const at = new Date('2026-01-01T00:00:00.000Z');
    const storage = openStorage({ now: () => at });
    await storage.write({ key: { value: 1 } });

    expect(await storage.deleteOlderThan(at)).toBe(0);
  });

  it('rejects an invalid date and deletes nothing', async () => {
    const storage = openStorage();
    await storage.write({ key: { value: 1 } });

    const error = await rejectionOf(storage.deleteOlderThan(new Date('not a date')));

    expect([error.code, error.details.reason]).toEqual(['storage_failed', 'invalid_argument']);
    expect(Object.keys(await storage.read(['key']))).toEqual(['key']);
  });
});
