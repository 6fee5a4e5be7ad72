import {
  MemoryStorage,
  TestAdapter,
  TurnContext,
  type Activity,
  type StoreItems,
} from 'botbuilder';
import {
  CustomerConversationState,
  customerStateKey,
} from '../../../src/bot/customer-conversation-state';

/** A MemoryStorage that counts writes, to tell a written turn from one that wrote nothing. */
class CountingStorage extends MemoryStorage {
  writes = 0;
  override write(changes: StoreItems): Promise<void> {
    this.writes += 1;
    return super.write(changes);
  }
}

function contextFor(activity: Partial<Activity>): TurnContext {
  return new TurnContext(new TestAdapter(), {
    type: 'message',
    channelId: 'directline',
    conversation: { id: 'conversation-1' } as Activity['conversation'],
    from: { id: 'user-1', name: 'User' },
    recipient: { id: 'bot', name: 'Bot' },
    ...activity,
  });
}

describe('CustomerConversationState', () => {
  it('writes back what a turn loaded and changed, under botbuilder’s own key', async () => {
    const storage = new CountingStorage();
    const state = new CustomerConversationState(storage);
    const care = state.createProperty<{ turns: number }>('care');

    const first = contextFor({});
    await care.set(first, { turns: 1 });
    await state.saveChanges(first);
    const second = contextFor({});
    const read = await care.get(second, { turns: 0 });

    expect(read).toEqual({ turns: 1 });
    expect(
      Object.keys(await storage.read(['directline/conversations/conversation-1/'])),
    ).toHaveLength(1);
  });

  it('writes nothing for a turn that never read the state', async () => {
    const storage = new CountingStorage();
    const state = new CustomerConversationState(storage);

    await state.saveChanges(contextFor({}));

    expect(storage.writes).toBe(0);
  });

  it('keeps one state per member in a Teams group chat, one per conversation elsewhere', async () => {
    const storage = new CountingStorage();
    const state = new CustomerConversationState(storage);
    const care = state.createProperty<{ customerId: string | null }>('care');
    const group = (member: string) =>
      contextFor({
        channelId: 'msteams',
        conversation: {
          id: '19:group',
          conversationType: 'groupChat',
          isGroup: true,
        } as Activity['conversation'],
        from: { id: member, name: member, aadObjectId: `aad-${member}` },
      });

    const olivia = group('olivia');
    await care.set(olivia, { customerId: 'olivia_1' });
    await state.saveChanges(olivia);

    expect(await care.get(group('colleague'), { customerId: null })).toEqual({ customerId: null });
    expect(await care.get(group('olivia'), { customerId: null })).toEqual({
      customerId: 'olivia_1',
    });
    expect(customerStateKey(olivia.activity)).toBe('19:group/members/aad-olivia');
    expect(
      customerStateKey({
        channelId: 'msteams',
        conversation: { id: 'a:1', conversationType: 'personal' } as Activity['conversation'],
      }),
    ).toBe('a:1');
  });

  it('clears and deletes the state', async () => {
    const storage = new CountingStorage();
    const state = new CustomerConversationState(storage);
    const care = state.createProperty<{ turns: number }>('care');
    const context = contextFor({});
    await care.set(context, { turns: 3 });
    await state.saveChanges(context);

    const again = contextFor({});
    await state.clear(again);
    expect(await care.get(again)).toBeUndefined();
    await state.delete(again);

    expect(await storage.read(['directline/conversations/conversation-1/'])).toEqual({});
  });
});
