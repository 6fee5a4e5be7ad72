import { z } from 'zod';
import { toTauOrder, type TauOrder } from '../../commerce/tau-format';
import { defineTool, type AnyToolDefinition, type ChangeSummary } from '../define-tool';
import {
  AddressFields,
  describeAddress,
  loadOwnOrder,
  OrderId,
  toAddress,
  unwrapWrite,
  type OrderToolDependencies,
} from './order-tool-support';

export const ModifyPendingOrderAddressInput = z.object({ order_id: OrderId, ...AddressFields });
export type ModifyPendingOrderAddressInput = z.infer<typeof ModifyPendingOrderAddressInput>;

/** `modify_pending_order_address`: changes where a pending order will be shipped. */
export function createModifyPendingOrderAddressTool({
  store,
}: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'modify_pending_order_address',
    description: 'Change the shipping address of a pending order.',
    kind: 'write',
    input: ModifyPendingOrderAddressInput,
    execute: async (input, context): Promise<TauOrder> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      const change = unwrapWrite(
        await store.modifyPendingOrderAddress({ orderId: order.id, address: toAddress(input) }),
      );
      return toTauOrder(change.order);
    },
    preview: async (input, context): Promise<ChangeSummary> => {
      const order = await loadOwnOrder({ store, context, orderId: input.order_id });
      const change = unwrapWrite(
        await store.modifyPendingOrderAddress(
          { orderId: order.id, address: toAddress(input) },
          { dryRun: true },
        ),
      );
      return {
        title: `Change the shipping address of order ${order.id}`,
        details: [
          `New address: ${describeAddress(change.order.address)}`,
          `Current address: ${describeAddress(order.address)}`,
        ],
      };
    },
  });
}
