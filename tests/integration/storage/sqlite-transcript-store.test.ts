import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Activity, PagedResult } from 'botbuilder';
import { AppError } from '../../../src/shared/errors';
import { IN_MEMORY_PATH } from '../../../src/storage/sqlite-storage';
import {
  SqliteTranscriptStore,
  TRANSCRIPT_PAGE_SIZE,
} from '../../../src/storage/sqlite-transcript-store';

const DAY_MS = 24 * 60 * 60 * 1000;
const START = Date.parse('2026-03-01T09:00:00.000Z');

let folder: string;
let file: string;
let clock: number;
const opened: SqliteTranscriptStore[] = [];

function openStore(
  options: Partial<ConstructorParameters<typeof SqliteTranscriptStore>[0]> = {},
): SqliteTranscriptStore {
  const store = new SqliteTranscriptStore({ path: file, now: () => new Date(clock), ...options });
  opened.push(store);
  return store;
}

let activitySequence = 0;

/** A message in a conversation; `timestamp` defaults to the test clock. */
function message(
  conversationId: string,
  fields: Partial<Activity> & { channelId?: string } = {},
): Partial<Activity> {
  activitySequence += 1;
  return {
    type: 'message',
    id: `activity-${activitySequence}`,
    channelId: 'directline',
    conversation: { id: conversationId } as Activity['conversation'],
    from: { id: 'user-1', name: 'Customer', role: 'user' },
    text: `message ${activitySequence}`,
    timestamp: new Date(clock),
    ...fields,
  };
}

async function logAll(
  store: SqliteTranscriptStore,
  activities: Partial<Activity>[],
): Promise<void> {
  for (const activity of activities) await store.logActivity(activity);
}

/** Every page of a conversation's activities, following continuation tokens. */
async function allPages(
  store: SqliteTranscriptStore,
  conversationId: string,
  startDate?: Date,
): Promise<PagedResult<Activity>[]> {
  const pages: PagedResult<Activity>[] = [];
  let token: string | undefined;
  do {
    const page = await store.getTranscriptActivities(
      'directline',
      conversationId,
      token,
      startDate,
    );
    pages.push(page);
    token = page.continuationToken;
  } while (token !== '' && pages.length < 100);
  return pages;
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
  folder = mkdtempSync(path.join(tmpdir(), 'transcript-store-'));
  file = path.join(folder, 'transcripts.sqlite');
  clock = START;
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((store) => store.close()));
  rmSync(folder, { recursive: true, force: true });
});

