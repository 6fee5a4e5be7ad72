import { ConversationState, type Activity, type TurnContext } from 'botbuilder';

/**
 * Whose assistant state an activity belongs to. In a Teams group chat or channel, several people share one
 * conversation, but each of them verifies and talks to the assistant on their own: one member's verification
 * must never show another member that customer's orders. So there the key names the member as well.
 */
export function customerStateKey(activity: Partial<Activity>): string {
  const conversationId = activity.conversation?.id ?? '';
  if (!isSharedTeamsConversation(activity)) return conversationId;
  const member = activity.from?.aadObjectId ?? activity.from?.id ?? '';
  return `${conversationId}/members/${member}`;
}

function isSharedTeamsConversation(activity: Partial<Activity>): boolean {
  if (activity.channelId !== 'msteams') return false;
  const type = activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel' || activity.conversation?.isGroup === true;
}

/**
 * `ConversationState` with one state per member in shared Teams conversations (see {@link customerStateKey}).
 * Elsewhere the key is botbuilder's own, so state written before stays readable.
 */
export class CustomerConversationState extends ConversationState {
  override getStorageKey(context: TurnContext): string | undefined {
    const key = super.getStorageKey(context);
    const activity = context.activity;
    if (key === undefined || !isSharedTeamsConversation(activity)) return key;
    const conversationPart = `/conversations/${activity.conversation.id}/`;
    return key.replace(conversationPart, `/conversations/${customerStateKey(activity)}/`);
  }
}
