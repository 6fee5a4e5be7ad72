import type { CommerceRefusal, OrderChange } from './order-rules';
import type {
  Address,
  CommerceCounts,
  CommerceDataset,
  Customer,
  Order,
  Product,
  Shipment,
  WarrantyTerms,
} from './types';

export type { CommerceRefusal, OrderChange, RefusalCode } from './order-rules';

/** The result of a write: the records after the change, or why it was refused (nothing changed then). */
export type WriteOutcome<T> = { ok: true; value: T } | { ok: false; refusal: CommerceRefusal };

export interface WriteOptions {
  /**
   * Check everything and compute the result, but change nothing. Write tools use it for `preview`, so the
   * customer is asked to confirm exactly what `execute` will do, and a doomed change is never put to them.
   */
  dryRun?: boolean;
}

/** A product type of the catalogue. */
export interface ProductType {
  name: string;
  productId: string;
}

/** The warranty terms of one item of an order (null when the catalogue has none for its product). */
export interface OrderItemWarranty {
  itemId: string;
  productId: string;
  name: string;
  warranty: WarrantyTerms | null;
}

export interface ItemSwapRequest {
  orderId: string;
  /** Items of the order; may repeat when the order holds the same variant twice. */
  itemIds: readonly string[];
  /** Same length and positions as `itemIds`: available variants of the same products. */
  newItemIds: readonly string[];
  /** Pays or receives the price difference. */
  paymentMethodId: string;
}

/**
 * Customers, orders and the catalogue, as the order tools need them. Lookups answer null for what does not
 * exist; writes follow the τ-bench retail rules (same checks, order and messages) and run atomically.
 * Who may see what is the tools' business: the store answers for any customer.
 */
export interface CommerceStore {
  /** Case-insensitive, like the benchmark. */
  findCustomerIdByEmail(email: string): Promise<string | null>;
  /** First and last name case-insensitive, zip exact; the first match when several customers share them. */
  findCustomerIdByNameAndZip(query: {
    firstName: string;
    lastName: string;
    zip: string;
  }): Promise<string | null>;
  getCustomer(customerId: string): Promise<Customer | null>;
  getOrder(orderId: string): Promise<Order | null>;
  getProduct(productId: string): Promise<Product | null>;
  /** Sorted by name. */
  listProductTypes(): Promise<ProductType[]>;
  /** The carrier's view of the order's parcels; empty when none are on record. */
  getOrderShipments(orderId: string): Promise<Shipment[]>;
  /** The warranty terms of each item of the order, in order; null when the order does not exist. */
  getOrderWarranties(orderId: string): Promise<OrderItemWarranty[] | null>;

  cancelPendingOrder(
    request: { orderId: string; reason: string },
    options?: WriteOptions,
  ): Promise<WriteOutcome<OrderChange>>;
  modifyPendingOrderAddress(
    request: { orderId: string; address: Address },
    options?: WriteOptions,
  ): Promise<WriteOutcome<OrderChange>>;
  modifyPendingOrderPayment(
    request: { orderId: string; paymentMethodId: string },
    options?: WriteOptions,
  ): Promise<WriteOutcome<OrderChange>>;
  modifyPendingOrderItems(
    request: ItemSwapRequest,
    options?: WriteOptions,
  ): Promise<WriteOutcome<OrderChange>>;
  exchangeDeliveredOrderItems(
    request: ItemSwapRequest,
    options?: WriteOptions,
  ): Promise<WriteOutcome<OrderChange>>;
  returnDeliveredOrderItems(
    request: { orderId: string; itemIds: readonly string[]; paymentMethodId: string },
    options?: WriteOptions,
  ): Promise<WriteOutcome<OrderChange>>;
  modifyCustomerAddress(
    request: { customerId: string; address: Address },
    options?: WriteOptions,
  ): Promise<WriteOutcome<Customer>>;

  close(): Promise<void>;
}

/** Bulk access for seeding, importing and comparing whole states; not for tools. */
export interface CommerceDatasetStore {
  /**
   * Adds every record in one transaction: on any conflict or broken reference nothing is added, and the
   * error says what was wrong.
   */
  importDataset(dataset: CommerceDataset): Promise<CommerceCounts>;
  exportDataset(): Promise<CommerceDataset>;
  counts(): Promise<CommerceCounts>;
}
