import Database from 'better-sqlite3';
import type { Activity, PagedResult, TranscriptInfo } from 'botbuilder';
import type { ManagedTranscriptStore } from './managed-transcript-store';
import {
  SqliteFile,
  type SqliteFileWording,
  type SqliteSchema,
  storageFailure,
} from './sqlite-file';

/** Items per page of `getTranscriptActivities` and `listTranscripts`: botbuilder's stores page by 20 too. */
export const TRANSCRIPT_PAGE_SIZE = 20;
/**
 * Two tables; `version` is bumped when they change shape, and a file from a newer release is refused rather
 * than misread.
 */
const SCHEMA: SqliteSchema = {
  version: 1,
  // AUTOINCREMENT: a sequence is never reused after a delete, so a continuation token stays meaningful.
  tables: `
    CREATE TABLE IF NOT EXISTS transcripts (
      channel_id TEXT NOT NULL CHECK (length(channel_id) > 0),
      conversation_id TEXT NOT NULL CHECK (length(conversation_id) > 0),
      created_at INTEGER NOT NULL,
      last_logged_at INTEGER NOT NULL,
      PRIMARY KEY (channel_id, conversation_id)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS transcripts_by_created
      ON transcripts (channel_id, created_at, conversation_id);
    CREATE INDEX IF NOT EXISTS transcripts_by_last_logged ON transcripts (last_logged_at);
    CREATE TABLE IF NOT EXISTS transcript_activities (
      sequence INTEGER PRIMARY KEY AUTOINCREMENT,
      channel_id TEXT NOT NULL,
      conversation_id TEXT NOT NULL,
      activity_id TEXT,
      timestamp INTEGER NOT NULL,
      logged_at INTEGER NOT NULL,
      activity TEXT NOT NULL CHECK (json_valid(activity) AND json_type(activity) = 'object')
    );
    CREATE INDEX IF NOT EXISTS transcript_activities_by_conversation
      ON transcript_activities (channel_id, conversation_id, sequence);
  `,
};

const WORDING: SqliteFileWording = {
  subject: 'Transcript',
  closed: 'the store is closed',
  invalidPath: 'The transcript store path must be a non-empty string.',
  file: 'The transcript file',
};

export interface SqliteTranscriptStoreOptions {
  /** The database file, e.g. `<DATA_DIR>/transcripts.sqlite`; created with its folder when missing. */
  path: string;
  /** How long a write waits for another connection's lock before failing. Default `DEFAULT_BUSY_TIMEOUT_MS`. */
  busyTimeoutMs?: number;
  /**
   * The clock that stamps each logged activity for `deleteOlderThan`, and the timestamp of an activity that
   * has none. Default: the system clock.
   */
  now?: () => Date;
}

/** One activity ready for the insert, serialized before the transaction starts. */
interface PendingActivity {
  channelId: string;
  conversationId: string;
  activityId: string | null;
  timestamp: number;
  loggedAt: number;
  json: string;
}

interface ActivityRow {
  sequence: number;
  activity: string;
}

interface TranscriptRow {
  conversation_id: string;
  created_at: number;
}

