import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AppError } from '../../../src/shared/errors';
import { createStorage, type StorageSelection } from '../../../src/storage/create-storage';
import type { ManagedStorage } from '../../../src/storage/managed-storage';

const opened: ManagedStorage[] = [];
let folder: string;

beforeEach(() => {
  folder = mkdtempSync(path.join(tmpdir(), 'create-storage-'));
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((storage) => storage.close()));
  rmSync(folder, { recursive: true, force: true });
});

function open(selection: StorageSelection): ManagedStorage {
  const storage = createStorage(selection);
  opened.push(storage);
  return storage;
}

describe('createStorage', () => {
  it('opens a SQLite file at the path given, whose items a later store reads', async () => {
    const file = path.join(folder, 'state.sqlite');
    const first = open({ kind: 'sqlite', path: file });
    await first.write({ key: { value: 1 } });
    await first.close();

    const second = open({ kind: 'sqlite', path: file });

    expect(existsSync(file)).toBe(true);
    expect((await second.read(['key'])).key.value).toBe(1);
  });

  it('opens a private in-memory store that shares nothing and leaves no file', async () => {
    const first = open({ kind: 'memory' });
    const second = open({ kind: 'memory' });

    await first.write({ key: { value: 1 } });

    expect((await first.read(['key'])).key.value).toBe(1);
    expect(await second.read(['key'])).toEqual({});
  });

  it('gives the memory store the same conflict rules as the file store', async () => {
    const storage = open({ kind: 'memory' });
    await storage.write({ key: { value: 1 } });
    await storage.write({ key: { value: 2 } });

    await expect(storage.write({ key: { value: 3, eTag: 'stale' } })).rejects.toMatchObject({
      code: 'storage_conflict',
    });
  });

  it('refuses an unknown kind with config_invalid', () => {
    const selection = { kind: 'blob', connectionString: 'UseDevelopmentStorage=true' } as unknown;

    expect(() => createStorage(selection as StorageSelection)).toThrow(
      new AppError('config_invalid', 'Unknown storage kind: "blob".'),
    );
  });
});
