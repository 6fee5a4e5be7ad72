import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { WriteOutcome } from '../../../src/commerce/commerce-store';
import {
  openSqliteCommerceStore,
  type SqliteCommerceStore,
} from '../../../src/commerce/sqlite-commerce-store';
import { AppError } from '../../../src/shared/errors';
import {
  ADDRESS_BOB,
  ALICE_CARD,
  ALICE_GIFT_CARD,
  ALICE_ID,
  ALICE_PAYPAL,
  BOB_CARD,
  BOB_ID,
  BOTTLE,
  LAMP,
  LAMP_PRODUCT_ID,
  ORDERS,
  testDataset,
} from '../../helpers/commerce-fixtures';

async function openTestStore(): Promise<SqliteCommerceStore> {
  const store = openSqliteCommerceStore({ path: ':memory:' });
  await store.importDataset(testDataset());
  return store;
}

function refusalOf<T>(outcome: WriteOutcome<T>): string {
  if (outcome.ok) throw new Error('expected a refusal, the write was accepted');
  return outcome.refusal.message;
}

function valueOf<T>(outcome: WriteOutcome<T>): T {
  if (!outcome.ok) throw new Error(`expected success, refused: ${outcome.refusal.message}`);
  return outcome.value;
}

async function giftCardBalance(store: SqliteCommerceStore): Promise<number> {
  const alice = await store.getCustomer(ALICE_ID);
  const card = alice?.paymentMethods.find((method) => method.id === ALICE_GIFT_CARD.id);
  if (card?.kind !== 'gift_card') throw new Error('gift card missing');
  return card.balanceCents;
}

let store: SqliteCommerceStore;

beforeEach(async () => {
  store = await openTestStore();
});

afterEach(async () => {
  await store.close();
});

describe('SqliteCommerceStore lookups', () => {
  it('finds a customer by email regardless of case', async () => {
    expect(await store.findCustomerIdByEmail('BOB.jones@EXAMPLE.com')).toBe(BOB_ID);
    expect(await store.findCustomerIdByEmail('nobody@example.com')).toBeNull();
  });

  it('finds a customer by name case-insensitively and zip exactly', async () => {
    expect(
      await store.findCustomerIdByNameAndZip({
        firstName: 'alice',
        lastName: 'SMITH',
        zip: '62701',
      }),
    ).toBe(ALICE_ID);
    expect(
      await store.findCustomerIdByNameAndZip({
        firstName: 'Alice',
        lastName: 'Smith',
        zip: '62702',
      }),
    ).toBeNull();
  });

  it('returns orders with money in integer cents and items in their recorded order', async () => {
    const order = await store.getOrder(ORDERS.aliceDelivered);

    expect(order?.items.map((item) => [item.itemId, item.priceCents])).toEqual([
      [BOTTLE.blue, 2000],
      [BOTTLE.blue, 2000],
      [LAMP.black, 4500],
    ]);
    expect(order?.paymentHistory).toEqual([
      { type: 'payment', amountCents: 8500, paymentMethodId: ALICE_CARD.id },
    ]);
  });

  it("returns a customer's orders and payment methods in their recorded order", async () => {
    const alice = await store.getCustomer(ALICE_ID);

    expect(alice?.orderIds).toEqual(testDataset().customers[0]?.orderIds);
    expect(alice?.paymentMethods.map((method) => method.id)).toEqual([
      ALICE_CARD.id,
      ALICE_GIFT_CARD.id,
      ALICE_PAYPAL.id,
    ]);
  });

  it('lists product types sorted by name', async () => {
    expect(await store.listProductTypes()).toEqual([
      { name: 'Desk Lamp', productId: LAMP_PRODUCT_ID },
      { name: 'Water Bottle', productId: '1000000001' },
    ]);
  });

  it("returns an order's shipments with their events oldest first", async () => {
    const [shipment] = await store.getOrderShipments(ORDERS.aliceProcessed);

    expect(shipment?.carrier).toBe('UPS');
    expect(shipment?.events.map((event) => event.description)).toEqual([
      'Shipping label created',
      'Arrived at carrier facility',
    ]);
    expect(await store.getOrderShipments(ORDERS.alicePending)).toEqual([]);
  });

  it("returns the warranty terms of each of an order's items, and null for an unknown order", async () => {
    const warranties = await store.getOrderWarranties(ORDERS.aliceDelivered);

    expect(warranties?.map((entry) => [entry.itemId, entry.warranty?.coverageMonths])).toEqual([
      [BOTTLE.blue, 12],
      [BOTTLE.blue, 12],
      [LAMP.black, 24],
    ]);
    expect(await store.getOrderWarranties('#W0000000')).toBeNull();
  });

  it('round-trips the whole dataset through export', async () => {
    expect(await store.exportDataset()).toEqual(testDataset());
  });
});

