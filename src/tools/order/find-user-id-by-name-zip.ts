import { z } from 'zod';
import { ToolError } from '../../shared/errors';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import {
  USER_NOT_FOUND,
  verifyFoundCustomer,
  type OrderToolDependencies,
  RequiredText,
} from './order-tool-support';

export const FindUserIdByNameZipInput = z.object({
  first_name: RequiredText(),
  last_name: RequiredText(),
  zip: RequiredText(),
});
export type FindUserIdByNameZipInput = z.infer<typeof FindUserIdByNameZipInput>;

/** `find_user_id_by_name_zip`: verifies the customer by full name and the zip code on file. */
export function createFindUserIdByNameZipTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'find_user_id_by_name_zip',
    description:
      "Verify the customer by first name, last name and their account's zip code. Returns their user id.",
    kind: 'identity',
    input: FindUserIdByNameZipInput,
    execute: async (input, context) => {
      const customerId = await store.findCustomerIdByNameAndZip({
        firstName: input.first_name,
        lastName: input.last_name,
        zip: input.zip,
      });
      if (customerId === null) throw new ToolError(USER_NOT_FOUND);
      return verifyFoundCustomer(context, customerId);
    },
  });
}
