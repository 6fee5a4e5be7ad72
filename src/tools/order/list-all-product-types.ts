import { z } from 'zod';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import type { OrderToolDependencies } from './order-tool-support';

export const ListAllProductTypesInput = z.object({});
export type ListAllProductTypesInput = z.infer<typeof ListAllProductTypesInput>;

/** `list_all_product_types`: `{ name: product id }` sorted by name, as τ-bench answers; public. */
export function createListAllProductTypesTool({ store }: OrderToolDependencies): AnyToolDefinition {
  return defineTool({
    name: 'list_all_product_types',
    description: 'All product types in the catalogue, by name, with their product ids.',
    kind: 'read',
    input: ListAllProductTypesInput,
    execute: async (): Promise<Record<string, string>> => {
      const types = await store.listProductTypes();
      return Object.fromEntries(types.map((type) => [type.name, type.productId]));
    },
  });
}
