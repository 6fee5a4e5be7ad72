import { z } from 'zod';
import type { CommerceStore, WriteOutcome } from '../../commerce/commerce-store';
import { formatMoney } from '../../commerce/money';
import type { Address, Customer, Order, OrderItem, PaymentMethod } from '../../commerce/types';
import { AppError, ToolError } from '../../shared/errors';
import type { ToolContext, VerificationRule } from '../define-tool';

/** What every order tool is built from. */
export interface OrderToolDependencies {
  store: CommerceStore;
  /** Decides the identity tools' parameters; the conversation's context carries the same rule. */
  verificationRule: VerificationRule;
}

/** The benchmark's answers for what a customer may not see: the same as for what does not exist. */
export const ORDER_NOT_FOUND = 'order not found';
export const USER_NOT_FOUND = 'user not found';

/**
 * Required text. Emptiness is checked in code, not declared as `minLength`: schemas are sent on every turn,
 * and this rule needs no explaining to the model.
 */
export function RequiredText() {
  return z
    .string()
    .trim()
    .refine((value) => value.length > 0, 'must not be empty');
}

/** A non-empty list of ids, checked in code for the same reason. */
function RequiredList() {
  return z
    .array(RequiredText())
    .refine((values) => values.length > 0, 'must list at least one item');
}

/** No format hint: ids come from get_user_details, and "W1234567" is accepted as "#W1234567". */
export const OrderId = RequiredText();
export const ItemIds = RequiredList().describe('Ids of items in the order; repeat an id per unit');
export const NewItemIds = RequiredList().describe(
  'The new variant for each item_ids entry, same product',
);
/** Ids come from get_user_details; the name says what it is. */
export const PaymentMethodId = RequiredText();

/**
 * What swapping items takes, for a pending order's change and a delivered order's exchange alike: τ-bench
 * gives both tools the same parameters.
 */
export const ItemSwapInput = z.object({
  order_id: OrderId,
  item_ids: ItemIds,
  new_item_ids: NewItemIds,
  payment_method_id: PaymentMethodId,
});
export type ItemSwapInput = z.infer<typeof ItemSwapInput>;

/** The store's request for an item swap on the order the tool loaded. */
export function itemSwapRequest(input: ItemSwapInput, orderId: string) {
  return {
    orderId,
    itemIds: input.item_ids,
    newItemIds: input.new_item_ids,
    paymentMethodId: input.payment_method_id,
  };
}

/** The six address fields, as τ-bench names them. */
export const AddressFields = {
  address1: RequiredText(),
  address2: z.string().trim().describe('"" if none'),
  city: RequiredText(),
  state: RequiredText().describe('e.g. "CA"'),
  country: RequiredText(),
  zip: RequiredText(),
};

export function toAddress(input: Address): Address {
  return {
    address1: input.address1,
    address2: input.address2,
    city: input.city,
    state: input.state,
    country: input.country,
    zip: input.zip,
  };
}

/**
 * Accepts an order id as people and models write it ("W1234567", "#w1234567 "). Anything else is passed on
 * unchanged, so an id that does not exist is answered "order not found", as by the benchmark.
 */
export function normalizeOrderId(orderId: string): string {
  const trimmed = orderId.trim();
  const match = /^#?[wW](\d{7})$/u.exec(trimmed);
  return match === null ? trimmed : `#W${match[1] ?? ''}`;
}

/**
 * The verified customer's id, or a refusal the model reads. Thrown as `not_verified`, an expected error the
 * registry hands back as `Error: …`.
 */
export function requireVerifiedCustomer(context: ToolContext): string {
  if (context.customerId !== null) return context.customerId;
  const how =
    context.verificationRule === 'identifier_and_zip'
      ? 'email or full name, with the zip code on file'
      : 'email, or full name with the zip code on file';
  throw new AppError(
    'not_verified',
    `the customer is not verified yet: ask for their ${how}, then call find_user_id_by_email or find_user_id_by_name_zip`,
    { expected: true },
  );
}

