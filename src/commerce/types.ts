/**
 * The commerce domain: customers, their orders and the catalogue. Money is integer cents everywhere in here;
 * dollars appear only at the edges (the τ-bench JSON shape the tools answer with, and imports).
 */

/** An amount of money in integer cents (US dollars). */
export type Cents = number;

export interface Address {
  address1: string;
  address2: string;
  city: string;
  state: string;
  country: string;
  zip: string;
}

export interface PersonName {
  firstName: string;
  lastName: string;
}

/**
 * A saved payment method. A card is known by its brand and last four digits only: the full number is never
 * stored, so it can never reach the model, a log or a transcript.
 */
export type PaymentMethod =
  | { kind: 'credit_card'; id: string; brand: string; lastFour: string }
  | { kind: 'gift_card'; id: string; balanceCents: Cents }
  | { kind: 'paypal'; id: string };

export type PaymentMethodKind = PaymentMethod['kind'];

export interface Customer {
  /** E.g. `noah_brown_6181`. */
  id: string;
  name: PersonName;
  /** The default address; orders keep their own shipping address. */
  address: Address;
  email: string;
  /** In the order the customer added them. */
  paymentMethods: PaymentMethod[];
  /** The customer's order ids, oldest first as recorded. */
  orderIds: string[];
}

export const ORDER_STATUSES = [
  'pending',
  'processed',
  'delivered',
  'cancelled',
  'pending (item modified)',
  'exchange requested',
  'return requested',
] as const;

export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const CANCEL_REASONS = ['no longer needed', 'ordered by mistake'] as const;

export type CancelReason = (typeof CANCEL_REASONS)[number];

/** Options of a product variant, e.g. `{ color: 'blue', size: 'M' }`, in the catalogue's key order. */
export type VariantOptions = Record<string, string>;

export interface OrderItem {
  productId: string;
  /** The variant bought. An order may hold the same variant more than once. */
  itemId: string;
  name: string;
  /** What the customer paid for this item. */
  priceCents: Cents;
  options: VariantOptions;
}

/** A parcel as recorded on the order: tracking ids and the items in it. */
export interface Fulfillment {
  trackingIds: string[];
  itemIds: string[];
}

export interface PaymentTransaction {
  type: 'payment' | 'refund';
  amountCents: Cents;
  paymentMethodId: string;
}

/** A requested exchange of delivered items for other variants of the same products. */
export interface ExchangeRequest {
  /** Sorted, as the benchmark records them. */
  itemIds: string[];
  newItemIds: string[];
  paymentMethodId: string;
  /** Positive: the customer pays the difference; negative: the customer is refunded. */
  priceDifferenceCents: Cents;
}

export interface ReturnRequest {
  /** Sorted, as the benchmark records them. */
  itemIds: string[];
  /** Where the refund goes: the original payment method or a gift card. */
  paymentMethodId: string;
}

export interface Order {
  /** `#W` and seven digits. */
  id: string;
  customerId: string;
  /** Shipping address of this order. */
  address: Address;
  items: OrderItem[];
  fulfillments: Fulfillment[];
  status: OrderStatus;
  paymentHistory: PaymentTransaction[];
  /** When the order was placed (ISO 8601), or null when the source has no date (τ-bench data). */
  placedAt: string | null;
  cancelReason: CancelReason | null;
  exchange: ExchangeRequest | null;
  return: ReturnRequest | null;
}

export interface ProductVariant {
  itemId: string;
  options: VariantOptions;
  available: boolean;
  priceCents: Cents;
}

/** What the company's own warranty covers for a product. */
export interface WarrantyTerms {
  /** The warranty policy's category, e.g. "Electronics and appliances". */
  category: string;
  coverageMonths: number;
  /** The terms in one or two sentences, as the customer may read them. */
  terms: string;
}

export interface Product {
  id: string;
  /** The product type, e.g. "Water Bottle". */
  name: string;
  /** Null when the source has none (τ-bench data). */
  description: string | null;
  /** Null when the source has none (τ-bench data). */
  warranty: WarrantyTerms | null;
  variants: ProductVariant[];
}

export const SHIPMENT_STATUSES = [
  'label_created',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
] as const;

export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export interface TrackingEvent {
  /** ISO 8601. */
  time: string;
  location: string;
  description: string;
}

/** A parcel as the carrier reports it. */
export interface Shipment {
  trackingId: string;
  orderId: string;
  carrier: string;
  itemIds: string[];
  status: ShipmentStatus;
  /** The carrier's estimate, `YYYY-MM-DD` (kept after delivery), or null when unknown. */
  estimatedDelivery: string | null;
  /** ISO 8601, or null until delivered. */
  deliveredAt: string | null;
  /** Oldest first. */
  events: TrackingEvent[];
}

/** Everything a store holds, as plain records: what an import writes and an export reads. */
export interface CommerceDataset {
  customers: Customer[];
  orders: Order[];
  products: Product[];
  shipments: Shipment[];
}

/** How many records of each kind a store or dataset holds. */
export interface CommerceCounts {
  customers: number;
  orders: number;
  products: number;
  variants: number;
  shipments: number;
}
