import { ActivityTypes, InputHints, type Activity, type Attachment } from 'botbuilder';
import type { ReplyPart, ReplyPartSink } from '../conversation/reply-parts';
import type { ChannelKind } from './channel-kind';
import { adaptiveConfirmationCard, confirmationCard } from './confirmation-card';

/** Sends one activity; the bot passes `context.sendActivity`. */
export type SendActivity = (activity: Partial<Activity>) => Promise<unknown>;

/**
 * Renders reply parts as activities, sending each finished message as soon as it exists. Streaming channels get
 * their own sender later; this one serves every channel without streaming, and voice.
 */
export function createReplySender(options: {
  kind: ChannelKind;
  send: SendActivity;
  /**
   * The server's public origin (`PUBLIC_BASE_URL`), for images: Teams and other channels fetch them from the
   * internet, so without it they get none. Web Chat runs on this server's page and takes the path as it is.
   */
  publicBaseUrl?: string | null;
}): ReplyPartSink {
  const { kind, send } = options;
  return async (part: ReplyPart) => {
    switch (part.type) {
      case 'image': {
        const url = imageLocation(part.url, { kind, publicBaseUrl: options.publicBaseUrl ?? null });
        if (url === null || (kind === 'teams' && part.contentType === 'image/svg+xml')) return;
        await send({
          type: ActivityTypes.Message,
          attachments: [{ contentType: part.contentType, contentUrl: url, name: part.alt }],
        });
        if (kind === 'webchat' && part.purpose === 'profile-avatar') {
          await send(profileAvatarEvent(url));
        }
        return;
      }
      case 'message':
        await send(messageActivity(kind, part.text));
        return;
      case 'confirmation': {
        const question = [`Please confirm: ${part.summary.title}.`, ...part.summary.details].join(
          '\n\n',
        );
        if (kind === 'voice') {
          await send({
            ...messageActivity(
              kind,
              `${question}\n\nSay yes or press 1 to go ahead, or say no or press 2.`,
            ),
            inputHint: InputHints.ExpectingInput,
          });
          return;
        }
        const attachments: Attachment[] = [
          kind === 'teams'
            ? adaptiveConfirmationCard(part.id, part.summary)
            : confirmationCard(part.id, part.summary),
        ];
        await send({
          type: ActivityTypes.Message,
          text: 'Please confirm this change:',
          attachments,
        });
        return;
      }
      // Progress, streamed fragments and order data are shown by the streaming and card renderers; without them
      // the typing indicator says the assistant is working and the final message carries the answer.
      case 'text-delta':
      case 'status':
      case 'order':
      case 'shipment':
      case 'sources':
      case 'handoff':
        return;
    }
  };
}

/** The name of the event that tells the web page the customer's avatar (`value: { url }`). */
export const PROFILE_AVATAR_EVENT = 'profile.avatar';

/**
 * Tells the chat page to show `url` beside the customer's messages (Web Chat's `userAvatarImage`). An event
 * rather than part of a message: Web Chat does not render it, and the page can act on it without parsing text.
 */
export function profileAvatarEvent(url: string): Partial<Activity> {
  return { type: ActivityTypes.Event, name: PROFILE_AVATAR_EVENT, value: { url } };
}

/**
 * Where a channel can load an image the server serves at `path`: an absolute URL with a public origin; the
 * path itself on Web Chat (our page, same origin); nothing on voice, or elsewhere without a public origin.
 */
export function imageLocation(
  path: string,
  where: { kind: ChannelKind; publicBaseUrl: string | null },
): string | null {
  if (/^https?:\/\//u.test(path)) return path;
  if (where.kind === 'voice') return null;
  if (where.publicBaseUrl !== null) return `${where.publicBaseUrl}${path}`;
  return where.kind === 'webchat' ? path : null;
}

function messageActivity(kind: ChannelKind, text: string): Partial<Activity> {
  if (kind === 'voice') {
    return { type: ActivityTypes.Message, text, speak: text, inputHint: InputHints.AcceptingInput };
  }
  return { type: ActivityTypes.Message, text, textFormat: 'markdown' };
}
