import path from 'node:path';
import type { VerificationRule, ToolContext } from '../../src/tools/define-tool';
import { ToolError } from '../../src/shared/errors';
import type {
  Address,
  CommerceDataset,
  Customer,
  Order,
  OrderItem,
  PaymentMethod,
  Product,
  Shipment,
} from '../../src/commerce/types';

/** τ-bench's retail data, beside the checkout (`<repo>/../shared/tau-retail`); never copied into the repo. */
export const TAU_RETAIL_DIR = path.resolve(__dirname, '..', '..', '..', 'shared', 'tau-retail');

/** A fixed "today" for tests: dates in fixtures and sample data are relative to it. */
export const TEST_NOW = new Date('2026-11-24T10:00:00.000Z');

export interface ContextRecord {
  verified: string[];
  handoffs: string[];
}

/**
 * A tool context as the conversation builds it: `customerId` changes only through `verifyCustomer`, which,
 * like the real one, refuses to switch a verified conversation to another customer.
 */
export function createToolContext(
  options: { customerId?: string | null; rule?: VerificationRule; now?: Date } = {},
): { context: ToolContext; record: ContextRecord } {
  const record: ContextRecord = { verified: [], handoffs: [] };
  let customerId = options.customerId ?? null;
  const context: ToolContext = {
    get customerId() {
      return customerId;
    },
    verificationRule: options.rule ?? 'identifier_and_zip',
    verifyCustomer(id: string) {
      if (customerId !== null && customerId !== id) {
        throw new ToolError('this conversation is already verified for another customer');
      }
      customerId = id;
      record.verified.push(id);
    },
    requestHandoff({ summary }) {
      record.handoffs.push(summary);
    },
    conversationId: 'conversation-1',
    channelId: 'webchat',
    now: () => options.now ?? TEST_NOW,
  };
  return { context, record };
}

/**
 * RFC 8785 canonical JSON (JCS), as τ-bench's digests use: object keys sorted by UTF-16 code units, no white
 * space, numbers and strings as ECMAScript's JSON serialises them.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .filter((key) => record[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Every number rounded to cents: τ-bench's money carries float noise, ours is exact cents. */
export function roundMoneyDeep(value: unknown): unknown {
  if (typeof value === 'number') return Math.round(value * 100) / 100;
  if (Array.isArray(value)) return value.map(roundMoneyDeep);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, roundMoneyDeep(inner)]),
    );
  }
  return value;
}

// ---- a small hand-made shop for unit tests: two customers, a few orders, two products ----

export const ADDRESS_ALICE: Address = {
  address1: '1 Elm Street',
  address2: 'Apt 2',
  city: 'Springfield',
  state: 'IL',
  country: 'USA',
  zip: '62701',
};

export const ADDRESS_BOB: Address = {
  address1: '9 Pine Road',
  address2: '',
  city: 'Portland',
  state: 'OR',
  country: 'USA',
  zip: '97201',
};

export const ALICE_CARD: PaymentMethod = {
  kind: 'credit_card',
  id: 'credit_card_1000001',
  brand: 'visa',
  lastFour: '1111',
};
export const ALICE_GIFT_CARD: PaymentMethod = {
  kind: 'gift_card',
  id: 'gift_card_1000002',
  balanceCents: 5000,
};
export const ALICE_PAYPAL: PaymentMethod = { kind: 'paypal', id: 'paypal_1000003' };
export const BOB_CARD: PaymentMethod = {
  kind: 'credit_card',
  id: 'credit_card_2000001',
  brand: 'mastercard',
  lastFour: '2222',
};

export const BOTTLE_PRODUCT_ID = '1000000001';
export const LAMP_PRODUCT_ID = '1000000002';

/** Water bottle variants: blue $20.00, red $25.50, green $18.00 (out of stock), black $80.00. */
export const BOTTLE = {
  blue: '2000000001',
  red: '2000000002',
  green: '2000000003',
  black: '2000000004',
} as const;
/** Lamp variants: white $40.00, black $45.00. */
export const LAMP = { white: '3000000001', black: '3000000002' } as const;

export function testProducts(): Product[] {
  return [
    {
      id: BOTTLE_PRODUCT_ID,
      name: 'Water Bottle',
      description: 'An insulated bottle.',
      warranty: {
        category: 'Everyday goods',
        coverageMonths: 12,
        terms: 'Covers defects for 12 months.',
      },
      variants: [
        { itemId: BOTTLE.blue, options: { color: 'blue' }, available: true, priceCents: 2000 },
        { itemId: BOTTLE.red, options: { color: 'red' }, available: true, priceCents: 2550 },
        { itemId: BOTTLE.green, options: { color: 'green' }, available: false, priceCents: 1800 },
        { itemId: BOTTLE.black, options: { color: 'black' }, available: true, priceCents: 8000 },
      ],
    },
    {
      id: LAMP_PRODUCT_ID,
      name: 'Desk Lamp',
      description: null,
      warranty: {
        category: 'Electronics and appliances',
        coverageMonths: 24,
        terms: 'Covers defects for 24 months.',
      },
      variants: [
        { itemId: LAMP.white, options: { color: 'white' }, available: true, priceCents: 4000 },
        { itemId: LAMP.black, options: { color: 'black' }, available: true, priceCents: 4500 },
      ],
    },
  ];
}

function bottle(color: keyof typeof BOTTLE, priceCents: number): OrderItem {
  return {
    productId: BOTTLE_PRODUCT_ID,
    itemId: BOTTLE[color],
    name: 'Water Bottle',
    priceCents,
    options: { color },
  };
}

