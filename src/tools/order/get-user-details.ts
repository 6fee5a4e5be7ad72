import { z } from 'zod';
import { toTauUser, type TauUser } from '../../commerce/tau-format';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import { loadOwnCustomer, type OrderToolDependencies, RequiredText } from './order-tool-support';

export const GetUserDetailsInput = z.object({ user_id: RequiredText() });
export type GetUserDetailsInput = z.infer<typeof GetUserDetailsInput>;

/** `get_user_details`: the verified customer's profile; any other user id is answered "user not found". */
export function createGetUserDetailsTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'get_user_details',
    description:
      "The verified customer's profile: name, address, email, payment methods, order ids.",
    kind: 'read',
    input: GetUserDetailsInput,
    execute: async ({ user_id }, context): Promise<TauUser> =>
      toTauUser(await loadOwnCustomer({ store, context, userId: user_id })),
  });
}
