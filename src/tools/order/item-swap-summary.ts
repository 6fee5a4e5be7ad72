import type { CommerceStore } from '../../commerce/commerce-store';
import { formatMoney } from '../../commerce/money';
import type { Customer, Order } from '../../commerce/types';
import {
  describeItem,
  describePaymentMethod,
  findPaymentMethod,
  itemsForIds,
  refundTiming,
} from './order-tool-support';

/** One line per swapped unit: "Water Bottle: 1000ml, glass, blue → 500ml, steel, red ($47.84 → $52.10)". */
export async function describeSwaps(request: {
  store: CommerceStore;
  order: Order;
  itemIds: readonly string[];
  newItemIds: readonly string[];
}): Promise<string[]> {
  const { store, order } = request;
  const lines: string[] = [];
  const items = itemsForIds(order, request.itemIds);
  for (const [index, item] of items.entries()) {
    const newItemId = request.newItemIds[index] ?? '';
    const product = await store.getProduct(item.productId);
    const variant = product?.variants.find((candidate) => candidate.itemId === newItemId);
    const newOptions =
      variant === undefined ? newItemId : Object.values(variant.options).join(', ');
    const oldOptions = Object.values(item.options).join(', ');
    const prices =
      variant === undefined
        ? ''
        : ` (${formatMoney(item.priceCents)} → ${formatMoney(variant.priceCents)})`;
    lines.push(
      `${item.name}: ${oldOptions === '' ? describeItem(item) : oldOptions} → ${newOptions}${prices}`,
    );
  }
  return lines;
}

/** Who pays the price difference, or who gets it back. */
export function describePriceDifference(options: {
  differenceCents: number;
  customer: Customer;
  paymentMethodId: string;
}): string {
  const { differenceCents, customer, paymentMethodId } = options;
  const method = findPaymentMethod(customer, paymentMethodId);
  const described = describePaymentMethod(method, paymentMethodId);
  if (differenceCents > 0)
    return `The customer pays ${formatMoney(differenceCents)} with ${described}`;
  if (differenceCents < 0) {
    return `The customer is refunded ${formatMoney(-differenceCents)} to ${described}, ${refundTiming(method)}`;
  }
  return 'No price difference';
}
