import Database from 'better-sqlite3';
import { AppError } from '../shared/errors';

/** The database file inside the data directory, next to `commerce.sqlite`. */
export const PRODUCT_VECTORS_DATABASE_FILE = 'product-vectors.sqlite';

/** A product's embedding as stored: computed from a text whose hash it keeps, so a changed text is noticed. */
export interface StoredProductVector {
  productId: string;
  /** Hash of the text the vector was computed from (see `productText`). */
  textHash: string;
  vector: number[];
}

/**
 * Product embeddings, kept per embeddings model, so they are computed once per product and model rather than in
 * every conversation or at every start. A cache: deleting it only costs one recomputation.
 */
export interface ProductVectorStore {
  /** Every vector stored for the model, by product id. */
  read(model: string): Promise<Map<string, StoredProductVector>>;
  /** Adds or replaces vectors of the model. */
  write(model: string, vectors: readonly StoredProductVector[]): Promise<void>;
  close(): Promise<void>;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS product_vectors (
  model TEXT NOT NULL,
  product_id TEXT NOT NULL,
  text_hash TEXT NOT NULL,
  dimensions INTEGER NOT NULL CHECK (dimensions > 0),
  vector BLOB NOT NULL,
  computed_at TEXT NOT NULL,
  PRIMARY KEY (model, product_id)
) WITHOUT ROWID;
`;

interface VectorRow {
  product_id: string;
  text_hash: string;
  dimensions: number;
  vector: Buffer;
}

/**
 * `ProductVectorStore` in a small SQLite file (or `':memory:'`). Vectors are stored as little-endian float32
 * blobs: a quarter of the size of JSON and exact enough for a cosine.
 */
export class SqliteProductVectorStore implements ProductVectorStore {
  private constructor(
    private readonly database: Database.Database,
    private readonly now: () => Date,
  ) {}

  static open(options: { path: string; now?: () => Date }): SqliteProductVectorStore {
    let database: Database.Database;
    try {
      database = new Database(options.path);
    } catch (error) {
      throw new AppError('storage_failed', 'could not open the product vector database', {
        cause: error,
      });
    }
    try {
      database.pragma('journal_mode = WAL');
      database.pragma('busy_timeout = 5000');
      database.exec(SCHEMA);
    } catch (error) {
      database.close();
      throw new AppError('storage_failed', 'could not prepare the product vector database', {
        cause: error,
      });
    }
    return new SqliteProductVectorStore(database, options.now ?? (() => new Date()));
  }

  read(model: string): Promise<Map<string, StoredProductVector>> {
    return this.run(() => {
      const rows = this.database
        .prepare<[string], VectorRow>(
          'SELECT product_id, text_hash, dimensions, vector FROM product_vectors WHERE model = ?',
        )
        .all(model);
      const vectors = new Map<string, StoredProductVector>();
      for (const row of rows) {
        const vector = fromBlob(row.vector);
        // A row cut short (a crash mid-write, a foreign file) is treated as missing and recomputed.
        if (vector.length !== row.dimensions) continue;
        vectors.set(row.product_id, { productId: row.product_id, textHash: row.text_hash, vector });
      }
      return vectors;
    });
  }

  write(model: string, vectors: readonly StoredProductVector[]): Promise<void> {
    return this.run(() => {
      const insert = this.database.prepare(
        `INSERT INTO product_vectors (model, product_id, text_hash, dimensions, vector, computed_at)
         VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (model, product_id) DO UPDATE SET
           text_hash = excluded.text_hash, dimensions = excluded.dimensions,
           vector = excluded.vector, computed_at = excluded.computed_at`,
      );
      const computedAt = this.now().toISOString();
      this.database.transaction(() => {
        for (const entry of vectors) {
          insert.run(
            model,
            entry.productId,
            entry.textHash,
            entry.vector.length,
            toBlob(entry.vector),
            computedAt,
          );
        }
      })();
    });
  }

  close(): Promise<void> {
    if (this.database.open) this.database.close();
    return Promise.resolve();
  }

  private run<T>(work: () => T): Promise<T> {
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(
        new AppError('storage_failed', 'the product vector database failed', { cause: error }),
      );
    }
  }
}

function toBlob(vector: readonly number[]): Buffer {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, index) => buffer.writeFloatLE(value, index * 4));
  return buffer;
}

function fromBlob(blob: Buffer): number[] {
  const vector = new Array<number>(Math.floor(blob.length / 4));
  for (let index = 0; index < vector.length; index += 1)
    vector[index] = blob.readFloatLE(index * 4);
  return vector;
}
