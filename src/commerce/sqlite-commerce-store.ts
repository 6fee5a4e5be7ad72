import Database from 'better-sqlite3';
import { AppError, isAppError } from '../shared/errors';
import type {
  CommerceDatasetStore,
  CommerceStore,
  ItemSwapRequest,
  OrderItemWarranty,
  ProductType,
  WriteOptions,
  WriteOutcome,
} from './commerce-store';
import * as rules from './order-rules';
import { REFUSALS, type OrderChange, type OrderSnapshot, type RuleOutcome } from './order-rules';
import { ensureCommerceSchema } from './sqlite-schema';
import type {
  Address,
  CancelReason,
  CommerceCounts,
  CommerceDataset,
  Customer,
  Fulfillment,
  Order,
  OrderItem,
  OrderStatus,
  PaymentMethod,
  PaymentTransaction,
  Product,
  ProductVariant,
  Shipment,
  ShipmentStatus,
  TrackingEvent,
  VariantOptions,
} from './types';

export type SqliteCommerceStoreOptions =
  /** A database file (created when missing), or `':memory:'`. */
  | { path: string }
  /** An in-memory copy of a serialized database (see `SqliteCommerceStore.serialize`). */
  | { image: Buffer };

/** Opens (and if needed creates) a commerce database. */
export function openSqliteCommerceStore(options: SqliteCommerceStoreOptions): SqliteCommerceStore {
  let database: Database.Database;
  try {
    database = 'image' in options ? new Database(options.image) : new Database(options.path);
  } catch (error) {
    throw new AppError('storage_failed', 'could not open the commerce database', { cause: error });
  }
  try {
    // WAL lets readers (other instances, a backup) run while a write commits; the busy timeout rides out a
    // concurrent writer instead of failing a customer's change at once.
    database.pragma('journal_mode = WAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 5000');
    ensureCommerceSchema(database);
  } catch (error) {
    database.close();
    if (isAppError(error)) throw error;
    throw new AppError('storage_failed', 'could not prepare the commerce database', {
      cause: error,
    });
  }
  return new SqliteCommerceStore(database);
}

interface CustomerRow {
  id: string;
  position: number;
  first_name: string;
  last_name: string;
  email: string;
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
}

interface PaymentMethodRow {
  customer_id: string;
  id: string;
  kind: PaymentMethod['kind'];
  brand: string | null;
  last_four: string | null;
  balance_cents: number | null;
}

interface OrderRow {
  id: string;
  customer_id: string;
  status: OrderStatus;
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
  placed_at: string | null;
  cancel_reason: CancelReason | null;
  exchange_item_ids: string | null;
  exchange_new_item_ids: string | null;
  exchange_payment_method_id: string | null;
  exchange_price_difference_cents: number | null;
  return_item_ids: string | null;
  return_payment_method_id: string | null;
}

interface OrderItemRow {
  order_id: string;
  product_id: string;
  item_id: string;
  name: string;
  price_cents: number;
  options: string;
}

interface FulfillmentRow {
  order_id: string;
  tracking_ids: string;
  item_ids: string;
}

interface PaymentTransactionRow {
  order_id: string;
  type: PaymentTransaction['type'];
  amount_cents: number;
  payment_method_id: string;
}

interface ProductRow {
  id: string;
  name: string;
  description: string | null;
  warranty_category: string | null;
  warranty_months: number | null;
  warranty_terms: string | null;
}

interface VariantRow {
  product_id: string;
  item_id: string;
  options: string;
  available: number;
  price_cents: number;
}

interface ShipmentRow {
  tracking_id: string;
  order_id: string;
  carrier: string;
  item_ids: string;
  status: ShipmentStatus;
  estimated_delivery: string | null;
  delivered_at: string | null;
}

interface ShipmentEventRow {
  tracking_id: string;
  time: string;
  location: string;
  description: string;
}

/** Signals a dry run's end inside a transaction, so SQLite rolls back whatever the write did. */
class DryRunRollback extends Error {
  constructor(readonly outcome: unknown) {
    super('dry run');
  }
}

/**
 * The commerce store on one SQLite file (better-sqlite3: synchronous, so every method completes before its
 * promise settles). Each write loads the records, applies the τ-bench rule in memory and saves the result in
 * one immediate transaction, so concurrent writers queue instead of interleaving.
 */
