import { AppError } from '../shared/errors';
import type { ManagedStorage } from './managed-storage';
import { IN_MEMORY_PATH, SqliteStorage } from './sqlite-storage';

/** State in an embedded SQLite file: the default, and enough for any number of bot processes on one machine. */
export interface SqliteStorageSelection {
  kind: 'sqlite';
  /** The database file, e.g. `<DATA_DIR>/state.sqlite`; its folder is created when missing. */
  path: string;
  /** How long a write waits for another process's lock. Default 5000 ms. */
  busyTimeoutMs?: number;
}

/** State in process memory, lost on exit: for tests and throwaway demos. */
export interface MemoryStorageSelection {
  kind: 'memory';
}

/**
 * Which store holds bot state. A store for several machines (Azure Blob Storage, Cosmos DB) joins as one more
 * member with its own `kind`, and `createStorage` gains one more case.
 */
export type StorageSelection = SqliteStorageSelection | MemoryStorageSelection;

/**
 * Opens the store named by `selection`.
 *
 * `memory` is SQLite's private in-memory database rather than botbuilder's `MemoryStorage`, so tests and demos
 * get exactly the production semantics (atomic batches, key checks, retention) with nothing on disk.
 */
export function createStorage(selection: StorageSelection): ManagedStorage {
  switch (selection.kind) {
    case 'sqlite':
      return new SqliteStorage({ path: selection.path, busyTimeoutMs: selection.busyTimeoutMs });
    case 'memory':
      return new SqliteStorage({ path: IN_MEMORY_PATH });
    default: {
      // Reached only from untyped input (a hand-built config); the compiler rules it out everywhere else.
      const unknownKind: unknown = (selection as { kind?: unknown }).kind;
      throw new AppError(
        'config_invalid',
        `Unknown storage kind: ${JSON.stringify(unknownKind)}.`,
        {
          details: { kind: unknownKind },
        },
      );
    }
  }
}
