/**
 * `npm run seed`: rebuilds `<DATA_DIR>/commerce.sqlite` from scratch (DATA_DIR defaults to `./data`) with the
 * generated sample shop, or with τ-bench retail data: `npm run seed -- --tau ../shared/tau-retail`.
 * Options: `--seed <number>` (sample data only), `--tau <directory>`.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { COMMERCE_DATABASE_FILE, openCommerce } from '../src/commerce/open-commerce';
import { SAMPLE_CUSTOMERS, SAMPLE_DATA_DEFAULT_SEED } from '../src/commerce/sample-data';
import { openSqliteCommerceStore } from '../src/commerce/sqlite-commerce-store';
import { importTauData, readTauDirectory } from '../src/commerce/tau-import';
import { describeError } from '../src/shared/errors';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { tau: { type: 'string' }, seed: { type: 'string' } },
    strict: true,
  });
  const dataDir = path.resolve(process.env.DATA_DIR ?? './data');
  const file = path.join(dataDir, COMMERCE_DATABASE_FILE);
  const seed = values.seed === undefined ? SAMPLE_DATA_DEFAULT_SEED : Number(values.seed);
  if (!Number.isInteger(seed))
    throw new Error(`--seed must be an integer, got ${values.seed ?? ''}`);

  // Validate τ-bench input before deleting anything, so a typo in the path keeps the current database.
  const tauInput =
    values.tau === undefined ? undefined : await readTauDirectory(path.resolve(values.tau));

  for (const suffix of ['', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });

  if (tauInput === undefined) {
    const { store } = await openCommerce({ dataDir, seed });
    const counts = await store.counts();
    await store.close();
    console.log(`Sample shop written to ${file} (seed ${seed}):`, counts);
    console.log('Documented customers for demos:');
    for (const customer of SAMPLE_CUSTOMERS) {
      console.log(
        `  ${customer.firstName} ${customer.lastName} <${customer.email}> zip ${customer.zip}: ${customer.scenario}`,
      );
    }
    return;
  }
  await mkdir(dataDir, { recursive: true });
  const store = openSqliteCommerceStore({ path: file });
  try {
    const counts = await importTauData(store, tauInput);
    console.log(`τ-bench retail data from ${values.tau ?? ''} written to ${file}:`, counts);
  } catch (error) {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) await rm(`${file}${suffix}`, { force: true });
    throw error;
  }
  await store.close();
}

main().catch((error: unknown) => {
  const { code, message } = describeError(error);
  console.error(`seed failed (${code}): ${message}`);
  process.exitCode = 1;
});