describe('SqliteCommerceStore.cancelPendingOrder', () => {
  it('cancels a pending order, records the reason and refunds the card', async () => {
    const change = valueOf(
      await store.cancelPendingOrder({ orderId: ORDERS.alicePending, reason: 'no longer needed' }),
    );

    expect(change.order.status).toBe('cancelled');
    expect(change.order.cancelReason).toBe('no longer needed');
    expect(change.order.paymentHistory[1]).toEqual({
      type: 'refund',
      amountCents: 6000,
      paymentMethodId: ALICE_CARD.id,
    });
    expect(await store.getOrder(ORDERS.alicePending)).toEqual(change.order);
  });

  it('credits a gift card at once', async () => {
    await store.cancelPendingOrder({
      orderId: ORDERS.alicePendingGiftCard,
      reason: 'ordered by mistake',
    });

    expect(await giftCardBalance(store)).toBe(5000 + 2550);
  });

  it.each([
    ['#W9999999', 'no longer needed', 'order not found'],
    [ORDERS.aliceDelivered, 'no longer needed', 'non-pending order cannot be cancelled'],
    [ORDERS.alicePending, 'too expensive', 'invalid reason'],
  ])('refuses %s with reason "%s": %s', async (orderId, reason, message) => {
    expect(refusalOf(await store.cancelPendingOrder({ orderId, reason }))).toBe(message);
    expect(await store.exportDataset()).toEqual(testDataset());
  });
});

describe('SqliteCommerceStore.modifyPendingOrderAddress', () => {
  it("replaces a pending order's shipping address and nothing else", async () => {
    const change = valueOf(
      await store.modifyPendingOrderAddress({ orderId: ORDERS.alicePending, address: ADDRESS_BOB }),
    );

    expect(change.order.address).toEqual(ADDRESS_BOB);
    expect((await store.getCustomer(ALICE_ID))?.address.city).toBe('Springfield');
  });

  it('refuses an order that is not pending', async () => {
    expect(
      refusalOf(
        await store.modifyPendingOrderAddress({
          orderId: ORDERS.aliceProcessed,
          address: ADDRESS_BOB,
        }),
      ),
    ).toBe('non-pending order cannot be modified');
  });
});

describe('SqliteCommerceStore.modifyPendingOrderPayment', () => {
  it('pays with the new method and refunds a gift card that paid before at once', async () => {
    const change = valueOf(
      await store.modifyPendingOrderPayment({
        orderId: ORDERS.alicePendingGiftCard,
        paymentMethodId: ALICE_PAYPAL.id,
      }),
    );

    expect(change.order.paymentHistory).toEqual([
      { type: 'payment', amountCents: 2550, paymentMethodId: ALICE_GIFT_CARD.id },
      { type: 'payment', amountCents: 2550, paymentMethodId: ALICE_PAYPAL.id },
      { type: 'refund', amountCents: 2550, paymentMethodId: ALICE_GIFT_CARD.id },
    ]);
    expect(await giftCardBalance(store)).toBe(5000 + 2550);
  });

  it.each([
    [
      ORDERS.alicePending,
      ALICE_GIFT_CARD.id,
      'insufficient gift card balance to pay for the order',
    ],
    [
      ORDERS.alicePending,
      ALICE_CARD.id,
      'the new payment method should be different from the current one',
    ],
    [ORDERS.alicePending, BOB_CARD.id, 'payment method not found'],
    [ORDERS.aliceDelivered, ALICE_PAYPAL.id, 'non-pending order cannot be modified'],
  ])('refuses %s paid with %s: %s', async (orderId, paymentMethodId, message) => {
    expect(refusalOf(await store.modifyPendingOrderPayment({ orderId, paymentMethodId }))).toBe(
      message,
    );
    expect(await store.exportDataset()).toEqual(testDataset());
  });

  it('refuses a second change of payment method', async () => {
    valueOf(
      await store.modifyPendingOrderPayment({
        orderId: ORDERS.alicePending,
        paymentMethodId: ALICE_PAYPAL.id,
      }),
    );

    expect(
      refusalOf(
        await store.modifyPendingOrderPayment({
          orderId: ORDERS.alicePending,
          paymentMethodId: ALICE_CARD.id,
        }),
      ),
    ).toBe('there should be exactly one payment for a pending order');
  });
});

