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
}): ReplyPartSink {
  const { kind, send } = options;
  return async (part: ReplyPart) => {
    switch (part.type) {
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

function messageActivity(kind: ChannelKind, text: string): Partial<Activity> {
  if (kind === 'voice') {
    return { type: ActivityTypes.Message, text, speak: text, inputHint: InputHints.AcceptingInput };
  }
  return { type: ActivityTypes.Message, text, textFormat: 'markdown' };
}
