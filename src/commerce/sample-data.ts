import { SAMPLE_CATALOGUE, warrantyTermsFor, type CatalogueEntry } from './sample-catalogue';
import { SeededRandom } from './seeded-random';
import type {
  Address,
  CancelReason,
  CommerceDataset,
  Customer,
  Fulfillment,
  Order,
  OrderItem,
  OrderStatus,
  PaymentMethod,
  Product,
  ProductVariant,
  Shipment,
  ShipmentStatus,
  TrackingEvent,
} from './types';

/** The seed `openCommerce` and `npm run seed` use, so every fresh install has the same customers. */
export const SAMPLE_DATA_DEFAULT_SEED = 20261124;

/** How many customers the sample shop has, the documented ones included. */
export const SAMPLE_DATA_DEFAULT_CUSTOMERS = 300;

export interface SampleDataOptions {
  /** Dates are relative to it: the same seed and `now` give identical data. */
  now: Date;
  seed?: number;
  /** At least the documented customers; default 300. */
  customers?: number;
}

/** A customer for demos and tests whose situation is the same whatever the seed or the date. */
export interface SampleCustomer {
  customerId: string;
  email: string;
  firstName: string;
  lastName: string;
  zip: string;
  /** What this customer is good for trying out. */
  scenario: string;
  orderIds: readonly string[];
}

type ShipmentStage = 'label_created' | 'in_transit' | 'out_for_delivery' | 'exception';

/** What an order should look like; anything left out is chosen at random. */
interface OrderPlan {
  id?: string;
  status: OrderStatus;
  /** Catalogue names; default 1–4 random products. */
  products?: readonly string[];
  /** Delivered, exchange requested, return requested: days since delivery. */
  deliveredDaysAgo?: number;
  /** Processed: where the parcels are. */
  stage?: ShipmentStage;
  carrier?: string;
}

interface CustomerPlan {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  address: Address;
  paymentMethods: readonly PaymentMethodPlan[];
  orders: readonly OrderPlan[];
}

type PaymentMethodPlan =
  | { kind: 'credit_card'; brand: string; lastFour: string }
  | { kind: 'gift_card'; balanceCents: number }
  | { kind: 'paypal' };

