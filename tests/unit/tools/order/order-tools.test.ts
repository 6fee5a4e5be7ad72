import { countTokens } from 'gpt-tokenizer';
import {
  openSqliteCommerceStore,
  type SqliteCommerceStore,
} from '../../../../src/commerce/sqlite-commerce-store';
import type { CommerceDataset } from '../../../../src/commerce/types';
import type { ToolContext, VerificationRule } from '../../../../src/tools/define-tool';
import { createOrderTools } from '../../../../src/tools/order';
import { ToolRegistry } from '../../../../src/tools/registry';
import {
  ALICE_CARD,
  ALICE_GIFT_CARD,
  ALICE_ID,
  ALICE_PAYPAL,
  BOB_CARD,
  BOB_ID,
  BOTTLE,
  BOTTLE_PRODUCT_ID,
  createToolContext,
  LAMP,
  LAMP_PRODUCT_ID,
  ORDERS,
  testDataset,
} from '../../../helpers/commerce-fixtures';

const NEW_ADDRESS = {
  address1: '77 Ocean Drive',
  address2: '',
  city: 'Miami',
  state: 'FL',
  country: 'USA',
  zip: '33139',
};

let store: SqliteCommerceStore;

async function openStore(dataset: CommerceDataset = testDataset()): Promise<SqliteCommerceStore> {
  const opened = openSqliteCommerceStore({ path: ':memory:' });
  await opened.importDataset(dataset);
  return opened;
}

function registryFor(rule: VerificationRule = 'identifier_and_zip', target = store): ToolRegistry {
  return new ToolRegistry(createOrderTools({ store: target, verificationRule: rule }));
}

function call(registry: ToolRegistry, name: string, input: unknown, context: ToolContext) {
  return registry.run({ name, arguments: JSON.stringify(input) }, context);
}

async function json(
  registry: ToolRegistry,
  name: string,
  input: unknown,
  context: ToolContext,
): Promise<Record<string, unknown>> {
  const result = await call(registry, name, input, context);
  if (!result.ok) throw new Error(`${name} failed: ${result.output}`);
  return JSON.parse(result.output) as Record<string, unknown>;
}

function asAlice(rule: VerificationRule = 'identifier_and_zip') {
  return createToolContext({ customerId: ALICE_ID, rule });
}

beforeEach(async () => {
  store = await openStore();
});

afterEach(async () => {
  await store.close();
});

/** One valid call of every write tool, on Alice's data. */
const WRITE_CALLS: readonly { name: string; input: Record<string, unknown>; title: string }[] = [
  {
    name: 'cancel_pending_order',
    input: { order_id: ORDERS.alicePending, reason: 'no longer needed' },
    title: `Cancel order ${ORDERS.alicePending}`,
  },
  {
    name: 'modify_pending_order_address',
    input: { order_id: ORDERS.alicePending, ...NEW_ADDRESS },
    title: `Change the shipping address of order ${ORDERS.alicePending}`,
  },
  {
    name: 'modify_pending_order_payment',
    input: { order_id: ORDERS.alicePending, payment_method_id: ALICE_PAYPAL.id },
    title: `Change the payment method of order ${ORDERS.alicePending}`,
  },
  {
    name: 'modify_pending_order_items',
    input: {
      order_id: ORDERS.alicePending,
      item_ids: [BOTTLE.blue],
      new_item_ids: [BOTTLE.red],
      payment_method_id: ALICE_GIFT_CARD.id,
    },
    title: `Change items of order ${ORDERS.alicePending}`,
  },
  {
    name: 'exchange_delivered_order_items',
    input: {
      order_id: ORDERS.aliceDelivered,
      item_ids: [LAMP.black],
      new_item_ids: [LAMP.white],
      payment_method_id: ALICE_CARD.id,
    },
    title: `Exchange items of order ${ORDERS.aliceDelivered}`,
  },
  {
    name: 'return_delivered_order_items',
    input: {
      order_id: ORDERS.aliceDelivered,
      item_ids: [BOTTLE.blue, BOTTLE.blue],
      payment_method_id: ALICE_GIFT_CARD.id,
    },
    title: `Return items of order ${ORDERS.aliceDelivered}`,
  },
  {
    name: 'modify_user_address',
    input: { user_id: ALICE_ID, ...NEW_ADDRESS },
    title: 'Change the default address on the account',
  },
];

