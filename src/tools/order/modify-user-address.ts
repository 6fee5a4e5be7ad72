import { z } from 'zod';
import { toTauUser, type TauUser } from '../../commerce/tau-format';
import { defineTool, type AnyToolDefinition, type ChangeSummary } from '../define-tool';
import {
  AddressFields,
  describeAddress,
  loadOwnCustomer,
  toAddress,
  unwrapWrite,
  type OrderToolDependencies,
  RequiredText,
} from './order-tool-support';

export const ModifyUserAddressInput = z.object({
  user_id: RequiredText(),
  ...AddressFields,
});
export type ModifyUserAddressInput = z.infer<typeof ModifyUserAddressInput>;

/** `modify_user_address`: the verified customer's default address; placed orders keep theirs. */
export function createModifyUserAddressTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'modify_user_address',
    description: "Change the verified customer's default address. Placed orders keep theirs.",
    kind: 'write',
    input: ModifyUserAddressInput,
    execute: async (input, context): Promise<TauUser> => {
      const customer = await loadOwnCustomer({ store, context, userId: input.user_id });
      return toTauUser(
        unwrapWrite(
          await store.modifyCustomerAddress({ customerId: customer.id, address: toAddress(input) }),
        ),
      );
    },
    preview: async (input, context): Promise<ChangeSummary> => {
      const customer = await loadOwnCustomer({ store, context, userId: input.user_id });
      const changed = unwrapWrite(
        await store.modifyCustomerAddress(
          { customerId: customer.id, address: toAddress(input) },
          { dryRun: true },
        ),
      );
      return {
        title: 'Change the default address on the account',
        details: [
          `New address: ${describeAddress(changed.address)}`,
          `Current address: ${describeAddress(customer.address)}`,
          'Orders already placed keep their shipping address.',
        ],
      };
    },
  });
}
