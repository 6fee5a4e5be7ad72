import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCommerce } from '../../../src/commerce/open-commerce';
import { generateSampleData, SAMPLE_CUSTOMERS } from '../../../src/commerce/sample-data';
import { openSqliteCommerceStore } from '../../../src/commerce/sqlite-commerce-store';
import {
  ORDER_STATUSES,
  type CommerceDataset,
  type Order,
  type Shipment,
} from '../../../src/commerce/types';
import { assessWarranty, deliveryTimesByItem } from '../../../src/commerce/warranty';
import { TEST_NOW } from '../../helpers/commerce-fixtures';

const DAY = 86_400_000;

let dataset: CommerceDataset;

beforeAll(() => {
  dataset = generateSampleData({ now: TEST_NOW });
});

function shipmentsOf(orderId: string): Shipment[] {
  return dataset.shipments.filter((shipment) => shipment.orderId === orderId);
}

function orderById(orderId: string): Order {
  const order = dataset.orders.find((candidate) => candidate.id === orderId);
  if (order === undefined) throw new Error(`no order ${orderId}`);
  return order;
}

describe('generateSampleData', () => {
  it('gives identical data for the same seed and date', () => {
    expect(generateSampleData({ now: TEST_NOW })).toEqual(dataset);
  });

  it('gives different data for another seed, with the same documented customers', () => {
    const other = generateSampleData({ now: TEST_NOW, seed: 7 });

    expect(other.customers.map((customer) => customer.id)).not.toEqual(
      dataset.customers.map((customer) => customer.id),
    );
    for (const sample of SAMPLE_CUSTOMERS) {
      expect(other.customers.find((customer) => customer.id === sample.customerId)?.email).toBe(
        sample.email,
      );
    }
  });

  it('moves every date with `now`', () => {
    const later = generateSampleData({ now: new Date(TEST_NOW.getTime() + 10 * DAY) });

    const shift = (order: Order | undefined) => Date.parse(order?.placedAt ?? '');
    expect(shift(later.orders[0]) - shift(dataset.orders[0])).toBe(10 * DAY);
  });

  it('builds several hundred customers with 2 to 4 orders each, and a catalogue of 30 to 50 products', () => {
    expect(dataset.customers).toHaveLength(300);
    expect(dataset.products.length).toBeGreaterThanOrEqual(30);
    expect(dataset.products.length).toBeLessThanOrEqual(50);
    for (const customer of dataset.customers) {
      expect(customer.orderIds.length).toBeGreaterThanOrEqual(1);
      expect(customer.orderIds.length).toBeLessThanOrEqual(4);
    }
    expect(dataset.orders.length).toBeGreaterThan(600);
  });

  it('uses every order status', () => {
    expect(new Set(dataset.orders.map((order) => order.status))).toEqual(new Set(ORDER_STATUSES));
  });

  it('gives every product a description, warranty terms of 12, 24 or 36 months, and variants in stock', () => {
    for (const product of dataset.products) {
      expect(product.description).toEqual(expect.any(String));
      expect([12, 24, 36]).toContain(product.warranty?.coverageMonths);
      expect(product.variants.filter((variant) => variant.available).length).toBeGreaterThanOrEqual(
        2,
      );
    }
    const months = new Set(dataset.products.map((product) => product.warranty?.coverageMonths));
    expect(months).toEqual(new Set([12, 24, 36]));
  });

  it('uses unique ids and emails, and order ids of the form #W and seven digits', () => {
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(dataset.customers.map((customer) => customer.id))).toBe(true);
    expect(unique(dataset.customers.map((customer) => customer.email.toLowerCase()))).toBe(true);
    expect(unique(dataset.orders.map((order) => order.id))).toBe(true);
    expect(unique(dataset.shipments.map((shipment) => shipment.trackingId))).toBe(true);
    expect(dataset.orders.every((order) => /^#W\d{7}$/u.test(order.id))).toBe(true);
  });

  it('keeps cards to brand and last four digits', () => {
    const cards = dataset.customers
      .flatMap((customer) => customer.paymentMethods)
      .filter((method) => method.kind === 'credit_card');
    expect(cards.length).toBeGreaterThan(100);
    for (const card of cards)
      expect(Object.keys(card).sort()).toEqual(['brand', 'id', 'kind', 'lastFour']);
    expect(
      cards.every((card) => card.kind === 'credit_card' && /^\d{4}$/u.test(card.lastFour)),
    ).toBe(true);
  });

  it('charges each order what its items cost', () => {
    for (const order of dataset.orders) {
      const items = order.items.reduce((sum, item) => sum + item.priceCents, 0);
      const paid = order.paymentHistory.reduce(
        (sum, row) => sum + (row.type === 'payment' ? row.amountCents : -row.amountCents),
        0,
      );
      expect({ order: order.id, paid }).toEqual({
        order: order.id,
        paid: order.status === 'cancelled' ? 0 : items,
      });
    }
  });

  it('ships nothing for pending and cancelled orders', () => {
    const unshipped = dataset.orders.filter((order) =>
      ['pending', 'pending (item modified)', 'cancelled'].includes(order.status),
    );
    expect(unshipped.length).toBeGreaterThan(50);
    for (const order of unshipped) {
      expect(shipmentsOf(order.id)).toEqual([]);
      expect(order.fulfillments).toEqual([]);
    }
  });

  it('keeps processed parcels on their way, with events up to now', () => {
    const processed = dataset.orders.filter((order) => order.status === 'processed');
    const statuses = new Set<string>();
    for (const order of processed) {
      const shipments = shipmentsOf(order.id);
      expect(shipments.length).toBeGreaterThan(0);
      for (const shipment of shipments) {
        statuses.add(shipment.status);
        expect(shipment.deliveredAt).toBeNull();
        expect(shipment.events.at(-1)?.description).not.toMatch(/^Delivered/u);
        expect(Date.parse(shipment.events.at(-1)?.time ?? '')).toBeLessThanOrEqual(
          TEST_NOW.getTime(),
        );
        expect(shipment.estimatedDelivery! >= TEST_NOW.toISOString().slice(0, 10)).toBe(true);
      }
    }
    expect(statuses).toEqual(
      new Set(['label_created', 'in_transit', 'out_for_delivery', 'exception']),
    );
  });

  it('delivers every parcel of delivered, exchanged and returned orders, after it was placed', () => {
    const delivered = dataset.orders.filter((order) =>
      ['delivered', 'exchange requested', 'return requested'].includes(order.status),
    );
    for (const order of delivered) {
      const shipments = shipmentsOf(order.id);
      expect(shipments.flatMap((shipment) => shipment.itemIds).sort()).toEqual(
        order.items.map((item) => item.itemId).sort(),
      );
      for (const shipment of shipments) {
        expect(shipment.status).toBe('delivered');
        expect(shipment.events.at(-1)?.time).toBe(shipment.deliveredAt);
        expect(Date.parse(shipment.deliveredAt ?? '')).toBeLessThanOrEqual(TEST_NOW.getTime());
        expect(Date.parse(shipment.events[0]?.time ?? '')).toBeGreaterThan(
          Date.parse(order.placedAt ?? ''),
        );
        const times = shipment.events.map((event) => event.time);
        expect([...times].sort()).toEqual(times);
      }
      expect(order.fulfillments.map((fulfillment) => fulfillment.trackingIds[0])).toEqual(
        shipments.map((shipment) => shipment.trackingId),
      );
    }
  });

  it('ships large items with the freight partner and parcels with UPS, FedEx or USPS', () => {
    expect(new Set(dataset.shipments.map((shipment) => shipment.carrier))).toEqual(
      new Set(['UPS', 'FedEx', 'USPS', 'Summit Freight']),
    );
  });

  it('stores into SQLite as it is', async () => {
    const store = openSqliteCommerceStore({ path: ':memory:' });

    await store.importDataset(dataset);

    expect(await store.exportDataset()).toEqual(dataset);
    await store.close();
  });
});

describe('SAMPLE_CUSTOMERS', () => {
  function sample(index: number) {
    const customer = SAMPLE_CUSTOMERS[index];
    if (customer === undefined) throw new Error(`no sample customer ${index}`);
    return customer;
  }

  it('are in the data with the documented email, name and zip', () => {
    for (const sampleCustomer of SAMPLE_CUSTOMERS) {
      const customer = dataset.customers.find(
        (candidate) => candidate.id === sampleCustomer.customerId,
      );
      expect(customer).toMatchObject({
        email: sampleCustomer.email,
        name: { firstName: sampleCustomer.firstName, lastName: sampleCustomer.lastName },
        address: { zip: sampleCustomer.zip },
        orderIds: expect.arrayContaining([...sampleCustomer.orderIds]) as unknown,
      });
    }
  });

  it('include a pending order', () => {
    expect(orderById(sample(0).orderIds[0] ?? '').status).toBe('pending');
  });

  it('include an order in transit and one out for delivery', () => {
    expect(shipmentsOf(sample(1).orderIds[0] ?? '')[0]?.status).toBe('in_transit');
    expect(shipmentsOf(sample(5).orderIds[0] ?? '')[0]?.status).toBe('out_for_delivery');
  });

  it('include a delivery inside the 30-day return window', () => {
    const [shipment] = shipmentsOf(sample(2).orderIds[0] ?? '');
    const age = TEST_NOW.getTime() - Date.parse(shipment?.deliveredAt ?? '');
    expect(age).toBeLessThan(30 * DAY);
  });

  it('include an item under warranty and one out of it in the same order', () => {
    const order = orderById(sample(3).orderIds[0] ?? '');
    const deliveries = deliveryTimesByItem(shipmentsOf(order.id));
    const covered = order.items.map((item) => {
      const product = dataset.products.find((candidate) => candidate.id === item.productId);
      return assessWarranty({
        terms: product?.warranty ?? null,
        deliveredAt: deliveries.get(item.itemId) ?? null,
        orderStatus: order.status,
        now: TEST_NOW,
      }).inWarranty;
    });
    expect(covered).toEqual([true, false]);
  });
});

describe('openCommerce', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(path.join(os.tmpdir(), 'open-commerce-'));
  });

  afterEach(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('seeds an empty data directory with the sample shop, and reuses it afterwards', async () => {
    const dataDir = path.join(directory, 'data');

    const first = await openCommerce({ dataDir, now: TEST_NOW });
    await first.store.cancelPendingOrder({ orderId: sample0OrderId(), reason: 'no longer needed' });
    await first.store.close();
    const second = await openCommerce({ dataDir, now: TEST_NOW });

    expect(first.seeded).toBe(true);
    expect(first.path).toBe(path.join(dataDir, 'commerce.sqlite'));
    expect(second.seeded).toBe(false);
    expect((await second.store.getOrder(sample0OrderId()))?.status).toBe('cancelled');
    await second.store.close();
  });
});

function sample0OrderId(): string {
  return SAMPLE_CUSTOMERS[0]?.orderIds[0] ?? '';
}
