import { ConversationHub } from '../../../src/directline/conversation-hub';

describe('ConversationHub', () => {
  it('forgets idle conversations without a stream, keeps streaming ones, and caps how many it holds', () => {
    let now = 0;
    const hub = new ConversationHub({ idleMs: 1_000, maxConversations: 3, now: () => now });
    const idle = hub.create('dl_a')!;
    const live = hub.create('dl_b')!;
    live.subscribe({ send: () => undefined, close: () => undefined }, undefined);
    hub.create('dl_c');

    expect(hub.create('dl_d')).toBeNull();
    now = 1_500;
    hub.sweep();

    expect(hub.get(idle.id)).toBeUndefined();
    expect(hub.get(live.id)).toBe(live);
    expect(hub.create('dl_e')).not.toBeNull();
  });

  it('numbers activities by watermark, keeps typing out of polling, and pushes everything to the stream', () => {
    const hub = new ConversationHub({ idleMs: 1_000, maxConversations: 10 });
    const conversation = hub.create('dl_a')!;
    const frames: string[] = [];
    conversation.subscribe(
      { send: (frame) => frames.push(frame), close: () => undefined },
      undefined,
    );

    conversation.append({ type: 'message', text: 'one' });
    conversation.append({ type: 'typing', text: 'tw' });
    const third = conversation.append({ type: 'message', text: 'two' });

    expect(third.id).toBe(`${conversation.id}|0000003`);
    expect(third.channelData).toEqual({ 'webchat:sequence-id': 3 });
    expect(conversation.activitiesAfter('').activities.map((activity) => activity.text)).toEqual([
      'one',
      'two',
    ]);
    expect(conversation.activitiesAfter('1').activities.map((activity) => activity.text)).toEqual([
      'two',
    ]);
    expect(frames.map((frame) => (JSON.parse(frame) as { watermark: string }).watermark)).toEqual([
      '1',
      '2',
      '3',
    ]);
  });

  it('admits a burst of posts up to the limit, then again once the window has passed', () => {
    let now = 0;
    const conversation = new ConversationHub({
      idleMs: 1_000,
      maxConversations: 10,
      now: () => now,
    }).create('dl_a')!;

    const burst = Array.from({ length: 4 }, () => conversation.admitPost(3, 10_000));
    now = 10_001;

    expect(burst).toEqual([true, true, true, false]);
    expect(conversation.admitPost(3, 10_000)).toBe(true);
  });
});