/** One valid call of every tool that needs a verified customer, besides the writes. */
const GATED_READS: readonly { name: string; input: Record<string, unknown> }[] = [
  { name: 'get_user_details', input: { user_id: ALICE_ID } },
  { name: 'get_order_details', input: { order_id: ORDERS.alicePending } },
  { name: 'track_shipment', input: { order_id: ORDERS.aliceProcessed } },
  { name: 'check_warranty', input: { order_id: ORDERS.aliceDelivered } },
];

describe('the order tool catalogue', () => {
  it('declares the τ-bench tools and ours, each with its kind', () => {
    const registry = registryFor();
    const kinds = Object.fromEntries(
      registry.names().map((name) => [name, registry.get(name)?.kind]),
    );

    expect(kinds).toEqual({
      find_user_id_by_email: 'identity',
      find_user_id_by_name_zip: 'identity',
      get_user_details: 'read',
      get_order_details: 'read',
      track_shipment: 'read',
      check_warranty: 'read',
      get_product_details: 'read',
      list_all_product_types: 'read',
      calculate: 'read',
      cancel_pending_order: 'write',
      modify_pending_order_address: 'write',
      modify_pending_order_payment: 'write',
      modify_pending_order_items: 'write',
      exchange_delivered_order_items: 'write',
      return_delivered_order_items: 'write',
      modify_user_address: 'write',
      transfer_to_human_agents: 'handoff',
    });
  });

  it('stays well under 2,000 tokens of schemas and descriptions under either rule', () => {
    for (const rule of ['identifier_and_zip', 'email_or_name_and_zip'] as const) {
      expect(countTokens(JSON.stringify(registryFor(rule).schemas()))).toBeLessThan(1_700);
    }
  });

  it('sends strict schemas, except check_warranty whose item id is optional', () => {
    const loose = registryFor()
      .schemas()
      .filter((schema) => !schema.strict)
      .map((schema) => schema.name);

    expect(loose).toEqual(['check_warranty']);
  });

  it("asks for the zip with the email under identifier_and_zip, and for the email alone under τ-bench's rule", () => {
    const parameters = (rule: VerificationRule) =>
      registryFor(rule)
        .schemas()
        .find((schema) => schema.name === 'find_user_id_by_email')?.parameters;

    expect(parameters('identifier_and_zip')).toMatchObject({ required: ['email', 'zip'] });
    expect(parameters('email_or_name_and_zip')).toMatchObject({ required: ['email'] });
  });
});

describe('identity tools', () => {
  it('verify the customer with the email and the zip on file', async () => {
    const { context, record } = createToolContext();

    const result = await call(
      registryFor(),
      'find_user_id_by_email',
      { email: 'ALICE.smith@example.com', zip: '62701' },
      context,
    );

    expect(result).toEqual({ ok: true, output: ALICE_ID });
    expect(record.verified).toEqual([ALICE_ID]);
  });

  it('answer a wrong zip exactly like an unknown email, and verify no one', async () => {
    const registry = registryFor();
    const { context, record } = createToolContext();

    const wrongZip = await call(
      registry,
      'find_user_id_by_email',
      { email: 'alice.smith@example.com', zip: '97201' },
      context,
    );
    const unknown = await call(
      registry,
      'find_user_id_by_email',
      { email: 'nobody@example.com', zip: '62701' },
      context,
    );

    expect(wrongZip).toEqual({ ok: false, output: 'Error: user not found' });
    expect(unknown).toEqual(wrongZip);
    expect(record.verified).toEqual([]);
    expect(context.customerId).toBeNull();
  });

  it('refuse an email without a zip under identifier_and_zip', async () => {
    const { context } = createToolContext();

    const result = await call(
      registryFor(),
      'find_user_id_by_email',
      { email: 'alice.smith@example.com' },
      context,
    );

    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/^Error: invalid arguments: zip/u);
    expect(context.customerId).toBeNull();
  });

  it("verify by email alone under τ-bench's rule", async () => {
    const { context } = createToolContext({ rule: 'email_or_name_and_zip' });

    const result = await call(
      registryFor('email_or_name_and_zip'),
      'find_user_id_by_email',
      { email: 'bob.jones@example.com' },
      context,
    );

    expect(result).toEqual({ ok: true, output: BOB_ID });
    expect(context.customerId).toBe(BOB_ID);
  });

  it('verify by full name, any case, and zip', async () => {
    const { context } = createToolContext();

    const result = await call(
      registryFor(),
      'find_user_id_by_name_zip',
      { first_name: 'ALICE', last_name: 'smith', zip: '62701' },
      context,
    );

    expect(result).toEqual({ ok: true, output: ALICE_ID });
    expect(context.customerId).toBe(ALICE_ID);
  });

  it('do not switch a verified conversation to another customer', async () => {
    const { context } = asAlice();

    const result = await call(
      registryFor(),
      'find_user_id_by_name_zip',
      { first_name: 'Bob', last_name: 'Jones', zip: '97201' },
      context,
    );

    expect(result.ok).toBe(false);
    expect(result.output).toContain('already verified for another customer');
    expect(context.customerId).toBe(ALICE_ID);
  });
});