/**
 * botbuilder `TranscriptStore` in an embedded SQLite file (better-sqlite3): every activity of a conversation,
 * as JSON, kept until retention deletes the whole transcript.
 *
 * What it stores is exactly what it is given: the bot's transcript middleware redacts card numbers before
 * calling `logActivity` (storage/ does not know privacy rules).
 *
 * Behaviour, compared with botbuilder's `MemoryTranscriptStore` (the reference):
 * - `getTranscriptActivities` returns a conversation's activities in the order they were logged (the order the
 *   bot saw them, whatever clocks the channel and the bot keep), `TRANSCRIPT_PAGE_SIZE` at a time, from
 *   `startDate` on when given (compared with each activity's `timestamp`). Dates come back as `Date`s.
 * - `listTranscripts` returns a channel's conversations by `created` (the timestamp of the first activity
 *   logged), then by id.
 * - A page's `continuationToken` is opaque and present only when more items follow; on the last page it is the
 *   empty string (botbuilder's type requires a string; its own stores put `undefined`, equally falsy). Unlike
 *   the memory store's, it does not name an item, so paging goes on correctly when items are added or deleted
 *   between pages.
 * - Missing ids and bad tokens reject with `storage_failed` instead of throwing synchronously.
 *
 * Two tables: `transcripts (channel_id, conversation_id, created_at, last_logged_at)`, one row per
 * conversation, and `transcript_activities (sequence, channel_id, conversation_id, activity_id, timestamp,
 * logged_at, activity)`, one row per activity with its JSON. Times are milliseconds since the epoch;
 * `timestamp` is the activity's own (the store's clock when it has none), `logged_at` the store's clock. Retention
 * goes by the store's clock, since an activity's timestamp comes from the channel or the customer's device.
 * WAL mode and `synchronous = NORMAL`, like the state store: a transcript is worth less than an fsync per
 * message on the event loop. All database calls are synchronous and short; the methods return promises only to
 * honour `TranscriptStore`.
 */
