import type Database from 'better-sqlite3';
import { AppError } from '../shared/errors';
import { ORDER_STATUSES, SHIPMENT_STATUSES } from './types';

/** Bumped whenever the tables below change; a file written by a newer version is refused, not misread. */
export const COMMERCE_SCHEMA_VERSION = 1;

const sqlList = (values: readonly string[]): string =>
  values.map((value) => `'${value}'`).join(', ');

/**
 * Money columns are integer cents. Lists that the domain keeps in order (items, payment rows, a customer's
 * orders and payment methods, variants) carry a `position`, because SQLite returns rows in no promised order.
 * Name and email lookups use lower-cased copies since SQLite's own `lower()` only folds ASCII.
 */
const SCHEMA_V1 = `
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS products (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  description TEXT,
  warranty_category TEXT,
  warranty_months INTEGER CHECK (warranty_months IS NULL OR warranty_months > 0),
  warranty_terms TEXT,
  CHECK ((warranty_months IS NULL) = (warranty_terms IS NULL) AND (warranty_months IS NULL) = (warranty_category IS NULL))
);

CREATE TABLE IF NOT EXISTS product_variants (
  product_id TEXT NOT NULL REFERENCES products(id) ON DELETE CASCADE,
  item_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  options TEXT NOT NULL,
  available INTEGER NOT NULL CHECK (available IN (0, 1)),
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  PRIMARY KEY (product_id, item_id)
);

CREATE TABLE IF NOT EXISTS customers (
  id TEXT PRIMARY KEY,
  position INTEGER NOT NULL,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  email TEXT NOT NULL,
  email_lookup TEXT NOT NULL,
  first_name_lookup TEXT NOT NULL,
  last_name_lookup TEXT NOT NULL,
  address1 TEXT NOT NULL,
  address2 TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  country TEXT NOT NULL,
  zip TEXT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS customers_email_lookup ON customers (email_lookup);
CREATE INDEX IF NOT EXISTS customers_zip ON customers (zip);

CREATE TABLE IF NOT EXISTS payment_methods (
  customer_id TEXT NOT NULL REFERENCES customers(id) ON DELETE CASCADE,
  id TEXT NOT NULL,
  position INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('credit_card', 'gift_card', 'paypal')),
  brand TEXT,
  last_four TEXT CHECK (last_four IS NULL OR (length(last_four) = 4 AND last_four NOT GLOB '*[^0-9]*')),
  balance_cents INTEGER CHECK (balance_cents IS NULL OR balance_cents >= 0),
  PRIMARY KEY (customer_id, id),
  CHECK ((kind = 'credit_card') = (brand IS NOT NULL AND last_four IS NOT NULL)),
  CHECK ((kind = 'gift_card') = (balance_cents IS NOT NULL))
);

CREATE TABLE IF NOT EXISTS orders (
  id TEXT PRIMARY KEY,
  customer_id TEXT NOT NULL REFERENCES customers(id),
  customer_position INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${sqlList(ORDER_STATUSES)})),
  address1 TEXT NOT NULL,
  address2 TEXT NOT NULL,
  city TEXT NOT NULL,
  state TEXT NOT NULL,
  country TEXT NOT NULL,
  zip TEXT NOT NULL,
  placed_at TEXT,
  cancel_reason TEXT,
  exchange_item_ids TEXT,
  exchange_new_item_ids TEXT,
  exchange_payment_method_id TEXT,
  exchange_price_difference_cents INTEGER,
  return_item_ids TEXT,
  return_payment_method_id TEXT,
  UNIQUE (customer_id, customer_position)
);
CREATE INDEX IF NOT EXISTS orders_customer ON orders (customer_id);

CREATE TABLE IF NOT EXISTS order_items (
  order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  product_id TEXT NOT NULL REFERENCES products(id),
  item_id TEXT NOT NULL,
  name TEXT NOT NULL,
  price_cents INTEGER NOT NULL CHECK (price_cents >= 0),
  options TEXT NOT NULL,
  PRIMARY KEY (order_id, position)
);

CREATE TABLE IF NOT EXISTS fulfillments (
  order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  tracking_ids TEXT NOT NULL,
  item_ids TEXT NOT NULL,
  PRIMARY KEY (order_id, position)
);

CREATE TABLE IF NOT EXISTS payment_transactions (
  order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  type TEXT NOT NULL CHECK (type IN ('payment', 'refund')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  payment_method_id TEXT NOT NULL,
  PRIMARY KEY (order_id, position)
);

CREATE TABLE IF NOT EXISTS shipments (
  tracking_id TEXT PRIMARY KEY,
  order_id TEXT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
  carrier TEXT NOT NULL,
  item_ids TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN (${sqlList(SHIPMENT_STATUSES)})),
  estimated_delivery TEXT,
  delivered_at TEXT
);
CREATE INDEX IF NOT EXISTS shipments_order ON shipments (order_id);

CREATE TABLE IF NOT EXISTS shipment_events (
  tracking_id TEXT NOT NULL REFERENCES shipments(tracking_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  time TEXT NOT NULL,
  location TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (tracking_id, position)
);
`;

/** Creates the tables when missing and checks the file's version; one transaction, so never half-created. */
export function ensureCommerceSchema(database: Database.Database): void {
  database
    .transaction(() => {
      database.exec(SCHEMA_V1);
      const row = database
        .prepare<[], { version: number }>('SELECT version FROM schema_version')
        .get();
      if (row === undefined) {
        database
          .prepare('INSERT INTO schema_version (version) VALUES (?)')
          .run(COMMERCE_SCHEMA_VERSION);
        return;
      }
      if (row.version !== COMMERCE_SCHEMA_VERSION) {
        throw new AppError(
          'storage_failed',
          `the commerce database has schema version ${row.version}; this build reads version ${COMMERCE_SCHEMA_VERSION}`,
        );
      }
    })
    .immediate();
}