export class SqliteCommerceStore implements CommerceStore, CommerceDatasetStore {
  private readonly statements;

  constructor(private readonly database: Database.Database) {
    const db = database;
    this.statements = {
      customerByEmail: db.prepare<[string], { id: string }>(
        'SELECT id FROM customers WHERE email_lookup = ?',
      ),
      customerByNameZip: db.prepare<[string, string, string], { id: string }>(
        'SELECT id FROM customers WHERE zip = ? AND first_name_lookup = ? AND last_name_lookup = ? ORDER BY position LIMIT 1',
      ),
      customer: db.prepare<[string], CustomerRow>('SELECT * FROM customers WHERE id = ?'),
      allCustomers: db.prepare<[], CustomerRow>('SELECT * FROM customers ORDER BY position'),
      paymentMethods: db.prepare<[string], PaymentMethodRow>(
        'SELECT * FROM payment_methods WHERE customer_id = ? ORDER BY position',
      ),
      allPaymentMethods: db.prepare<[], PaymentMethodRow>(
        'SELECT * FROM payment_methods ORDER BY customer_id, position',
      ),
      customerOrderIds: db.prepare<[string], { id: string }>(
        'SELECT id FROM orders WHERE customer_id = ? ORDER BY customer_position',
      ),
      order: db.prepare<[string], OrderRow>('SELECT * FROM orders WHERE id = ?'),
      allOrders: db.prepare<[], OrderRow>('SELECT * FROM orders ORDER BY rowid'),
      allOrderIdsByCustomer: db.prepare<[], { id: string; customer_id: string }>(
        'SELECT id, customer_id FROM orders ORDER BY customer_id, customer_position',
      ),
      orderItems: db.prepare<[string], OrderItemRow>(
        'SELECT * FROM order_items WHERE order_id = ? ORDER BY position',
      ),
      allOrderItems: db.prepare<[], OrderItemRow>(
        'SELECT * FROM order_items ORDER BY order_id, position',
      ),
      fulfillments: db.prepare<[string], FulfillmentRow>(
        'SELECT * FROM fulfillments WHERE order_id = ? ORDER BY position',
      ),
      allFulfillments: db.prepare<[], FulfillmentRow>(
        'SELECT * FROM fulfillments ORDER BY order_id, position',
      ),
      payments: db.prepare<[string], PaymentTransactionRow>(
        'SELECT * FROM payment_transactions WHERE order_id = ? ORDER BY position',
      ),
      allPayments: db.prepare<[], PaymentTransactionRow>(
        'SELECT * FROM payment_transactions ORDER BY order_id, position',
      ),
      product: db.prepare<[string], ProductRow>('SELECT * FROM products WHERE id = ?'),
      allProducts: db.prepare<[], ProductRow>('SELECT * FROM products ORDER BY position'),
      productTypes: db.prepare<[], { name: string; id: string }>('SELECT name, id FROM products'),
      variants: db.prepare<[string], VariantRow>(
        'SELECT * FROM product_variants WHERE product_id = ? ORDER BY position',
      ),
      allVariants: db.prepare<[], VariantRow>(
        'SELECT * FROM product_variants ORDER BY product_id, position',
      ),
      shipmentsOfOrder: db.prepare<[string], ShipmentRow>(
        'SELECT * FROM shipments WHERE order_id = ? ORDER BY rowid',
      ),
      allShipments: db.prepare<[], ShipmentRow>('SELECT * FROM shipments ORDER BY rowid'),
      shipmentEvents: db.prepare<[string], ShipmentEventRow>(
        'SELECT * FROM shipment_events WHERE tracking_id = ? ORDER BY position',
      ),
      allShipmentEvents: db.prepare<[], ShipmentEventRow>(
        'SELECT * FROM shipment_events ORDER BY tracking_id, position',
      ),
      insertProduct: db.prepare(
        `INSERT INTO products (id, position, name, description, warranty_category, warranty_months, warranty_terms)
         VALUES (@id, @position, @name, @description, @warranty_category, @warranty_months, @warranty_terms)`,
      ),
      insertVariant: db.prepare(
        `INSERT INTO product_variants (product_id, item_id, position, options, available, price_cents)
         VALUES (@product_id, @item_id, @position, @options, @available, @price_cents)`,
      ),
      insertCustomer: db.prepare(
        `INSERT INTO customers (id, position, first_name, last_name, email, email_lookup, first_name_lookup,
           last_name_lookup, address1, address2, city, state, country, zip)
         VALUES (@id, @position, @first_name, @last_name, @email, @email_lookup, @first_name_lookup,
           @last_name_lookup, @address1, @address2, @city, @state, @country, @zip)`,
      ),
      insertPaymentMethod: db.prepare(
        `INSERT INTO payment_methods (customer_id, id, position, kind, brand, last_four, balance_cents)
         VALUES (@customer_id, @id, @position, @kind, @brand, @last_four, @balance_cents)`,
      ),
      insertOrder: db.prepare(
        `INSERT INTO orders (id, customer_id, customer_position, status, address1, address2, city, state, country,
           zip, placed_at, cancel_reason, exchange_item_ids, exchange_new_item_ids, exchange_payment_method_id,
           exchange_price_difference_cents, return_item_ids, return_payment_method_id)
         VALUES (@id, @customer_id, @customer_position, @status, @address1, @address2, @city, @state, @country,
           @zip, @placed_at, @cancel_reason, @exchange_item_ids, @exchange_new_item_ids,
           @exchange_payment_method_id, @exchange_price_difference_cents, @return_item_ids,
           @return_payment_method_id)`,
      ),
      updateOrder: db.prepare(
        `UPDATE orders SET status = @status, address1 = @address1, address2 = @address2, city = @city,
           state = @state, country = @country, zip = @zip, placed_at = @placed_at, cancel_reason = @cancel_reason,
           exchange_item_ids = @exchange_item_ids, exchange_new_item_ids = @exchange_new_item_ids,
           exchange_payment_method_id = @exchange_payment_method_id,
           exchange_price_difference_cents = @exchange_price_difference_cents,
           return_item_ids = @return_item_ids, return_payment_method_id = @return_payment_method_id
         WHERE id = @id`,
      ),
      insertOrderItem: db.prepare(
        `INSERT INTO order_items (order_id, position, product_id, item_id, name, price_cents, options)
         VALUES (@order_id, @position, @product_id, @item_id, @name, @price_cents, @options)`,
      ),
      deleteOrderItems: db.prepare<[string]>('DELETE FROM order_items WHERE order_id = ?'),
      insertFulfillment: db.prepare(
        `INSERT INTO fulfillments (order_id, position, tracking_ids, item_ids)
         VALUES (@order_id, @position, @tracking_ids, @item_ids)`,
      ),
      deleteFulfillments: db.prepare<[string]>('DELETE FROM fulfillments WHERE order_id = ?'),
      insertPayment: db.prepare(
        `INSERT INTO payment_transactions (order_id, position, type, amount_cents, payment_method_id)
         VALUES (@order_id, @position, @type, @amount_cents, @payment_method_id)`,
      ),
      deletePayments: db.prepare<[string]>('DELETE FROM payment_transactions WHERE order_id = ?'),
      updateCustomerAddress: db.prepare(
        `UPDATE customers SET address1 = @address1, address2 = @address2, city = @city, state = @state,
           country = @country, zip = @zip WHERE id = @id`,
      ),
      updateGiftCardBalance: db.prepare<[number, string, string]>(
        "UPDATE payment_methods SET balance_cents = ? WHERE customer_id = ? AND id = ? AND kind = 'gift_card'",
      ),
      insertShipment: db.prepare(
        `INSERT INTO shipments (tracking_id, order_id, carrier, item_ids, status, estimated_delivery, delivered_at)
         VALUES (@tracking_id, @order_id, @carrier, @item_ids, @status, @estimated_delivery, @delivered_at)`,
      ),
      insertShipmentEvent: db.prepare(
        `INSERT INTO shipment_events (tracking_id, position, time, location, description)
         VALUES (@tracking_id, @position, @time, @location, @description)`,
      ),
      countCustomers: db.prepare<[], { count: number }>('SELECT count(*) AS count FROM customers'),
      countOrders: db.prepare<[], { count: number }>('SELECT count(*) AS count FROM orders'),
      countProducts: db.prepare<[], { count: number }>('SELECT count(*) AS count FROM products'),
      countVariants: db.prepare<[], { count: number }>(
        'SELECT count(*) AS count FROM product_variants',
      ),
      countShipments: db.prepare<[], { count: number }>('SELECT count(*) AS count FROM shipments'),
      maxPositions: db.prepare<[], { customers: number | null; products: number | null }>(
        'SELECT (SELECT max(position) FROM customers) AS customers, (SELECT max(position) FROM products) AS products',
      ),
    };
  }

