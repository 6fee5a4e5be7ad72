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

/** The `Action.Execute` verb of the Teams confirmation card's buttons. */
export const CONFIRMATION_VERB = 'confirmation';

/**
 * The Teams form of the confirmation: an Adaptive Card whose buttons are `Action.Execute`, so the bot can redraw
 * the card with the decision once the change ran (Teams replaces it in place). Clients without Universal Actions
 * fall back to `Action.Submit`, which posts the same value as a message.
 */
export function adaptiveConfirmationCard(id: string, summary: ChangeSummary): Attachment {
  const button = (decision: 'yes' | 'no', title: string) => {
    const data: ConfirmationValue = { confirmation: { id, decision } };
    return {
      type: 'Action.Execute',
      title,
      verb: CONFIRMATION_VERB,
      data,
      ...(decision === 'yes' ? { style: 'positive' } : {}),
      fallback: { type: 'Action.Submit', title, data },
    };
  };
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: summaryBlocks(summary),
    actions: [button('yes', 'Yes, go ahead'), button('no', 'No, leave it')],
  });
}

/** How a confirmation ended, as its card shows it afterwards. */
export type ConfirmationResult = 'done' | 'failed' | 'declined' | 'stale';

const RESULT_LINES: Record<ConfirmationResult, string> = {
  done: '✅ Confirmed: done.',
  failed: '⚠️ Confirmed, but it could not be done. See the message below.',
  declined: 'Declined: nothing was changed.',
  stale: 'This confirmation is no longer open, so nothing was changed.',
};

/** The confirmation card after the customer answered: the change and what became of it, without buttons. */
export function decidedConfirmationCard(
  summary: ChangeSummary | null,
  result: ConfirmationResult,
): Attachment {
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      ...(summary === null ? [] : summaryBlocks(summary)),
      {
        type: 'TextBlock',
        text: RESULT_LINES[result],
        wrap: true,
        weight: 'Bolder',
        spacing: 'Medium',
      },
    ],
  });
}

function summaryBlocks(summary: ChangeSummary): unknown[] {
  return [
    { type: 'TextBlock', text: summary.title, weight: 'Bolder', size: 'Medium', wrap: true },
    ...summary.details.map((detail) => ({
      type: 'TextBlock',
      text: detail,
      wrap: true,
      spacing: 'Small',
    })),
  ];
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