export class SqliteTranscriptStore implements ManagedTranscriptStore {
  private readonly file: SqliteFile;
  private readonly now: () => Date;
  private readonly selectActivitiesStatement: Database.Statement<
    [string, string, number, number, number],
    ActivityRow
  >;
  private readonly selectTranscriptsStatement: Database.Statement<
    [string, number, string, number],
    TranscriptRow
  >;
  private readonly insertBatch: Database.Transaction<(batch: readonly PendingActivity[]) => void>;
  /** Activities logged since the last write, with their callers' promises; written together. */
  private queued: { pending: PendingActivity; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private writeScheduled = false;
  private readonly deleteOne: Database.Transaction<
    (channelId: string, conversationId: string) => void
  >;
  private readonly deleteOlder: Database.Transaction<(before: number) => number>;

  constructor(options: SqliteTranscriptStoreOptions) {
    this.now = options.now ?? (() => new Date());
    this.file = new SqliteFile({ ...options, schema: SCHEMA, wording: WORDING });
    const database = this.file.database;

    this.selectActivitiesStatement = database.prepare<
      [string, string, number, number, number],
      ActivityRow
    >(
      `SELECT sequence, activity FROM transcript_activities
       WHERE channel_id = ? AND conversation_id = ? AND sequence > ? AND timestamp >= ?
       ORDER BY sequence LIMIT ?`,
    );
    this.selectTranscriptsStatement = database.prepare<
      [string, number, string, number],
      TranscriptRow
    >(
      `SELECT conversation_id, created_at FROM transcripts
       WHERE channel_id = ? AND (created_at, conversation_id) > (?, ?)
       ORDER BY created_at, conversation_id LIMIT ?`,
    );
    const upsertTranscript = database.prepare<[string, string, number, number]>(
      `INSERT INTO transcripts (channel_id, conversation_id, created_at, last_logged_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel_id, conversation_id)
       DO UPDATE SET last_logged_at = max(last_logged_at, excluded.last_logged_at)`,
    );
    const insertActivity = database.prepare<
      [string, string, string | null, number, number, string]
    >(
      `INSERT INTO transcript_activities
         (channel_id, conversation_id, activity_id, timestamp, logged_at, activity)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const deleteActivities = database.prepare<[string, string]>(
      'DELETE FROM transcript_activities WHERE channel_id = ? AND conversation_id = ?',
    );
    const deleteTranscript = database.prepare<[string, string]>(
      'DELETE FROM transcripts WHERE channel_id = ? AND conversation_id = ?',
    );
    const deleteOldActivities = database.prepare<[number]>(
      `DELETE FROM transcript_activities WHERE (channel_id, conversation_id) IN
         (SELECT channel_id, conversation_id FROM transcripts WHERE last_logged_at < ?)`,
    );
    const deleteOldTranscripts = database.prepare<[number]>(
      'DELETE FROM transcripts WHERE last_logged_at < ?',
    );

    this.insertBatch = database.transaction((batch: readonly PendingActivity[]) => {
      for (const pending of batch) {
        upsertTranscript.run(
          pending.channelId,
          pending.conversationId,
          pending.timestamp,
          pending.loggedAt,
        );
        insertActivity.run(
          pending.channelId,
          pending.conversationId,
          pending.activityId,
          pending.timestamp,
          pending.loggedAt,
          pending.json,
        );
      }
    });
    this.deleteOne = database.transaction((channelId: string, conversationId: string) => {
      deleteActivities.run(channelId, conversationId);
      deleteTranscript.run(channelId, conversationId);
    });
    this.deleteOlder = database.transaction((before: number) => {
      deleteOldActivities.run(before);
      return deleteOldTranscripts.run(before).changes;
    });
  }

  /**
   * Appends `activity` to the transcript of its `channelId` and `conversation.id`, as JSON (a `Date` is kept as
   * its ISO string and read back as a `Date`). Rejects with `storage_failed` when either id is missing or the
   * activity cannot be written as JSON (a cycle, a `BigInt`).
   */
  logActivity(activity: Partial<Activity>): Promise<void> {
    return this.file
      .settle('logActivity', () => prepareActivity(activity, this.now().getTime()))
      .then(
        (pending) =>
          new Promise<void>((resolve, reject) => {
            this.queued.push({ pending, resolve, reject });
            // Under load many turns log within one tick: one transaction (one commit) writes them all, instead
            // of a commit per activity on the event loop.
            if (!this.writeScheduled) {
              this.writeScheduled = true;
              setImmediate(() => this.writeQueued());
            }
          }),
      );
  }

  /** Writes what was logged and not written yet; reads and deletes call it first, so they see everything. */
  private writeQueued(): void {
    this.writeScheduled = false;
    const batch = this.queued;
    if (batch.length === 0) return;
    this.queued = [];
    this.file
      .settle('logActivity', () => this.insertBatch.immediate(batch.map((item) => item.pending)))
      .then(
        () => batch.forEach((item) => item.resolve()),
        (error: unknown) => batch.forEach((item) => item.reject(error)),
      );
  }

  /** One page of a conversation's activities, in the order they were logged (see the class notes). */
  getTranscriptActivities(
    channelId: string,
    conversationId: string,
    continuationToken?: string,
    startDate?: Date,
  ): Promise<PagedResult<Activity>> {
    this.writeQueued();
    return this.file.settle('getTranscriptActivities', () => {
      requireId(channelId, 'channelId');
      requireId(conversationId, 'conversationId');
      const after = parseSequenceToken(continuationToken);
      const from = startDate === undefined ? Number.MIN_SAFE_INTEGER : validTime(startDate);
      const rows = this.selectActivitiesStatement.all(
        channelId,
        conversationId,
        after,
        from,
        TRANSCRIPT_PAGE_SIZE + 1,
      );
      const page = rows.slice(0, TRANSCRIPT_PAGE_SIZE);
      const last = page.at(-1);
      return {
        items: page.map((row) => parseActivity(row.activity)),
        continuationToken:
          rows.length > TRANSCRIPT_PAGE_SIZE && last !== undefined ? String(last.sequence) : '',
      };
    });
  }

  /** One page of the channel's transcripts, oldest first (see the class notes). */
  listTranscripts(
    channelId: string,
    continuationToken?: string,
  ): Promise<PagedResult<TranscriptInfo>> {
    this.writeQueued();
    return this.file.settle('listTranscripts', () => {
      requireId(channelId, 'channelId');
      const after = parseListingToken(continuationToken);
      const rows = this.selectTranscriptsStatement.all(
        channelId,
        after.createdAt,
        after.conversationId,
        TRANSCRIPT_PAGE_SIZE + 1,
      );
      const page = rows.slice(0, TRANSCRIPT_PAGE_SIZE);
      const last = page.at(-1);
      return {
        items: page.map((row) => ({
          channelId,
          id: row.conversation_id,
          created: new Date(row.created_at),
        })),
        continuationToken:
          rows.length > TRANSCRIPT_PAGE_SIZE && last !== undefined
            ? listingToken(last.created_at, last.conversation_id)
            : '',
      };
    });
  }

  /** Deletes a conversation's transcript, every activity of it; a transcript that does not exist is ignored. */
  deleteTranscript(channelId: string, conversationId: string): Promise<void> {
    this.writeQueued();
    return this.file.settle('deleteTranscript', () => {
      requireId(channelId, 'channelId');
      requireId(conversationId, 'conversationId');
      this.deleteOne.immediate(channelId, conversationId);
    });
  }

  deleteOlderThan(before: Date): Promise<number> {
    this.writeQueued();
    return this.file.settle('deleteOlderThan', () => this.deleteOlder.immediate(validTime(before)));
  }

  close(): Promise<void> {
    this.writeQueued();
    this.file.close();
    return Promise.resolve();
  }
}

function prepareActivity(activity: unknown, loggedAt: number): PendingActivity {
  if (typeof activity !== 'object' || activity === null || Array.isArray(activity)) {
    throw storageFailure('invalid_item', 'logActivity needs an activity object.');
  }
  const fields = activity as Partial<Activity>;
  const channelId = fields.channelId;
  const conversationId = (fields.conversation as { id?: unknown } | undefined)?.id;
  if (typeof channelId !== 'string' || channelId === '') {
    throw storageFailure('invalid_item', 'logActivity needs an activity with a channelId.');
  }
  if (typeof conversationId !== 'string' || conversationId === '') {
    throw storageFailure('invalid_item', 'logActivity needs an activity with a conversation.id.');
  }
  let json: string;
  try {
    json = JSON.stringify(activity);
  } catch (error) {
    throw storageFailure(
      'not_serializable',
      'logActivity: the activity cannot be stored as JSON.',
      {},
      error,
    );
  }
  return {
    channelId,
    conversationId,
    activityId: typeof fields.id === 'string' && fields.id !== '' ? fields.id : null,
    timestamp: timeOf(fields.timestamp) ?? loggedAt,
    loggedAt,
    json,
  };
}

/** The time of a `Date`, an ISO string or epoch milliseconds (activities parsed from JSON carry strings). */
function timeOf(value: unknown): number | undefined {
  if (!(value instanceof Date) && typeof value !== 'string' && typeof value !== 'number') {
    return undefined;
  }
  const time = new Date(value).getTime();
  return Number.isNaN(time) ? undefined : time;
}

function validTime(date: unknown): number {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) {
    throw storageFailure('invalid_argument', 'A valid Date is needed.');
  }
  return date.getTime();
}

function requireId(value: unknown, name: string): void {
  if (typeof value !== 'string' || value === '') {
    throw storageFailure('invalid_argument', `${name} must be a non-empty string.`);
  }
}

function parseActivity(json: string): Activity {
  const activity = JSON.parse(json) as Activity & Record<string, unknown>;
  for (const field of ['timestamp', 'localTimestamp'] as const) {
    const value: unknown = activity[field];
    if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
      activity[field] = new Date(value);
    }
  }
  return activity;
}

/** Activities come after the sequence named in the token; none or an empty one starts at the beginning. */
function parseSequenceToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  if (!/^\d{1,15}$/u.test(token)) {
    throw storageFailure('invalid_argument', 'The continuation token is not one this store gave.');
  }
  return Number(token);
}

function listingToken(createdAt: number, conversationId: string): string {
  return Buffer.from(JSON.stringify([createdAt, conversationId]), 'utf8').toString('base64url');
}

function parseListingToken(token: string | undefined): {
  createdAt: number;
  conversationId: string;
} {
  if (token === undefined || token === '') {
    return { createdAt: Number.MIN_SAFE_INTEGER, conversationId: '' };
  }
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  if (
    !Array.isArray(decoded) ||
    decoded.length !== 2 ||
    !Number.isSafeInteger(decoded[0]) ||
    typeof decoded[1] !== 'string'
  ) {
    throw storageFailure('invalid_argument', 'The continuation token is not one this store gave.');
  }
  return { createdAt: decoded[0] as number, conversationId: decoded[1] };
}
