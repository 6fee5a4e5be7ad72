import { z } from 'zod';
import { centsToDollars } from './money';
import type { Address, Customer, Order, PaymentMethod, Product } from './types';
import { CANCEL_REASONS, ORDER_STATUSES } from './types';

/**
 * The τ-bench retail JSON shapes: what the order tools answer with (money in dollars) and what the importer
 * reads. Keys are the benchmark's; a product's description and warranty and an order's `placed_at` are our
 * additions and appear only when known, so answers on τ-bench data equal the benchmark's.
 */

const NonEmpty = z.string().min(1);

export const TauAddress = z.strictObject({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  country: z.string(),
  state: z.string(),
  zip: z.string(),
});
export type TauAddress = z.infer<typeof TauAddress>;

const Money = z.number().nonnegative();

export const TauPaymentMethod = z.discriminatedUnion('source', [
  z.strictObject({
    source: z.literal('credit_card'),
    id: NonEmpty,
    brand: NonEmpty,
    last_four: z.string().regex(/^\d{4}$/u, 'must be the last four digits only'),
  }),
  z.strictObject({ source: z.literal('gift_card'), id: NonEmpty, balance: Money }),
  z.strictObject({ source: z.literal('paypal'), id: NonEmpty }),
]);
export type TauPaymentMethod = z.infer<typeof TauPaymentMethod>;

export const TauUser = z.strictObject({
  name: z.strictObject({ first_name: NonEmpty, last_name: NonEmpty }),
  address: TauAddress,
  email: NonEmpty,
  payment_methods: z.record(z.string(), TauPaymentMethod),
  orders: z.array(NonEmpty),
});
export type TauUser = z.infer<typeof TauUser>;

const Options = z.record(z.string(), z.string());

export const TauOrderItem = z.strictObject({
  name: NonEmpty,
  product_id: NonEmpty,
  item_id: NonEmpty,
  price: Money,
  options: Options,
});

export const TauOrder = z.strictObject({
  order_id: z.string().regex(/^#W\d{7}$/u, 'must be #W and seven digits'),
  user_id: NonEmpty,
  address: TauAddress,
  items: z.array(TauOrderItem),
  fulfillments: z.array(
    z.strictObject({ tracking_id: z.array(NonEmpty), item_ids: z.array(NonEmpty) }),
  ),
  status: z.enum(ORDER_STATUSES),
  payment_history: z.array(
    z.strictObject({
      transaction_type: z.enum(['payment', 'refund']),
      amount: Money,
      payment_method_id: NonEmpty,
    }),
  ),
  cancel_reason: z.enum(CANCEL_REASONS).optional(),
  exchange_items: z.array(NonEmpty).optional(),
  exchange_new_items: z.array(NonEmpty).optional(),
  exchange_payment_method_id: NonEmpty.optional(),
  exchange_price_difference: z.number().optional(),
  return_items: z.array(NonEmpty).optional(),
  return_payment_method_id: NonEmpty.optional(),
  placed_at: z.iso.date().optional(),
});
export type TauOrder = z.infer<typeof TauOrder>;

export const TauVariant = z.strictObject({
  item_id: NonEmpty,
  options: Options,
  available: z.boolean(),
  price: Money,
});

export const TauProduct = z.strictObject({
  name: NonEmpty,
  product_id: NonEmpty,
  variants: z.record(z.string(), TauVariant),
  description: z.string().optional(),
  warranty: z
    .strictObject({
      category: NonEmpty,
      coverage_months: z.number().int().positive(),
      terms: NonEmpty,
    })
    .optional(),
});
export type TauProduct = z.infer<typeof TauProduct>;

/** The three collections of τ-bench's retail data, keyed by id. */
export const TauData = z.strictObject({
  users: z.record(z.string(), TauUser),
  orders: z.record(z.string(), TauOrder),
  products: z.record(z.string(), TauProduct),
});
export type TauData = z.infer<typeof TauData>;

export function toTauAddress(address: Address): TauAddress {
  return {
    address1: address.address1,
    address2: address.address2,
    city: address.city,
    country: address.country,
    state: address.state,
    zip: address.zip,
  };
}

export function toTauPaymentMethod(method: PaymentMethod): TauPaymentMethod {
  switch (method.kind) {
    case 'credit_card':
      return {
        source: 'credit_card',
        brand: method.brand,
        last_four: method.lastFour,
        id: method.id,
      };
    case 'gift_card':
      return { source: 'gift_card', balance: centsToDollars(method.balanceCents), id: method.id };
    case 'paypal':
      return { source: 'paypal', id: method.id };
  }
}

export function toTauUser(customer: Customer): TauUser {
  return {
    name: { first_name: customer.name.firstName, last_name: customer.name.lastName },
    address: toTauAddress(customer.address),
    email: customer.email,
    payment_methods: Object.fromEntries(
      customer.paymentMethods.map((method) => [method.id, toTauPaymentMethod(method)]),
    ),
    orders: [...customer.orderIds],
  };
}

export function toTauOrder(order: Order): TauOrder {
  const tau: TauOrder = {
    order_id: order.id,
    user_id: order.customerId,
    address: toTauAddress(order.address),
    items: order.items.map((item) => ({
      name: item.name,
      product_id: item.productId,
      item_id: item.itemId,
      price: centsToDollars(item.priceCents),
      options: { ...item.options },
    })),
    fulfillments: order.fulfillments.map((fulfillment) => ({
      tracking_id: [...fulfillment.trackingIds],
      item_ids: [...fulfillment.itemIds],
    })),
    status: order.status,
    payment_history: order.paymentHistory.map((transaction) => ({
      transaction_type: transaction.type,
      amount: centsToDollars(transaction.amountCents),
      payment_method_id: transaction.paymentMethodId,
    })),
  };
  if (order.cancelReason !== null) tau.cancel_reason = order.cancelReason;
  if (order.exchange !== null) {
    tau.exchange_items = [...order.exchange.itemIds];
    tau.exchange_new_items = [...order.exchange.newItemIds];
    tau.exchange_payment_method_id = order.exchange.paymentMethodId;
    tau.exchange_price_difference = centsToDollars(order.exchange.priceDifferenceCents);
  }
  if (order.return !== null) {
    tau.return_items = [...order.return.itemIds];
    tau.return_payment_method_id = order.return.paymentMethodId;
  }
  if (order.placedAt !== null) tau.placed_at = order.placedAt.slice(0, 10);
  return tau;
}

export function toTauProduct(product: Product): TauProduct {
  const tau: TauProduct = {
    name: product.name,
    product_id: product.id,
    variants: Object.fromEntries(
      product.variants.map((variant) => [
        variant.itemId,
        {
          item_id: variant.itemId,
          options: { ...variant.options },
          available: variant.available,
          price: centsToDollars(variant.priceCents),
        },
      ]),
    ),
  };
  if (product.description !== null) tau.description = product.description;
  if (product.warranty !== null) {
    tau.warranty = {
      category: product.warranty.category,
      coverage_months: product.warranty.coverageMonths,
      terms: product.warranty.terms,
    };
  }
  return tau;
}
