import { isTeamsPersonalChat } from '../../../src/channels/channel-kind';

describe('isTeamsPersonalChat', () => {
  it('returns true for a Teams conversation of type personal', () => {
    expect(
      isTeamsPersonalChat({ channelId: 'msteams', conversation: { conversationType: 'personal' } }),
    ).toBe(true);
  });

  it.each(['groupChat', 'channel', undefined])(
    'returns false for a Teams conversation of type %s',
    (conversationType) => {
      expect(
        isTeamsPersonalChat({ channelId: 'msteams', conversation: { conversationType } }),
      ).toBe(false);
    },
  );

  it('returns false for a personal conversation on another channel', () => {
    expect(
      isTeamsPersonalChat({
        channelId: 'directline',
        conversation: { conversationType: 'personal' },
      }),
    ).toBe(false);
  });
});
