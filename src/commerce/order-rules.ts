import type {
  Address,
  Customer,
  Order,
  OrderItem,
  PaymentMethod,
  PaymentTransaction,
  Product,
} from './types';
import { CANCEL_REASONS, type CancelReason } from './types';

/**
 * The τ-bench retail write rules as pure functions over records: the same checks, in the same order, with the
 * same messages, so a conforming store refuses exactly what the benchmark refuses. Only money differs: it is
 * exact integer cents here where the benchmark adds floats.
 */

/** Why a change was refused. `message` is the benchmark's wording, read by the model after `Error: `. */
export interface CommerceRefusal {
  code: RefusalCode;
  message: string;
}

export type RefusalCode =
  | 'order_not_found'
  | 'customer_not_found'
  | 'product_not_found'
  | 'wrong_status'
  | 'invalid_reason'
  | 'item_not_found'
  | 'item_count_mismatch'
  | 'new_item_unavailable'
  | 'payment_method_not_found'
  | 'payment_history_invalid'
  | 'payment_method_unchanged'
  | 'payment_method_not_allowed'
  | 'insufficient_gift_card_balance';

export type RuleOutcome<T> = { ok: true; value: T } | { ok: false; refusal: CommerceRefusal };

/** An order write changes the order and, when gift cards pay or are refunded, the customer's balances. */
export interface OrderChange {
  order: Order;
  customer: Customer;
}

/** What an order rule reads besides the order and its owner. */
export type ProductLookup = (productId: string) => Product | undefined;

/** The records a rule works on: copies, so a refused change leaves the caller's records untouched. */
export interface OrderSnapshot {
  order: Order;
  customer: Customer;
}

/** Item swaps also read the catalogue. */
export interface ItemSwapSnapshot extends OrderSnapshot {
  products: ProductLookup;
}

export const REFUSALS = {
  orderNotFound: refusal('order_not_found', 'order not found'),
  customerNotFound: refusal('customer_not_found', 'user not found'),
  productNotFound: refusal('product_not_found', 'product not found'),
} as const;

function refusal(code: RefusalCode, message: string): CommerceRefusal {
  return { code, message };
}

function refuse<T>(code: RefusalCode, message: string): RuleOutcome<T> {
  return { ok: false, refusal: refusal(code, message) };
}

function accept<T>(value: T): RuleOutcome<T> {
  return { ok: true, value };
}

export function isCancelReason(reason: string): reason is CancelReason {
  return (CANCEL_REASONS as readonly string[]).includes(reason);
}

/**
 * Cancels a pending order. Refunds go back to the methods that paid, gift cards credited at once.
 *
 * The benchmark refunds every history row, refunds included, which would double-credit a gift card on an
 * order whose payment method was changed before cancelling. We refund what each method actually paid (its
 * payments minus its refunds), which is the same single refund row for every order the benchmark's tasks
 * cancel, and the right amount for the rest.
 */
export function cancelPendingOrder(
  snapshot: OrderSnapshot,
  request: { reason: string },
): RuleOutcome<OrderChange> {
  const { order, customer } = cloneSnapshot(snapshot);
  if (order.status !== 'pending')
    return refuse('wrong_status', 'non-pending order cannot be cancelled');
  if (!isCancelReason(request.reason)) return refuse('invalid_reason', 'invalid reason');

  const paidByMethod = new Map<string, number>();
  for (const transaction of order.paymentHistory) {
    const signed =
      transaction.type === 'payment' ? transaction.amountCents : -transaction.amountCents;
    paidByMethod.set(
      transaction.paymentMethodId,
      (paidByMethod.get(transaction.paymentMethodId) ?? 0) + signed,
    );
  }
  const refunds: PaymentTransaction[] = [];
  for (const [paymentMethodId, paid] of paidByMethod) {
    if (paid <= 0) continue;
    refunds.push({ type: 'refund', amountCents: paid, paymentMethodId });
    creditGiftCard(customer, { paymentMethodId: paymentMethodId, amountCents: paid });
  }
  order.status = 'cancelled';
  order.cancelReason = request.reason;
  order.paymentHistory.push(...refunds);
  return accept({ order, customer });
}

/** Changes the shipping address of a pending order. */
export function modifyPendingOrderAddress(
  snapshot: OrderSnapshot,
  request: { address: Address },
): RuleOutcome<OrderChange> {
  const { order, customer } = cloneSnapshot(snapshot);
  if (order.status !== 'pending')
    return refuse('wrong_status', 'non-pending order cannot be modified');
  order.address = { ...request.address };
  return accept({ order, customer });
}