  // ---- lookups ----

  findCustomerIdByEmail(email: string): Promise<string | null> {
    return this.read(() => this.statements.customerByEmail.get(email.toLowerCase())?.id ?? null);
  }

  findCustomerIdByNameAndZip(query: {
    firstName: string;
    lastName: string;
    zip: string;
  }): Promise<string | null> {
    return this.read(
      () =>
        this.statements.customerByNameZip.get(
          query.zip,
          query.firstName.toLowerCase(),
          query.lastName.toLowerCase(),
        )?.id ?? null,
    );
  }

  getCustomer(customerId: string): Promise<Customer | null> {
    return this.read(() => this.loadCustomer(customerId));
  }

  getOrder(orderId: string): Promise<Order | null> {
    return this.read(() => this.loadOrder(orderId));
  }

  getProduct(productId: string): Promise<Product | null> {
    return this.read(() => this.loadProduct(productId));
  }

  listProductTypes(): Promise<ProductType[]> {
    return this.read(() =>
      this.statements.productTypes
        .all()
        .map((row) => ({ name: row.name, productId: row.id }))
        // Code-unit order, like the benchmark's Python sort: stable whatever the machine's locale.
        .sort((left, right) => (left.name < right.name ? -1 : left.name > right.name ? 1 : 0)),
    );
  }

