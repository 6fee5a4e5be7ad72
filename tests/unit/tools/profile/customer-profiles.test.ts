import { MemoryStorage } from 'botbuilder';
import { CustomerProfiles } from '../../../../src/tools/profile/customer-profiles';

const OLIVIA = { customerId: 'customer_olivia', conversationId: 'conversation-1' };
const DAY = '2026-03-10';

describe('CustomerProfiles', () => {
  it('keeps a verified customer’s profile across conversations', async () => {
    const profiles = new CustomerProfiles(new MemoryStorage());
    const avatar = {
      imageId: 'image-1',
      url: '/avatars/image-1',
      contentType: 'image/png',
      description: 'a fox astronaut',
      madeBy: 'test',
      createdAt: '2026-03-10T12:00:00.000Z',
    };

    await profiles.setAvatar(OLIVIA, avatar);

    expect(await profiles.avatarOf({ ...OLIVIA, conversationId: 'conversation-2' })).toEqual(
      avatar,
    );
  });

  it('lets two processes sharing the storage spend the last request of the day only once', async () => {
    const storage = new MemoryStorage();
    const first = new CustomerProfiles(storage);
    const second = new CustomerProfiles(storage);
    await first.reserveAvatarRequest(OLIVIA, { day: DAY, perDay: 2 });

    const results = await Promise.all([
      first.reserveAvatarRequest(OLIVIA, { day: DAY, perDay: 2 }),
      second.reserveAvatarRequest(OLIVIA, { day: DAY, perDay: 2 }),
    ]);

    expect(results.filter((result) => result.granted)).toHaveLength(1);
  });

  it('starts a damaged profile afresh instead of failing', async () => {
    const storage = new MemoryStorage();
    await storage.write({ [CustomerProfiles.keyOf(OLIVIA)]: { avatar: 'not an avatar' } });
    const profiles = new CustomerProfiles(storage);

    const reservation = await profiles.reserveAvatarRequest(OLIVIA, { day: DAY, perDay: 1 });

    expect(reservation).toEqual({ granted: true, remaining: 0 });
  });
});
