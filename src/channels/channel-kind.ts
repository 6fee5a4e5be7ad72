import type { Modality } from '../conversation/system-prompt';

/** The channels we render differently. Anything unknown is treated as a plain text chat. */
export type ChannelKind = 'teams' | 'webchat' | 'voice' | 'text';

/** Channel ids as Azure Bot Service and our own endpoints report them. */
export function channelKindOf(channelId: string | undefined): ChannelKind {
  switch (channelId) {
    case 'msteams':
      return 'teams';
    case 'directline':
    case 'webchat':
      return 'webchat';
    case 'telephony':
    case 'acs-voice':
      return 'voice';
    default:
      return 'text';
  }
}

/**
 * Whether an activity comes from a Teams personal (1:1) chat with the bot. Teams streams replies only there; in
 * group chats and channels (`groupChat`, `channel`) answers go as whole messages. An activity without a
 * conversation type is not taken for a personal chat, so nothing is streamed where Teams would refuse it.
 */
export function isTeamsPersonalChat(activity: {
  channelId?: string;
  conversation?: { conversationType?: string };
}): boolean {
  return (
    channelKindOf(activity.channelId) === 'teams' &&
    activity.conversation?.conversationType === 'personal'
  );
}

export function modalityOf(kind: ChannelKind): Modality {
  return kind === 'voice' ? 'voice' : 'text';
}