  getOrderShipments(orderId: string): Promise<Shipment[]> {
    return this.read(() =>
      this.statements.shipmentsOfOrder
        .all(orderId)
        .map((row) => toShipment(row, this.statements.shipmentEvents.all(row.tracking_id))),
    );
  }

  getOrderWarranties(orderId: string): Promise<OrderItemWarranty[] | null> {
    return this.read(() => {
      const order = this.loadOrder(orderId);
      if (order === null) return null;
      const products = new Map<string, Product | null>();
      return order.items.map((item) => {
        if (!products.has(item.productId))
          products.set(item.productId, this.loadProduct(item.productId));
        return {
          itemId: item.itemId,
          productId: item.productId,
          name: item.name,
          warranty: products.get(item.productId)?.warranty ?? null,
        };
      });
    });
  }

  // ---- writes ----

  cancelPendingOrder(
    request: { orderId: string; reason: string },
    options: WriteOptions = {},
  ): Promise<WriteOutcome<OrderChange>> {
    return this.writeOrder({ orderId: request.orderId, options }, (snapshot) =>
      rules.cancelPendingOrder(snapshot, request),
    );
  }

  modifyPendingOrderAddress(
    request: { orderId: string; address: Address },
    options: WriteOptions = {},
  ): Promise<WriteOutcome<OrderChange>> {
    return this.writeOrder({ orderId: request.orderId, options }, (snapshot) =>
      rules.modifyPendingOrderAddress(snapshot, request),
    );
  }

  modifyPendingOrderPayment(
    request: { orderId: string; paymentMethodId: string },
    options: WriteOptions = {},
  ): Promise<WriteOutcome<OrderChange>> {
    return this.writeOrder({ orderId: request.orderId, options }, (snapshot) =>
      rules.modifyPendingOrderPayment(snapshot, request),
    );
  }

  modifyPendingOrderItems(
    request: ItemSwapRequest,
    options: WriteOptions = {},
  ): Promise<WriteOutcome<OrderChange>> {
    return this.writeOrder({ orderId: request.orderId, options }, (snapshot) =>
      rules.modifyPendingOrderItems({ ...snapshot, products: this.productLookup() }, request),
    );
  }

  exchangeDeliveredOrderItems(
    request: ItemSwapRequest,
    options: WriteOptions = {},
  ): Promise<WriteOutcome<OrderChange>> {
    return this.writeOrder({ orderId: request.orderId, options }, (snapshot) =>
      rules.exchangeDeliveredOrderItems({ ...snapshot, products: this.productLookup() }, request),
    );
  }

