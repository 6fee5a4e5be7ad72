import type { Activity } from 'botbuilder';
import { createLivestreamSender } from '../../../src/channels/livestream-sender';
import type { ReplyPart } from '../../../src/conversation/reply-parts';

/** A channel that records what it is sent and answers like Direct Line: each activity gets an id. */
function channel(
  options: {
    ids?: boolean;
    failFrom?: number;
    informativeDelayMs?: number;
    firstUpdateDelayMs?: number;
  } = {},
) {
  const sent: Partial<Activity>[] = [];
  const fallback: ReplyPart[] = [];
  const send = (activity: Partial<Activity>) => {
    sent.push(activity);
    if (options.failFrom !== undefined && sent.length >= options.failFrom) {
      return Promise.reject(new Error('403 ContentStreamNotAllowed'));
    }
    return Promise.resolve(options.ids === false ? {} : { id: `act-${sent.length}` });
  };
  const sender = createLivestreamSender({
    send,
    fallback: (part) => {
      fallback.push(part);
    },
    minIntervalMs: 0,
    informativeDelayMs: options.informativeDelayMs ?? 0,
    firstUpdateDelayMs: options.firstUpdateDelayMs ?? 0,
  });
  return { sent, fallback, sender };
}

const streamOf = (activity: Partial<Activity>) =>
  activity.channelData as
    { streamType: string; streamSequence?: number; streamId?: string } | undefined;