describe('the verification gate', () => {
  it.each([...GATED_READS, ...WRITE_CALLS])(
    'refuses $name before verification',
    async ({ name, input }) => {
      const { context } = createToolContext();

      const result = await call(registryFor(), name, input, context);

      expect(result.ok).toBe(false);
      expect(result.output).toMatch(
        /^Error: the customer is not verified yet: ask for their email or full name, with the zip code on file/u,
      );
    },
  );

  it.each(WRITE_CALLS)(
    'refuses to preview $name before verification and changes nothing',
    async ({ name, input }) => {
      const { context } = createToolContext();

      const preview = await registryFor().preview(
        { name, arguments: JSON.stringify(input) },
        context,
      );

      expect(preview.ok).toBe(false);
      expect(await store.exportDataset()).toEqual(testDataset());
    },
  );

  it('lets the public catalogue, arithmetic and a handoff run unverified', async () => {
    const registry = registryFor();
    const { context, record } = createToolContext();

    const types = await json(registry, 'list_all_product_types', {}, context);
    const product = await json(
      registry,
      'get_product_details',
      { product_id: BOTTLE_PRODUCT_ID },
      context,
    );
    const sum = await call(registry, 'calculate', { expression: '(49.99 - 10) * 2' }, context);
    const handoff = await call(
      registry,
      'transfer_to_human_agents',
      { summary: 'Cannot verify, wants a person.' },
      context,
    );

    expect(types).toEqual({ 'Desk Lamp': LAMP_PRODUCT_ID, 'Water Bottle': BOTTLE_PRODUCT_ID });
    expect(product).toMatchObject({
      name: 'Water Bottle',
      description: 'An insulated bottle.',
      warranty: { coverage_months: 12 },
      variants: {
        [BOTTLE.red]: {
          item_id: BOTTLE.red,
          options: { color: 'red' },
          available: true,
          price: 25.5,
        },
      },
    });
    expect(sum).toEqual({ ok: true, output: '79.98' });
    expect(handoff).toEqual({ ok: true, output: 'Transfer successful' });
    expect(record.handoffs).toEqual(['Cannot verify, wants a person.']);
  });
});