  returnDeliveredOrderItems(
    request: { orderId: string; itemIds: readonly string[]; paymentMethodId: string },
    options: WriteOptions = {},
  ): Promise<WriteOutcome<OrderChange>> {
    return this.writeOrder({ orderId: request.orderId, options }, (snapshot) =>
      rules.returnDeliveredOrderItems(snapshot, request),
    );
  }

  modifyCustomerAddress(
    request: { customerId: string; address: Address },
    options: WriteOptions = {},
  ): Promise<WriteOutcome<Customer>> {
    return this.write(options, () => {
      const customer = this.loadCustomer(request.customerId);
      if (customer === null) return { ok: false, refusal: REFUSALS.customerNotFound };
      const outcome = rules.modifyCustomerAddress(customer, request);
      if (outcome.ok) this.saveCustomerAddress(outcome.value);
      return outcome;
    });
  }

  // ---- datasets ----

  importDataset(dataset: CommerceDataset): Promise<CommerceCounts> {
    const importAll = this.database.transaction(() => {
      const start = this.statements.maxPositions.get() ?? { customers: null, products: null };
      dataset.products.forEach((product, index) =>
        storing(`product ${product.id}`, () =>
          this.insertProduct(product, (start.products ?? -1) + 1 + index),
        ),
      );
      dataset.customers.forEach((customer, index) =>
        storing(`customer ${customer.id}`, () =>
          this.insertCustomer(customer, (start.customers ?? -1) + 1 + index),
        ),
      );
      const positions = new Map<string, number>();
      for (const customer of dataset.customers) {
        customer.orderIds.forEach((orderId, index) => positions.set(orderId, index));
      }
      for (const order of dataset.orders) {
        const position = positions.get(order.id);
        if (position === undefined) {
          throw new AppError(
            'data_import_failed',
            `order ${order.id} is not in its customer's order list`,
            { expected: true },
          );
        }
        storing(`order ${order.id}`, () => this.insertOrder(order, position));
      }
      for (const shipment of dataset.shipments) {
        storing(`shipment ${shipment.trackingId}`, () => this.insertShipment(shipment));
      }
    });
    try {
      importAll.immediate();
    } catch (error) {
      return Promise.reject(
        isAppError(error)
          ? error
          : new AppError(
              'data_import_failed',
              `the data could not be stored: ${describeSqliteError(error)}`,
              {
                cause: error,
                expected: true,
              },
            ),
      );
    }
    return this.counts();
  }

  exportDataset(): Promise<CommerceDataset> {
    return this.read(() => {
      const s = this.statements;
      const methods = groupBy(s.allPaymentMethods.all(), (row) => row.customer_id);
      const orderIds = groupBy(s.allOrderIdsByCustomer.all(), (row) => row.customer_id);
      const customers = s.allCustomers.all().map((row) =>
        toCustomer(row, {
          methods: methods.get(row.id) ?? [],
          orderIds: (orderIds.get(row.id) ?? []).map((order) => order.id),
        }),
      );
      const items = groupBy(s.allOrderItems.all(), (row) => row.order_id);
      const fulfillments = groupBy(s.allFulfillments.all(), (row) => row.order_id);
      const payments = groupBy(s.allPayments.all(), (row) => row.order_id);
      const orders = s.allOrders.all().map((row) =>
        toOrder(row, {
          items: items.get(row.id) ?? [],
          fulfillments: fulfillments.get(row.id) ?? [],
          payments: payments.get(row.id) ?? [],
        }),
      );
      const variants = groupBy(s.allVariants.all(), (row) => row.product_id);
      const products = s.allProducts.all().map((row) => toProduct(row, variants.get(row.id) ?? []));
      const events = groupBy(s.allShipmentEvents.all(), (row) => row.tracking_id);
      const shipments = s.allShipments
        .all()
        .map((row) => toShipment(row, events.get(row.tracking_id) ?? []));
      return { customers, orders, products, shipments };
    });
  }

  counts(): Promise<CommerceCounts> {
    return this.read(() => ({
      customers: this.statements.countCustomers.get()?.count ?? 0,
      orders: this.statements.countOrders.get()?.count ?? 0,
      products: this.statements.countProducts.get()?.count ?? 0,
      variants: this.statements.countVariants.get()?.count ?? 0,
      shipments: this.statements.countShipments.get()?.count ?? 0,
    }));
  }

