import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteImageStore } from '../../../src/storage/sqlite-image-store';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7]);

function image(owner: string, marker = 0) {
  return {
    owner,
    bytes: Buffer.concat([PNG, Buffer.from([marker])]),
    contentType: 'image/png',
    madeBy: 'test',
  };
}

describe('SqliteImageStore', () => {
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'image-store-'));
  });

  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('returns the stored bytes, media type and a quoted entity tag by id', async () => {
    const store = new SqliteImageStore({ path: path.join(directory, 'images.sqlite') });

    const saved = await store.save(image('customer-1'));
    const found = await store.get(saved.id);

    expect(found?.bytes.equals(saved.bytes)).toBe(true);
    expect(found?.contentType).toBe('image/png');
    expect(found?.etag).toMatch(/^"[A-Za-z0-9_-]+"$/u);
    await store.close();
  });

  it('gives every image a different random 128-bit id', async () => {
    const store = new SqliteImageStore({ path: ':memory:' });

    const first = await store.save(image('customer-1'));
    const second = await store.save(image('customer-1'));

    expect(first.id).toMatch(/^[A-Za-z0-9_-]{22}$/u);
    expect(second.id).not.toBe(first.id);
    await store.close();
  });

  it("keeps only an owner's newest images", async () => {
    const store = new SqliteImageStore({ path: ':memory:', imagesPerOwner: 2 });

    const oldest = await store.save(image('customer-1', 1));
    const middle = await store.save(image('customer-1', 2));
    const newest = await store.save(image('customer-1', 3));
    const someoneElse = await store.save(image('customer-2', 4));

    expect(await store.get(oldest.id)).toBeNull();
    expect(await store.get(middle.id)).not.toBeNull();
    expect(await store.get(newest.id)).not.toBeNull();
    expect(await store.get(someoneElse.id)).not.toBeNull();
    await store.close();
  });

  it('keeps at most imagesMax images in all, but never drops a named one', async () => {
    const store = new SqliteImageStore({ path: ':memory:', imagesMax: 2 });
    const named = await store.saveNamed('assistant', image('x', 9), 'fingerprint-1');

    const first = await store.save(image('customer-1', 1));
    const second = await store.save(image('customer-2', 2));
    const third = await store.save(image('customer-3', 3));

    expect(await store.get(named.id)).not.toBeNull();
    expect(await store.get(first.id)).toBeNull();
    expect(await store.get(second.id)).not.toBeNull();
    expect(await store.get(third.id)).not.toBeNull();
    await store.close();
  });

  it('replaces a named image and keeps its fingerprint across a reopen', async () => {
    const file = path.join(directory, 'images.sqlite');
    const store = new SqliteImageStore({ path: file });
    const before = await store.saveNamed('assistant', image('x', 1), 'fingerprint-1');
    const after = await store.saveNamed('assistant', image('x', 2), 'fingerprint-2');
    await store.close();

    const reopened = new SqliteImageStore({ path: file });
    const named = await reopened.getNamed('assistant');

    expect(named?.fingerprint).toBe('fingerprint-2');
    expect(named?.image.id).toBe(after.id);
    expect(await reopened.get(before.id)).toBeNull();
    await reopened.close();
  });

  it('rejects with storage_failed after close', async () => {
    const store = new SqliteImageStore({ path: ':memory:' });
    await store.close();

    await expect(store.get('abc')).rejects.toMatchObject({ code: 'storage_failed' });
  });
});