/** Pays a pending order with another of the customer's methods and refunds the original one. */
export function modifyPendingOrderPayment(
  snapshot: OrderSnapshot,
  request: { paymentMethodId: string },
): RuleOutcome<OrderChange> {
  const { order, customer } = cloneSnapshot(snapshot);
  if (order.status !== 'pending')
    return refuse('wrong_status', 'non-pending order cannot be modified');
  const method = findPaymentMethod(customer, request.paymentMethodId);
  if (method === undefined) return refuse('payment_method_not_found', 'payment method not found');
  const [original, ...rest] = order.paymentHistory;
  if (original === undefined || rest.length > 0 || original.type !== 'payment') {
    return refuse(
      'payment_history_invalid',
      'there should be exactly one payment for a pending order',
    );
  }
  if (original.paymentMethodId === request.paymentMethodId) {
    return refuse(
      'payment_method_unchanged',
      'the new payment method should be different from the current one',
    );
  }
  const amount = original.amountCents;
  if (method.kind === 'gift_card' && method.balanceCents < amount) {
    return refuse(
      'insufficient_gift_card_balance',
      'insufficient gift card balance to pay for the order',
    );
  }
  order.paymentHistory.push(
    { type: 'payment', amountCents: amount, paymentMethodId: request.paymentMethodId },
    { type: 'refund', amountCents: amount, paymentMethodId: original.paymentMethodId },
  );
  creditGiftCard(customer, { paymentMethodId: request.paymentMethodId, amountCents: -amount });
  creditGiftCard(customer, { paymentMethodId: original.paymentMethodId, amountCents: amount });
  return accept({ order, customer });
}

/**
 * Swaps items of a pending order for other available variants of the same products; the price difference is
 * charged to, or refunded to, the given method. The order cannot be changed again afterwards.
 */
export function modifyPendingOrderItems(
  snapshot: ItemSwapSnapshot,
  request: { itemIds: readonly string[]; newItemIds: readonly string[]; paymentMethodId: string },
): RuleOutcome<OrderChange> {
  const { products } = snapshot;
  const { order, customer } = cloneSnapshot(snapshot);
  if (order.status !== 'pending')
    return refuse('wrong_status', 'non-pending order cannot be modified');
  const priced = priceSwap({ order, products }, request);
  if (!priced.ok) return priced;
  const difference = priced.value;

  const unpayable = checkSwapPayment(customer, request.paymentMethodId, difference, 'the new item');
  if (unpayable !== null) return unpayable;

  order.paymentHistory.push({
    type: difference > 0 ? 'payment' : 'refund',
    amountCents: Math.abs(difference),
    paymentMethodId: request.paymentMethodId,
  });
  creditGiftCard(customer, { paymentMethodId: request.paymentMethodId, amountCents: -difference });
  // One at a time, each on the first item still carrying the old id: with duplicates ([A, A]) the second
  // swap then lands on the second A, as in the benchmark.
  request.itemIds.forEach((itemId, index) => {
    const item = order.items.find((candidate) => candidate.itemId === itemId);
    const variant =
      item === undefined
        ? undefined
        : findVariant(products, { productId: item.productId, itemId: request.newItemIds[index] });
    if (item === undefined || variant === undefined) return;
    item.itemId = variant.itemId;
    item.priceCents = variant.priceCents;
    item.options = { ...variant.options };
  });
  order.status = 'pending (item modified)';
  return accept({ order, customer });
}

/** Records a request to exchange delivered items for other available variants of the same products. */
export function exchangeDeliveredOrderItems(
  snapshot: ItemSwapSnapshot,
  request: { itemIds: readonly string[]; newItemIds: readonly string[]; paymentMethodId: string },
): RuleOutcome<OrderChange> {
  const { products } = snapshot;
  const { order, customer } = cloneSnapshot(snapshot);
  if (order.status !== 'delivered')
    return refuse('wrong_status', 'non-delivered order cannot be exchanged');
  const priced = priceSwap({ order, products }, request);
  if (!priced.ok) return priced;
  const difference = priced.value;

  const unpayable = checkSwapPayment(
    customer,
    request.paymentMethodId,
    difference,
    'the price difference',
  );
  if (unpayable !== null) return unpayable;
  order.status = 'exchange requested';
  order.exchange = {
    itemIds: [...request.itemIds].sort(),
    newItemIds: [...request.newItemIds].sort(),
    paymentMethodId: request.paymentMethodId,
    priceDifferenceCents: difference,
  };
  return accept({ order, customer });
}