  /** The whole database as bytes: open a copy with `openSqliteCommerceStore({ image })`. */
  serialize(): Buffer {
    return this.database.serialize();
  }

  close(): Promise<void> {
    if (this.database.open) this.database.close();
    return Promise.resolve();
  }

  // ---- internals ----

  private read<T>(run: () => T): Promise<T> {
    try {
      return Promise.resolve(run());
    } catch (error) {
      return Promise.reject(storageError(error));
    }
  }

  /** Runs a write in an immediate transaction; a dry run rolls back whatever it did and returns the outcome. */
  private write<T>(options: WriteOptions, run: () => RuleOutcome<T>): Promise<WriteOutcome<T>> {
    const transaction = this.database.transaction(() => {
      const outcome = run();
      if (options.dryRun === true) throw new DryRunRollback(outcome);
      return outcome;
    });
    try {
      return Promise.resolve(transaction.immediate());
    } catch (error) {
      if (error instanceof DryRunRollback) return Promise.resolve(error.outcome as WriteOutcome<T>);
      return Promise.reject(storageError(error));
    }
  }

  private writeOrder(
    target: { orderId: string; options: WriteOptions },
    apply: (snapshot: OrderSnapshot) => RuleOutcome<OrderChange>,
  ): Promise<WriteOutcome<OrderChange>> {
    const { orderId, options } = target;
    return this.write(options, () => {
      const order = this.loadOrder(orderId);
      if (order === null) return { ok: false, refusal: REFUSALS.orderNotFound };
      const customer = this.loadCustomer(order.customerId);
      if (customer === null) return { ok: false, refusal: REFUSALS.customerNotFound };
      const outcome = apply({ order, customer });
      if (outcome.ok) {
        this.saveOrder(outcome.value.order);
        this.saveGiftCardBalances(outcome.value.customer);
      }
      return outcome;
    });
  }

  private productLookup(): rules.ProductLookup {
    const cache = new Map<string, Product | undefined>();
    return (productId) => {
      if (!cache.has(productId)) cache.set(productId, this.loadProduct(productId) ?? undefined);
      return cache.get(productId);
    };
  }

  private loadCustomer(customerId: string): Customer | null {
    const row = this.statements.customer.get(customerId);
    if (row === undefined) return null;
    return toCustomer(row, {
      methods: this.statements.paymentMethods.all(customerId),
      orderIds: this.statements.customerOrderIds.all(customerId).map((order) => order.id),
    });
  }

  private loadOrder(orderId: string): Order | null {
    const row = this.statements.order.get(orderId);
    if (row === undefined) return null;
    return toOrder(row, {
      items: this.statements.orderItems.all(orderId),
      fulfillments: this.statements.fulfillments.all(orderId),
      payments: this.statements.payments.all(orderId),
    });
  }

  private loadProduct(productId: string): Product | null {
    const row = this.statements.product.get(productId);
    if (row === undefined) return null;
    return toProduct(row, this.statements.variants.all(productId));
  }

  private saveOrder(order: Order): void {
    this.statements.updateOrder.run(orderColumns(order));
    this.statements.deleteOrderItems.run(order.id);
    this.statements.deleteFulfillments.run(order.id);
    this.statements.deletePayments.run(order.id);
    this.insertOrderChildren(order);
  }

  private saveGiftCardBalances(customer: Customer): void {
    for (const method of customer.paymentMethods) {
      if (method.kind === 'gift_card') {
        this.statements.updateGiftCardBalance.run(method.balanceCents, customer.id, method.id);
      }
    }
  }

  private saveCustomerAddress(customer: Customer): void {
    this.statements.updateCustomerAddress.run({ id: customer.id, ...customer.address });
  }

  private insertProduct(product: Product, position: number): void {
    this.statements.insertProduct.run({
      id: product.id,
      position,
      name: product.name,
      description: product.description,
      warranty_category: product.warranty?.category ?? null,
      warranty_months: product.warranty?.coverageMonths ?? null,
      warranty_terms: product.warranty?.terms ?? null,
    });
    product.variants.forEach((variant, index) =>
      this.statements.insertVariant.run({
        product_id: product.id,
        item_id: variant.itemId,
        position: index,
        options: JSON.stringify(variant.options),
        available: variant.available ? 1 : 0,
        price_cents: variant.priceCents,
      }),
    );
  }