describe('SqliteTranscriptStore activities', () => {
  it('returns a conversation’s activities in the order they were logged, dates as Dates', async () => {
    const store = openStore();
    const first = message('conversation-1', { text: 'hello' });
    // A customer's device clock running behind does not reorder the transcript.
    const second = message('conversation-1', {
      text: 'hi, how can I help?',
      timestamp: new Date(START - 60_000),
    });
    await logAll(store, [first, second]);

    const page = await store.getTranscriptActivities('directline', 'conversation-1');

    expect(page.items.map((activity) => activity.text)).toEqual(['hello', 'hi, how can I help?']);
    expect(page.items[0]).toEqual(first);
    expect(page.items[1]?.timestamp).toEqual(new Date(START - 60_000));
    expect(page.continuationToken).toBe('');
  });

  it('pages 20 activities at a time and ends with an empty continuation token', async () => {
    const store = openStore();
    const activities = Array.from({ length: 45 }, () => message('conversation-1'));
    await logAll(store, activities);

    const pages = await allPages(store, 'conversation-1');

    expect(TRANSCRIPT_PAGE_SIZE).toBe(20);
    expect(pages.map((page) => page.items.length)).toEqual([20, 20, 5]);
    expect(pages.flatMap((page) => page.items.map((activity) => activity.id))).toEqual(
      activities.map((activity) => activity.id),
    );
    expect(pages.at(-1)?.continuationToken).toBe('');
  });

  it('gives no continuation token when a page is exactly the last 20', async () => {
    const store = openStore();
    await logAll(
      store,
      Array.from({ length: 20 }, () => message('conversation-1')),
    );

    const page = await store.getTranscriptActivities('directline', 'conversation-1');

    expect(page.items).toHaveLength(20);
    expect(page.continuationToken).toBe('');
  });

  it('returns only activities from the start date on', async () => {
    const store = openStore();
    await logAll(store, [
      message('conversation-1', { text: 'old', timestamp: new Date(START - DAY_MS) }),
      message('conversation-1', { text: 'new', timestamp: new Date(START) }),
    ]);

    const page = await store.getTranscriptActivities(
      'directline',
      'conversation-1',
      undefined,
      new Date(START),
    );

    expect(page.items.map((activity) => activity.text)).toEqual(['new']);
  });

  it('keeps conversations and channels apart', async () => {
    const store = openStore();
    await logAll(store, [
      message('conversation-1', { text: 'one' }),
      message('conversation-2', { text: 'two' }),
      message('conversation-1', { text: 'teams one', channelId: 'msteams' }),
    ]);

    const webChat = await store.getTranscriptActivities('directline', 'conversation-1');
    const teams = await store.getTranscriptActivities('msteams', 'conversation-1');
    const unknown = await store.getTranscriptActivities('directline', 'conversation-9');

    expect(webChat.items.map((activity) => activity.text)).toEqual(['one']);
    expect(teams.items.map((activity) => activity.text)).toEqual(['teams one']);
    expect(unknown).toEqual({ items: [], continuationToken: '' });
  });

  it('stamps an activity that has no timestamp with the store’s clock', async () => {
    const store = openStore();
    await store.logActivity({ ...message('conversation-1'), timestamp: undefined });

    const page = await store.getTranscriptActivities(
      'directline',
      'conversation-1',
      undefined,
      new Date(START),
    );

    expect(page.items).toHaveLength(1);
  });

  it('rejects an activity without a conversation id, and stores nothing', async () => {
    const store = openStore();

    const error = await rejectionOf(
      store.logActivity({ ...message('x'), conversation: undefined }),
    );

    expect(error.code).toBe('storage_failed');
    expect(error.details.reason).toBe('invalid_item');
    expect((await store.listTranscripts('directline')).items).toEqual([]);
  });

  it('rejects a continuation token it did not give', async () => {
    const store = openStore();

    const error = await rejectionOf(
      store.getTranscriptActivities('directline', 'conversation-1', 'not-a-token'),
    );

    expect(error.details.reason).toBe('invalid_argument');
  });
});

describe('SqliteTranscriptStore listing and deleting', () => {
  it('lists a channel’s transcripts by creation time, 20 a page, created from the first activity', async () => {
    const store = openStore();
    // Created in reverse order of their ids, so the order cannot come from the ids.
    for (let index = 0; index < 25; index += 1) {
      await logAll(store, [
        message(`conversation-${String(index).padStart(2, '0')}`, {
          timestamp: new Date(START - index * 60_000),
        }),
      ]);
    }
    await logAll(store, [message('conversation-00'), message('teams-1', { channelId: 'msteams' })]);

    const first = await store.listTranscripts('directline');
    const second = await store.listTranscripts('directline', first.continuationToken);

    expect(first.items).toHaveLength(20);
    expect(second.items).toHaveLength(5);
    expect(second.continuationToken).toBe('');
    const listed = [...first.items, ...second.items];
    expect(listed.map((transcript) => transcript.id)).toEqual(
      Array.from(
        { length: 25 },
        (_, index) => `conversation-${String(24 - index).padStart(2, '0')}`,
      ),
    );
    expect(listed.at(-1)).toEqual({
      channelId: 'directline',
      id: 'conversation-00',
      created: new Date(START),
    });
  });

  it('deletes one transcript with all its activities and leaves the others', async () => {
    const store = openStore();
    await logAll(store, [
      message('conversation-1'),
      message('conversation-1'),
      message('conversation-2'),
    ]);

    await store.deleteTranscript('directline', 'conversation-1');
    await store.deleteTranscript('directline', 'never-existed');

    expect((await store.getTranscriptActivities('directline', 'conversation-1')).items).toEqual([]);
    expect(
      (await store.getTranscriptActivities('directline', 'conversation-2')).items,
    ).toHaveLength(1);
    expect((await store.listTranscripts('directline')).items.map((item) => item.id)).toEqual([
      'conversation-2',
    ]);
  });
});