/** Records a request to return delivered items, refunded to the original method or a gift card. */
export function returnDeliveredOrderItems(
  snapshot: OrderSnapshot,
  request: { itemIds: readonly string[]; paymentMethodId: string },
): RuleOutcome<OrderChange> {
  const { order, customer } = cloneSnapshot(snapshot);
  if (order.status !== 'delivered')
    return refuse('wrong_status', 'non-delivered order cannot be returned');
  const method = findPaymentMethod(customer, request.paymentMethodId);
  if (method === undefined) return refuse('payment_method_not_found', 'payment method not found');
  if (
    method.kind !== 'gift_card' &&
    request.paymentMethodId !== order.paymentHistory[0]?.paymentMethodId
  ) {
    return refuse(
      'payment_method_not_allowed',
      'payment method should be either the original payment method or a gift card',
    );
  }
  if (findMissingItem(order.items, request.itemIds) !== undefined) {
    return refuse('item_not_found', 'some item not found');
  }
  order.status = 'return requested';
  order.return = { itemIds: [...request.itemIds].sort(), paymentMethodId: request.paymentMethodId };
  return accept({ order, customer });
}

/** Changes a customer's default address; orders keep theirs. */
export function modifyCustomerAddress(
  customer: Customer,
  request: { address: Address },
): RuleOutcome<Customer> {
  return accept({ ...structuredClone(customer), address: { ...request.address } });
}

/**
 * The method that pays an item swap's price difference exists and, for a gift card, covers it; or the refusal,
 * whose wording names what is paid for (`what`), as τ-bench words each tool's.
 */
function checkSwapPayment(
  customer: Customer,
  paymentMethodId: string,
  difference: number,
  what: string,
): RuleOutcome<never> | null {
  const method = findPaymentMethod(customer, paymentMethodId);
  if (method === undefined) return refuse('payment_method_not_found', 'payment method not found');
  if (method.kind === 'gift_card' && method.balanceCents < difference) {
    return refuse(
      'insufficient_gift_card_balance',
      `insufficient gift card balance to pay for ${what}`,
    );
  }
  return null;
}

/** The checks shared by item modification and exchange, and the total price difference in cents. */
function priceSwap(
  { order, products }: { order: Order; products: ProductLookup },
  request: { itemIds: readonly string[]; newItemIds: readonly string[] },
): RuleOutcome<number> {
  const missing = findMissingItem(order.items, request.itemIds);
  if (missing !== undefined) return refuse('item_not_found', `${missing} not found`);
  if (request.itemIds.length !== request.newItemIds.length) {
    return refuse('item_count_mismatch', 'the number of items to be exchanged should match');
  }
  let difference = 0;
  for (const [index, itemId] of request.itemIds.entries()) {
    const newItemId = request.newItemIds[index] ?? '';
    const item = order.items.find((candidate) => candidate.itemId === itemId);
    const variant =
      item === undefined
        ? undefined
        : findVariant(products, { productId: item.productId, itemId: newItemId });
    if (item === undefined || variant === undefined || !variant.available) {
      return refuse('new_item_unavailable', `new item ${newItemId} not found or available`);
    }
    difference += variant.priceCents - item.priceCents;
  }
  return accept(difference);
}

/** The first requested id asked for more often than the order holds it, if any. */
function findMissingItem(
  items: readonly OrderItem[],
  itemIds: readonly string[],
): string | undefined {
  const held = countIds(items.map((item) => item.itemId));
  const requested = countIds(itemIds);
  return itemIds.find((itemId) => (requested.get(itemId) ?? 0) > (held.get(itemId) ?? 0));
}

function countIds(ids: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

function findVariant(
  products: ProductLookup,
  wanted: { productId: string; itemId: string | undefined },
) {
  return products(wanted.productId)?.variants.find((variant) => variant.itemId === wanted.itemId);
}

function findPaymentMethod(customer: Customer, paymentMethodId: string): PaymentMethod | undefined {
  return customer.paymentMethods.find((method) => method.id === paymentMethodId);
}

/** Adds to a gift card's balance (negative to spend); other methods are settled outside the store. */
function creditGiftCard(
  customer: Customer,
  credit: { paymentMethodId: string; amountCents: number },
): void {
  const method = findPaymentMethod(customer, credit.paymentMethodId);
  if (method?.kind === 'gift_card') method.balanceCents += credit.amountCents;
}

function cloneSnapshot(snapshot: OrderSnapshot): OrderChange {
  return { order: structuredClone(snapshot.order), customer: structuredClone(snapshot.customer) };
}