  private insertCustomer(customer: Customer, position: number): void {
    this.statements.insertCustomer.run({
      id: customer.id,
      position,
      first_name: customer.name.firstName,
      last_name: customer.name.lastName,
      email: customer.email,
      email_lookup: customer.email.toLowerCase(),
      first_name_lookup: customer.name.firstName.toLowerCase(),
      last_name_lookup: customer.name.lastName.toLowerCase(),
      ...customer.address,
    });
    customer.paymentMethods.forEach((method, index) =>
      this.statements.insertPaymentMethod.run({
        customer_id: customer.id,
        id: method.id,
        position: index,
        kind: method.kind,
        brand: method.kind === 'credit_card' ? method.brand : null,
        last_four: method.kind === 'credit_card' ? method.lastFour : null,
        balance_cents: method.kind === 'gift_card' ? method.balanceCents : null,
      }),
    );
  }

  private insertOrder(order: Order, customerPosition: number): void {
    this.statements.insertOrder.run({
      ...orderColumns(order),
      customer_id: order.customerId,
      customer_position: customerPosition,
    });
    this.insertOrderChildren(order);
  }

  private insertOrderChildren(order: Order): void {
    order.items.forEach((item, position) =>
      this.statements.insertOrderItem.run({
        order_id: order.id,
        position,
        product_id: item.productId,
        item_id: item.itemId,
        name: item.name,
        price_cents: item.priceCents,
        options: JSON.stringify(item.options),
      }),
    );
    order.fulfillments.forEach((fulfillment, position) =>
      this.statements.insertFulfillment.run({
        order_id: order.id,
        position,
        tracking_ids: JSON.stringify(fulfillment.trackingIds),
        item_ids: JSON.stringify(fulfillment.itemIds),
      }),
    );
    order.paymentHistory.forEach((transaction, position) =>
      this.statements.insertPayment.run({
        order_id: order.id,
        position,
        type: transaction.type,
        amount_cents: transaction.amountCents,
        payment_method_id: transaction.paymentMethodId,
      }),
    );
  }

  private insertShipment(shipment: Shipment): void {
    this.statements.insertShipment.run({
      tracking_id: shipment.trackingId,
      order_id: shipment.orderId,
      carrier: shipment.carrier,
      item_ids: JSON.stringify(shipment.itemIds),
      status: shipment.status,
      estimated_delivery: shipment.estimatedDelivery,
      delivered_at: shipment.deliveredAt,
    });
    shipment.events.forEach((event, position) =>
      this.statements.insertShipmentEvent.run({
        tracking_id: shipment.trackingId,
        position,
        ...event,
      }),
    );
  }
}

function orderColumns(order: Order) {
  return {
    id: order.id,
    status: order.status,
    ...order.address,
    placed_at: order.placedAt,
    cancel_reason: order.cancelReason,
    exchange_item_ids: order.exchange === null ? null : JSON.stringify(order.exchange.itemIds),
    exchange_new_item_ids:
      order.exchange === null ? null : JSON.stringify(order.exchange.newItemIds),
    exchange_payment_method_id: order.exchange?.paymentMethodId ?? null,
    exchange_price_difference_cents: order.exchange?.priceDifferenceCents ?? null,
    return_item_ids: order.return === null ? null : JSON.stringify(order.return.itemIds),
    return_payment_method_id: order.return?.paymentMethodId ?? null,
  };
}

function toAddress(row: Address): Address {
  return {
    address1: row.address1,
    address2: row.address2,
    city: row.city,
    state: row.state,
    country: row.country,
    zip: row.zip,
  };
}

function toCustomer(
  row: CustomerRow,
  { methods, orderIds }: { methods: readonly PaymentMethodRow[]; orderIds: string[] },
): Customer {
  return {
    id: row.id,
    name: { firstName: row.first_name, lastName: row.last_name },
    address: toAddress(row),
    email: row.email,
    paymentMethods: methods.map(toPaymentMethod),
    orderIds,
  };
}

function toPaymentMethod(row: PaymentMethodRow): PaymentMethod {
  switch (row.kind) {
    case 'credit_card':
      return {
        kind: 'credit_card',
        id: row.id,
        brand: row.brand ?? '',
        lastFour: row.last_four ?? '',
      };
    case 'gift_card':
      return { kind: 'gift_card', id: row.id, balanceCents: row.balance_cents ?? 0 };
    case 'paypal':
      return { kind: 'paypal', id: row.id };
  }
}