describe('SqliteTranscriptStore retention', () => {
  it('deletes transcripts whose last activity is older, whole, and keeps a conversation still going on', async () => {
    const store = openStore();
    await logAll(store, [message('quiet'), message('ongoing', { text: 'day 0' })]);
    clock = START + 40 * DAY_MS;
    await logAll(store, [message('ongoing', { text: 'day 40' })]);

    const deleted = await store.deleteOlderThan(new Date(START + 30 * DAY_MS));

    expect(deleted).toBe(1);
    expect((await store.getTranscriptActivities('directline', 'quiet')).items).toEqual([]);
    expect(
      (await store.getTranscriptActivities('directline', 'ongoing')).items.map((item) => item.text),
    ).toEqual(['day 0', 'day 40']);
  });

  it('goes by when the store logged an activity, not by the timestamp the channel put on it', async () => {
    const store = openStore();
    clock = START + 40 * DAY_MS;
    await logAll(store, [message('late-clock', { timestamp: new Date(START - 365 * DAY_MS) })]);

    expect(await store.deleteOlderThan(new Date(START + 30 * DAY_MS))).toBe(0);
  });

  it('keeps a transcript whose last activity is exactly at the cut-off', async () => {
    const store = openStore();
    await logAll(store, [message('conversation-1')]);

    expect(await store.deleteOlderThan(new Date(START))).toBe(0);
    expect(await store.deleteOlderThan(new Date(START + 1))).toBe(1);
  });

  it('rejects an invalid date', async () => {
    const store = openStore();

    const error = await rejectionOf(store.deleteOlderThan(new Date(Number.NaN)));

    expect(error.details.reason).toBe('invalid_argument');
  });
});

describe('SqliteTranscriptStore file', () => {
  it('returns every transcript written before a close and reopen, and its paging goes on', async () => {
    const before = openStore();
    await logAll(
      before,
      Array.from({ length: 25 }, () => message('conversation-1')),
    );
    const firstPage = await before.getTranscriptActivities('directline', 'conversation-1');
    await before.close();

    const after = openStore();
    const secondPage = await after.getTranscriptActivities(
      'directline',
      'conversation-1',
      firstPage.continuationToken,
    );

    expect(secondPage.items).toHaveLength(5);
    expect((await after.listTranscripts('directline')).items.map((item) => item.id)).toEqual([
      'conversation-1',
    ]);
  });

  it('writes each activity’s JSON with its channel, conversation, id and timestamp', async () => {
    const store = openStore();
    const activity = message('conversation-1', { text: 'hello' });
    await logAll(store, [activity]);
    await store.close();

    const database = new Database(file, { readonly: true });
    const rows = database
      .prepare(
        'SELECT channel_id, conversation_id, activity_id, timestamp, activity FROM transcript_activities',
      )
      .all();
    database.close();

    expect(rows).toEqual([
      {
        channel_id: 'directline',
        conversation_id: 'conversation-1',
        activity_id: activity.id,
        timestamp: START,
        activity: JSON.stringify(activity),
      },
    ]);
  });

  it('runs the file in WAL mode', () => {
    openStore();
    const database = new Database(file, { readonly: true });
    const mode = database.pragma('journal_mode', { simple: true });
    database.close();

    expect(mode).toBe('wal');
  });

  it('refuses a file written by a newer release', () => {
    const database = new Database(file);
    database.pragma('user_version = 99');
    database.close();

    let error: unknown;
    try {
      openStore();
    } catch (thrown) {
      error = thrown;
    }

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).details.reason).toBe('schema_unsupported');
  });

  it('keeps a private database in memory', async () => {
    const store = openStore({ path: IN_MEMORY_PATH });
    await logAll(store, [message('conversation-1')]);

    expect((await store.listTranscripts('directline')).items).toHaveLength(1);
  });

  it('refuses every call after close with storage_failed (closed)', async () => {
    const store = openStore();
    await store.close();
    await store.close();

    const error = await rejectionOf(store.logActivity(message('conversation-1')));

    expect(error.code).toBe('storage_failed');
    expect(error.details.reason).toBe('closed');
  });
});