describe("another customer's data", () => {
  it.each([
    ['get_order_details', { order_id: ORDERS.bobPending }, { order_id: '#W9999999' }],
    ['track_shipment', { order_id: ORDERS.bobPending }, { order_id: '#W9999999' }],
    ['check_warranty', { order_id: ORDERS.bobPending }, { order_id: '#W9999999' }],
    [
      'cancel_pending_order',
      { order_id: ORDERS.bobPending, reason: 'no longer needed' },
      { order_id: '#W9999999', reason: 'no longer needed' },
    ],
    [
      'modify_pending_order_address',
      { order_id: ORDERS.bobPending, ...NEW_ADDRESS },
      { order_id: '#W9999999', ...NEW_ADDRESS },
    ],
    [
      'modify_pending_order_payment',
      { order_id: ORDERS.bobPending, payment_method_id: BOB_CARD.id },
      { order_id: '#W9999999', payment_method_id: BOB_CARD.id },
    ],
    ['get_user_details', { user_id: BOB_ID }, { user_id: 'nobody_0000' }],
    [
      'modify_user_address',
      { user_id: BOB_ID, ...NEW_ADDRESS },
      { user_id: 'nobody_0000', ...NEW_ADDRESS },
    ],
  ])(
    '%s answers it exactly as if it did not exist, and changes nothing',
    async (name, othersInput, missingInput) => {
      const registry = registryFor();
      const { context } = asAlice();

      const others = await call(registry, name, othersInput, context);
      const missing = await call(registry, name, missingInput, context);

      expect(others.ok).toBe(false);
      expect(others).toEqual(missing);
      expect(others.output).toMatch(/^Error: (order|user) not found$/u);
      expect(await store.exportDataset()).toEqual(testDataset());
    },
  );

  it("refuses another customer's payment method on the verified customer's order", async () => {
    const { context } = asAlice();

    const result = await call(
      registryFor(),
      'modify_pending_order_payment',
      { order_id: ORDERS.alicePending, payment_method_id: BOB_CARD.id },
      context,
    );

    expect(result).toEqual({ ok: false, output: 'Error: payment method not found' });
  });

  it("previews another customer's order as not found", async () => {
    const { context } = asAlice();

    const preview = await registryFor().preview(
      {
        name: 'cancel_pending_order',
        arguments: JSON.stringify({ order_id: ORDERS.bobPending, reason: 'no longer needed' }),
      },
      context,
    );

    expect(preview).toEqual({ ok: false, output: 'Error: order not found' });
  });
});

describe('reads for the verified customer', () => {
  it("answers an order in τ-bench's shape with dollars and the date it was placed", async () => {
    const { context } = asAlice();

    const order = await json(registryFor(), 'get_order_details', { order_id: 'w1000001' }, context);

    expect(order).toEqual({
      order_id: ORDERS.alicePending,
      user_id: ALICE_ID,
      address: {
        address1: '1 Elm Street',
        address2: 'Apt 2',
        city: 'Springfield',
        country: 'USA',
        state: 'IL',
        zip: '62701',
      },
      items: [
        {
          name: 'Water Bottle',
          product_id: BOTTLE_PRODUCT_ID,
          item_id: BOTTLE.blue,
          price: 20,
          options: { color: 'blue' },
        },
        {
          name: 'Desk Lamp',
          product_id: LAMP_PRODUCT_ID,
          item_id: LAMP.white,
          price: 40,
          options: { color: 'white' },
        },
      ],
      fulfillments: [],
      status: 'pending',
      payment_history: [
        { transaction_type: 'payment', amount: 60, payment_method_id: ALICE_CARD.id },
      ],
      placed_at: '2026-11-23',
    });
  });

  it('leaves out placed_at when the date is unknown', async () => {
    const { context } = asAlice();

    const order = await json(
      registryFor(),
      'get_order_details',
      { order_id: ORDERS.alicePendingGiftCard },
      context,
    );

    expect(order).not.toHaveProperty('placed_at');
  });

  it('shows cards by brand and last four digits and gift cards with their balance', async () => {
    const { context } = asAlice();

    const user = await json(registryFor(), 'get_user_details', { user_id: ALICE_ID }, context);

    expect(user.payment_methods).toEqual({
      [ALICE_CARD.id]: {
        source: 'credit_card',
        brand: 'visa',
        last_four: '1111',
        id: ALICE_CARD.id,
      },
      [ALICE_GIFT_CARD.id]: { source: 'gift_card', balance: 50, id: ALICE_GIFT_CARD.id },
      [ALICE_PAYPAL.id]: { source: 'paypal', id: ALICE_PAYPAL.id },
    });
  });
});

