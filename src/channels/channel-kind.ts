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

export function modalityOf(kind: ChannelKind): Modality {
  return kind === 'voice' ? 'voice' : 'text';
}
