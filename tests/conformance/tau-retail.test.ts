/**
 * The τ-bench retail conformance suite. Every task's ground-truth actions are replayed through the real
 * ToolRegistry, over the real SQLite store loaded with τ-bench's data (`../shared/tau-retail`, beside the
 * checkout; never copied into the repo), and compared with the outputs and final states the benchmark's own
 * code produced (expected.jsonl).
 *
 * How the replay differs from a conversation, on purpose:
 * - the rule is τ-bench's (`email_or_name_and_zip`) and the context starts verified as the task's `user_id`,
 *   because the ground truth often skips the identity calls;
 * - writes run through `execute` directly: asking the customer to confirm is the conversation's job.
 *
 * Money: τ-bench adds floats and stores noise such as `0.04999999999999716` in 201 tasks; we keep integer cents.
 * Outputs and final records are therefore compared with every number rounded to cents on both sides. Where a
 * task's expected state has no such noise, its full-state digest (sha256 of RFC 8785 JSON) must match exactly.
 *
 * Every difference from τ-bench is listed in KNOWN_DEVIATIONS with its reason. The suite fails on any
 * difference not listed, and on a listed one that no longer occurs.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {
  openSqliteCommerceStore,
  type SqliteCommerceStore,
} from '../../src/commerce/sqlite-commerce-store';
import { toTauOrder, toTauProduct, toTauUser } from '../../src/commerce/tau-format';
import { importTauData, readTauDirectory } from '../../src/commerce/tau-import';
import type { CommerceDataset } from '../../src/commerce/types';
import { createOrderTools } from '../../src/tools/order';
import { ToolRegistry } from '../../src/tools/registry';
import {
  canonicalJson,
  createToolContext,
  roundMoneyDeep,
  TAU_RETAIL_DIR,
} from '../helpers/commerce-fixtures';

/** The digest of τ-bench's untouched data, from its README. */
const UNTOUCHED_DIGEST = 'd991536bad97041c473ace12f4934d7bef3ce26b3ec29995b6dc9c8c0280157a';

interface Deviation {
  /** `split/task_index`, e.g. `test/64`. */
  task: string;
  /** Indexes of the actions whose output or error flag differs. */
  actions: number[];
  /** Whether the final state differs too. */
  finalState: boolean;
  reason: string;
}

/** Every known difference from τ-bench, with the reason we accept it. */
const KNOWN_DEVIATIONS: readonly Deviation[] = [
  {
    task: 'test/64',
    // 0: looks up James Sanchez; 1-4: reads his account and orders; 6: an error on his order that we answer
    // "order not found" instead; 7: changes his order. Action 5 (a public product) matches.
    actions: [0, 1, 2, 3, 4, 6, 7],
    finalState: true,
    reason:
      "The task's user_id (harper_moore_6183) is not the persona the ground truth serves (James Sanchez, james_sanchez_3954). With the conversation verified as the task's user, our privacy rule answers another customer's account and orders exactly as if they did not exist, and refuses to switch the verified customer.",
  },
];

interface ExpectedAction {
  name: string;
  kwargs: Record<string, unknown>;
  output: string;
  is_error: boolean;
}

interface ExpectedTask {
  split: string;
  task_index: number;
  user_id: string;
  actions: ExpectedAction[];
  final_digest_jcs: string;
  changed: { orders?: Record<string, unknown>; users?: Record<string, unknown> };
}

interface Findings {
  tasks: number;
  actions: number;
  matchedActions: number;
  matchedStates: number;
  exactDigests: number;
  deviations: Map<string, string>;
  untouchedDigest: string;
  milliseconds: number;
}

const available = existsSync(path.join(TAU_RETAIL_DIR, 'expected.jsonl'));

/** The untouched data as a database file, attached read-only to each task's copy to find changed rows. */
let baseFile = '';

if (!available && process.env.CI === undefined) {
  console.log(
    `τ-bench conformance skipped: no data at ${TAU_RETAIL_DIR} (in CI this fails instead).`,
  );
}

const describeWhenData = available || process.env.CI !== undefined ? describe : describe.skip;

