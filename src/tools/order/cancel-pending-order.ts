import { z } from 'zod';
import type { OrderChange } from '../../commerce/commerce-store';
import { formatMoney } from '../../commerce/money';
import { toTauOrder, type TauOrder } from '../../commerce/tau-format';
import { CANCEL_REASONS, type Customer, type Order } from '../../commerce/types';
import { defineTool, type AnyToolDefinition, type ChangeSummary } from '../define-tool';
import {
  describeItem,
  describePaymentMethod,
  findPaymentMethod,
  loadOwnCustomer,
  loadOwnOrder,
  OrderId,
  refundTiming,
  unwrapWrite,
  type OrderToolDependencies,
} from './order-tool-support';

export const CancelPendingOrderInput = z.object({
  order_id: OrderId,
  reason: z.enum(CANCEL_REASONS),
});
export type CancelPendingOrderInput = z.infer<typeof CancelPendingOrderInput>;

/** `cancel_pending_order`: cancels a pending order and refunds what was paid. */
export function createCancelPendingOrderTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'cancel_pending_order',
    description:
      'Cancel a pending order. Refunds reach gift cards at once, other methods in 5-7 business days.',
    kind: 'write',
    input: CancelPendingOrderInput,
    execute: async ({ order_id, reason }, context): Promise<TauOrder> => {
      const order = await loadOwnOrder({ store, context, orderId: order_id });
      return toTauOrder(
        unwrapWrite(await store.cancelPendingOrder({ orderId: order.id, reason })).order,
      );
    },
    preview: async ({ order_id, reason }, context): Promise<ChangeSummary> => {
      const order = await loadOwnOrder({ store, context, orderId: order_id });
      const change = unwrapWrite(
        await store.cancelPendingOrder({ orderId: order.id, reason }, { dryRun: true }),
      );
      return {
        title: `Cancel order ${order.id}`,
        details: [
          `Items: ${order.items.map(describeItem).join('; ')}`,
          `Reason: ${reason}`,
          ...describeRefunds(
            order,
            change,
            await loadOwnCustomer({ store, context, userId: order.customerId }),
          ),
        ],
      };
    },
  });
}

/** The refund rows the cancellation adds, with where and when the money arrives. */
function describeRefunds(before: Order, change: OrderChange, customer: Customer): string[] {
  return change.order.paymentHistory.slice(before.paymentHistory.length).map((refund) => {
    const method = findPaymentMethod(customer, refund.paymentMethodId);
    return `Refund ${formatMoney(refund.amountCents)} to ${describePaymentMethod(method, refund.paymentMethodId)}, ${refundTiming(method)}`;
  });
}
