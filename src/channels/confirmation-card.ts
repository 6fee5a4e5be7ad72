import { ActionTypes, CardFactory, type Attachment } from 'botbuilder';
import type { ChangeSummary } from '../conversation/reply-parts';

/** What a confirmation button posts back. The bot reads exactly this shape from `activity.value`. */
export interface ConfirmationValue {
  confirmation: { id: string; decision: 'yes' | 'no' };
}

/**
 * The exact change and two buttons. `messageBack` posts the decision as `value` with the confirmation id, so a
 * press answers this confirmation and no other, and shows the customer's choice as their own message.
 */
export function confirmationCard(id: string, summary: ChangeSummary): Attachment {
  const button = (decision: 'yes' | 'no', title: string, displayText: string) => ({
    type: ActionTypes.MessageBack,
    title,
    text: decision,
    displayText,
    value: { confirmation: { id, decision } } satisfies ConfirmationValue,
  });
  return CardFactory.heroCard(summary.title, summary.details.join('\n\n'), undefined, [
    button('yes', 'Yes, go ahead', 'Yes'),
    button('no', 'No, leave it', 'No'),
  ]);
}

/** Reads a confirmation button's value; anything else is not a confirmation. */
export function readConfirmationValue(value: unknown): ConfirmationValue['confirmation'] | null {
  if (typeof value !== 'object' || value === null || !('confirmation' in value)) return null;
  const confirmation = value.confirmation;
  if (typeof confirmation !== 'object' || confirmation === null) return null;
  const { id, decision } = confirmation as { id?: unknown; decision?: unknown };
  if (typeof id !== 'string' || id.length === 0 || id.length > 100) return null;
  if (decision !== 'yes' && decision !== 'no') return null;
  return { id, decision };
}