const DOCUMENTED: readonly (CustomerPlan & { scenario: string })[] = [
  {
    id: 'olivia_bennett_4821',
    firstName: 'Olivia',
    lastName: 'Bennett',
    email: 'olivia.bennett4821@example.com',
    address: {
      address1: '1420 Maple Street',
      address2: 'Apt 3B',
      city: 'Denver',
      state: 'CO',
      country: 'USA',
      zip: '80211',
    },
    paymentMethods: [
      { kind: 'credit_card', brand: 'visa', lastFour: '4821' },
      { kind: 'gift_card', balanceCents: 12000 },
    ],
    orders: [
      { id: '#W4821001', status: 'pending', products: ['Headphones', 'Water Bottle'] },
      { id: '#W4821002', status: 'delivered', products: ['Backpack'], deliveredDaysAgo: 200 },
    ],
    scenario:
      'Pending order #W4821001 (headphones, water bottle) can still be cancelled or changed; has a Visa card and a gift card with $120.00.',
  },
  {
    id: 'marcus_reed_7314',
    firstName: 'Marcus',
    lastName: 'Reed',
    email: 'marcus.reed7314@example.com',
    address: {
      address1: '88 Harbor View Road',
      address2: '',
      city: 'Seattle',
      state: 'WA',
      country: 'USA',
      zip: '98109',
    },
    paymentMethods: [{ kind: 'paypal' }],
    orders: [
      {
        id: '#W7314001',
        status: 'processed',
        products: ['Laptop'],
        stage: 'in_transit',
        carrier: 'UPS',
      },
    ],
    scenario:
      'Order #W7314001 (laptop) is in transit with UPS: tracking events and an estimated delivery date.',
  },
  {
    id: 'sofia_alvarez_2290',
    firstName: 'Sofia',
    lastName: 'Alvarez',
    email: 'sofia.alvarez2290@example.com',
    address: {
      address1: '305 Cedar Lane',
      address2: 'Suite 210',
      city: 'Austin',
      state: 'TX',
      country: 'USA',
      zip: '78704',
    },
    paymentMethods: [
      { kind: 'credit_card', brand: 'mastercard', lastFour: '2290' },
      { kind: 'gift_card', balanceCents: 2500 },
    ],
    orders: [
      {
        id: '#W2290001',
        status: 'delivered',
        products: ['Running Shoes', 'Bluetooth Speaker'],
        deliveredDaysAgo: 6,
      },
    ],
    scenario:
      'Order #W2290001 (running shoes, Bluetooth speaker) was delivered 6 days ago: inside the 30-day return window, so it can be returned or exchanged.',
  },
  {
    id: 'daniel_kim_5567',
    firstName: 'Daniel',
    lastName: 'Kim',
    email: 'daniel.kim5567@example.com',
    address: {
      address1: '17 Orchard Court',
      address2: '',
      city: 'Columbus',
      state: 'OH',
      country: 'USA',
      zip: '43215',
    },
    paymentMethods: [{ kind: 'credit_card', brand: 'amex', lastFour: '5567' }],
    orders: [
      {
        id: '#W5567001',
        status: 'delivered',
        products: ['Blender', 'T-Shirt'],
        deliveredDaysAgo: 425,
      },
    ],
    scenario:
      'Order #W5567001 was delivered about 14 months ago: the blender is still under its 24-month warranty, the T-shirt (12 months) is not.',
  },
  {
    id: 'grace_okafor_8802',
    firstName: 'Grace',
    lastName: 'Okafor',
    email: 'grace.okafor8802@example.com',
    address: {
      address1: '940 Peachtree Avenue',
      address2: 'Apt 12',
      city: 'Atlanta',
      state: 'GA',
      country: 'USA',
      zip: '30309',
    },
    paymentMethods: [
      { kind: 'credit_card', brand: 'discover', lastFour: '8802' },
      { kind: 'paypal' },
    ],
    orders: [
      { id: '#W8802001', status: 'delivered', products: ['Office Chair'], deliveredDaysAgo: 900 },
      { id: '#W8802002', status: 'cancelled', products: ['Sunglasses'] },
    ],
    scenario:
      'Office chair in order #W8802001 was delivered about 30 months ago and is still under its 36-month warranty; order #W8802002 was cancelled.',
  },
  {
    id: 'liam_walsh_3376',
    firstName: 'Liam',
    lastName: 'Walsh',
    email: 'liam.walsh3376@example.com',
    address: {
      address1: '52 Beacon Street',
      address2: '',
      city: 'Boston',
      state: 'MA',
      country: 'USA',
      zip: '02108',
    },
    paymentMethods: [
      { kind: 'credit_card', brand: 'visa', lastFour: '3376' },
      { kind: 'gift_card', balanceCents: 0 },
    ],
    orders: [
      {
        id: '#W3376001',
        status: 'processed',
        products: ['Smart Watch'],
        stage: 'out_for_delivery',
        carrier: 'FedEx',
      },
      { id: '#W3376002', status: 'delivered', products: ['Tablet'], deliveredDaysAgo: 800 },
    ],
    scenario:
      'Order #W3376001 (smart watch) is out for delivery with FedEx today; the tablet in #W3376002 is out of warranty (delivered about 26 months ago).',
  },
];

/** The documented customers: the same in every generated dataset, whatever the seed. */
export const SAMPLE_CUSTOMERS: readonly SampleCustomer[] = DOCUMENTED.map((plan) => ({
  customerId: plan.id,
  email: plan.email,
  firstName: plan.firstName,
  lastName: plan.lastName,
  zip: plan.address.zip,
  scenario: plan.scenario,
  orderIds: plan.orders.map((order) => order.id ?? ''),
}));

const FIRST_NAMES = [
  'Aisha',
  'Amelia',
  'Andre',
  'Anya',
  'Ava',
  'Benjamin',
  'Caleb',
  'Camila',
  'Chen',
  'Chloe',
  'Daniela',
  'Diego',
  'Elena',
  'Eli',
  'Emma',
  'Ethan',
  'Fatima',
  'Gabriel',
  'Hana',
  'Harper',
  'Hiro',
  'Isabella',
  'Ivan',
  'Jamal',
  'James',
  'Jasmine',
  'Kai',
  'Layla',
  'Leo',
  'Lucas',
  'Maya',
  'Mei',
  'Mia',
  'Mohamed',
  'Noah',
  'Nora',
  'Omar',
  'Priya',
  'Rafael',
  'Ravi',
  'Rosa',
  'Samuel',
  'Sara',
  'Sophia',
  'Tariq',
  'Yara',
  'Yusuf',
  'Zoe',
];

