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

export const ExchangeDeliveredOrderItemsInput = ItemSwapInput;
export type ExchangeDeliveredOrderItemsInput = ItemSwapInput;

/** `exchange_delivered_order_items`: requests an exchange of delivered items; one return or exchange per order. */
export function createExchangeDeliveredOrderItemsTool({
  store,
}: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'exchange_delivered_order_items',
    description:
      'Request an exchange of delivered items for available variants of the same products; price difference charged or refunded. One return or exchange per order: include all items.',
    kind: 'write',
    input: ExchangeDeliveredOrderItemsInput,
    execute: async (input, context): Promise<TauOrder> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      return toTauOrder(
        unwrapWrite(await store.exchangeDeliveredOrderItems(itemSwapRequest(input, order.id)))
          .order,
      );
    },
    preview: async (input, context): Promise<ChangeSummary> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      const change = unwrapWrite(
        await store.exchangeDeliveredOrderItems(itemSwapRequest(input, order.id), { dryRun: true }),
      );
      const customer = await loadOwnCustomer({ store, context, userId: order.customerId });
      return {
        title: `Exchange items of order ${order.id}`,
        details: [
          ...(await describeSwaps({
            store,
            order,
            itemIds: input.item_ids,
            newItemIds: input.new_item_ids,
          })),
          describePriceDifference({
            differenceCents: change.order.exchange?.priceDifferenceCents ?? 0,
            customer,
            paymentMethodId: input.payment_method_id,
          }),
          'A return label follows by email. No other return or exchange can be added to this order.',
        ],
      };
    },
  });
}
