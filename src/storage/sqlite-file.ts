import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../shared/errors';

/** The path that opens a private database in memory: nothing touches the disk and everything vanishes on close. */
export const IN_MEMORY_PATH = ':memory:';
/**
 * How long a write waits for another connection (another bot instance on the same file) to finish its own
 * transaction. A write transaction here takes well under a millisecond, so five seconds only runs out when
 * something is wrong, and then failing beats hanging the turn.
 */
export const DEFAULT_BUSY_TIMEOUT_MS = 5_000;

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

/** The tables of a store's file. */
export interface SqliteSchema {
  /**
   * Kept in the file's `user_version`. Bumped when the tables change shape; a file from a newer release is
   * refused rather than misread.
   */
  version: number;
  /** `CREATE … IF NOT EXISTS` statements, run in the open's transaction every time the file is opened. */
  tables: string;
}

/** The words a store's error messages use for it; each store keeps the wording its callers already see. */
export interface SqliteFileWording {
  /** Opens the message of a failed call: `'Storage'` gives "Storage read failed: …". */
  subject: string;
  /** Why a call after `close` failed: `'the storage is closed'` ends "Storage read failed: …". */
  closed: string;
  /** The whole message when the path is not a non-empty string. */
  invalidPath: string;
  /** Names the file whose schema is too new: `'The storage file'` gives "The storage file has schema …". */
  file: string;
}

export interface SqliteFileOptions {
  /** The database file; created with its folder when missing. `IN_MEMORY_PATH` keeps a database in memory. */
  path: string;
  /** How long a write waits for another connection's lock before failing. Default `DEFAULT_BUSY_TIMEOUT_MS`. */
  busyTimeoutMs?: number;
  schema: SqliteSchema;
  wording: SqliteFileWording;
}

/**
 * The SQLite file behind a store (better-sqlite3): opened in WAL mode with `synchronous = NORMAL` and the busy
 * timeout, its schema created or checked, and every call of the store run through `settle`, so that calls
 * after `close` and SQLite failures reject with `storage_failed` in the store's own words.
 */
export class SqliteFile {
  /** The connection the store prepares its statements on. */
  readonly database: Database.Database;
  private readonly wording: SqliteFileWording;

  /** Throws `storage_failed` when the options are invalid or the file cannot be opened or read. */
  constructor(options: SqliteFileOptions) {
    this.wording = options.wording;
    this.database = openDatabase(options);
  }

  /**
   * Runs a synchronous database call as a promise: input errors and SQLite failures become rejections
   * (`storage_failed`, or the `AppError` thrown), and calls after `close` are refused.
   */
  settle<T>(operation: string, call: () => T): Promise<T> {
    try {
      if (!this.database.open) {
        throw storageFailure(
          'closed',
          `${this.wording.subject} ${operation} failed: ${this.wording.closed}.`,
        );
      }
      return Promise.resolve(call());
    } catch (error) {
      return Promise.reject(
        error instanceof AppError
          ? error
          : databaseFailure({ subject: this.wording.subject, operation, error }),
      );
    }
  }

  /** Closes the file; closing it again does nothing. */
  close(): void {
    this.database.close();
  }
}

/** A `storage_failed` error with `reason` (and any `details`) in its details. */
export function storageFailure(
  reason: StorageFailureReason,
  message: string,
  details: Record<string, unknown> = {},
  cause?: unknown,
): AppError {
  return new AppError('storage_failed', message, { cause, details: { reason, ...details } });
}

function openDatabase(options: SqliteFileOptions): Database.Database {
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  if (!Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw storageFailure(
      'invalid_argument',
      'busyTimeoutMs must be a whole number of milliseconds, 0 or more.',
    );
  }
  if (typeof options.path !== 'string' || options.path.trim() === '') {
    throw storageFailure('invalid_argument', options.wording.invalidPath);
  }
  let database: Database.Database | undefined;
  try {
    if (options.path !== IN_MEMORY_PATH) {
      mkdirSync(path.dirname(path.resolve(options.path)), { recursive: true });
    }
    database = new Database(options.path, { timeout: busyTimeoutMs });
    // WAL so that readers never block the single writer; NORMAL rather than FULL for the reasons in the stores'
    // class notes (a committed write survives a killed process, and an fsync per write blocks the event loop).
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    migrate(database, options);
    return database;
  } catch (error) {
    database?.close();
    if (error instanceof AppError) throw error;
    throw databaseFailure({
      subject: options.wording.subject,
      operation: 'open',
      error,
      details: { path: options.path },
    });
  }
}

function migrate(database: Database.Database, options: SqliteFileOptions): void {
  const { schema, wording } = options;
  database
    .transaction(() => {
      const version = database.pragma('user_version', { simple: true }) as number;
      if (version > schema.version) {
        throw storageFailure(
          'schema_unsupported',
          `${wording.file} has schema version ${version}; this release reads up to ${schema.version}.`,
        );
      }
      database.exec(schema.tables);
      if (version < schema.version) database.pragma(`user_version = ${schema.version}`);
    })
    .immediate();
}

function databaseFailure(failure: {
  subject: string;
  operation: string;
  error: unknown;
  details?: Record<string, unknown>;
}): AppError {
  const { subject, operation, error, details } = failure;
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
    `${subject} ${operation} failed: ${message}`,
    { operation, sqliteCode, ...details },
    error,
  );
}