const LAST_NAMES = [
  'Adams',
  'Ahmed',
  'Brown',
  'Chen',
  'Clark',
  'Costa',
  'Davis',
  'Diaz',
  'Evans',
  'Fischer',
  'Garcia',
  'Gonzalez',
  'Hall',
  'Hernandez',
  'Ito',
  'Jackson',
  'Johnson',
  'Khan',
  'Kowalski',
  'Lee',
  'Lopez',
  'Martin',
  'Moore',
  'Müller',
  'Nguyen',
  'Novak',
  'Patel',
  'Perez',
  'Rossi',
  'Santos',
  'Silva',
  'Singh',
  'Smith',
  'Sullivan',
  'Tanaka',
  'Taylor',
  'Thomas',
  'Wilson',
  'Wright',
  'Young',
];

const STREETS = [
  'Main Street',
  'Oak Avenue',
  'Pine Street',
  'Elm Street',
  'Lakeview Drive',
  'Sunset Boulevard',
  'River Road',
  'Hillcrest Drive',
  'Park Avenue',
  'Broadway',
  'Washington Street',
  'Chestnut Street',
  'Willow Lane',
  'Spruce Street',
  'Highland Avenue',
  'Meadow Lane',
  'Forest Drive',
  'Jefferson Avenue',
];

/** US cities with the first three digits of their zip codes. */
const CITIES: readonly { city: string; state: string; zipPrefix: string }[] = [
  { city: 'New York', state: 'NY', zipPrefix: '100' },
  { city: 'Los Angeles', state: 'CA', zipPrefix: '900' },
  { city: 'San Francisco', state: 'CA', zipPrefix: '941' },
  { city: 'San Diego', state: 'CA', zipPrefix: '921' },
  { city: 'Chicago', state: 'IL', zipPrefix: '606' },
  { city: 'Houston', state: 'TX', zipPrefix: '770' },
  { city: 'Dallas', state: 'TX', zipPrefix: '752' },
  { city: 'Phoenix', state: 'AZ', zipPrefix: '850' },
  { city: 'Philadelphia', state: 'PA', zipPrefix: '191' },
  { city: 'Pittsburgh', state: 'PA', zipPrefix: '152' },
  { city: 'Denver', state: 'CO', zipPrefix: '802' },
  { city: 'Seattle', state: 'WA', zipPrefix: '981' },
  { city: 'Portland', state: 'OR', zipPrefix: '972' },
  { city: 'Boston', state: 'MA', zipPrefix: '021' },
  { city: 'Atlanta', state: 'GA', zipPrefix: '303' },
  { city: 'Miami', state: 'FL', zipPrefix: '331' },
  { city: 'Orlando', state: 'FL', zipPrefix: '328' },
  { city: 'Minneapolis', state: 'MN', zipPrefix: '554' },
  { city: 'Detroit', state: 'MI', zipPrefix: '482' },
  { city: 'Nashville', state: 'TN', zipPrefix: '372' },
  { city: 'Charlotte', state: 'NC', zipPrefix: '282' },
  { city: 'Salt Lake City', state: 'UT', zipPrefix: '841' },
  { city: 'Las Vegas', state: 'NV', zipPrefix: '891' },
  { city: 'Kansas City', state: 'MO', zipPrefix: '641' },
  { city: 'Milwaukee', state: 'WI', zipPrefix: '532' },
  { city: 'Baltimore', state: 'MD', zipPrefix: '212' },
  { city: 'Richmond', state: 'VA', zipPrefix: '232' },
  { city: 'Albuquerque', state: 'NM', zipPrefix: '871' },
];

const CARD_BRANDS = ['visa', 'mastercard', 'amex', 'discover'] as const;

/** Carriers for parcels, per the shipping policy; large items go with the freight partner. */
const PARCEL_CARRIERS = ['UPS', 'FedEx', 'USPS'] as const;
const FREIGHT_CARRIER = 'Summit Freight';
const WAREHOUSE = 'Columbus, OH';
const HUBS: Readonly<Record<string, readonly string[]>> = {
  UPS: ['Louisville, KY', 'Chicago, IL', 'Dallas, TX'],
  FedEx: ['Memphis, TN', 'Indianapolis, IN', 'Oakland, CA'],
  USPS: ['Chicago, IL', 'Atlanta, GA', 'Denver, CO'],
  [FREIGHT_CARRIER]: ['Indianapolis, IN', 'Kansas City, MO'],
};

