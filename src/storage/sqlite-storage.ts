import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import type { StoreItems } from 'botbuilder';
import { AppError } from '../shared/errors';
import type { ManagedStorage } from './managed-storage';
import {
  SqliteFile,
  type SqliteFileWording,
  type SqliteSchema,
  storageFailure,
} from './sqlite-file';

export { DEFAULT_BUSY_TIMEOUT_MS, IN_MEMORY_PATH, type StorageFailureReason } from './sqlite-file';

/**
 * One table; `version` is bumped when it changes shape, and a file from a newer release is refused rather than
 * misread.
 */
const SCHEMA: SqliteSchema = {
  version: 1,
  // The CHECKs guard the file against hand edits: every row must read back as an item.
  tables: `
    CREATE TABLE IF NOT EXISTS store_items (
      key TEXT PRIMARY KEY NOT NULL CHECK (length(key) > 0),
      value TEXT NOT NULL CHECK (json_valid(value) AND json_type(value) = 'object'),
      etag TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS store_items_updated_at ON store_items (updated_at);
  `,
};

const WORDING: SqliteFileWording = {
  subject: 'Storage',
  closed: 'the storage is closed',
  invalidPath: 'The storage path must be a non-empty string.',
  file: 'The storage file',
};

export interface SqliteStorageOptions {
  /** The database file; created with its folder when missing. `':memory:'` keeps a private database in memory. */
  path: string;
  /** How long a write waits for another connection's lock before failing. Default `DEFAULT_BUSY_TIMEOUT_MS`. */
  busyTimeoutMs?: number;
  /** The clock that stamps each write for `deleteOlderThan`. Default: the system clock. */
  now?: () => Date;
}

interface StoredRow {
  value: string;
  etag: string;
}

/** One validated item of a write batch, serialized before the transaction starts. */
interface PendingWrite {
  key: string;
  json: string;
  /** `undefined` overwrites whatever is stored, like botbuilder's `'*'` or a missing eTag. */
  expectedETag: string | undefined;
}

/**
 * botbuilder `Storage` in an embedded SQLite file (better-sqlite3), so conversation and user state survive a
 * restart and several bot processes on one machine can share a file.
 *
 * Behaviour matches botbuilder's `MemoryStorage`, which is the reference for every `Storage`:
 * - `read` returns only the keys that exist, each item with its current `eTag`.
 * - `write` overwrites when the item's `eTag` is `'*'` or missing (or empty), or when nothing is stored under the
 *   key yet; otherwise the `eTag` must equal the stored one, or the write fails with MemoryStorage's message
 *   (`Storage: error writing "<key>" due to eTag conflict.`) as an `AppError` with code `storage_conflict`.
 *   Every successful write gives the item a new eTag. The caller's objects are never changed.
 * - `delete` ignores keys that do not exist.
 *
 * Stricter than MemoryStorage, on purpose:
 * - A `write` batch is one transaction: on a conflict or any error, nothing of the batch is written.
 * - Keys must be non-empty strings and items plain objects; anything else fails with `storage_failed` before the
 *   database is touched.
 *
 * Items are stored as JSON, like every botbuilder store that leaves the process: a `Date` comes back as its ISO
 * string, properties holding `undefined` or functions disappear, `NaN` and `Infinity` become `null`, and class
 * instances come back as plain objects. Bot state is plain JSON by design (see `ConversationData`), so nothing
 * is lost in practice; values that JSON cannot represent at all (`BigInt`, cycles) fail the write.
 *
 * The file runs in WAL mode, so readers never block the single writer, with `synchronous = NORMAL`: a committed
 * turn survives the process being killed; only a power cut or OS crash can lose the last turns. FULL would make
 * every turn wait for an fsync on the event loop (better-sqlite3 is synchronous), which measured 13% of the
 * bot's CPU time under load (`npm run bench`); conversation state is worth less than that. Orders are kept in
 * their own store with its own setting. One table, `store_items (key, value, etag,
 * updated_at)`: the item as JSON without its eTag, the eTag, and the write time in milliseconds since the epoch.
 * All database calls are synchronous and short; the methods return promises only to honour `Storage`.
 */
export class SqliteStorage implements ManagedStorage {
  private readonly file: SqliteFile;
  private readonly now: () => Date;
  private readonly selectStatement: Database.Statement<[string], StoredRow>;
  private readonly selectETagStatement: Database.Statement<[string], Pick<StoredRow, 'etag'>>;
  private readonly upsertStatement: Database.Statement<[string, string, string, number]>;
  private readonly deleteStatement: Database.Statement<[string]>;
  private readonly deleteOlderStatement: Database.Statement<[number]>;
  private readonly readAll: (keys: readonly string[]) => StoreItems;
  private readonly writeAll: Database.Transaction<(writes: readonly PendingWrite[]) => void>;
  private readonly deleteAll: Database.Transaction<(keys: readonly string[]) => void>;

