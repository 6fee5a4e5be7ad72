import { z } from 'zod';
import { ToolError } from '../../shared/errors';
import { defineTool, type AnyToolDefinition } from '../define-tool';
import { ArithmeticError, evaluateArithmetic, formatLikePython } from './arithmetic';

export const CalculateInput = z.object({
  expression: z
    .string()
    .refine((expression) => expression.length <= 500, 'at most 500 characters')
    .describe('e.g. "(49.99 - 10) * 2"'),
});
export type CalculateInput = z.infer<typeof CalculateInput>;

/** `calculate`: arithmetic for the model, which is unreliable at it; touches no data, so needs no verification. */
export function createCalculateTool(): AnyToolDefinition {
  return defineTool({
    name: 'calculate',
    description:
      'Evaluate arithmetic: numbers, + - * /, parentheses. Result rounded to 2 decimals.',
    kind: 'read',
    input: CalculateInput,
    execute: ({ expression }): Promise<string> => {
      try {
        return Promise.resolve(formatLikePython(evaluateArithmetic(expression)));
      } catch (error) {
        if (error instanceof ArithmeticError) return Promise.reject(new ToolError(error.message));
        throw error;
      }
    },
  });
}
