import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { AppError } from '../shared/errors';
import type { CommerceDatasetStore } from './commerce-store';
import { dollarsToCents } from './money';
import {
  TauData,
  type TauOrder,
  type TauPaymentMethod,
  type TauProduct,
  type TauUser,
} from './tau-format';
import type {
  CommerceCounts,
  CommerceDataset,
  Customer,
  Order,
  PaymentMethod,
  Product,
} from './types';

/** How many problems an import error lists before summarising the rest. */
const ISSUES_LISTED_MAX = 10;

const TAU_FILES = {
  users: 'users.json',
  orders: 'orders.json',
  products: 'products.json',
} as const;

/**
 * Reads τ-bench's `users.json`, `orders.json` and `products.json` from a directory, unvalidated (validation
 * is `parseTauData`'s job). A missing or unparsable file is a `data_import_failed` error naming the file.
 */
export async function readTauDirectory(
  directory: string,
): Promise<{ users: unknown; orders: unknown; products: unknown }> {
  const read = async (file: string): Promise<unknown> => {
    const filePath = path.join(directory, file);
    let text: string;
    try {
      text = await readFile(filePath, 'utf8');
    } catch (error) {
      throw new AppError('data_import_failed', `cannot read ${filePath}`, {
        cause: error,
        expected: true,
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw new AppError('data_import_failed', `${filePath} is not valid JSON`, {
        cause: error,
        expected: true,
      });
    }
  };
  return {
    users: await read(TAU_FILES.users),
    orders: await read(TAU_FILES.orders),
    products: await read(TAU_FILES.products),
  };
}

/**
 * Validates τ-bench retail data and imports it in one transaction: on bad input nothing is imported and the
 * error (`data_import_failed`) lists what is wrong, with paths such as `orders["#W1"].items[0].price`.
 */
export async function importTauData(
  store: CommerceDatasetStore,
  input: { users: unknown; orders: unknown; products: unknown },
): Promise<CommerceCounts> {
  return store.importDataset(parseTauData(input));
}

/** Validates τ-bench data (shapes, then references between records) and converts it to domain records. */
export function parseTauData(input: {
  users: unknown;
  orders: unknown;
  products: unknown;
}): CommerceDataset {
  const parsed = TauData.safeParse(input);
  if (!parsed.success) throw importError(parsed.error.issues.map(formatZodIssue));
  const converter = new TauConverter();
  const dataset = converter.convert(parsed.data);
  if (converter.issues.length > 0) throw importError(converter.issues);
  return dataset;
}

/** Converts validated τ-bench records to domain records, collecting every problem rather than the first. */
class TauConverter {
  readonly issues: string[] = [];
  private customersById = new Map<string, Customer>();
  private productIds = new Set<string>();

  convert(data: TauData): CommerceDataset {
    const products = Object.entries(data.products).map(([key, product]) =>
      this.product(key, product),
    );
    this.productIds = new Set(products.map((product) => product.id));
    const customers = Object.entries(data.users).map(([key, user]) => this.user(key, user));
    this.customersById = new Map(customers.map((customer) => [customer.id, customer]));
    const orders = Object.entries(data.orders).map(([key, order]) => this.order(key, order));
    this.checkOrderLists(customers, orders);
    this.checkEmails(customers);
    return { customers, orders, products, shipments: [] };
  }

  private product(key: string, product: TauProduct): Product {
    const at = `products${member(key)}`;
    if (product.product_id !== key) this.issues.push(`${at}.product_id: differs from its key`);
    return {
      id: key,
      name: product.name,
      description: product.description ?? null,
      warranty:
        product.warranty === undefined
          ? null
          : {
              category: product.warranty.category,
              coverageMonths: product.warranty.coverage_months,
              terms: product.warranty.terms,
            },
      variants: Object.entries(product.variants).map(([itemId, variant]) => {
        const variantAt = `${at}.variants${member(itemId)}`;
        if (variant.item_id !== itemId)
          this.issues.push(`${variantAt}.item_id: differs from its key`);
        return {
          itemId,
          options: variant.options,
          available: variant.available,
          priceCents: this.cents(variant.price, `${variantAt}.price`),
        };
      }),
    };
  }

  private user(key: string, user: TauUser): Customer {
    const at = `users${member(key)}`;
    return {
      id: key,
      name: { firstName: user.name.first_name, lastName: user.name.last_name },
      address: { ...user.address },
      email: user.email,
      paymentMethods: Object.entries(user.payment_methods).map(([id, method]) =>
        this.paymentMethod({ id, method, at: `${at}.payment_methods${member(id)}` }),
      ),
      orderIds: [...user.orders],
    };
  }

  private paymentMethod({
    id,
    method,
    at,
  }: {
    id: string;
    method: TauPaymentMethod;
    at: string;
  }): PaymentMethod {
    if (method.id !== id) this.issues.push(`${at}.id: differs from its key`);
    switch (method.source) {
      case 'credit_card':
        return { kind: 'credit_card', id, brand: method.brand, lastFour: method.last_four };
      case 'gift_card':
        return { kind: 'gift_card', id, balanceCents: this.cents(method.balance, `${at}.balance`) };
      case 'paypal':
        return { kind: 'paypal', id };
    }
  }

  private order(key: string, order: TauOrder): Order {
    const at = `orders${member(key)}`;
    if (order.order_id !== key) this.issues.push(`${at}.order_id: differs from its key`);
    const customer = this.customersById.get(order.user_id);
    if (customer === undefined) this.issues.push(`${at}.user_id: no user ${order.user_id}`);
    const methodIds = new Set(customer?.paymentMethods.map((method) => method.id) ?? []);
    order.items.forEach((item, index) => {
      if (!this.productIds.has(item.product_id)) {
        this.issues.push(`${at}.items[${index}].product_id: no product ${item.product_id}`);
      }
    });
    order.payment_history.forEach((transaction, index) => {
      if (customer !== undefined && !methodIds.has(transaction.payment_method_id)) {
        this.issues.push(
          `${at}.payment_history[${index}].payment_method_id: not a payment method of ${order.user_id}`,
        );
      }
    });
    const exchangeFields = [
      order.exchange_items,
      order.exchange_new_items,
      order.exchange_payment_method_id,
      order.exchange_price_difference,
    ];
    const exchangeGiven = exchangeFields.filter((field) => field !== undefined).length;
    if (exchangeGiven !== 0 && exchangeGiven !== exchangeFields.length) {
      this.issues.push(`${at}: exchange fields must be given all together or not at all`);
    }
    if ((order.return_items === undefined) !== (order.return_payment_method_id === undefined)) {
      this.issues.push(`${at}: return fields must be given together or not at all`);
    }
    const exchangeDifference = order.exchange_price_difference;
    return {
      id: key,
      customerId: order.user_id,
      address: { ...order.address },
      items: order.items.map((item, index) => ({
        productId: item.product_id,
        itemId: item.item_id,
        name: item.name,
        priceCents: this.cents(item.price, `${at}.items[${index}].price`),
        options: item.options,
      })),
      fulfillments: order.fulfillments.map((fulfillment) => ({
        trackingIds: [...fulfillment.tracking_id],
        itemIds: [...fulfillment.item_ids],
      })),
      status: order.status,
      paymentHistory: order.payment_history.map((transaction, index) => ({
        type: transaction.transaction_type,
        amountCents: this.cents(transaction.amount, `${at}.payment_history[${index}].amount`),
        paymentMethodId: transaction.payment_method_id,
      })),
      placedAt: order.placed_at ?? null,
      cancelReason: order.cancel_reason ?? null,
      exchange:
        order.exchange_items === undefined || exchangeDifference === undefined
          ? null
          : {
              itemIds: [...order.exchange_items],
              newItemIds: [...(order.exchange_new_items ?? [])],
              paymentMethodId: order.exchange_payment_method_id ?? '',
              priceDifferenceCents: this.signedCents(
                exchangeDifference,
                `${at}.exchange_price_difference`,
              ),
            },
      return:
        order.return_items === undefined
          ? null
          : {
              itemIds: [...order.return_items],
              paymentMethodId: order.return_payment_method_id ?? '',
            },
    };
  }

  /** Every order is listed exactly once, by its own user; every listed order exists. */
  private checkOrderLists(customers: readonly Customer[], orders: readonly Order[]): void {
    const ordersById = new Map(orders.map((order) => [order.id, order]));
    const listedBy = new Map<string, string>();
    for (const customer of customers) {
      customer.orderIds.forEach((orderId, index) => {
        const at = `users${member(customer.id)}.orders[${index}]`;
        const order = ordersById.get(orderId);
        if (order === undefined) this.issues.push(`${at}: no order ${orderId}`);
        else if (order.customerId !== customer.id) {
          this.issues.push(`${at}: order ${orderId} belongs to ${order.customerId}`);
        }
        if (listedBy.has(orderId)) this.issues.push(`${at}: order ${orderId} is listed twice`);
        listedBy.set(orderId, customer.id);
      });
    }
    for (const order of orders) {
      if (!listedBy.has(order.id)) {
        this.issues.push(
          `orders${member(order.id)}: not in the orders of user ${order.customerId}`,
        );
      }
    }
  }

  /** Lookups by email must find one account: τ-bench compares emails case-insensitively. */
  private checkEmails(customers: readonly Customer[]): void {
    const emails = new Map<string, string>();
    for (const customer of customers) {
      const email = customer.email.toLowerCase();
      const other = emails.get(email);
      if (other !== undefined)
        this.issues.push(`users${member(customer.id)}.email: same email as user ${other}`);
      else emails.set(email, customer.id);
    }
  }

  private cents(dollars: number, at: string): number {
    const value = dollarsToCents(dollars);
    if (value === null || value < 0) {
      this.issues.push(`${at}: ${dollars} is not a whole, non-negative number of cents`);
      return 0;
    }
    return value;
  }

  private signedCents(dollars: number, at: string): number {
    const value = dollarsToCents(dollars);
    if (value === null) {
      this.issues.push(`${at}: ${dollars} is not a whole number of cents`);
      return 0;
    }
    return value;
  }
}

function formatZodIssue(issue: z.ZodError['issues'][number]): string {
  const at = issue.path
    .map((part, index) => {
      if (typeof part === 'number') return `[${part}]`;
      const name = String(part);
      return index === 0 ? name : member(name);
    })
    .join('');
  return `${at === '' ? 'input' : at}: ${issue.message}`;
}

/** A key in a path: `.name` when it reads as an identifier, `["#W0000001"]` otherwise. */
function member(key: string): string {
  return /^[a-z_][a-z0-9_]*$/iu.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function importError(issues: readonly string[]): AppError {
  const listed = issues.slice(0, ISSUES_LISTED_MAX);
  const more = issues.length > listed.length ? ` (and ${issues.length - listed.length} more)` : '';
  const noun = issues.length === 1 ? 'problem' : 'problems';
  return new AppError(
    'data_import_failed',
    `τ-bench data not imported, ${issues.length} ${noun}: ${listed.join('; ')}${more}`,
    { expected: true, details: { issues } },
  );
}
