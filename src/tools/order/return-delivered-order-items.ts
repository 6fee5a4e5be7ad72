import { z } from 'zod';
import { formatMoney } from '../../commerce/money';
import { toTauOrder, type TauOrder } from '../../commerce/tau-format';
import { defineTool, type AnyToolDefinition, type ChangeSummary } from '../define-tool';
import {
  describeItem,
  describePaymentMethod,
  findPaymentMethod,
  ItemIds,
  itemsForIds,
  loadOwnCustomer,
  loadOwnOrder,
  OrderId,
  PaymentMethodId,
  unwrapWrite,
  type OrderToolDependencies,
} from './order-tool-support';

export const ReturnDeliveredOrderItemsInput = z.object({
  order_id: OrderId,
  item_ids: ItemIds,
  payment_method_id: PaymentMethodId.describe(
    'For the refund: the original payment method or a gift card',
  ),
});
export type ReturnDeliveredOrderItemsInput = z.infer<typeof ReturnDeliveredOrderItemsInput>;

/** `return_delivered_order_items`: requests a return; one return or exchange per order. */
export function createReturnDeliveredOrderItemsTool({
  store,
}: OrderToolDependencies): AnyToolDefinition {
  const request = (input: ReturnDeliveredOrderItemsInput, orderId: string) => ({
    orderId,
    itemIds: input.item_ids,
    paymentMethodId: input.payment_method_id,
  });
  return defineTool({
    name: 'return_delivered_order_items',
    description:
      'Request a return of delivered items. One return or exchange per order: include all items.',
    kind: 'write',
    input: ReturnDeliveredOrderItemsInput,
    execute: async (input, context): Promise<TauOrder> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      return toTauOrder(
        unwrapWrite(await store.returnDeliveredOrderItems(request(input, order.id))).order,
      );
    },
    preview: async (input, context): Promise<ChangeSummary> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      unwrapWrite(
        await store.returnDeliveredOrderItems(request(input, order.id), { dryRun: true }),
      );
      const customer = await loadOwnCustomer({ store, context, userId: order.customerId });
      const items = itemsForIds(order, input.item_ids);
      const total = items.reduce((sum, item) => sum + item.priceCents, 0);
      const method = findPaymentMethod(customer, input.payment_method_id);
      return {
        title: `Return items of order ${order.id}`,
        details: [
          ...items.map((item) => `${describeItem(item)}: ${formatMoney(item.priceCents)}`),
          `Refund ${formatMoney(total)} to ${describePaymentMethod(method, input.payment_method_id)} when the items arrive, ${method?.kind === 'gift_card' ? 'available at once' : 'then 5–7 business days to appear'}`,
          'A return label follows by email. No other return or exchange can be added to this order.',
        ],
      };
    },
  });
}
