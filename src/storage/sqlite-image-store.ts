import { createHash, randomBytes } from 'node:crypto';
import { SqliteFile, type SqliteFileWording, type SqliteSchema } from './sqlite-file';

const SCHEMA: SqliteSchema = {
  version: 1,
  tables: `
    CREATE TABLE IF NOT EXISTS images (
      id TEXT PRIMARY KEY NOT NULL CHECK (length(id) > 0),
      owner TEXT NOT NULL,
      content_type TEXT NOT NULL CHECK (content_type LIKE 'image/%'),
      bytes BLOB NOT NULL,
      etag TEXT NOT NULL,
      made_by TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS images_owner_created ON images (owner, created_at);
    CREATE INDEX IF NOT EXISTS images_created ON images (created_at);
    CREATE TABLE IF NOT EXISTS named_images (
      name TEXT PRIMARY KEY NOT NULL CHECK (length(name) > 0),
      image_id TEXT NOT NULL REFERENCES images (id),
      fingerprint TEXT NOT NULL
    );
  `,
};

const WORDING: SqliteFileWording = {
  subject: 'Image store',
  closed: 'the image store is closed',
  invalidPath: 'The image store path must be a non-empty string.',
  file: 'The image store file',
};

/** Images one owner keeps: their newest few, so links in recent messages still work. */
export const DEFAULT_IMAGES_PER_OWNER = 5;
/** Images kept in all; beyond it the oldest unnamed ones go. At 1–3 MB a model image, a few gigabytes at most. */
export const DEFAULT_IMAGES_MAX = 2_000;

export interface StoredImage {
  /** Random and unguessable (128 bits): the id is the capability to see the image. */
  id: string;
  contentType: string;
  bytes: Buffer;
  /** A strong HTTP entity tag of the bytes (quoted), for caching. */
  etag: string;
  madeBy: string;
  createdAt: Date;
}

export interface NewImage {
  /** Whose image it is: the images of one owner are bounded together. */
  owner: string;
  bytes: Uint8Array;
  contentType: string;
  madeBy: string;
}

export interface SqliteImageStoreOptions {
  /** The database file; created with its folder when missing. `':memory:'` keeps it in memory. */
  path: string;
  /** Default {@link DEFAULT_IMAGES_PER_OWNER}. */
  imagesPerOwner?: number;
  /** Default {@link DEFAULT_IMAGES_MAX}. */
  imagesMax?: number;
  now?: () => Date;
}

interface ImageRow {
  id: string;
  content_type: string;
  bytes: Buffer;
  etag: string;
  made_by: string;
  created_at: number;
}

/**
 * Generated images (avatars) in an embedded SQLite file: bytes, media type and entity tag, served by the web
 * server. Bounded: each owner keeps their newest `imagesPerOwner` images and the file at most `imagesMax`, the
 * oldest going first; a named image (the assistant's avatar) is never evicted while it has its name.
 *
 * Images are local to the machine, like the file; several instances behind a load balancer would each draw the
 * assistant's avatar once, and a customer's avatar is served by the instance that made it.
 */
export class SqliteImageStore {
  private readonly file: SqliteFile;
  private readonly imagesPerOwner: number;
  private readonly imagesMax: number;
  private readonly now: () => Date;

  constructor(options: SqliteImageStoreOptions) {
    this.file = new SqliteFile({ path: options.path, schema: SCHEMA, wording: WORDING });
    this.imagesPerOwner = options.imagesPerOwner ?? DEFAULT_IMAGES_PER_OWNER;
    this.imagesMax = options.imagesMax ?? DEFAULT_IMAGES_MAX;
    this.now = options.now ?? (() => new Date());
  }

  /** Stores an image under a new random id, then drops what exceeds the owner's and the file's bounds. */
  save(image: NewImage): Promise<StoredImage> {
    return this.file.settle('save', () => this.database.transaction(() => this.insert(image))());
  }

