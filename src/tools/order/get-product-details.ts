import { z } from 'zod';
import { toTauProduct, type TauProduct } from '../../commerce/tau-format';
import { ToolError } from '../../shared/errors';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import { RequiredText, type OrderToolDependencies } from './order-tool-support';

export const GetProductDetailsInput = z.object({
  product_id: RequiredText().describe('From list_all_product_types or an order item'),
});
export type GetProductDetailsInput = z.infer<typeof GetProductDetailsInput>;

/** `get_product_details`: the catalogue is public, so it runs before verification. */
export function createGetProductDetailsTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'get_product_details',
    description:
      "A product's variants (item id, options, availability, price), description and warranty.",
    kind: 'read',
    input: GetProductDetailsInput,
    execute: async ({ product_id }): Promise<TauProduct> => {
      const product = await store.getProduct(product_id);
      if (product === null) throw new ToolError('product not found');
      return toTauProduct(product);
    },
  });
}
