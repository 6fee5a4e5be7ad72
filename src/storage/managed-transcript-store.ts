import type { TranscriptStore } from 'botbuilder';

/**
 * A botbuilder `TranscriptStore` the application owns for its whole life: it forgets whole transcripts for
 * retention and must be closed at shutdown. It stores activities as given: redacting them is the caller's job
 * (the bot's transcript middleware), since storage/ knows nothing of privacy rules.
 */
export interface ManagedTranscriptStore extends TranscriptStore {
  /**
   * Deletes every transcript whose last activity was logged strictly before `before`, all its activities at
   * once, and resolves with how many transcripts (conversations) were deleted. A conversation still going on
   * keeps its beginning; one silent for the whole retention period goes as a whole.
   */
  deleteOlderThan(before: Date): Promise<number>;
  /** Releases the store. Idempotent; any later call fails with `storage_failed`. */
  close(): Promise<void>;
}