describe('createLivestreamSender', () => {
  it('sends an answer without streamed text as a plain message', async () => {
    const { sent, fallback, sender } = channel();

    await sender.sink({ type: 'message', text: 'Hello!' });
    await sender.finish();

    expect(sent).toEqual([]);
    expect(fallback).toEqual([{ type: 'message', text: 'Hello!' }]);
  });

  it("streams growing text under the first update's id and ends with the whole answer", async () => {
    const { sent, sender } = channel();

    await sender.sink({ type: 'status', text: 'Looking up order #W1…' });
    for (const word of ['Your ', 'order ', 'is ', 'pending.']) {
      await sender.sink({ type: 'text-delta', text: word });
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await sender.sink({ type: 'message', text: 'Your order is pending.' });
    await sender.finish();

    expect(streamOf(sent[0]!)).toEqual({ streamType: 'informative', streamSequence: 1 });
    const updates = sent.slice(1, -1);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates.map((activity) => streamOf(activity)!.streamId)).toEqual(
      updates.map(() => 'act-1'),
    );
    expect(updates.map((activity) => streamOf(activity)!.streamSequence)).toEqual(
      updates.map((_, index) => index + 2),
    );
    expect(updates.at(-1)!.text).toBe('Your order is pending.');
    expect(sent.at(-1)).toMatchObject({
      type: 'message',
      text: 'Your order is pending.',
      channelData: { streamType: 'final', streamId: 'act-1' },
    });
  });

  it('concludes an open stream with an empty final update before a confirmation card', async () => {
    const { sent, fallback, sender } = channel();
    const confirmation: ReplyPart = {
      type: 'confirmation',
      id: 'c-1',
      toolName: 'cancel_pending_order',
      summary: { title: 'Cancel order #W1', details: [] },
    };

    await sender.sink({ type: 'status', text: 'Checking order #W1…' });
    await sender.sink(confirmation);
    await sender.finish();

    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({
      type: 'typing',
      channelData: { streamType: 'final', streamId: 'act-1' },
    });
    expect(sent[1]!.text).toBeUndefined();
    expect(fallback).toEqual([confirmation]);
  });

  it('falls back to a plain message when the channel gives no id to continue a stream under', async () => {
    const { sent, fallback, sender } = channel({ ids: false });

    await sender.sink({ type: 'text-delta', text: 'Hello' });
    await sender.sink({ type: 'text-delta', text: ' there' });
    await sender.sink({ type: 'message', text: 'Hello there' });
    await sender.finish();

    expect(sent).toHaveLength(1);
    expect(fallback).toEqual([{ type: 'message', text: 'Hello there' }]);
  });

  it('stops streaming when an update is refused, and still delivers the whole answer', async () => {
    const { sent, fallback, sender } = channel({ failFrom: 2 });

    await sender.sink({ type: 'text-delta', text: 'One' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.sink({ type: 'text-delta', text: ' two' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.sink({ type: 'text-delta', text: ' three' });
    await sender.sink({ type: 'message', text: 'One two three' });
    await sender.finish();

    expect(sent).toHaveLength(2);
    expect(fallback).toEqual([{ type: 'message', text: 'One two three' }]);
  });

  it('says what it is doing only when a tool takes a while, and sends a quick answer as one message', async () => {
    const quick = channel({ informativeDelayMs: 100, firstUpdateDelayMs: 50 });
    await quick.sender.sink({ type: 'status', text: 'Looking up order #W1…' });
    await quick.sender.sink({ type: 'text-delta', text: 'It is pending.' });
    await quick.sender.sink({ type: 'message', text: 'It is pending.' });
    await quick.sender.finish();
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(quick.sent).toEqual([]);
    expect(quick.fallback).toEqual([{ type: 'message', text: 'It is pending.' }]);

    const slow = channel({ informativeDelayMs: 30 });
    await slow.sender.sink({ type: 'status', text: 'Looking up order #W1…' });
    await new Promise((resolve) => setTimeout(resolve, 60));
    await slow.sender.sink({ type: 'message', text: 'It is pending.' });
    await slow.sender.finish();
    expect(slow.sent.map((activity) => streamOf(activity)?.streamType)).toEqual([
      'informative',
      'final',
    ]);
    expect(slow.sent[0]!.text).toBe('Looking up order #W1…');
  });

  it('streams a second answer of the same turn as a stream of its own', async () => {
    const { sent, sender } = channel();

    await sender.sink({ type: 'text-delta', text: 'Let me check.' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.sink({ type: 'message', text: 'Let me check.' });
    await sender.sink({ type: 'text-delta', text: 'All good.' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.sink({ type: 'message', text: 'All good.' });
    await sender.finish();

    const finals = sent.filter((activity) => activity.type === 'message');
    expect(finals.map((activity) => activity.text)).toEqual(['Let me check.', 'All good.']);
    const [first, second] = finals.map((activity) => streamOf(activity)!.streamId);
    expect(first).not.toBe(second);
    const secondStream = sent.filter(
      (activity) => streamOf(activity)?.streamId === second || activity.id === second,
    );
    expect(secondStream.every((activity) => !(activity.text ?? '').includes('Let me check'))).toBe(
      true,
    );
  });

  it('shows a card for each looked-up order the answer mentions, once, in the message of an answer sent whole', async () => {
    const shownCards = new Set<string>();
    const sent: Partial<Activity>[] = [];
    const sender = createLivestreamSender({
      send: (activity) => {
        sent.push(activity);
        return Promise.resolve({ id: `act-${sent.length}` });
      },
      fallback: async (part) => {
        if (part.type === 'message') sent.push({ type: 'message', text: part.text });
      },
      minIntervalMs: 0,
      shownCards,
    });
    const order = (id: string) => ({
      order_id: id,
      status: 'pending',
      items: [{ name: 'Lamp', price: 20, options: {} }],
    });

    await sender.sink({ type: 'order', order: order('#W0000001') });
    await sender.sink({ type: 'order', order: order('#W0000002') });
    await sender.sink({ type: 'message', text: 'Order #W0000002 is pending.' });
    await sender.sink({ type: 'order', order: order('#W0000002') });
    await sender.sink({ type: 'message', text: 'As I said, #W0000002 is pending.' });
    await sender.finish();

    expect(
      sent.map((activity) => `${activity.text} (${activity.attachments?.length ?? 0} cards)`),
    ).toEqual([
      'Order #W0000002 is pending. (1 cards)',
      'As I said, #W0000002 is pending. (0 cards)',
    ]);
    expect(sent[0]).toMatchObject({
      type: 'message',
      textFormat: 'markdown',
      attachmentLayout: 'list',
    });
    expect(sent[0]!.suggestedActions!.actions.map((action) => action.title)).toEqual([
      'Cancel it',
      'Change the address',
    ]);
    expect(shownCards.size).toBe(1);
  });

  it('sends the cards of a streamed answer in a message of their own after the final one', async () => {
    const sent: Partial<Activity>[] = [];
    const sender = createLivestreamSender({
      send: (activity) => {
        sent.push(activity);
        return Promise.resolve({ id: `act-${sent.length}` });
      },
      fallback: () => Promise.reject(new Error('a streamed answer does not fall back')),
      minIntervalMs: 0,
    });

    await sender.sink({
      type: 'order',
      order: {
        order_id: '#W0000003',
        status: 'pending',
        items: [{ name: 'Lamp', price: 20, options: {} }],
      },
    });
    await sender.sink({ type: 'text-delta', text: 'Order #W0000003 ' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.sink({ type: 'message', text: 'Order #W0000003 is pending.' });
    await sender.finish();

    const final = sent.findIndex(
      (activity) =>
        (activity.channelData as { streamType?: string } | undefined)?.streamType === 'final',
    );
    expect(sent[final]).toMatchObject({ type: 'message', text: 'Order #W0000003 is pending.' });
    expect(sent[final]!.attachments).toBeUndefined();
    expect(sent.slice(final + 1)).toHaveLength(1);
    expect(sent[final + 1]!.attachments).toHaveLength(1);
    expect(sent[final + 1]!.text).toBeUndefined();
  });

  it('cites the sources found under the next answer only', async () => {
    const { fallback, sender } = channel();

    await sender.sink({ type: 'sources', sources: [{ title: 'Warranty', section: 'Coverage' }] });
    await sender.sink({ type: 'message', text: 'It is covered for two years.' });
    await sender.sink({ type: 'message', text: 'Anything else?' });
    await sender.finish();

    expect(fallback).toEqual([
      { type: 'message', text: 'It is covered for two years.\n\n*Sources: Warranty › Coverage*' },
      { type: 'message', text: 'Anything else?' },
    ]);
  });

  it('leaves nothing open when a turn ends with no answer', async () => {
    const { sent, sender } = channel();

    await sender.sink({ type: 'text-delta', text: 'Let me' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await sender.finish();

    expect(sent.at(-1)).toMatchObject({ type: 'typing', channelData: { streamType: 'final' } });
  });
});