function toOrder(
  row: OrderRow,
  children: {
    items: readonly OrderItemRow[];
    fulfillments: readonly FulfillmentRow[];
    payments: readonly PaymentTransactionRow[];
  },
): Order {
  const { items, fulfillments, payments } = children;
  return {
    id: row.id,
    customerId: row.customer_id,
    address: toAddress(row),
    items: items.map(toOrderItem),
    fulfillments: fulfillments.map(toFulfillment),
    status: row.status,
    paymentHistory: payments.map((payment) => ({
      type: payment.type,
      amountCents: payment.amount_cents,
      paymentMethodId: payment.payment_method_id,
    })),
    placedAt: row.placed_at,
    cancelReason: row.cancel_reason,
    exchange:
      row.exchange_item_ids === null
        ? null
        : {
            itemIds: parseStrings(row.exchange_item_ids),
            newItemIds: parseStrings(row.exchange_new_item_ids ?? '[]'),
            paymentMethodId: row.exchange_payment_method_id ?? '',
            priceDifferenceCents: row.exchange_price_difference_cents ?? 0,
          },
    return:
      row.return_item_ids === null
        ? null
        : {
            itemIds: parseStrings(row.return_item_ids),
            paymentMethodId: row.return_payment_method_id ?? '',
          },
  };
}

function toOrderItem(row: OrderItemRow): OrderItem {
  return {
    productId: row.product_id,
    itemId: row.item_id,
    name: row.name,
    priceCents: row.price_cents,
    options: parseOptions(row.options),
  };
}

function toFulfillment(row: FulfillmentRow): Fulfillment {
  return { trackingIds: parseStrings(row.tracking_ids), itemIds: parseStrings(row.item_ids) };
}

function toProduct(row: ProductRow, variants: readonly VariantRow[]): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    warranty:
      row.warranty_months === null || row.warranty_terms === null || row.warranty_category === null
        ? null
        : {
            category: row.warranty_category,
            coverageMonths: row.warranty_months,
            terms: row.warranty_terms,
          },
    variants: variants.map(toVariant),
  };
}

function toVariant(row: VariantRow): ProductVariant {
  return {
    itemId: row.item_id,
    options: parseOptions(row.options),
    available: row.available === 1,
    priceCents: row.price_cents,
  };
}

function toShipment(row: ShipmentRow, events: readonly ShipmentEventRow[]): Shipment {
  return {
    trackingId: row.tracking_id,
    orderId: row.order_id,
    carrier: row.carrier,
    itemIds: parseStrings(row.item_ids),
    status: row.status,
    estimatedDelivery: row.estimated_delivery,
    deliveredAt: row.delivered_at,
    events: events.map((event): TrackingEvent => ({
      time: event.time,
      location: event.location,
      description: event.description,
    })),
  };
}

/** JSON columns are written only by this class, from typed values; reading them back trusts that. */
function parseStrings(json: string): string[] {
  return JSON.parse(json) as string[];
}

function parseOptions(json: string): VariantOptions {
  return JSON.parse(json) as VariantOptions;
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const name = key(row);
    const group = groups.get(name);
    if (group === undefined) groups.set(name, [row]);
    else group.push(row);
  }
  return groups;
}

/** Runs one record's inserts, naming the record if SQLite refuses it (a duplicate id, a broken reference). */
function storing(record: string, insert: () => void): void {
  try {
    insert();
  } catch (error) {
    throw new AppError(
      'data_import_failed',
      `${record} could not be stored: ${describeSqliteError(error)}`,
      {
        cause: error,
        expected: true,
      },
    );
  }
}

function describeSqliteError(error: unknown): string {
  // Not `instanceof Error`: the native driver's errors may come from another realm (test runners' sandboxes).
  if (
    typeof error === 'object' &&
    error !== null &&
    'message' in error &&
    typeof error.message === 'string'
  ) {
    return error.message;
  }
  return String(error);
}

function storageError(error: unknown): AppError {
  if (isAppError(error)) return error;
  return new AppError(
    'storage_failed',
    `commerce database failure: ${describeSqliteError(error)}`,
    {
      cause: error,
    },
  );
}