describe('write tools', () => {
  it.each(WRITE_CALLS)(
    'previews $name: names the change and changes nothing',
    async ({ name, input, title }) => {
      const { context } = asAlice();

      const preview = await registryFor().preview(
        { name, arguments: JSON.stringify(input) },
        context,
      );

      expect(preview).toMatchObject({ ok: true, summary: { title } });
      expect(await store.exportDataset()).toEqual(testDataset());
    },
  );

  it.each(WRITE_CALLS)('executes $name: the change is stored', async ({ name, input }) => {
    const { context } = asAlice();

    const result = await call(registryFor(), name, input, context);

    expect(result.ok).toBe(true);
    expect(await store.exportDataset()).not.toEqual(testDataset());
  });

  it('previews a cancellation with the exact refund and when it arrives', async () => {
    const { context } = asAlice();

    const preview = await registryFor().preview(
      {
        name: 'cancel_pending_order',
        arguments: JSON.stringify({ order_id: ORDERS.alicePending, reason: 'no longer needed' }),
      },
      context,
    );

    expect(preview.ok && preview.summary.details).toEqual([
      'Items: Water Bottle (blue); Desk Lamp (white)',
      'Reason: no longer needed',
      'Refund $60.00 to Visa card ending 1111, within 5–7 business days',
    ]);
  });

  it('previews an item change with both variants, prices and who pays the difference', async () => {
    const { context } = asAlice();
    const input = WRITE_CALLS.find((entry) => entry.name === 'modify_pending_order_items')?.input;

    const preview = await registryFor().preview(
      { name: 'modify_pending_order_items', arguments: JSON.stringify(input) },
      context,
    );

    expect(preview.ok && preview.summary.details).toEqual([
      'Water Bottle: blue → red ($20.00 → $25.50)',
      'The customer pays $5.50 with gift card (balance $50.00)',
      'After this, the items of this order cannot be changed again.',
    ]);
  });

  it('previews a return with the refund total and destination', async () => {
    const { context } = asAlice();
    const input = WRITE_CALLS.find((entry) => entry.name === 'return_delivered_order_items')?.input;

    const preview = await registryFor().preview(
      { name: 'return_delivered_order_items', arguments: JSON.stringify(input) },
      context,
    );

    expect(preview.ok && preview.summary.details.slice(0, 3)).toEqual([
      'Water Bottle (blue): $20.00',
      'Water Bottle (blue): $20.00',
      'Refund $40.00 to gift card (balance $50.00) when the items arrive, available at once',
    ]);
  });

  it('refuses to preview a change the store would refuse, with the same error', async () => {
    const { context } = asAlice();
    const input = JSON.stringify({ order_id: ORDERS.aliceDelivered, reason: 'no longer needed' });

    const preview = await registryFor().preview(
      { name: 'cancel_pending_order', arguments: input },
      context,
    );
    const run = await registryFor().run(
      { name: 'cancel_pending_order', arguments: input },
      context,
    );

    expect(preview).toEqual({ ok: false, output: 'Error: non-pending order cannot be cancelled' });
    expect(run).toEqual(preview);
  });

  it("returns the order after the change in τ-bench's shape", async () => {
    const { context } = asAlice();

    const order = await json(
      registryFor(),
      'exchange_delivered_order_items',
      {
        order_id: ORDERS.aliceDelivered,
        item_ids: [LAMP.black],
        new_item_ids: [LAMP.white],
        payment_method_id: ALICE_CARD.id,
      },
      context,
    );

    expect(order).toMatchObject({
      status: 'exchange requested',
      exchange_items: [LAMP.black],
      exchange_new_items: [LAMP.white],
      exchange_payment_method_id: ALICE_CARD.id,
      exchange_price_difference: -5,
    });
  });

  it('refuses an empty list of items', async () => {
    const { context } = asAlice();

    const result = await call(
      registryFor(),
      'return_delivered_order_items',
      { order_id: ORDERS.aliceDelivered, item_ids: [], payment_method_id: ALICE_CARD.id },
      context,
    );

    expect(result).toEqual({
      ok: false,
      output: 'Error: invalid arguments: item_ids: must list at least one item',
    });
  });
});

