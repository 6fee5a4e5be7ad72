import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../shared/errors';
import type { Logger } from '../shared/logger';
import { silentLogger } from '../shared/logger';
import { generateSampleData, SAMPLE_DATA_DEFAULT_SEED } from './sample-data';
import { openSqliteCommerceStore, type SqliteCommerceStore } from './sqlite-commerce-store';

/** The database file inside the data directory. */
export const COMMERCE_DATABASE_FILE = 'commerce.sqlite';

export interface OpenCommerceOptions {
  /** Holds `commerce.sqlite`; created when missing (config `DATA_DIR`, default `./data`). */
  dataDir: string;
  /** Sample dates are relative to it; default: the current time. */
  now?: Date;
  /** Default: the fixed sample seed, so every install has the same documented customers. */
  seed?: number;
  logger?: Logger;
}

export interface OpenedCommerce {
  store: SqliteCommerceStore;
  /** The database file. */
  path: string;
  /** True when the store was empty and sample data was generated into it. */
  seeded: boolean;
}

/**
 * Opens the shop's database at start, and fills an empty one with the sample shop, so a fresh checkout runs
 * with customers to talk about. An existing database is used as it is.
 */
export async function openCommerce(options: OpenCommerceOptions): Promise<OpenedCommerce> {
  const logger = options.logger ?? silentLogger();
  try {
    await mkdir(options.dataDir, { recursive: true });
  } catch (error) {
    throw new AppError('storage_failed', `cannot create the data directory ${options.dataDir}`, {
      cause: error,
    });
  }
  const file = path.join(options.dataDir, COMMERCE_DATABASE_FILE);
  const store = openSqliteCommerceStore({ path: file });
  try {
    const counts = await store.counts();
    if (counts.customers > 0 || counts.products > 0) {
      logger.info({ path: file, ...counts }, 'commerce-open');
      return { store, path: file, seeded: false };
    }
    const dataset = generateSampleData({
      now: options.now ?? new Date(),
      seed: options.seed ?? SAMPLE_DATA_DEFAULT_SEED,
    });
    const seeded = await store.importDataset(dataset);
    logger.info({ path: file, ...seeded }, 'commerce-seed');
    return { store, path: file, seeded: true };
  } catch (error) {
    await store.close();
    throw error;
  }
}