function lamp(color: keyof typeof LAMP, priceCents: number): OrderItem {
  return {
    productId: LAMP_PRODUCT_ID,
    itemId: LAMP[color],
    name: 'Desk Lamp',
    priceCents,
    options: { color },
  };
}

/** Alice's orders: pending (card), pending (gift card), delivered, processed, cancelled. Bob: one pending. */
export const ORDERS = {
  alicePending: '#W1000001',
  alicePendingGiftCard: '#W1000002',
  aliceDelivered: '#W1000003',
  aliceProcessed: '#W1000004',
  aliceCancelled: '#W1000005',
  bobPending: '#W2000001',
} as const;

function order(
  overrides: Partial<Order> & Pick<Order, 'id' | 'customerId' | 'items' | 'status'>,
): Order {
  const total = overrides.items.reduce((sum, item) => sum + item.priceCents, 0);
  return {
    address:
      overrides.customerId === 'alice_smith_1000' ? { ...ADDRESS_ALICE } : { ...ADDRESS_BOB },
    fulfillments: [],
    paymentHistory: [{ type: 'payment', amountCents: total, paymentMethodId: ALICE_CARD.id }],
    placedAt: null,
    cancelReason: null,
    exchange: null,
    return: null,
    ...overrides,
  };
}

/** Two customers and their orders, with shipments for the processed and delivered orders. */
export function testDataset(): CommerceDataset {
  const alice: Customer = {
    id: 'alice_smith_1000',
    name: { firstName: 'Alice', lastName: 'Smith' },
    address: { ...ADDRESS_ALICE },
    email: 'alice.smith@example.com',
    paymentMethods: [ALICE_CARD, ALICE_GIFT_CARD, ALICE_PAYPAL].map((method) => ({ ...method })),
    orderIds: [
      ORDERS.alicePending,
      ORDERS.alicePendingGiftCard,
      ORDERS.aliceDelivered,
      ORDERS.aliceProcessed,
      ORDERS.aliceCancelled,
    ],
  };
  const bob: Customer = {
    id: 'bob_jones_2000',
    name: { firstName: 'Bob', lastName: 'Jones' },
    address: { ...ADDRESS_BOB },
    email: 'Bob.Jones@example.com',
    paymentMethods: [{ ...BOB_CARD }],
    orderIds: [ORDERS.bobPending],
  };
  const orders: Order[] = [
    order({
      id: ORDERS.alicePending,
      customerId: alice.id,
      items: [bottle('blue', 2000), lamp('white', 4000)],
      status: 'pending',
      placedAt: '2026-11-23T09:00:00.000Z',
    }),
    order({
      id: ORDERS.alicePendingGiftCard,
      customerId: alice.id,
      items: [bottle('red', 2550)],
      status: 'pending',
      paymentHistory: [{ type: 'payment', amountCents: 2550, paymentMethodId: ALICE_GIFT_CARD.id }],
    }),
    order({
      id: ORDERS.aliceDelivered,
      customerId: alice.id,
      items: [bottle('blue', 2000), bottle('blue', 2000), lamp('black', 4500)],
      status: 'delivered',
      fulfillments: [
        { trackingIds: ['111122223333'], itemIds: [BOTTLE.blue, BOTTLE.blue, LAMP.black] },
      ],
      placedAt: '2025-06-01T12:00:00.000Z',
    }),
    order({
      id: ORDERS.aliceProcessed,
      customerId: alice.id,
      items: [lamp('white', 4000)],
      status: 'processed',
      fulfillments: [{ trackingIds: ['1Z999'], itemIds: [LAMP.white] }],
      placedAt: '2026-11-21T08:00:00.000Z',
    }),
    order({
      id: ORDERS.aliceCancelled,
      customerId: alice.id,
      items: [bottle('red', 2550)],
      status: 'cancelled',
      cancelReason: 'ordered by mistake',
      paymentHistory: [
        { type: 'payment', amountCents: 2550, paymentMethodId: ALICE_CARD.id },
        { type: 'refund', amountCents: 2550, paymentMethodId: ALICE_CARD.id },
      ],
    }),
    order({
      id: ORDERS.bobPending,
      customerId: bob.id,
      items: [bottle('blue', 2000)],
      status: 'pending',
      paymentHistory: [{ type: 'payment', amountCents: 2000, paymentMethodId: BOB_CARD.id }],
    }),
  ];
  const shipments: Shipment[] = [
    {
      trackingId: '111122223333',
      orderId: ORDERS.aliceDelivered,
      carrier: 'FedEx',
      itemIds: [BOTTLE.blue, BOTTLE.blue, LAMP.black],
      status: 'delivered',
      estimatedDelivery: '2025-06-05',
      deliveredAt: '2025-06-05T15:00:00.000Z',
      events: [
        {
          time: '2025-06-02T09:00:00.000Z',
          location: 'Columbus, OH',
          description: 'Shipping label created',
        },
        {
          time: '2025-06-05T15:00:00.000Z',
          location: 'Springfield, IL',
          description: 'Delivered, left at front door',
        },
      ],
    },
    {
      trackingId: '1Z999',
      orderId: ORDERS.aliceProcessed,
      carrier: 'UPS',
      itemIds: [LAMP.white],
      status: 'in_transit',
      estimatedDelivery: '2026-11-26',
      deliveredAt: null,
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
  ];
  return { customers: [alice, bob], orders, products: testProducts(), shipments };
}

export const ALICE_ID = 'alice_smith_1000';
export const BOB_ID = 'bob_jones_2000';