describeWhenData('τ-bench retail conformance', () => {
  let findings: Findings;

  beforeAll(async () => {
    baseFile = path.join(mkdtempSync(path.join(os.tmpdir(), 'tau-retail-')), 'base.sqlite');
    if (!available) {
      throw new Error(
        `τ-bench retail data is missing at ${TAU_RETAIL_DIR}: CI must run the conformance suite, so put the data beside the checkout.`,
      );
    }
    findings = await replayAllTasks();
    console.log(
      [
        'τ-bench retail conformance:',
        `${findings.tasks} tasks, ${findings.actions} actions replayed in ${(findings.milliseconds / 1000).toFixed(1)} s;`,
        `${findings.matchedActions} actions matched, ${findings.actions - findings.matchedActions} differ;`,
        `${findings.matchedStates} final states matched (${findings.exactDigests} by exact digest), ${findings.tasks - findings.matchedStates} differ;`,
        `${findings.deviations.size} deviations in all (${findings.actions - findings.matchedActions} actions, ${findings.tasks - findings.matchedStates} final states) against ${expandListed().size} listed in ${KNOWN_DEVIATIONS.length} task(s).`,
      ].join(' '),
    );
  }, 600_000);

  afterAll(() => {
    if (baseFile !== '') rmSync(path.dirname(baseFile), { recursive: true, force: true });
  });

  it("imports τ-bench's data and exports it back with the benchmark's own digest", () => {
    expect(findings.untouchedDigest).toBe(UNTOUCHED_DIGEST);
  });

  it('replays all 635 tasks', () => {
    expect(findings.tasks).toBe(635);
    expect(findings.actions).toBeGreaterThan(1300);
  });

  it('differs from τ-bench only where KNOWN_DEVIATIONS says so', () => {
    const listed = expandListed();
    const unlisted = [...findings.deviations]
      .filter(([key]) => !listed.has(key))
      .map(([key, why]) => `${key}: ${why}`);
    expect(unlisted).toEqual([]);
  });

  it('still shows every deviation KNOWN_DEVIATIONS lists', () => {
    const stale = [...expandListed()].filter((key) => !findings.deviations.has(key));
    expect(stale).toEqual([]);
  });
});

function expandListed(): Set<string> {
  const keys = new Set<string>();
  for (const deviation of KNOWN_DEVIATIONS) {
    for (const index of deviation.actions) keys.add(`${deviation.task} action ${index}`);
    if (deviation.finalState) keys.add(`${deviation.task} final state`);
  }
  return keys;
}

