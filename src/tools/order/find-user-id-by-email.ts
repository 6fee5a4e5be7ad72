import { z } from 'zod';
import { ToolError } from '../../shared/errors';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import {
  USER_NOT_FOUND,
  verifyFoundCustomer,
  type OrderToolDependencies,
  RequiredText,
} from './order-tool-support';

const Email = RequiredText();
const Zip = RequiredText();

export const FindUserIdByEmailInput = z.object({ email: Email });
export type FindUserIdByEmailInput = z.infer<typeof FindUserIdByEmailInput>;

export const FindUserIdByEmailAndZipInput = z.object({ email: Email, zip: Zip });
export type FindUserIdByEmailAndZipInput = z.infer<typeof FindUserIdByEmailAndZipInput>;

/**
 * `find_user_id_by_email`: verifies the customer and answers their user id. Under `identifier_and_zip` the
 * zip code on file is required too, and a wrong zip is answered exactly like an unknown email, so the tool
 * never confirms that an account exists.
 */
export function createFindUserIdByEmailTool({
  store,
  verificationRule,
}: OrderToolDependencies): AnyToolDefinition {
  if (verificationRule === 'email_or_name_and_zip') {
    return defineTool({
      name: 'find_user_id_by_email',
      description: "Verify the customer by their account's email. Returns their user id.",
      kind: 'identity',
      input: FindUserIdByEmailInput,
      execute: async ({ email }, context) => {
        const customerId = await store.findCustomerIdByEmail(email);
        if (customerId === null) throw new ToolError(USER_NOT_FOUND);
        return verifyFoundCustomer(context, customerId);
      },
    });
  }
  return defineTool({
    name: 'find_user_id_by_email',
    description:
      "Verify the customer by their account's email and zip code. Returns their user id.",
    kind: 'identity',
    input: FindUserIdByEmailAndZipInput,
    execute: async ({ email, zip }, context) => {
      const customerId = await store.findCustomerIdByEmail(email);
      const customer = customerId === null ? null : await store.getCustomer(customerId);
      if (customer === null || customer.address.zip !== zip) throw new ToolError(USER_NOT_FOUND);
      return verifyFoundCustomer(context, customer.id);
    },
  });
}
