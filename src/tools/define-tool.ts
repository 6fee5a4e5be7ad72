import { z } from 'zod';

/**
 * How a tool may run:
 * - `read` runs when the model asks, against the verified customer's data only;
 * - `identity` runs when the model asks and may verify the customer (only code sets who is verified);
 * - `write` never runs on the model's word: the turn stops with a confirmation and runs it after the
 *   customer's explicit yes;
 * - `handoff` hands the conversation to people;
 * - `profile` changes only how the customer appears in the chat (their avatar): it runs when the model asks,
 *   without a confirmation, because nothing of value changes (no order, money or account data) and a new
 *   avatar simply replaces the old one; code bounds it (a daily limit per customer).
 */
export type ToolKind = 'read' | 'identity' | 'write' | 'handoff' | 'profile';

/** How a customer proves who they are before any of their data is shown. */
export type VerificationRule =
  /** An email or a full name, and in both cases the zip code on file. */
  | 'identifier_and_zip'
  /** τ-bench's rule: an email alone, or a full name with the zip code. */
  | 'email_or_name_and_zip';

/** What a tool knows about the conversation. The model never sets any of this. */
export interface ToolContext {
  /** The verified customer, or null before verification. Set in code by identity tools only. */
  readonly customerId: string | null;
  readonly verificationRule: VerificationRule;
  /** Called by identity tools when the customer has proven who they are. */
  verifyCustomer(customerId: string): void;
  /** Records that the customer asked for a person; the handoff module picks it up after the turn. */
  requestHandoff(request: { summary: string }): void;
  readonly conversationId: string;
  readonly channelId: string;
  readonly now: () => Date;
  readonly signal?: AbortSignal;
}

/** What the customer is asked to confirm before a write runs: the exact change, in plain words. */
export interface ChangeSummary {
  /** One line, e.g. "Cancel order #W1234567". */
  title: string;
  /** The details that make it exact: items, amounts, addresses, payment method. */
  details: string[];
}

export interface ToolDefinition<Input extends z.ZodType = z.ZodType> {
  /** snake_case, stable: histories and the conformance suite refer to it. */
  name: string;
  /** Product copy the model reads: say when to use the tool and what it returns. */
  description: string;
  kind: ToolKind;
  input: Input;
  /**
   * Runs the tool. Returns a JSON-serialisable value (strings are passed to the model as they are).
   * Throws ToolError for failures the model should read ("order not found").
   */
  execute(input: z.infer<Input>, context: ToolContext): Promise<unknown>;
  /**
   * Write tools only: checks everything `execute` would check, changes nothing, and says what will change.
   * Throws ToolError exactly where `execute` would, so a doomed change is never put to the customer.
   */
  preview?(input: z.infer<Input>, context: ToolContext): Promise<ChangeSummary>;
}

/** Declares a tool with its input type inferred from the zod schema. */
export function defineTool<Input extends z.ZodType>(definition: ToolDefinition<Input>): ToolDefinition<Input> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) {
    throw new Error(`tool name must be snake_case: ${definition.name}`);
  }
  if (definition.kind === 'write' && definition.preview === undefined) {
    throw new Error(`write tool ${definition.name} needs a preview`);
  }
  return definition;
}

/**
 * Tools of different input types in one list. `execute` and `preview` are methods, so TypeScript accepts a
 * tool with a narrower input here; the registry validates input with the tool's own schema before calling.
 */
export type AnyToolDefinition = ToolDefinition<z.ZodType>;