describe('track_shipment', () => {
  it('reports carrier, status, estimated delivery and events of a parcel on its way', async () => {
    const { context } = asAlice();

    const tracking = await json(
      registryFor(),
      'track_shipment',
      { order_id: ORDERS.aliceProcessed },
      context,
    );

    expect(tracking).toEqual({
      order_id: ORDERS.aliceProcessed,
      status: 'processed',
      shipments: [
        {
          tracking_id: '1Z999',
          carrier: 'UPS',
          item_ids: [LAMP.white],
          status: 'in_transit',
          estimated_delivery: '2026-11-26',
          delivered_at: null,
          events: [
            {
              time: '2026-11-22T09:00:00.000Z',
              location: 'Columbus, OH',
              description: 'Shipping label created',
            },
            {
              time: '2026-11-23T11:00:00.000Z',
              location: 'Louisville, KY',
              description: 'Arrived at carrier facility',
            },
          ],
        },
      ],
    });
  });

  it('explains why a pending or cancelled order has nothing to track', async () => {
    const { context } = asAlice();
    const registry = registryFor();

    const pending = await json(
      registry,
      'track_shipment',
      { order_id: ORDERS.alicePending },
      context,
    );
    const cancelled = await json(
      registry,
      'track_shipment',
      { order_id: ORDERS.aliceCancelled },
      context,
    );

    expect(pending).toEqual({
      order_id: ORDERS.alicePending,
      status: 'pending',
      shipments: [],
      note: 'Not shipped yet: tracking appears once the order is processed.',
    });
    expect(cancelled).toMatchObject({
      shipments: [],
      note: expect.stringContaining('cancelled') as unknown,
    });
  });

  it('shows a bare tracking number when the carrier has no record of it', async () => {
    const dataset = testDataset();
    dataset.shipments = [];
    const bare = await openStore(dataset);
    const { context } = asAlice();

    const tracking = await json(
      registryFor('identifier_and_zip', bare),
      'track_shipment',
      { order_id: ORDERS.aliceDelivered },
      context,
    );

    expect(tracking).toMatchObject({
      shipments: [{ tracking_id: '111122223333', carrier: null, status: 'delivered', events: [] }],
      note: expect.stringContaining('no carrier events') as unknown,
    });
    await bare.close();
  });
});

describe('check_warranty', () => {
  it('reports each item against today from its delivery date and coverage', async () => {
    const { context } = asAlice();

    const warranty = await json(
      registryFor(),
      'check_warranty',
      { order_id: ORDERS.aliceDelivered },
      context,
    );

    expect(warranty).toEqual({
      order_id: ORDERS.aliceDelivered,
      items: [
        expect.objectContaining({
          item_id: BOTTLE.blue,
          coverage_months: 12,
          coverage_ends: '2026-06-05',
          in_warranty: false,
        }),
        expect.objectContaining({ item_id: BOTTLE.blue, coverage_months: 12, in_warranty: false }),
        {
          item_id: LAMP.black,
          name: 'Desk Lamp',
          category: 'Electronics and appliances',
          purchased_at: '2025-06-01',
          delivered_at: '2025-06-05',
          coverage_months: 24,
          coverage_ends: '2027-06-05',
          in_warranty: true,
          terms: 'Covers defects for 24 months.',
        },
      ],
    });
  });

  it('checks one item when asked', async () => {
    const { context } = asAlice();

    const warranty = await json(
      registryFor(),
      'check_warranty',
      { order_id: ORDERS.aliceDelivered, item_id: LAMP.black },
      context,
    );

    expect(warranty.items).toHaveLength(1);
  });

  it('uses the date the tool context gives as today', async () => {
    const { context } = createToolContext({
      customerId: ALICE_ID,
      now: new Date('2026-01-01T00:00:00Z'),
    });

    const warranty = await json(
      registryFor(),
      'check_warranty',
      { order_id: ORDERS.aliceDelivered, item_id: BOTTLE.blue },
      context,
    );

    // The order holds two of this bottle: both units are reported.
    expect(warranty.items).toEqual([
      expect.objectContaining({ in_warranty: true }),
      expect.objectContaining({ in_warranty: true }),
    ]);
  });

  it('says coverage is unknown before delivery', async () => {
    const { context } = asAlice();

    const warranty = await json(
      registryFor(),
      'check_warranty',
      { order_id: ORDERS.alicePending },
      context,
    );

    expect(warranty.items).toEqual([
      expect.objectContaining({ coverage_ends: null, in_warranty: null }),
      expect.objectContaining({ coverage_ends: null, in_warranty: null }),
    ]);
    expect(warranty.note).toContain('Coverage starts on delivery');
  });

  it('refuses an item that is not in the order', async () => {
    const { context } = asAlice();

    const result = await call(
      registryFor(),
      'check_warranty',
      { order_id: ORDERS.aliceDelivered, item_id: BOTTLE.red },
      context,
    );

    expect(result).toEqual({
      ok: false,
      output: `Error: item ${BOTTLE.red} is not in order ${ORDERS.aliceDelivered}`,
    });
  });
});