  get(id: string): Promise<StoredImage | null> {
    return this.file.settle('get', () => {
      const row = this.database
        .prepare<[string], ImageRow>(
          'SELECT id, content_type, bytes, etag, made_by, created_at FROM images WHERE id = ?',
        )
        .get(id);
      return row === undefined ? null : toStoredImage(row);
    });
  }

  /** The image that has `name`, with the fingerprint it was saved with; null when the name is free. */
  getNamed(name: string): Promise<{ image: StoredImage; fingerprint: string } | null> {
    return this.file.settle('get', () => {
      const row = this.database
        .prepare<[string], ImageRow & { fingerprint: string }>(
          `SELECT images.id, content_type, bytes, etag, made_by, created_at, fingerprint
             FROM named_images JOIN images ON images.id = named_images.image_id
            WHERE named_images.name = ?`,
        )
        .get(name);
      return row === undefined ? null : { image: toStoredImage(row), fingerprint: row.fingerprint };
    });
  }

  /**
   * Stores an image and gives it `name` (owner `name` too), with a fingerprint of what it was made from; the
   * image that had the name before is deleted.
   */
  saveNamed(
    name: string,
    image: Omit<NewImage, 'owner'>,
    fingerprint: string,
  ): Promise<StoredImage> {
    return this.file.settle('save', () =>
      this.database.transaction(() => {
        const previous = this.database
          .prepare<[string], { image_id: string }>(
            'SELECT image_id FROM named_images WHERE name = ?',
          )
          .get(name);
        const stored = this.insert({ ...image, owner: name });
        this.database
          .prepare(
            `INSERT INTO named_images (name, image_id, fingerprint) VALUES (?, ?, ?)
             ON CONFLICT (name) DO UPDATE SET image_id = excluded.image_id, fingerprint = excluded.fingerprint`,
          )
          .run(name, stored.id, fingerprint);
        if (previous !== undefined) {
          this.database.prepare('DELETE FROM images WHERE id = ?').run(previous.image_id);
        }
        return stored;
      })(),
    );
  }

  /** Closes the file; closing again does nothing. */
  close(): Promise<void> {
    this.file.close();
    return Promise.resolve();
  }

  private get database() {
    return this.file.database;
  }

  private insert(image: NewImage): StoredImage {
    const bytes = Buffer.from(image.bytes);
    const stored: StoredImage = {
      id: randomBytes(16).toString('base64url'),
      contentType: image.contentType,
      bytes,
      etag: `"${createHash('sha256').update(bytes).digest('base64url').slice(0, 27)}"`,
      madeBy: image.madeBy,
      createdAt: this.now(),
    };
    this.database
      .prepare(
        `INSERT INTO images (id, owner, content_type, bytes, etag, made_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        stored.id,
        image.owner,
        stored.contentType,
        bytes,
        stored.etag,
        stored.madeBy,
        stored.createdAt.getTime(),
      );
    this.prune(image.owner);
    return stored;
  }

  /** Keeps the owner's newest images and the file's newest overall; named images stay. */
  private prune(owner: string): void {
    this.database
      .prepare(
        `DELETE FROM images WHERE owner = ? AND id NOT IN (SELECT image_id FROM named_images)
           AND id NOT IN (SELECT id FROM images WHERE owner = ? ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
      )
      .run(owner, owner, this.imagesPerOwner);
    this.database
      .prepare(
        `DELETE FROM images WHERE id NOT IN (SELECT image_id FROM named_images)
           AND id NOT IN (SELECT id FROM images WHERE id NOT IN (SELECT image_id FROM named_images)
                          ORDER BY created_at DESC, rowid DESC LIMIT ?)`,
      )
      .run(this.imagesMax);
  }
}

function toStoredImage(row: ImageRow): StoredImage {
  return {
    id: row.id,
    contentType: row.content_type,
    bytes: row.bytes,
    etag: row.etag,
    madeBy: row.made_by,
    createdAt: new Date(row.created_at),
  };
}