const DELIVERED_DESCRIPTIONS = [
  'Delivered, left at front door',
  'Delivered, handed to resident',
  'Delivered to mailroom',
];
const EXCEPTION_DESCRIPTIONS = [
  'Delivery exception: weather delay; the parcel will move again within 1 business day',
  'Delivery exception: the address could not be reached; the carrier will try again next business day',
];

const STATUS_WEIGHTS: readonly (readonly [OrderStatus, number])[] = [
  ['pending', 18],
  ['processed', 15],
  ['delivered', 45],
  ['cancelled', 10],
  ['pending (item modified)', 4],
  ['exchange requested', 4],
  ['return requested', 4],
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Generates the sample shop: the catalogue, several hundred customers (the documented `SAMPLE_CUSTOMERS`
 * first) with orders in every status, and shipments whose tracking events match each order's status.
 * Deterministic: the same seed and `now` give the same dataset.
 */
export function generateSampleData(options: SampleDataOptions): CommerceDataset {
  return new SampleDataGenerator(options).generate();
}

class SampleDataGenerator {
  private readonly random: SeededRandom;
  private readonly now: number;
  private readonly customerCount: number;
  private readonly used = new Set<string>();
  private readonly products: { entry: CatalogueEntry; product: Product }[] = [];
  private readonly orders: Order[] = [];
  private readonly shipments: Shipment[] = [];

  constructor(options: SampleDataOptions) {
    this.random = new SeededRandom(options.seed ?? SAMPLE_DATA_DEFAULT_SEED);
    this.now = options.now.getTime();
    this.customerCount = Math.max(
      options.customers ?? SAMPLE_DATA_DEFAULT_CUSTOMERS,
      DOCUMENTED.length,
    );
    for (const plan of DOCUMENTED) {
      this.used.add(plan.id);
      this.used.add(plan.email);
      for (const order of plan.orders) if (order.id !== undefined) this.used.add(order.id);
    }
  }

  generate(): CommerceDataset {
    for (const entry of SAMPLE_CATALOGUE)
      this.products.push({ entry, product: this.buildProduct(entry) });
    const customers: Customer[] = [];
    for (const plan of DOCUMENTED) customers.push(this.buildCustomer(plan));
    while (customers.length < this.customerCount)
      customers.push(this.buildCustomer(this.randomCustomerPlan()));
    return {
      customers,
      orders: this.orders,
      products: this.products.map(({ product }) => product),
      shipments: this.shipments,
    };
  }

  // ---- catalogue ----

  private buildProduct(entry: CatalogueEntry): Product {
    const combinations = this.random.shuffle(combine(entry.options));
    const count = Math.min(combinations.length, this.random.integer(6, 12));
    const [low, high] = entry.priceRange;
    const variants = combinations.slice(0, count).map((options, index): ProductVariant => ({
      itemId: this.uniqueId(() => this.random.digits(10)),
      options,
      // At least two variants in stock, so every product can be exchanged.
      available: index < 2 || this.random.chance(0.85),
      priceCents: this.random.integer(low * 100, high * 100),
    }));
    return {
      id: this.uniqueId(() => this.random.digits(10)),
      name: entry.name,
      description: entry.description,
      warranty: warrantyTermsFor(entry),
      variants,
    };
  }

  // ---- customers ----

  private randomCustomerPlan(): CustomerPlan {
    const firstName = this.random.pick(FIRST_NAMES);
    const lastName = this.random.pick(LAST_NAMES);
    const slug = (name: string) =>
      name
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z]/gu, '');
    const id = this.uniqueId(() => `${slug(firstName)}_${slug(lastName)}_${this.random.digits(4)}`);
    const email = this.uniqueId(
      () => `${slug(firstName)}.${slug(lastName)}${this.random.digits(4)}@example.com`,
    );
    const place = this.random.pick(CITIES);
    const address: Address = {
      address1: `${this.random.integer(1, 9999)} ${this.random.pick(STREETS)}`,
      address2: this.random.weighted([
        ['', 5],
        [`Apt ${this.random.integer(1, 40)}${this.random.pick(['', 'A', 'B', 'C'])}`, 3],
        [`Suite ${this.random.integer(100, 999)}`, 2],
      ]),
      city: place.city,
      state: place.state,
      country: 'USA',
      zip: `${place.zipPrefix}${this.random.digits(2, { allowLeadingZero: true })}`,
    };
    const paymentMethods: PaymentMethodPlan[] = [];
    if (this.random.chance(0.75)) {
      paymentMethods.push({
        kind: 'credit_card',
        brand: this.random.pick(CARD_BRANDS),
        lastFour: this.random.digits(4, { allowLeadingZero: true }),
      });
    }
    if (this.random.chance(0.4))
      paymentMethods.push({ kind: 'gift_card', balanceCents: this.random.integer(0, 300) * 100 });
    if (paymentMethods.length === 0 || this.random.chance(0.35))
      paymentMethods.push({ kind: 'paypal' });
    const orders = Array.from({ length: this.random.integer(2, 4) }, (): OrderPlan => ({
      status: this.random.weighted(STATUS_WEIGHTS),
    }));
    return { id, firstName, lastName, email, address, paymentMethods, orders };
  }

  private buildCustomer(plan: CustomerPlan): Customer {
    const paymentMethods = plan.paymentMethods.map((method): PaymentMethod => {
      const id = this.uniqueId(() => `${method.kind}_${this.random.digits(7)}`);
      switch (method.kind) {
        case 'credit_card':
          return { kind: 'credit_card', id, brand: method.brand, lastFour: method.lastFour };
        case 'gift_card':
          return { kind: 'gift_card', id, balanceCents: method.balanceCents };
        case 'paypal':
          return { kind: 'paypal', id };
      }
    });
    const customer: Customer = {
      id: plan.id,
      name: { firstName: plan.firstName, lastName: plan.lastName },
      address: plan.address,
      email: plan.email,
      paymentMethods,
      orderIds: [],
    };
    const orders = plan.orders.map((orderPlan) => this.buildOrder(customer, orderPlan));
    orders.sort((left, right) => ((left.placedAt ?? '') < (right.placedAt ?? '') ? -1 : 1));
    customer.orderIds = orders.map((order) => order.id);
    this.orders.push(...orders);
    return customer;
  }

  // ---- orders ----

  private buildOrder(customer: Customer, plan: OrderPlan): Order {
    const id =
      plan.id ?? this.uniqueId(() => `#W${this.random.digits(7, { allowLeadingZero: true })}`);
    const chosen =
      plan.products === undefined
        ? this.random.shuffle(this.products).slice(0, this.random.integer(1, 4))
        : plan.products.map((name) => this.productNamed(name));
    const items = chosen.map(({ product }): OrderItem => {
      const variant = this.random.pick(product.variants);
      return {
        productId: product.id,
        itemId: variant.itemId,
        name: product.name,
        priceCents: variant.priceCents,
        options: { ...variant.options },
      };
    });
    const method = this.random.pick(customer.paymentMethods);
    const total = sum(items.map((item) => item.priceCents));
    const order: Order = {
      id,
      customerId: customer.id,
      address: { ...customer.address },
      items,
      fulfillments: [],
      status: plan.status,
      paymentHistory: [{ type: 'payment', amountCents: total, paymentMethodId: method.id }],
      placedAt: null,
      cancelReason: null,
      exchange: null,
      return: null,
    };

    switch (plan.status) {
      case 'pending':
        order.placedAt = this.isoAgo(this.random.integer(1, 40) * HOUR);
        break;
      case 'pending (item modified)':
        order.placedAt = this.isoAgo(this.random.integer(2, 40) * HOUR);
        this.recordItemModification(order);
        break;
      case 'cancelled':
        order.placedAt = this.isoAgo(
          this.random.integer(2, 300) * DAY + this.random.integer(0, 23) * HOUR,
        );
        order.cancelReason = this.random.pick<CancelReason>([
          'no longer needed',
          'ordered by mistake',
        ]);
        order.paymentHistory.push({
          type: 'refund',
          amountCents: total,
          paymentMethodId: method.id,
        });
        break;
      case 'processed':
        this.ship({
          order,
          chosen,
          stage: plan.stage ?? this.randomStage(),
          carrier: plan.carrier,
        });
        break;
      case 'delivered':
        this.ship({
          order,
          chosen,
          deliveredDaysAgo: plan.deliveredDaysAgo ?? this.randomDeliveryAge(),
          carrier: plan.carrier,
        });
        break;
      case 'exchange requested':
        this.ship({
          order,
          chosen,
          deliveredDaysAgo: plan.deliveredDaysAgo ?? this.random.integer(1, 25),
          carrier: plan.carrier,
        });
        this.recordExchange(order, customer);
        break;
      case 'return requested':
        this.ship({
          order,
          chosen,
          deliveredDaysAgo: plan.deliveredDaysAgo ?? this.random.integer(1, 25),
          carrier: plan.carrier,
        });
        this.recordReturn(order, customer);
        break;
    }
    return order;
  }

  /** The customer swapped the first item for another variant; the difference was charged or refunded. */
  private recordItemModification(order: Order): void {
    const [item] = order.items;
    const [original] = order.paymentHistory;
    const alternative = item === undefined ? undefined : this.otherVariant(item);
    if (item === undefined || original === undefined || alternative === undefined) {
      order.status = 'pending';
      return;
    }
    // The order was paid at the old price; the item now is the new variant.
    const difference = item.priceCents - alternative.priceCents;
    original.amountCents -= difference;
    order.paymentHistory.push({
      type: difference > 0 ? 'payment' : 'refund',
      amountCents: Math.abs(difference),
      paymentMethodId: original.paymentMethodId,
    });
  }

  private recordExchange(order: Order, customer: Customer): void {
    const [item] = order.items;
    const alternative =
      item === undefined ? undefined : this.otherVariant(item, { available: true });
    if (item === undefined || alternative === undefined) {
      order.status = 'delivered';
      return;
    }
    order.exchange = {
      itemIds: [item.itemId],
      newItemIds: [alternative.itemId],
      paymentMethodId: this.random.pick(customer.paymentMethods).id,
      priceDifferenceCents: alternative.priceCents - item.priceCents,
    };
  }

  private recordReturn(order: Order, customer: Customer): void {
    const count = this.random.integer(1, order.items.length);
    const giftCard = customer.paymentMethods.find((method) => method.kind === 'gift_card');
    const original = order.paymentHistory[0]?.paymentMethodId ?? '';
    order.return = {
      itemIds: order.items
        .slice(0, count)
        .map((item) => item.itemId)
        .sort(),
      paymentMethodId: giftCard !== undefined && this.random.chance(0.3) ? giftCard.id : original,
    };
  }

  // ---- shipments ----

  /**
   * Packs the order into parcels (large items alone, with the freight partner) and writes each parcel's
   * carrier events up to now: a processed order's parcels are still on their way, a delivered order's arrived
   * `deliveredDaysAgo` days ago.
   */
  private ship(timing: {
    order: Order;
    chosen: readonly { entry: CatalogueEntry }[];
    stage?: ShipmentStage;
    deliveredDaysAgo?: number;
    carrier?: string | undefined;
  }): void {
    const { order, chosen } = timing;
    const parcels = this.packParcels(order.items, chosen);
    const delivered = timing.deliveredDaysAgo !== undefined;
    const carrierForSmall = timing.carrier ?? this.random.pick(PARCEL_CARRIERS);
    let firstShipAt = Number.POSITIVE_INFINITY;
    for (const parcel of parcels) {
      const carrier = parcel.freight ? FREIGHT_CARRIER : carrierForSmall;
      const transitDays = parcel.freight ? this.random.integer(5, 8) : this.random.integer(2, 5);
      const shipment = delivered
        ? this.deliveredParcel({
            order,
            parcel,
            carrier,
            transitDays,
            daysAgo: timing.deliveredDaysAgo ?? 1,
          })
        : this.parcelOnItsWay({
            order,
            parcel,
            carrier,
            transitDays,
            stage: timing.stage ?? 'in_transit',
          });
      firstShipAt = Math.min(
        firstShipAt,
        Date.parse(shipment.events[0]?.time ?? new Date(this.now).toISOString()),
      );
      this.shipments.push(shipment);
      order.fulfillments.push({
        trackingIds: [shipment.trackingId],
        itemIds: [...shipment.itemIds],
      } satisfies Fulfillment);
    }
    order.placedAt = new Date(firstShipAt - this.random.integer(3, 30) * HOUR).toISOString();
  }

  private packParcels(
    items: readonly OrderItem[],
    chosen: readonly { entry: CatalogueEntry }[],
  ): { itemIds: string[]; freight: boolean }[] {
    const freight = items.filter((_, index) => chosen[index]?.entry.freight === true);
    const small = items.filter((_, index) => chosen[index]?.entry.freight !== true);
    const parcels = freight.map((item) => ({ itemIds: [item.itemId], freight: true }));
    if (small.length >= 3 && this.random.chance(0.3)) {
      const split = this.random.integer(1, small.length - 1);
      parcels.push({ itemIds: small.slice(0, split).map((item) => item.itemId), freight: false });
      parcels.push({ itemIds: small.slice(split).map((item) => item.itemId), freight: false });
    } else if (small.length > 0) {
      parcels.push({ itemIds: small.map((item) => item.itemId), freight: false });
    }
    return parcels;
  }

  private deliveredParcel(options: {
    order: Order;
    parcel: { itemIds: string[]; freight: boolean };
    carrier: string;
    transitDays: number;
    daysAgo: number;
  }): Shipment {
    const deliveryDay = startOfUtcDay(this.now - Math.max(1, options.daysAgo) * DAY);
    const outAt = deliveryDay + 13 * HOUR + this.random.integer(0, 60) * 60_000;
    const deliveredAt = outAt + this.random.integer(1, 5) * HOUR;
    const shipAt = outAt - options.transitDays * DAY - 6 * HOUR;
    const events = this.transitEvents({
      carrier: options.carrier,
      shipAt,
      transitDays: options.transitDays,
    });
    events.push(
      {
        time: iso(outAt),
        location: this.destination(options.order),
        description: this.outForDeliveryText(options.parcel.freight),
      },
      {
        time: iso(deliveredAt),
        location: this.destination(options.order),
        description: options.parcel.freight
          ? 'Delivered to the room of choice'
          : this.random.pick(DELIVERED_DESCRIPTIONS),
      },
    );
    // One parcel in ten arrived a day after its estimate: late deliveries exist.
    const estimatedDay = this.random.chance(0.1) ? deliveryDay - DAY : deliveryDay;
    return {
      trackingId: this.trackingId(options.carrier),
      orderId: options.order.id,
      carrier: options.carrier,
      itemIds: [...options.parcel.itemIds],
      status: 'delivered',
      estimatedDelivery: iso(estimatedDay).slice(0, 10),
      deliveredAt: iso(deliveredAt),
      events,
    };
  }

  private parcelOnItsWay(options: {
    order: Order;
    parcel: { itemIds: string[]; freight: boolean };
    carrier: string;
    transitDays: number;
    stage: ShipmentStage;
  }): Shipment {
    const { stage, transitDays } = options;
    let shipAt: number;
    let events: TrackingEvent[];
    let status: ShipmentStatus;
    let estimated: number;
    if (stage === 'label_created') {
      shipAt = this.now - this.random.integer(1, 5) * HOUR;
      events = this.transitEvents({ carrier: options.carrier, shipAt, transitDays: 0 }).slice(0, 1);
      status = 'label_created';
      estimated = shipAt + transitDays * DAY;
    } else if (stage === 'out_for_delivery') {
      const outAt = this.now - this.random.integer(1, 3) * HOUR;
      shipAt = outAt - transitDays * DAY - 6 * HOUR;
      events = this.transitEvents({ carrier: options.carrier, shipAt, transitDays });
      events.push({
        time: iso(outAt),
        location: this.destination(options.order),
        description: this.outForDeliveryText(options.parcel.freight),
      });
      status = 'out_for_delivery';
      estimated = this.now;
    } else {
      const daysSinceShip = this.random.integer(1, Math.max(1, transitDays - 1));
      shipAt = this.now - daysSinceShip * DAY - this.random.integer(2, 8) * HOUR;
      events = this.transitEvents({ carrier: options.carrier, shipAt, transitDays }).filter(
        (event) => Date.parse(event.time) <= this.now,
      );
      status = 'in_transit';
      estimated = shipAt + transitDays * DAY;
      if (stage === 'exception') {
        events.push({
          time: iso(this.now - 30 * 60_000),
          location: events[events.length - 1]?.location ?? WAREHOUSE,
          description: this.random.pick(EXCEPTION_DESCRIPTIONS),
        });
        status = 'exception';
      }
    }
    return {
      trackingId: this.trackingId(options.carrier),
      orderId: options.order.id,
      carrier: options.carrier,
      itemIds: [...options.parcel.itemIds],
      status,
      estimatedDelivery: iso(estimated).slice(0, 10),
      deliveredAt: null,
      events,
    };
  }

  /** Label, pick-up and a scan at a hub on each day in transit; oldest first. */
  private transitEvents(parcel: {
    carrier: string;
    shipAt: number;
    transitDays: number;
  }): TrackingEvent[] {
    const { carrier, shipAt, transitDays } = parcel;
    const hubs = HUBS[carrier] ?? [WAREHOUSE];
    const events: TrackingEvent[] = [
      { time: iso(shipAt), location: WAREHOUSE, description: 'Shipping label created' },
      { time: iso(shipAt + 5 * HOUR), location: WAREHOUSE, description: `Picked up by ${carrier}` },
    ];
    const hub = this.random.pick(hubs);
    for (let day = 1; day < transitDays; day += 1) {
      events.push({
        time: iso(shipAt + day * DAY + 2 * HOUR),
        location: day === 1 ? hub : this.random.pick(hubs),
        description: day % 2 === 1 ? 'Arrived at carrier facility' : 'Departed carrier facility',
      });
    }
    return events;
  }

  private outForDeliveryText(freight: boolean): string {
    return freight ? 'Out for delivery; the driver calls 30 minutes ahead' : 'Out for delivery';
  }

  private destination(order: Order): string {
    return `${order.address.city}, ${order.address.state}`;
  }

  private trackingId(carrier: string): string {
    return this.uniqueId(() => {
      switch (carrier) {
        case 'UPS':
          return `1Z${this.random.digits(6, { allowLeadingZero: true })}${this.random.digits(10, { allowLeadingZero: true })}`;
        case 'USPS':
          return `9400${this.random.digits(18, { allowLeadingZero: true })}`;
        case FREIGHT_CARRIER:
          return `SF${this.random.digits(9)}`;
        default:
          return this.random.digits(12);
      }
    });
  }

  // ---- helpers ----

  private randomStage(): ShipmentStage {
    return this.random.weighted<ShipmentStage>([
      ['label_created', 2],
      ['in_transit', 6],
      ['out_for_delivery', 1],
      ['exception', 1],
    ]);
  }

  /** Within the return window, within a year, within two years, older: all warranty outcomes occur. */
  private randomDeliveryAge(): number {
    const [low, high] = this.random.weighted<readonly [number, number]>([
      [[1, 30], 25],
      [[31, 365], 40],
      [[366, 730], 25],
      [[731, 1100], 10],
    ]);
    return this.random.integer(low, high);
  }

  private otherVariant(
    item: OrderItem,
    options: { available?: boolean } = {},
  ): ProductVariant | undefined {
    const product = this.products.find(
      (candidate) => candidate.product.id === item.productId,
    )?.product;
    const candidates = (product?.variants ?? []).filter(
      (variant) =>
        variant.itemId !== item.itemId && (options.available !== true || variant.available),
    );
    return candidates.length === 0 ? undefined : this.random.pick(candidates);
  }

  private productNamed(name: string): { entry: CatalogueEntry; product: Product } {
    const found = this.products.find((candidate) => candidate.entry.name === name);
    if (found === undefined) throw new Error(`sample catalogue has no product named ${name}`);
    return found;
  }

  private isoAgo(milliseconds: number): string {
    return iso(this.now - milliseconds);
  }

  /** Draws until the value is new: ids and emails are unique across the whole dataset. */
  private uniqueId(draw: () => string): string {
    for (;;) {
      const value = draw();
      if (!this.used.has(value)) {
        this.used.add(value);
        return value;
      }
    }
  }
}

/** Every combination of the option values, in the catalogue's key order. */
function combine(options: Readonly<Record<string, readonly string[]>>): Record<string, string>[] {
  let combinations: Record<string, string>[] = [{}];
  for (const [name, values] of Object.entries(options)) {
    combinations = combinations.flatMap((partial) =>
      values.map((value) => ({ ...partial, [name]: value })),
    );
  }
  return combinations;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function startOfUtcDay(time: number): number {
  return Math.floor(time / DAY) * DAY;
}

function iso(time: number): string {
  return new Date(time).toISOString();
}
