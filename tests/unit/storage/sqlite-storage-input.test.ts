import type { StoreItems } from 'botbuilder';
import { AppError } from '../../../src/shared/errors';
import { IN_MEMORY_PATH, SqliteStorage } from '../../../src/storage/sqlite-storage';

let storage: SqliteStorage;

beforeEach(async () => {
  storage = new SqliteStorage({ path: IN_MEMORY_PATH });
  await storage.write({ existing: { value: 'original' } });
});

afterEach(async () => {
  await storage.close();
});

async function failureOf(promise: Promise<unknown>): Promise<AppError> {
  const error: unknown = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!(error instanceof AppError)) throw new Error(`expected an AppError, got ${String(error)}`);
  return error;
}

/** Untyped input, as it arrives from JavaScript callers or deserialized data. */
function untyped<T>(value: unknown): T {
  return value as T;
}

async function storedState(): Promise<StoreItems> {
  return storage.read(['existing', 'good', 'bad']);
}

describe('SqliteStorage input checks', () => {
  it.each([
    ['not an array', untyped<string[]>('existing')],
    ['a number key', untyped<string[]>(['existing', 42])],
    ['an empty key', ['existing', '']],
    ['a null key', untyped<string[]>([null])],
  ])('rejects a read with %s', async (_case, keys) => {
    const error = await failureOf(storage.read(keys));

    expect([error.code, error.details.reason]).toEqual(['storage_failed', 'invalid_keys']);
    expect(error.message).toMatch(/keys?/);
  });

  it.each([
    ['not an array', untyped<string[]>(undefined)],
    ['a number key', untyped<string[]>(['existing', 7])],
    ['an empty key', ['existing', '']],
  ])('rejects a delete with %s and deletes nothing', async (_case, keys) => {
    const error = await failureOf(storage.delete(keys));

    expect([error.code, error.details.reason]).toEqual(['storage_failed', 'invalid_keys']);
    expect(Object.keys(await storedState())).toEqual(['existing']);
  });

  const circular: Record<string, unknown> = { name: 'loop' };
  circular.self = circular;

  it.each([
    ['an empty key', { good: { value: 1 }, '': { value: 2 } }, 'invalid_keys'],
    ['a null item', { good: { value: 1 }, bad: null }, 'invalid_item'],
    ['an array item', { good: { value: 1 }, bad: [1, 2] }, 'invalid_item'],
    ['a string item', { good: { value: 1 }, bad: 'text' }, 'invalid_item'],
    ['a Date item', { good: { value: 1 }, bad: new Date(0) }, 'invalid_item'],
    ['a number eTag', { good: { value: 1 }, bad: { value: 2, eTag: 5 } }, 'invalid_item'],
    ['a BigInt value', { good: { value: 1 }, bad: { value: 10n } }, 'not_serializable'],
    ['a circular value', { good: { value: 1 }, bad: circular }, 'not_serializable'],
    [
      'an item overwriting a stored one',
      { existing: { value: 'changed' }, bad: null },
      'invalid_item',
    ],
  ])('rejects a write with %s and writes nothing of the batch', async (_case, changes, reason) => {
    const error = await failureOf(storage.write(changes));

    expect([error.code, error.details.reason]).toEqual(['storage_failed', reason]);
    expect(await storedState()).toEqual({
      existing: { value: 'original', eTag: expect.any(String) },
    });
  });

  it('rejects a write whose changes are not an object', async () => {
    const error = await failureOf(storage.write(untyped<StoreItems>(null)));

    expect([error.code, error.details.reason]).toEqual(['storage_failed', 'invalid_item']);
  });

  it('names the offending key in the message', async () => {
    const error = await failureOf(storage.write({ 'conversation/42': untyped<object>('oops') }));

    expect(error.message).toBe(
      'Storage write: the item for "conversation/42" is a string; items must be plain objects.',
    );
  });

  it('accepts an empty batch and an empty key list as no-ops', async () => {
    await storage.write({});
    await storage.delete([]);

    expect(await storage.read([])).toEqual({});
    expect(Object.keys(await storedState())).toEqual(['existing']);
  });

  it('overwrites when the eTag is null or empty, like a missing eTag', async () => {
    await storage.write({ existing: { value: 'second' } });

    await storage.write({ existing: { value: 'third', eTag: untyped<string>(null) } });
    await storage.write({ existing: { value: 'fourth', eTag: '' } });

    expect((await storage.read(['existing'])).existing.value).toBe('fourth');
  });
});

describe('SqliteStorage lifecycle', () => {
  it('refuses every call after close with storage_failed (closed)', async () => {
    await storage.close();

    const errors = await Promise.all([
      failureOf(storage.read(['existing'])),
      failureOf(storage.write({ key: { value: 1 } })),
      failureOf(storage.delete(['existing'])),
      failureOf(storage.deleteOlderThan(new Date())),
    ]);

    expect(errors.map((error) => error.details.reason)).toEqual([
      'closed',
      'closed',
      'closed',
      'closed',
    ]);
  });

  it('closes more than once without error', async () => {
    await storage.close();

    await expect(storage.close()).resolves.toBeUndefined();
  });

  it.each([
    ['a negative busy timeout', { path: IN_MEMORY_PATH, busyTimeoutMs: -1 }],
    ['a fractional busy timeout', { path: IN_MEMORY_PATH, busyTimeoutMs: 1.5 }],
    ['an empty path', { path: '  ' }],
  ])('refuses to open with %s', (_case, options) => {
    expect(() => new SqliteStorage(options)).toThrow(AppError);
  });
});
