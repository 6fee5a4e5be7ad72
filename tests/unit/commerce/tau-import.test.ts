import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  openSqliteCommerceStore,
  type SqliteCommerceStore,
} from '../../../src/commerce/sqlite-commerce-store';
import { toTauOrder, toTauProduct, toTauUser } from '../../../src/commerce/tau-format';
import { importTauData, readTauDirectory } from '../../../src/commerce/tau-import';
import { AppError } from '../../../src/shared/errors';

/** A minimal τ-bench-shaped shop: one user with a card and a gift card, one order, one product. */
function tauData() {
  return {
    users: {
      mia_garcia_1: {
        name: { first_name: 'Mia', last_name: 'Garcia' },
        address: {
          address1: '1 Main St',
          address2: '',
          city: 'Austin',
          country: 'USA',
          state: 'TX',
          zip: '78701',
        },
        email: 'mia.garcia@example.com',
        payment_methods: {
          credit_card_1: {
            source: 'credit_card',
            brand: 'visa',
            last_four: '4242',
            id: 'credit_card_1',
          },
          gift_card_2: { source: 'gift_card', balance: 12.3, id: 'gift_card_2' },
        },
        orders: ['#W0000001'],
      },
    } as Record<string, Record<string, unknown>>,
    orders: {
      '#W0000001': {
        order_id: '#W0000001',
        user_id: 'mia_garcia_1',
        address: {
          address1: '1 Main St',
          address2: '',
          city: 'Austin',
          country: 'USA',
          state: 'TX',
          zip: '78701',
        },
        items: [
          {
            name: 'Lamp',
            product_id: '100',
            item_id: '200',
            price: 19.99,
            options: { color: 'white' },
          },
        ],
        fulfillments: [],
        status: 'pending',
        payment_history: [
          { transaction_type: 'payment', amount: 19.99, payment_method_id: 'credit_card_1' },
        ],
      },
    } as Record<string, Record<string, unknown>>,
    products: {
      '100': {
        name: 'Lamp',
        product_id: '100',
        variants: {
          '200': { item_id: '200', options: { color: 'white' }, available: true, price: 19.99 },
        },
      },
    } as Record<string, Record<string, unknown>>,
  };
}

async function importFailure(
  store: SqliteCommerceStore,
  input: ReturnType<typeof tauData>,
): Promise<AppError> {
  const failure = await importTauData(store, input).catch((error: unknown) => error);
  if (!(failure instanceof AppError))
    throw new Error('expected the import to fail with an AppError');
  return failure;
}

let store: SqliteCommerceStore;

beforeEach(() => {
  store = openSqliteCommerceStore({ path: ':memory:' });
});

afterEach(async () => {
  await store.close();
});

