import type { Activity, Attachment } from 'botbuilder';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/**
 * The assistant's avatar in the header of its Adaptive Cards (orders, shipments, confirmations): a small round
 * image beside the card's first element. `imageUrl` must be an absolute https URL the channel can fetch;
 * other attachments, and cards without a body, are left as they are. The activity is not modified.
 */
export function withAssistantAvatar(
  activity: Partial<Activity>,
  imageUrl: string,
  altText: string,
): Partial<Activity> {
  if (activity.attachments === undefined || activity.attachments.length === 0) return activity;
  let changed = false;
  const attachments = activity.attachments.map((attachment) => {
    const decorated = decorate(attachment, imageUrl, altText);
    changed ||= decorated !== attachment;
    return decorated;
  });
  return changed ? { ...activity, attachments } : activity;
}

function decorate(attachment: Attachment, imageUrl: string, altText: string): Attachment {
  if (attachment.contentType !== ADAPTIVE_CARD) return attachment;
  const card = attachment.content as { body?: unknown } | undefined;
  if (typeof card !== 'object' || card === null || !Array.isArray(card.body)) return attachment;
  const [first, ...rest] = card.body as unknown[];
  if (first === undefined) return attachment;
  const header = {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        verticalContentAlignment: 'Center',
        items: [{ type: 'Image', url: imageUrl, altText, size: 'Small', style: 'Person' }],
      },
      { type: 'Column', width: 'stretch', verticalContentAlignment: 'Center', items: [first] },
    ],
  };
  return { ...attachment, content: { ...card, body: [header, ...rest] } };
}