describe('SqliteCommerceStore.modifyPendingOrderItems', () => {
  it('swaps an item for another variant, charges the difference in cents and locks the order', async () => {
    const change = valueOf(
      await store.modifyPendingOrderItems({
        orderId: ORDERS.alicePending,
        itemIds: [BOTTLE.blue],
        newItemIds: [BOTTLE.red],
        paymentMethodId: ALICE_GIFT_CARD.id,
      }),
    );

    expect(change.order.items[0]).toMatchObject({
      itemId: BOTTLE.red,
      priceCents: 2550,
      options: { color: 'red' },
    });
    expect(change.order.paymentHistory[1]).toEqual({
      type: 'payment',
      amountCents: 550,
      paymentMethodId: ALICE_GIFT_CARD.id,
    });
    expect(change.order.status).toBe('pending (item modified)');
    expect(await giftCardBalance(store)).toBe(5000 - 550);
  });

  it('records a cheaper swap as a refund', async () => {
    const change = valueOf(
      await store.modifyPendingOrderItems({
        orderId: ORDERS.alicePendingGiftCard,
        itemIds: [BOTTLE.red],
        newItemIds: [BOTTLE.blue],
        paymentMethodId: ALICE_GIFT_CARD.id,
      }),
    );

    expect(change.order.paymentHistory[1]).toEqual({
      type: 'refund',
      amountCents: 550,
      paymentMethodId: ALICE_GIFT_CARD.id,
    });
    expect(await giftCardBalance(store)).toBe(5000 + 550);
  });

  it.each([
    [[LAMP.black], [LAMP.white], ALICE_CARD.id, `${LAMP.black} not found`],
    [
      [BOTTLE.blue, BOTTLE.blue],
      [BOTTLE.red, BOTTLE.red],
      ALICE_CARD.id,
      `${BOTTLE.blue} not found`,
    ],
    [
      [BOTTLE.blue],
      [BOTTLE.red, LAMP.black],
      ALICE_CARD.id,
      'the number of items to be exchanged should match',
    ],
    [
      [BOTTLE.blue],
      [BOTTLE.green],
      ALICE_CARD.id,
      `new item ${BOTTLE.green} not found or available`,
    ],
    [[BOTTLE.blue], [LAMP.black], ALICE_CARD.id, `new item ${LAMP.black} not found or available`],
    [[BOTTLE.blue], [BOTTLE.red], 'credit_card_0000000', 'payment method not found'],
    [
      [BOTTLE.blue],
      [BOTTLE.black],
      ALICE_GIFT_CARD.id,
      'insufficient gift card balance to pay for the new item',
    ],
  ])(
    'refuses swapping %j for %j paid by %s: %s',
    async (itemIds, newItemIds, paymentMethodId, message) => {
      const outcome = await store.modifyPendingOrderItems({
        orderId: ORDERS.alicePending,
        itemIds,
        newItemIds,
        paymentMethodId,
      });

      expect(refusalOf(outcome)).toBe(message);
      expect(await store.exportDataset()).toEqual(testDataset());
    },
  );

  it('refuses a second modification', async () => {
    const request = {
      orderId: ORDERS.alicePending,
      itemIds: [BOTTLE.blue],
      newItemIds: [BOTTLE.red],
      paymentMethodId: ALICE_CARD.id,
    };
    valueOf(await store.modifyPendingOrderItems(request));

    expect(refusalOf(await store.modifyPendingOrderItems(request))).toBe(
      'non-pending order cannot be modified',
    );
  });
});

