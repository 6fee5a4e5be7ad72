/**
 * What the offline model recognises in a customer's message. `affirm` and `deny` are a plain yes or no said
 * when no change is waiting for confirmation (the confirmation gate in `conversation/` reads those itself).
 * `avatar` asks for a profile picture ("make me an avatar of a fox astronaut").
 */
export const INTENTS = [
  'verify',
  'order_status',
  'list_orders',
  'track',
  'warranty',
  'policy_question',
  'cancel',
  'change_address',
  'change_payment',
  'change_items',
  'return',
  'exchange',
  'talk_to_person',
  'greeting',
  'thanks',
  'goodbye',
  'affirm',
  'deny',
  'avatar',
  'unknown',
] as const;

export type Intent = (typeof INTENTS)[number];

/** Requests the dialogue works towards across several messages, collecting what it needs on the way. */
export const TASK_INTENTS = [
  'order_status',
  'list_orders',
  'track',
  'warranty',
  'policy_question',
  'cancel',
  'change_address',
  'change_payment',
  'change_items',
  'return',
  'exchange',
] as const;

export type TaskIntent = (typeof TASK_INTENTS)[number];

export function isTaskIntent(intent: Intent): intent is TaskIntent {
  return (TASK_INTENTS as readonly string[]).includes(intent);
}

export function isIntent(value: string): value is Intent {
  return (INTENTS as readonly string[]).includes(value);
}

/** Tasks that change an order or the account, and so end in a write tool the customer must confirm. */
export const WRITE_INTENTS: ReadonlySet<TaskIntent> = new Set([
  'cancel',
  'change_address',
  'change_payment',
  'change_items',
  'return',
  'exchange',
]);
