import { z } from 'zod';
import { assessWarranty, deliveryTimesByItem } from '../../commerce/warranty';
import { ToolError } from '../../shared/errors';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import {
  loadOwnOrder,
  OrderId,
  type OrderToolDependencies,
  RequiredText,
} from './order-tool-support';

export const CheckWarrantyInput = z.object({
  order_id: OrderId,
  item_id: RequiredText().optional().describe('One item of the order; omit for all'),
});
export type CheckWarrantyInput = z.infer<typeof CheckWarrantyInput>;

export interface WarrantyItemView {
  item_id: string;
  name: string;
  /** The warranty policy's category, or null when the catalogue has no terms for the product. */
  category: string | null;
  /** `YYYY-MM-DD`. */
  purchased_at: string | null;
  /** `YYYY-MM-DD`: coverage starts on delivery. */
  delivered_at: string | null;
  coverage_months: number | null;
  /** `YYYY-MM-DD`, the last covered day. */
  coverage_ends: string | null;
  in_warranty: boolean | null;
  terms: string | null;
}

export interface CheckWarrantyOutput {
  order_id: string;
  items: WarrantyItemView[];
  note?: string;
}

/** `check_warranty`: each item's coverage against today's date, for one of the verified customer's orders. */
export function createCheckWarrantyTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'check_warranty',
    description:
      "Warranty of an order's items: coverage months, end date, whether covered today, terms.",
    kind: 'read',
    input: CheckWarrantyInput,
    execute: async ({ order_id, item_id }, context): Promise<CheckWarrantyOutput> => {
      const order = await loadOwnOrder({ store, context, orderId: order_id });
      const warranties = (await store.getOrderWarranties(order.id)) ?? [];
      const selected =
        item_id === undefined ? warranties : warranties.filter((entry) => entry.itemId === item_id);
      if (selected.length === 0)
        throw new ToolError(`item ${item_id ?? ''} is not in order ${order.id}`);
      const deliveries = deliveryTimesByItem(await store.getOrderShipments(order.id));
      const now = context.now();
      const items = selected.map((entry): WarrantyItemView => {
        const status = assessWarranty({
          terms: entry.warranty,
          deliveredAt: deliveries.get(entry.itemId) ?? null,
          orderStatus: order.status,
          now,
        });
        return {
          item_id: entry.itemId,
          name: entry.name,
          category: entry.warranty?.category ?? null,
          purchased_at: order.placedAt?.slice(0, 10) ?? null,
          delivered_at: status.deliveredOn,
          coverage_months: entry.warranty?.coverageMonths ?? null,
          coverage_ends: status.coverageEnds,
          in_warranty: status.inWarranty,
          terms: entry.warranty?.terms ?? null,
        };
      });
      const note = warrantyNote(order.status, items);
      return note === null ? { order_id: order.id, items } : { order_id: order.id, items, note };
    },
  });
}

/** Why some answers are unknown, so the model says so instead of guessing. */
function warrantyNote(status: string, items: readonly WarrantyItemView[]): string | null {
  if (status === 'cancelled') return 'The order was cancelled, so its items have no warranty.';
  if (items.some((item) => item.terms === null)) {
    return 'No warranty terms are on file for some items: check the warranty policy with search_policies.';
  }
  if (items.some((item) => item.delivered_at === null)) {
    return 'Coverage starts on delivery; some items have no delivery date on file yet.';
  }
  return null;
}