describe('SqliteCommerceStore.exchangeDeliveredOrderItems', () => {
  it('records the exchange, sorted, with the price difference in cents', async () => {
    const change = valueOf(
      await store.exchangeDeliveredOrderItems({
        orderId: ORDERS.aliceDelivered,
        itemIds: [LAMP.black, BOTTLE.blue],
        newItemIds: [LAMP.white, BOTTLE.red],
        paymentMethodId: ALICE_CARD.id,
      }),
    );

    expect(change.order.status).toBe('exchange requested');
    expect(change.order.exchange).toEqual({
      itemIds: [BOTTLE.blue, LAMP.black].sort(),
      newItemIds: [LAMP.white, BOTTLE.red].sort(),
      paymentMethodId: ALICE_CARD.id,
      priceDifferenceCents: 4000 - 4500 + (2550 - 2000),
    });
    // The items themselves change only when the exchange is carried out.
    expect(change.order.items.map((item) => item.itemId)).toEqual([
      BOTTLE.blue,
      BOTTLE.blue,
      LAMP.black,
    ]);
  });

  it.each([
    [
      ORDERS.alicePending,
      [BOTTLE.blue],
      [BOTTLE.red],
      ALICE_CARD.id,
      'non-delivered order cannot be exchanged',
    ],
    [
      ORDERS.aliceDelivered,
      [BOTTLE.blue],
      [BOTTLE.black],
      ALICE_GIFT_CARD.id,
      'insufficient gift card balance to pay for the price difference',
    ],
    [ORDERS.aliceDelivered, [BOTTLE.red], [BOTTLE.blue], ALICE_CARD.id, `${BOTTLE.red} not found`],
  ])(
    'refuses %s swapping %j for %j paid by %s: %s',
    async (orderId, itemIds, newItemIds, paymentMethodId, message) => {
      expect(
        refusalOf(
          await store.exchangeDeliveredOrderItems({
            orderId,
            itemIds,
            newItemIds,
            paymentMethodId,
          }),
        ),
      ).toBe(message);
      expect(await store.exportDataset()).toEqual(testDataset());
    },
  );
});

describe('SqliteCommerceStore.returnDeliveredOrderItems', () => {
  it('records the return to a gift card, items sorted', async () => {
    const change = valueOf(
      await store.returnDeliveredOrderItems({
        orderId: ORDERS.aliceDelivered,
        itemIds: [LAMP.black, BOTTLE.blue],
        paymentMethodId: ALICE_GIFT_CARD.id,
      }),
    );

    expect(change.order.status).toBe('return requested');
    expect(change.order.return).toEqual({
      itemIds: [BOTTLE.blue, LAMP.black].sort(),
      paymentMethodId: ALICE_GIFT_CARD.id,
    });
  });

  it.each([
    [
      ORDERS.aliceDelivered,
      [BOTTLE.blue],
      ALICE_PAYPAL.id,
      'payment method should be either the original payment method or a gift card',
    ],
    [
      ORDERS.aliceDelivered,
      [BOTTLE.blue, BOTTLE.blue, BOTTLE.blue],
      ALICE_CARD.id,
      'some item not found',
    ],
    [ORDERS.aliceDelivered, [BOTTLE.blue], BOB_CARD.id, 'payment method not found'],
    [ORDERS.aliceProcessed, [LAMP.white], ALICE_CARD.id, 'non-delivered order cannot be returned'],
  ])('refuses %s returning %j to %s: %s', async (orderId, itemIds, paymentMethodId, message) => {
    expect(
      refusalOf(await store.returnDeliveredOrderItems({ orderId, itemIds, paymentMethodId })),
    ).toBe(message);
    expect(await store.exportDataset()).toEqual(testDataset());
  });
});

describe('SqliteCommerceStore.modifyCustomerAddress', () => {
  it("changes the customer's default address and leaves their orders' addresses alone", async () => {
    const customer = valueOf(
      await store.modifyCustomerAddress({ customerId: ALICE_ID, address: ADDRESS_BOB }),
    );

    expect(customer.address).toEqual(ADDRESS_BOB);
    expect((await store.getOrder(ORDERS.alicePending))?.address.city).toBe('Springfield');
  });

  it('refuses an unknown customer', async () => {
    expect(
      refusalOf(
        await store.modifyCustomerAddress({ customerId: 'nobody_1', address: ADDRESS_BOB }),
      ),
    ).toBe('user not found');
  });
});

