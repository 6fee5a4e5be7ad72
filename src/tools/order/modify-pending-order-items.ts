import { toTauOrder, type TauOrder } from '../../commerce/tau-format';
import { defineTool, type AnyToolDefinition, type ChangeSummary } from '../define-tool';
import { describePriceDifference, describeSwaps } from './item-swap-summary';
import {
  ItemSwapInput,
  itemSwapRequest,
  loadOwnCustomer,
  loadOwnOrder,
  unwrapWrite,
  type OrderToolDependencies,
} from './order-tool-support';

export const ModifyPendingOrderItemsInput = ItemSwapInput;
export type ModifyPendingOrderItemsInput = ItemSwapInput;

/** `modify_pending_order_items`: swaps items of a pending order for other variants; allowed once per order. */
export function createModifyPendingOrderItemsTool({
  store,
}: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'modify_pending_order_items',
    description:
      'Swap items of a pending order for available variants of the same products; price difference charged or refunded. Once per order: include all items.',
    kind: 'write',
    input: ModifyPendingOrderItemsInput,
    execute: async (input, context): Promise<TauOrder> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      return toTauOrder(
        unwrapWrite(await store.modifyPendingOrderItems(itemSwapRequest(input, order.id))).order,
      );
    },
    preview: async (input, context): Promise<ChangeSummary> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      const change = unwrapWrite(
        await store.modifyPendingOrderItems(itemSwapRequest(input, order.id), { dryRun: true }),
      );
      const customer = await loadOwnCustomer({ store, context, userId: order.customerId });
      const difference =
        change.order.items.reduce((sum, item) => sum + item.priceCents, 0) -
        order.items.reduce((sum, item) => sum + item.priceCents, 0);
      return {
        title: `Change items of order ${order.id}`,
        details: [
          ...(await describeSwaps({
            store,
            order,
            itemIds: input.item_ids,
            newItemIds: input.new_item_ids,
          })),
          describePriceDifference({
            differenceCents: difference,
            customer,
            paymentMethodId: input.payment_method_id,
          }),
          'After this, the items of this order cannot be changed again.',
        ],
      };
    },
  });
}
