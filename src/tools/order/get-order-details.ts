import { z } from 'zod';
import { toTauOrder, type TauOrder } from '../../commerce/tau-format';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import { loadOwnOrder, OrderId, type OrderToolDependencies } from './order-tool-support';

export const GetOrderDetailsInput = z.object({ order_id: OrderId });
export type GetOrderDetailsInput = z.infer<typeof GetOrderDetailsInput>;

/** `get_order_details`: one of the verified customer's orders; anyone else's is answered "order not found". */
export function createGetOrderDetailsTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'get_order_details',
    description:
      "One of the verified customer's orders: status, items, address, shipments, payments, placed date.",
    kind: 'read',
    input: GetOrderDetailsInput,
    execute: async ({ order_id }, context): Promise<TauOrder> =>
      toTauOrder(await loadOwnOrder({ store, context, orderId: order_id })),
  });
}
