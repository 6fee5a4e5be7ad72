import { CardFactory, type Attachment } from 'botbuilder';
import { REASON_LABELS, channelLabel, type HandoffCase } from './handoff-case';

/** The verbs of the desk card's buttons (`Action.Execute`), and the `Action.Submit` fallback's `handoffAction`. */
export const DESK_VERBS = { accept: 'handoff.accept', close: 'handoff.close' } as const;
export type DeskAction = keyof typeof DESK_VERBS;

/** What a desk button sends back: the verb's action and the case it is about. */
export interface DeskActionData {
  handoffAction: DeskAction;
  caseId: string;
}

/** Reads a desk button's data (from an `Action.Execute` invoke or an `Action.Submit` message). */
export function readDeskAction(verb: unknown, data: unknown): DeskActionData | null {
  if (typeof data !== 'object' || data === null) return null;
  const { handoffAction, caseId } = data as { handoffAction?: unknown; caseId?: unknown };
  const action =
    verb === DESK_VERBS.accept ? 'accept' : verb === DESK_VERBS.close ? 'close' : handoffAction;
  if (action !== 'accept' && action !== 'close') return null;
  if (typeof caseId !== 'string' || !/^[\w-]{1,64}$/.test(caseId)) return null;
  return { handoffAction: action, caseId };
}

/** Recent lines shown on the card; the rest of the conversation is in the thread. */
const RECENT_LINES_SHOWN = 6;
/** A card line longer than this is cut: the card is a summary, the thread has the rest. */
const LINE_CHARACTERS_MAX = 300;

/**
 * The card an escalation posts in the desk channel, in each state of the case: who the customer is, on which
 * channel, whether verified, the problem, the orders mentioned, the last messages; Accept and Close while it
 * waits, Close once taken, nothing once closed. Teams replaces it in place when a button is pressed.
 */
export function deskCard(value: HandoffCase, options: { queuePosition?: number } = {}): Attachment {
  const facts = [
    { title: 'Customer', value: customerLine(value) },
    { title: 'Channel', value: channelLabel(value.channelId) },
    {
      title: 'Verified',
      value:
        value.customer.verified === null
          ? 'No — do not discuss account details until they verify'
          : `Yes (customer ${value.customer.verified.customerId})`,
    },
    ...(value.orderIds.length > 0 ? [{ title: 'Orders', value: value.orderIds.join(', ') }] : []),
    { title: 'Requested', value: timeLabel(value.requestedAt) },
  ];
  const body: unknown[] = [
    {
      type: 'TextBlock',
      text: headline(value, options.queuePosition),
      weight: 'Bolder',
      size: 'Medium',
      wrap: true,
      style: 'heading',
    },
    { type: 'TextBlock', text: REASON_LABELS[value.reason], isSubtle: true, spacing: 'None' },
    { type: 'FactSet', facts },
    { type: 'TextBlock', text: 'Summary', weight: 'Bolder', spacing: 'Medium' },
    { type: 'TextBlock', text: cut(value.summary), wrap: true },
  ];
  const recent = value.recentMessages.slice(-RECENT_LINES_SHOWN);
  if (recent.length > 0) {
    body.push({ type: 'TextBlock', text: 'Last messages', weight: 'Bolder', spacing: 'Medium' });
    for (const line of recent) {
      body.push({
        type: 'TextBlock',
        text: `**${escapeMarkdown(line.name)}:** ${escapeMarkdown(cut(line.text))}`,
        wrap: true,
        spacing: 'Small',
      });
    }
  }
  const actions: unknown[] = [];
  if (value.status === 'queued') actions.push(button('accept', 'Accept', value.id));
  if (value.status !== 'closed') actions.push(button('close', 'Close', value.id));
  if (value.status === 'active') {
    body.push({
      type: 'TextBlock',
      text: 'Reply in this thread to write to the customer. Type **close** (or press Close) to hand them back to the assistant.',
      wrap: true,
      isSubtle: true,
      spacing: 'Medium',
    });
  }
  return CardFactory.adaptiveCard({
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    ...(actions.length > 0 ? { actions } : {}),
  });
}

function headline(value: HandoffCase, queuePosition: number | undefined): string {
  switch (value.status) {
    case 'queued':
      return queuePosition === undefined
        ? 'A customer is waiting for a person'
        : `A customer is waiting for a person (number ${queuePosition} in the queue)`;
    case 'active':
      return `Taken by ${value.acceptedBy?.name ?? 'an agent'} at ${timeLabel(value.acceptedAt ?? value.requestedAt)}`;
    case 'closed':
      return `Closed by ${value.closedBy?.name ?? 'the desk'} at ${timeLabel(value.closedAt ?? value.requestedAt)}`;
  }
}

function customerLine(value: HandoffCase): string {
  const verified = value.customer.verified;
  if (verified === null) return value.customer.displayName;
  return `${verified.name} (${verified.email})`;
}

function button(action: 'accept' | 'close', title: string, caseId: string): unknown {
  const data: DeskActionData = { handoffAction: action, caseId };
  return {
    type: 'Action.Execute',
    title,
    verb: DESK_VERBS[action],
    data,
    ...(action === 'accept' ? { style: 'positive' } : {}),
    // Clients without Universal Actions send the same data as a message instead.
    fallback: { type: 'Action.Submit', title, data },
  };
}

function timeLabel(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

function cut(text: string): string {
  return text.length <= LINE_CHARACTERS_MAX ? text : `${text.slice(0, LINE_CHARACTERS_MAX - 1)}…`;
}

/** Customer text is shown as text: markdown in it must not restyle the card or fake a link. */
function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]<>#|])/g, '\\$1');
}