  constructor(options: SqliteStorageOptions) {
    this.now = options.now ?? (() => new Date());
    this.file = new SqliteFile({ ...options, schema: SCHEMA, wording: WORDING });
    const database = this.file.database;

    this.selectStatement = database.prepare<[string], StoredRow>(
      'SELECT value, etag FROM store_items WHERE key = ?',
    );
    this.selectETagStatement = database.prepare<[string], Pick<StoredRow, 'etag'>>(
      'SELECT etag FROM store_items WHERE key = ?',
    );
    this.upsertStatement = database.prepare<[string, string, string, number]>(
      `INSERT INTO store_items (key, value, etag, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, etag = excluded.etag, updated_at = excluded.updated_at`,
    );
    this.deleteStatement = database.prepare<[string]>('DELETE FROM store_items WHERE key = ?');
    this.deleteOlderStatement = database.prepare<[number]>(
      'DELETE FROM store_items WHERE updated_at < ?',
    );

    // One transaction per multi-key read, so the items returned together come from one moment in time.
    this.readAll = database.transaction((keys: readonly string[]) => {
      const items: StoreItems = {};
      for (const key of keys) {
        const row = this.selectStatement.get(key);
        if (row !== undefined) items[key] = { ...parseStoredValue(key, row.value), eTag: row.etag };
      }
      return items;
    });
    this.writeAll = database.transaction((writes: readonly PendingWrite[]) => {
      const updatedAt = this.now().getTime();
      for (const write of writes) {
        if (write.expectedETag !== undefined) {
          const stored = this.selectETagStatement.get(write.key);
          if (stored !== undefined && stored.etag !== write.expectedETag) {
            throw new AppError(
              'storage_conflict',
              `Storage: error writing "${write.key}" due to eTag conflict.`,
              { expected: true, details: { key: write.key } },
            );
          }
        }
        this.upsertStatement.run(write.key, write.json, randomUUID(), updatedAt);
      }
    });
    this.deleteAll = database.transaction((keys: readonly string[]) => {
      for (const key of keys) this.deleteStatement.run(key);
    });
  }

  /** Reads the items stored under `keys`; keys with nothing stored are absent from the result. */
  read(keys: string[]): Promise<StoreItems> {
    return this.file.settle('read', () => this.readAll(validateKeys(keys, 'read')));
  }

  /**
   * Writes every item of `changes` in one transaction (see the class notes for eTag rules). Rejects with
   * `storage_conflict` when an eTag does not match, and with `storage_failed` for bad input or a database
   * failure; in both cases nothing of the batch is written.
   */
  write(changes: StoreItems): Promise<void> {
    return this.file.settle('write', () => {
      const writes = prepareWrites(changes);
      // IMMEDIATE takes the write lock before reading the stored eTags, so another process cannot slip a write
      // between the eTag check and the update.
      if (writes.length > 0) this.writeAll.immediate(writes);
    });
  }

  /** Deletes the items stored under `keys`; keys with nothing stored are ignored. */
  delete(keys: string[]): Promise<void> {
    return this.file.settle('delete', () => {
      this.deleteAll.immediate(validateKeys(keys, 'delete'));
    });
  }

  deleteOlderThan(before: Date): Promise<number> {
    return this.file.settle('deleteOlderThan', () => {
      if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
        throw storageFailure('invalid_argument', 'deleteOlderThan needs a valid Date.');
      }
      return this.deleteOlderStatement.run(before.getTime()).changes;
    });
  }

  close(): Promise<void> {
    this.file.close();
    return Promise.resolve();
  }
}

function validateKeys(keys: unknown, operation: 'read' | 'delete'): string[] {
  if (!Array.isArray(keys)) {
    throw storageFailure('invalid_keys', `Storage ${operation} needs an array of keys.`);
  }
  keys.forEach((key: unknown, index) => {
    if (typeof key !== 'string' || key === '') {
      throw storageFailure(
        'invalid_keys',
        `Storage ${operation}: key ${index} is ${describeKey(key)}; keys must be non-empty strings.`,
        { index },
      );
    }
  });
  return keys as string[];
}

function prepareWrites(changes: unknown): PendingWrite[] {
  if (!isPlainObject(changes)) {
    throw storageFailure('invalid_item', 'Storage write needs an object mapping keys to items.');
  }
  return Object.entries(changes).map(([key, item]): PendingWrite => {
    if (key === '') {
      throw storageFailure('invalid_keys', 'Storage write: keys must be non-empty strings.');
    }
    if (!isPlainObject(item)) {
      throw storageFailure(
        'invalid_item',
        `Storage write: the item for "${key}" is ${describeKey(item)}; items must be plain objects.`,
        { key },
      );
    }
    const { eTag, ...value } = item;
    if (eTag !== undefined && eTag !== null && typeof eTag !== 'string') {
      throw storageFailure(
        'invalid_item',
        `Storage write: the eTag of "${key}" is ${describeKey(eTag)}; an eTag is a string.`,
        { key },
      );
    }
    let json: string;
    try {
      json = JSON.stringify(value);
    } catch (error) {
      throw storageFailure(
        'not_serializable',
        `Storage write: the item for "${key}" cannot be stored as JSON (${error instanceof Error ? error.message : String(error)}).`,
        { key },
        error,
      );
    }
    const expectedETag =
      eTag === undefined || eTag === null || eTag === '' || eTag === '*' ? undefined : eTag;
    return { key, json, expectedETag };
  });
}

function parseStoredValue(key: string, json: string): Record<string, unknown> {
  const value: unknown = JSON.parse(json);
  if (!isPlainObject(value)) {
    throw storageFailure(
      'database_error',
      `Storage read: the stored value of "${key}" is not an object.`,
      {
        key,
      },
    );
  }
  return value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

function describeKey(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value === '') return 'an empty string';
  return `a ${typeof value}`;
}