/** The order if it belongs to the verified customer; another customer's order is answered as missing. */
export async function loadOwnOrder(options: {
  store: CommerceStore;
  context: ToolContext;
  orderId: string;
}): Promise<Order> {
  const { store, context, orderId } = options;
  const customerId = requireVerifiedCustomer(context);
  const order = await store.getOrder(normalizeOrderId(orderId));
  if (order === null || order.customerId !== customerId) throw new ToolError(ORDER_NOT_FOUND);
  return order;
}

/** The verified customer's record, when the model names them; any other id is answered as missing. */
export async function loadOwnCustomer(options: {
  store: CommerceStore;
  context: ToolContext;
  userId: string;
}): Promise<Customer> {
  const { store, context, userId } = options;
  const customerId = requireVerifiedCustomer(context);
  if (userId.trim() !== customerId) throw new ToolError(USER_NOT_FOUND);
  const customer = await store.getCustomer(customerId);
  if (customer === null) throw new ToolError(USER_NOT_FOUND);
  return customer;
}

/** Unwraps a store write, turning a refusal into the benchmark's error text. */
export function unwrapWrite<T>(outcome: WriteOutcome<T>): T {
  if (!outcome.ok) throw new ToolError(outcome.refusal.message);
  return outcome.value;
}

/**
 * Records the customer an identity tool found. A conversation serves one customer: the context refuses a
 * switch too, but the check here keeps the rule whatever context runs the tool.
 */
export function verifyFoundCustomer(context: ToolContext, customerId: string): string {
  if (context.customerId !== null && context.customerId !== customerId) {
    throw new ToolError(
      'this conversation is already verified for another customer; a new conversation is needed to switch accounts',
    );
  }
  context.verifyCustomer(customerId);
  return customerId;
}

// ---- wording for confirmations: what the customer reads, so plain words and exact amounts ----

const CARD_BRANDS: Readonly<Record<string, string>> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
};

/** "Visa card ending 1234", "gift card (balance $50.00)", "PayPal". Never more of a card than its last four. */
export function describePaymentMethod(
  method: PaymentMethod | undefined,
  fallbackId: string,
): string {
  if (method === undefined) return fallbackId;
  switch (method.kind) {
    case 'credit_card': {
      const brand = CARD_BRANDS[method.brand.toLowerCase()] ?? capitalize(method.brand);
      return `${brand} card ending ${method.lastFour}`;
    }
    case 'gift_card':
      return `gift card (balance ${formatMoney(method.balanceCents)})`;
    case 'paypal':
      return 'PayPal';
  }
}

export function findPaymentMethod(
  customer: Customer,
  paymentMethodId: string,
): PaymentMethod | undefined {
  return customer.paymentMethods.find((method) => method.id === paymentMethodId);
}

/** When a refund to this kind of method is available, per the refunds policy. */
export function refundTiming(method: PaymentMethod | undefined): string {
  return method?.kind === 'gift_card' ? 'available at once' : 'within 5–7 business days';
}

export function describeAddress(address: Address): string {
  return [
    address.address1,
    address.address2,
    address.city,
    `${address.state} ${address.zip}`,
    address.country,
  ]
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .join(', ');
}

/** "Water Bottle (1000ml, glass, blue)". */
export function describeItem(item: Pick<OrderItem, 'name' | 'options'>): string {
  const options = Object.values(item.options);
  return options.length === 0 ? item.name : `${item.name} (${options.join(', ')})`;
}

/** The order's items for the given ids, one per requested unit, as the rules match them (first match). */
export function itemsForIds(order: Order, itemIds: readonly string[]): OrderItem[] {
  const remaining = [...order.items];
  const found: OrderItem[] = [];
  for (const itemId of itemIds) {
    const index = remaining.findIndex((item) => item.itemId === itemId);
    if (index === -1) continue;
    const [item] = remaining.splice(index, 1);
    if (item !== undefined) found.push(item);
  }
  return found;
}

function capitalize(text: string): string {
  return text.length === 0 ? text : `${text[0]?.toUpperCase() ?? ''}${text.slice(1)}`;
}
