import type { Storage } from 'botbuilder';

/**
 * A botbuilder `Storage` the application owns for its whole life: it can drop stale items for retention and
 * must be closed at shutdown. Every implementation behaves like botbuilder's `MemoryStorage` on `read`, `write`
 * and `delete` (see `SqliteStorage` for the exact rules), so `ConversationState` and `UserState` work unchanged.
 */
export interface ManagedStorage extends Storage {
  /**
   * Deletes every item last written strictly before `before`, and resolves with how many were deleted.
   * The retention job calls it; a conversation untouched for that long is forgotten.
   */
  deleteOlderThan(before: Date): Promise<number>;
  /** Releases the store. Idempotent; any later call fails with `storage_failed`. */
  close(): Promise<void>;
}
