import { z } from 'zod';
import { formatMoney } from '../../commerce/money';
import { toTauOrder, type TauOrder } from '../../commerce/tau-format';
import { defineTool, type AnyToolDefinition, type ChangeSummary } from '../define-tool';
import {
  describePaymentMethod,
  findPaymentMethod,
  loadOwnCustomer,
  loadOwnOrder,
  OrderId,
  PaymentMethodId,
  refundTiming,
  unwrapWrite,
  type OrderToolDependencies,
} from './order-tool-support';

export const ModifyPendingOrderPaymentInput = z.object({
  order_id: OrderId,
  payment_method_id: PaymentMethodId,
});
export type ModifyPendingOrderPaymentInput = z.infer<typeof ModifyPendingOrderPaymentInput>;

/** `modify_pending_order_payment`: pays a pending order with another method and refunds the first one. */
export function createModifyPendingOrderPaymentTool({
  store,
}: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'modify_pending_order_payment',
    description:
      "Pay a pending order with another of the customer's payment methods; the current one is refunded.",
    kind: 'write',
    input: ModifyPendingOrderPaymentInput,
    execute: async (input, context): Promise<TauOrder> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      const change = unwrapWrite(
        await store.modifyPendingOrderPayment({
          orderId: order.id,
          paymentMethodId: input.payment_method_id,
        }),
      );
      return toTauOrder(change.order);
    },
    preview: async (input, context): Promise<ChangeSummary> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      unwrapWrite(
        await store.modifyPendingOrderPayment(
          { orderId: order.id, paymentMethodId: input.payment_method_id },
          { dryRun: true },
        ),
      );
      const customer = await loadOwnCustomer({ store, context, userId: order.customerId });
      // The dry run accepted it, so the order has exactly one payment row.
      const [payment] = order.paymentHistory;
      const amount = formatMoney(payment?.amountCents ?? 0);
      const newMethod = findPaymentMethod(customer, input.payment_method_id);
      const oldMethod = findPaymentMethod(customer, payment?.paymentMethodId ?? '');
      return {
        title: `Change the payment method of order ${order.id}`,
        details: [
          `Pay ${amount} with ${describePaymentMethod(newMethod, input.payment_method_id)}`,
          `Refund ${amount} to ${describePaymentMethod(oldMethod, payment?.paymentMethodId ?? '')}, ${refundTiming(oldMethod)}`,
        ],
      };
    },
  });
}
