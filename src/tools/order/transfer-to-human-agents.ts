import { z } from 'zod';
import { RequiredText } from './order-tool-support';
import { defineTool, type AnyToolDefinition } from '../define-tool';

export const TransferToHumanAgentsInput = z.object({
  summary: RequiredText()
    .refine((summary) => summary.length <= 2000, 'at most 2000 characters')
    .describe("The customer's issue and what was done so far"),
});
export type TransferToHumanAgentsInput = z.infer<typeof TransferToHumanAgentsInput>;

/**
 * `transfer_to_human_agents`: records the request for a person; the handoff module acts on it after the turn.
 * Anyone may ask for a person, verified or not.
 */
export function createTransferToHumanAgentsTool(): AnyToolDefinition {
  return defineTool({
    name: 'transfer_to_human_agents',
    description:
      'Hand the conversation to a person. Use when the customer asks for one or you cannot help.',
    kind: 'handoff',
    input: TransferToHumanAgentsInput,
    execute: ({ summary }, context): Promise<string> => {
      context.requestHandoff({ summary });
      return Promise.resolve('Transfer successful');
    },
  });
}