describe('SqliteCommerceStore dry runs', () => {
  it('returns the exact result of the change and changes nothing', async () => {
    const request = { orderId: ORDERS.alicePendingGiftCard, reason: 'no longer needed' };

    const dryRun = valueOf(await store.cancelPendingOrder(request, { dryRun: true }));

    expect(await store.exportDataset()).toEqual(testDataset());
    expect(valueOf(await store.cancelPendingOrder(request))).toEqual(dryRun);
  });

  it('refuses exactly what the real write refuses', async () => {
    const request = { orderId: ORDERS.aliceDelivered, reason: 'no longer needed' };

    expect(refusalOf(await store.cancelPendingOrder(request, { dryRun: true }))).toBe(
      'non-pending order cannot be cancelled',
    );
  });
});

describe('SqliteCommerceStore on a file', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'commerce-store-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('rolls back every part of a write that fails half-way', async () => {
    const file = path.join(directory, 'commerce.sqlite');
    const fileStore = openSqliteCommerceStore({ path: file });
    await fileStore.importDataset(testDataset());
    // A failure after the order row is updated: inserting the refund row aborts.
    const saboteur = new Database(file);
    saboteur.exec(
      "CREATE TRIGGER refuse_refunds BEFORE INSERT ON payment_transactions WHEN NEW.type = 'refund' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END",
    );
    saboteur.close();

    await expect(
      fileStore.cancelPendingOrder({
        orderId: ORDERS.alicePendingGiftCard,
        reason: 'no longer needed',
      }),
    ).rejects.toMatchObject({ code: 'storage_failed' });

    expect(await fileStore.exportDataset()).toEqual(testDataset());
    await fileStore.close();
  });

  it('keeps its data across reopening, in WAL mode', async () => {
    const file = path.join(directory, 'commerce.sqlite');
    const first = openSqliteCommerceStore({ path: file });
    await first.importDataset(testDataset());
    await first.cancelPendingOrder({ orderId: ORDERS.alicePending, reason: 'no longer needed' });
    await first.close();

    const second = openSqliteCommerceStore({ path: file });

    expect((await second.getOrder(ORDERS.alicePending))?.status).toBe('cancelled');
    await second.close();
    const raw = new Database(file);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('refuses a database written with another schema version', async () => {
    const file = path.join(directory, 'future.sqlite');
    await openSqliteCommerceStore({ path: file }).close();
    const raw = new Database(file);
    raw.prepare('UPDATE schema_version SET version = 99').run();
    raw.close();

    expect(() => openSqliteCommerceStore({ path: file })).toThrow(
      expect.objectContaining({
        code: 'storage_failed',
        message: expect.stringContaining('schema version 99'),
      }) as Error,
    );
  });
});

describe('SqliteCommerceStore.importDataset', () => {
  it('adds nothing when one record conflicts, and says why', async () => {
    const empty = openSqliteCommerceStore({ path: ':memory:' });
    const dataset = testDataset();
    const duplicate = dataset.orders[0];
    if (duplicate === undefined) throw new Error('fixture has orders');
    dataset.orders.push({ ...duplicate });

    const failure = await empty.importDataset(dataset).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(AppError);
    expect(failure).toMatchObject({ code: 'data_import_failed' });
    expect((failure as AppError).message).toContain(
      `order ${ORDERS.alicePending} could not be stored: UNIQUE constraint failed`,
    );
    expect(await empty.counts()).toEqual({
      customers: 0,
      orders: 0,
      products: 0,
      variants: 0,
      shipments: 0,
    });
    await empty.close();
  });

  it('copies a whole database through serialize', async () => {
    const copy = openSqliteCommerceStore({ image: store.serialize() });

    expect(await copy.exportDataset()).toEqual(await store.exportDataset());
    await copy.cancelPendingOrder({ orderId: ORDERS.alicePending, reason: 'no longer needed' });
    expect((await store.getOrder(ORDERS.alicePending))?.status).toBe('pending');
    await copy.close();
  });
});