async function replayAllTasks(): Promise<Findings> {
  const started = Date.now();
  const template = openSqliteCommerceStore({ path: ':memory:' });
  await importTauData(template, await readTauDirectory(TAU_RETAIL_DIR));
  const original = indexRecords(toTauState(await template.exportDataset()));
  const image = template.serialize();
  await template.close();
  writeFileSync(baseFile, image);

  const expectedTasks = readFileSync(path.join(TAU_RETAIL_DIR, 'expected.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as ExpectedTask);

  const findings: Findings = {
    tasks: 0,
    actions: 0,
    matchedActions: 0,
    matchedStates: 0,
    exactDigests: 0,
    deviations: new Map(),
    untouchedDigest: digestOf(original, new Map()),
    milliseconds: 0,
  };

  for (const task of expectedTasks) {
    const key = `${task.split}/${task.task_index}`;
    // A fresh copy of the untouched data for every task: deserialising the template takes about a millisecond.
    const store = openSqliteCommerceStore({ image });
    try {
      await replayTask(store, task, key, findings);
      const final = await finalRecords(store, task);
      const difference = compareFinalState(final, original, task);
      const exact = !hasMoneyNoise(task.changed);
      if (difference !== null) {
        findings.deviations.set(`${key} final state`, difference);
      } else if (exact && digestOf(original, final) !== task.final_digest_jcs) {
        findings.deviations.set(
          `${key} final state`,
          'the records match but the full-state digest differs',
        );
      } else {
        findings.matchedStates += 1;
        if (exact) findings.exactDigests += 1;
      }
    } finally {
      await store.close();
    }
    findings.tasks += 1;
  }
  findings.milliseconds = Date.now() - started;
  return findings;
}

async function replayTask(
  store: SqliteCommerceStore,
  task: ExpectedTask,
  key: string,
  findings: Findings,
): Promise<void> {
  const registry = new ToolRegistry(
    createOrderTools({ store, verificationRule: 'email_or_name_and_zip' }),
  );
  const { context } = createToolContext({
    customerId: task.user_id,
    rule: 'email_or_name_and_zip',
  });
  for (const [index, action] of task.actions.entries()) {
    findings.actions += 1;
    const result = await registry.run(
      { name: action.name, arguments: JSON.stringify(action.kwargs) },
      context,
    );
    const difference = compareOutput(action, { isError: !result.ok, output: result.output });
    if (difference === null) findings.matchedActions += 1;
    else findings.deviations.set(`${key} action ${index}`, `${action.name}: ${difference}`);
  }
}

/** Null when equal; otherwise what differs. JSON outputs are compared parsed, numbers rounded to cents. */
function compareOutput(
  expected: ExpectedAction,
  actual: { isError: boolean; output: string },
): string | null {
  if (expected.is_error !== actual.isError) {
    return `expected is_error ${String(expected.is_error)}, got ${String(actual.isError)} (${actual.output.slice(0, 120)})`;
  }
  const expectedJson = parseObject(expected.output);
  if (expectedJson === undefined) {
    return expected.output === actual.output
      ? null
      : `expected ${expected.output}, got ${actual.output.slice(0, 120)}`;
  }
  const actualJson = parseObject(actual.output);
  if (actualJson === undefined) return `expected JSON, got ${actual.output.slice(0, 120)}`;
  return canonicalJson(roundMoneyDeep(expectedJson)) === canonicalJson(roundMoneyDeep(actualJson))
    ? null
    : 'the JSON differs after rounding money to cents';
}

function parseObject(text: string): object | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

type TauState = {
  orders: Record<string, object>;
  products: Record<string, object>;
  users: Record<string, object>;
};

function toTauState(dataset: CommerceDataset): TauState {
  return {
    orders: Object.fromEntries(dataset.orders.map((order) => [order.id, toTauOrder(order)])),
    products: Object.fromEntries(
      dataset.products.map((product) => [product.id, toTauProduct(product)]),
    ),
    users: Object.fromEntries(
      dataset.customers.map((customer) => [customer.id, toTauUser(customer)]),
    ),
  };
}

const COLLECTIONS = ['orders', 'products', 'users'] as const;

/** The untouched data by `collection/id`. */
interface IndexedState {
  records: Map<string, object>;
  /** Per collection, the ids in RFC 8785 order (UTF-16 code units). */
  sortedIds: Record<(typeof COLLECTIONS)[number], string[]>;
}

function indexRecords(state: TauState): IndexedState {
  const records = new Map<string, object>();
  for (const collection of COLLECTIONS) {
    for (const [id, record] of Object.entries(state[collection]))
      records.set(`${collection}/${id}`, record);
  }
  return {
    records,
    sortedIds: {
      orders: Object.keys(state.orders).sort(),
      products: Object.keys(state.products).sort(),
      users: Object.keys(state.users).sort(),
    },
  };
}

/**
 * Which τ-bench record each table's rows belong to. A table not listed here fails the suite, so a schema
 * change cannot slip past the state comparison.
 */
const RECORD_OF_TABLE: Readonly<Record<string, { collection: string; column: string }>> = {
  customers: { collection: 'users', column: 'id' },
  payment_methods: { collection: 'users', column: 'customer_id' },
  orders: { collection: 'orders', column: 'id' },
  order_items: { collection: 'orders', column: 'order_id' },
  fulfillments: { collection: 'orders', column: 'order_id' },
  payment_transactions: { collection: 'orders', column: 'order_id' },
  products: { collection: 'products', column: 'id' },
  product_variants: { collection: 'products', column: 'product_id' },
  shipments: { collection: 'shipments', column: 'order_id' },
  shipment_events: { collection: 'shipments', column: 'tracking_id' },
};

/**
 * The task's final version of every record that differs from the untouched data in any row of any table
 * (SQL EXCEPT against the template, both ways), and of every record τ-bench changed, in τ-bench's shape.
 */
async function finalRecords(
  store: SqliteCommerceStore,
  task: ExpectedTask,
): Promise<Map<string, object | null>> {
  const keys = new Set<string>();
  for (const collection of ['orders', 'users'] as const) {
    for (const id of Object.keys(task.changed[collection] ?? {})) keys.add(`${collection}/${id}`);
  }
  const database = new Database(store.serialize());
  try {
    database.prepare('ATTACH DATABASE ? AS base').run(baseFile);
    const tables = database
      .prepare<[], { name: string }>(
        "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name <> 'schema_version'",
      )
      .all();
    for (const { name } of tables) {
      const target = RECORD_OF_TABLE[name];
      if (target === undefined)
        throw new Error(`table ${name} is not mapped to a τ-bench record in this suite`);
      const changedRows = database
        .prepare<[], { id: string }>(
          `SELECT ${target.column} AS id FROM (SELECT * FROM main.${name} EXCEPT SELECT * FROM base.${name})
           UNION SELECT ${target.column} AS id FROM (SELECT * FROM base.${name} EXCEPT SELECT * FROM main.${name})`,
        )
        .all();
      for (const row of changedRows) keys.add(`${target.collection}/${row.id}`);
    }
  } finally {
    database.close();
  }
  const records = new Map<string, object | null>();
  for (const key of keys) {
    const [collection = '', id = ''] = key.split(/\/(.*)/su);
    records.set(key, await readTauRecord(store, collection, id));
  }
  return records;
}

async function readTauRecord(
  store: SqliteCommerceStore,
  collection: string,
  id: string,
): Promise<object | null> {
  switch (collection) {
    case 'orders': {
      const order = await store.getOrder(id);
      return order === null ? null : toTauOrder(order);
    }
    case 'users': {
      const customer = await store.getCustomer(id);
      return customer === null ? null : toTauUser(customer);
    }
    case 'products': {
      const product = await store.getProduct(id);
      return product === null ? null : toTauProduct(product);
    }
    default:
      // τ-bench data has no shipments, so no write may create one.
      return { unexpected: `a ${collection} row changed: ${id}` };
  }
}

/**
 * Null when every record equals τ-bench's final one after rounding money to cents: the task's `changed`
 * records, and the untouched data for any other record the replay touched. Otherwise the records that differ.
 */
function compareFinalState(
  final: Map<string, object | null>,
  original: IndexedState,
  task: ExpectedTask,
): string | null {
  const differing: string[] = [];
  for (const [key, actual] of final) {
    const [collection = '', id = ''] = key.split(/\/(.*)/su);
    const changed = (task.changed as Record<string, Record<string, unknown> | undefined>)[
      collection
    ]?.[id];
    const expected = changed ?? original.records.get(key) ?? null;
    if (canonicalJson(roundMoneyDeep(expected)) !== canonicalJson(roundMoneyDeep(actual)))
      differing.push(key);
  }
  return differing.length === 0
    ? null
    : `differs after rounding money to cents: ${differing.join(', ')}`;
}

/** sha256 of the RFC 8785 JSON of `{orders, products, users}`: the untouched records, the final ones over them. */
function digestOf(original: IndexedState, final: Map<string, object | null>): string {
  const hash = createHash('sha256');
  hash.update('{');
  COLLECTIONS.forEach((collection, index) => {
    hash.update(`${index === 0 ? '' : ','}${JSON.stringify(collection)}:{`);
    original.sortedIds[collection].forEach((id, position) => {
      const key = `${collection}/${id}`;
      const record = final.has(key) ? final.get(key) : original.records.get(key);
      hash.update(
        `${position === 0 ? '' : ','}${JSON.stringify(id)}:${canonicalCached(record ?? undefined)}`,
      );
    });
    hash.update('}');
  });
  hash.update('}');
  return hash.digest('hex');
}

/** The untouched records recur in every digest: canonicalise each once. */
const canonicalCache = new WeakMap<object, string>();
function canonicalCached(record: object | undefined): string {
  if (record === undefined) return 'null';
  let canonical = canonicalCache.get(record);
  if (canonical === undefined) {
    canonical = canonicalJson(record);
    canonicalCache.set(record, canonical);
  }
  return canonical;
}

function hasMoneyNoise(value: unknown): boolean {
  if (typeof value === 'number') return Math.round(value * 100) / 100 !== value;
  if (Array.isArray(value)) return value.some(hasMoneyNoise);
  if (value !== null && typeof value === 'object') return Object.values(value).some(hasMoneyNoise);
  return false;
}
