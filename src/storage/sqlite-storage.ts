import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { StoreItems } from 'botbuilder';
import { AppError } from '../shared/errors';
import type { ManagedStorage } from './managed-storage';

/** The path that opens a private database in memory: nothing touches the disk and everything vanishes on close. */
export const IN_MEMORY_PATH = ':memory:';
/**
 * How long a write waits for another connection (another bot instance on the same file) to finish its own
 * transaction. A write transaction here takes well under a millisecond, so five seconds only runs out when
 * something is wrong, and then failing beats hanging the turn.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
/** Bumped when the table changes shape; a file from a newer release is refused rather than misread. */
const SCHEMA_VERSION = 1;

export interface SqliteStorageOptions {
  /** The database file; created with its folder when missing. `':memory:'` keeps a private database in memory. */
  path: string;
  /** How long a write waits for another connection's lock before failing. Default `DEFAULT_BUSY_TIMEOUT_MS`. */
  busyTimeoutMs?: number;
  /** The clock that stamps each write for `deleteOlderThan`. Default: the system clock. */
  now?: () => Date;
}

/** Why a storage call failed, in `AppError.details.reason` of a `storage_failed` error. */
export type StorageFailureReason =
  | 'invalid_argument'
  | 'invalid_keys'
  | 'invalid_item'
  | 'not_serializable'
  | 'closed'
  | 'busy'
  | 'schema_unsupported'
  | 'database_error';

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
  private database: Database.Database | null;
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
    const database = openDatabase(options);
    this.database = database;

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
    return this.settle('read', () => this.readAll(validateKeys(keys, 'read')));
  }

  /**
   * Writes every item of `changes` in one transaction (see the class notes for eTag rules). Rejects with
   * `storage_conflict` when an eTag does not match, and with `storage_failed` for bad input or a database
   * failure; in both cases nothing of the batch is written.
   */
  write(changes: StoreItems): Promise<void> {
    return this.settle('write', () => {
      const writes = prepareWrites(changes);
      // IMMEDIATE takes the write lock before reading the stored eTags, so another process cannot slip a write
      // between the eTag check and the update.
      if (writes.length > 0) this.writeAll.immediate(writes);
    });
  }

  /** Deletes the items stored under `keys`; keys with nothing stored are ignored. */
  delete(keys: string[]): Promise<void> {
    return this.settle('delete', () => {
      this.deleteAll.immediate(validateKeys(keys, 'delete'));
    });
  }

  deleteOlderThan(before: Date): Promise<number> {
    return this.settle('deleteOlderThan', () => {
      if (!(before instanceof Date) || Number.isNaN(before.getTime())) {
        throw storageFailure('invalid_argument', 'deleteOlderThan needs a valid Date.');
      }
      return this.deleteOlderStatement.run(before.getTime()).changes;
    });
  }

  close(): Promise<void> {
    const database = this.database;
    this.database = null;
    database?.close();
    return Promise.resolve();
  }

  /**
   * Runs a synchronous database call as a promise: input errors and SQLite failures become rejections
   * (`storage_failed`, or the `AppError` thrown), and calls after `close` are refused.
   */
  private settle<T>(operation: string, call: () => T): Promise<T> {
    try {
      if (this.database === null || !this.database.open) {
        throw storageFailure('closed', `Storage ${operation} failed: the storage is closed.`);
      }
      return Promise.resolve(call());
    } catch (error) {
      return Promise.reject(error instanceof AppError ? error : databaseFailure(operation, error));
    }
  }
}

function openDatabase(options: SqliteStorageOptions): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw storageFailure(
      'invalid_argument',
      'busyTimeoutMs must be a whole number of milliseconds, 0 or more.',
    );
  }
  if (typeof options.path !== 'string' || options.path.trim() === '') {
    throw storageFailure('invalid_argument', 'The storage path must be a non-empty string.');
  }
  let database: Database.Database | undefined;
  try {
    if (options.path !== IN_MEMORY_PATH) {
      mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    }
    database = new Database(options.path, { timeout: busyTimeoutMs });
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    migrate(database);
    return database;
  } catch (error) {
    database?.close();
    if (error instanceof AppError) throw error;
    throw databaseFailure('open', error, { path: options.path });
  }
}

function migrate(database: Database.Database): void {
  database
    .transaction(() => {
      const version = database.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw storageFailure(
          'schema_unsupported',
          `The storage file has schema version ${version}; this release reads up to ${SCHEMA_VERSION}.`,
        );
      }
      // The CHECKs guard the file against hand edits: every row must read back as an item.
      database.exec(`
        CREATE TABLE IF NOT EXISTS store_items (
          key TEXT PRIMARY KEY NOT NULL CHECK (length(key) > 0),
          value TEXT NOT NULL CHECK (json_valid(value) AND json_type(value) = 'object'),
          etag TEXT NOT NULL,
          updated_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS store_items_updated_at ON store_items (updated_at);
      `);
      if (version < SCHEMA_VERSION) database.pragma(`user_version = ${SCHEMA_VERSION}`);
    })
    .immediate();
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

function storageFailure(
  reason: StorageFailureReason,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AppError {
  return new AppError('storage_failed', message, { cause, details: { reason, ...details } });
}

function databaseFailure(
  operation: string,
  error: unknown,
  details: Record<string, unknown> = {},
): AppError {
  // Read by shape, not `instanceof`: under test runners with module sandboxes the error can come from another
  // realm (seen as SQLITE_BUSY reported as a database_error under load).
  const fields =
    typeof error === 'object' && error !== null
      ? (error as { code?: unknown; message?: unknown })
      : {};
  const sqliteCode =
    typeof fields.code === 'string' && fields.code.startsWith('SQLITE_') ? fields.code : undefined;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  // SQLITE_BUSY is what busy_timeout running out looks like: another connection held the write lock too long.
  const reason: StorageFailureReason = sqliteCode?.startsWith('SQLITE_BUSY')
    ? 'busy'
    : 'database_error';
  return storageFailure(
    reason,
    `Storage ${operation} failed: ${message}`,
    { operation, sqliteCode, ...details },
    error,
  );
}