describe('importTauData', () => {
  it('imports τ-bench records and gives them back in the same shape, money as cents inside', async () => {
    const input = tauData();

    const counts = await importTauData(store, input);

    expect(counts).toEqual({ customers: 1, orders: 1, products: 1, variants: 1, shipments: 0 });
    const order = await store.getOrder('#W0000001');
    expect(order?.items[0]?.priceCents).toBe(1999);
    expect(order && toTauOrder(order)).toEqual(input.orders['#W0000001']);
    const customer = await store.getCustomer('mia_garcia_1');
    expect(customer && toTauUser(customer)).toEqual(input.users.mia_garcia_1);
    const product = await store.getProduct('100');
    expect(product && toTauProduct(product)).toEqual(input.products['100']);
  });

  it('rejects a wrongly typed field, names where it is, and imports nothing', async () => {
    const input = tauData();
    const order = input.orders['#W0000001'] as { items: { price: unknown }[] };
    if (order.items[0] !== undefined) order.items[0].price = '19.99';

    const failure = await importFailure(store, input);

    expect(failure.code).toBe('data_import_failed');
    expect(failure.message).toContain('orders["#W0000001"].items[0].price');
    expect(await store.counts()).toMatchObject({ customers: 0, orders: 0, products: 0 });
  });

  it('rejects a full card number: only the last four digits may be stored', async () => {
    const input = tauData();
    const methods = input.users.mia_garcia_1?.payment_methods as Record<
      string,
      Record<string, unknown>
    >;
    if (methods.credit_card_1 !== undefined) methods.credit_card_1.last_four = '4242424242424242';

    const failure = await importFailure(store, input);

    expect(failure.message).toContain('users.mia_garcia_1.payment_methods.credit_card_1.last_four');
    expect(failure.message).toContain('last four digits only');
  });

  it('rejects an amount that is not a whole number of cents', async () => {
    const input = tauData();
    const methods = input.users.mia_garcia_1?.payment_methods as Record<
      string,
      Record<string, unknown>
    >;
    if (methods.gift_card_2 !== undefined) methods.gift_card_2.balance = 12.345;

    const failure = await importFailure(store, input);

    expect(failure.message).toContain(
      'users.mia_garcia_1.payment_methods.gift_card_2.balance: 12.345 is not a whole',
    );
  });

  it('accepts float noise in an amount as the nearest cent, like τ-bench final states carry', async () => {
    const input = tauData();
    const methods = input.users.mia_garcia_1?.payment_methods as Record<
      string,
      Record<string, unknown>
    >;
    if (methods.gift_card_2 !== undefined) methods.gift_card_2.balance = 0.04999999999999716;

    await importTauData(store, input);

    const card = (await store.getCustomer('mia_garcia_1'))?.paymentMethods[1];
    expect(card).toEqual({ kind: 'gift_card', id: 'gift_card_2', balanceCents: 5 });
  });

  it('rejects broken references between records and lists each problem', async () => {
    const input = tauData();
    const order = input.orders['#W0000001'] as Record<string, unknown>;
    order.user_id = 'nobody_9';
    (order.items as Record<string, unknown>[])[0] = {
      name: 'Lamp',
      product_id: '999',
      item_id: '200',
      price: 1,
      options: {},
    };

    const failure = await importFailure(store, input);

    expect(failure.message).toContain('orders["#W0000001"].user_id: no user nobody_9');
    expect(failure.message).toContain('orders["#W0000001"].items[0].product_id: no product 999');
    expect(failure.message).toContain(
      'users.mia_garcia_1.orders[0]: order #W0000001 belongs to nobody_9',
    );
    expect(failure.details.issues).toHaveLength(3);
    expect(await store.counts()).toMatchObject({ customers: 0, orders: 0 });
  });

  it('rejects a second account with the same email', async () => {
    const input = tauData();
    input.users.mia_garcia_2 = {
      ...input.users.mia_garcia_1,
      email: 'MIA.garcia@example.com',
      orders: [],
    };

    const failure = await importFailure(store, input);

    expect(failure.message).toContain('users.mia_garcia_2.email: same email as user mia_garcia_1');
  });

  it('imports nothing when the data collides with what the store already holds', async () => {
    await importTauData(store, tauData());
    const second = tauData();
    second.products['101'] = { name: 'Kettle', product_id: '101', variants: {} };

    const failure = await importFailure(store, second);

    expect(failure.message).toContain('product 100 could not be stored');
    expect(await store.counts()).toMatchObject({ customers: 1, orders: 1, products: 1 });
  });
});

describe('readTauDirectory', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'tau-import-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('reads the three files', async () => {
    const data = tauData();
    for (const name of ['users', 'orders', 'products'] as const) {
      writeFileSync(path.join(directory, `${name}.json`), JSON.stringify(data[name]));
    }

    expect(await readTauDirectory(directory)).toEqual(data);
  });

  it('names a file that is not JSON', async () => {
    writeFileSync(path.join(directory, 'users.json'), '{ not json');

    await expect(readTauDirectory(directory)).rejects.toMatchObject({
      code: 'data_import_failed',
      message: `${path.join(directory, 'users.json')} is not valid JSON`,
    });
  });

  it('names a missing file', async () => {
    await expect(readTauDirectory(directory)).rejects.toMatchObject({
      code: 'data_import_failed',
      message: `cannot read ${path.join(directory, 'users.json')}`,
    });
  });
});
