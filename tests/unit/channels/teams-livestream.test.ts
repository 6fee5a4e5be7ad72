import type { Activity } from 'botbuilder';
import {
  createLivestreamSender,
  TEAMS_STREAM_LIMITS,
  teamsLivestreamOptions,
  type LivestreamOptions,
} from '../../../src/channels/livestream-sender';
import type { ReplyPart } from '../../../src/conversation/reply-parts';

/** What Teams answers a refused streaming send with: botbuilder's RestError carries the status. */
function forbidden(): Error {
  return Object.assign(new Error('Content stream is not allowed'), { statusCode: 403 });
}

/** A Teams personal chat that records what it is sent, answering like Teams (the first update's id is the stream's). */
function teamsChat(
  options: {
    refuse?: (activity: Partial<Activity>, index: number) => Error | null;
    sendMs?: number;
    overrides?: Partial<LivestreamOptions>;
  } = {},
) {
  const sent: Partial<Activity>[] = [];
  const timings: { start: number; end: number }[] = [];
  const fallback: ReplyPart[] = [];
  let stops = 0;
  const send = async (activity: Partial<Activity>) => {
    const start = performance.now();
    sent.push(activity);
    if (options.sendMs !== undefined)
      await new Promise((resolve) => setTimeout(resolve, options.sendMs));
    timings.push({ start, end: performance.now() });
    const refusal = options.refuse?.(activity, sent.length - 1) ?? null;
    if (refusal !== null) throw refusal;
    return { id: 'stream-1' };
  };
  const sender = createLivestreamSender({
    send,
    fallback: (part) => {
      fallback.push(part);
    },
    minIntervalMs: 0,
    ...teamsLivestreamOptions(() => {
      stops += 1;
    }),
    ...options.overrides,
  });
  return { sent, timings, fallback, sender, stops: () => stops };
}

const streamInfoOf = (activity: Partial<Activity>) =>
  (activity.entities ?? []).find((entity) => entity.type === 'streaminfo') as
    Record<string, unknown> | undefined;

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createLivestreamSender with the Teams options', () => {
  it('sends the stream fields as a streaminfo entity and in channelData, and ends with a final without a sequence', async () => {
    const { sent, sender } = teamsChat();

    await sender.sink({ type: 'status', text: 'Looking up order #W1…' });
    await sender.sink({ type: 'text-delta', text: 'It is ' });
    await tick();
    await sender.sink({ type: 'text-delta', text: 'pending.' });
    await tick();
    await sender.sink({ type: 'message', text: 'It is pending.' });
    await sender.finish();

    expect(sent.map((activity) => streamInfoOf(activity))).toEqual([
      { type: 'streaminfo', streamType: 'informative', streamSequence: 1 },
      { type: 'streaminfo', streamType: 'streaming', streamSequence: 2, streamId: 'stream-1' },
      { type: 'streaminfo', streamType: 'streaming', streamSequence: 3, streamId: 'stream-1' },
      { type: 'streaminfo', streamType: 'final', streamId: 'stream-1' },
    ]);
    for (const activity of sent) {
      const { type: _type, ...fields } = streamInfoOf(activity)!;
      expect(activity.channelData).toEqual(fields);
    }
    expect(sent.at(-1)).toMatchObject({ type: 'message', text: 'It is pending.' });
  });

  it('cuts an informative text to the 1000 characters Teams allows', async () => {
    const { sent, sender } = teamsChat();

    await sender.sink({ type: 'status', text: 'x'.repeat(1_500) });
    await sender.sink({ type: 'message', text: 'Done.' });
    await sender.finish();

    expect(sent[0]!.text).toHaveLength(TEAMS_STREAM_LIMITS.informativeCharactersMax);
    expect(sent[0]!.text!.endsWith('…')).toBe(true);
  });

  it('sends the next update only after the previous one succeeded and the interval has passed', async () => {
    const { timings, sender } = teamsChat({ sendMs: 20, overrides: { minIntervalMs: 60 } });

    for (let index = 0; index < 40; index += 1) {
      await sender.sink({ type: 'text-delta', text: `word${index} ` });
      await tick(5);
    }
    await sender.sink({ type: 'message', text: 'all the words' });
    await sender.finish();

    const updates = timings.slice(0, -1);
    expect(updates.length).toBeGreaterThanOrEqual(3);
    for (let index = 1; index < updates.length; index += 1) {
      expect(updates[index]!.start - updates[index - 1]!.end).toBeGreaterThanOrEqual(60);
    }
  });

  it('stops at a 403 on an update: tells the caller once and sends no final message or card', async () => {
    const { sent, fallback, sender, stops } = teamsChat({
      refuse: (_, index) => (index === 1 ? forbidden() : null),
    });

    await sender.sink({ type: 'text-delta', text: 'One' });
    await tick();
    await sender.sink({ type: 'text-delta', text: ' two' });
    await tick();
    await sender.sink({ type: 'text-delta', text: ' three' });
    await tick();
    await sender.sink({ type: 'order', order: { order_id: '#W0000001', status: 'pending' } });
    await sender.sink({ type: 'message', text: 'One two three #W0000001' });
    await sender.finish();

    expect(stops()).toBe(1);
    expect(sent).toHaveLength(2);
    expect(sent.every((activity) => activity.type === 'typing')).toBe(true);
    expect(fallback).toEqual([]);
  });

  it('takes a failure other than 403 as a broken stream and still closes it with the whole answer', async () => {
    const { sent, sender, stops } = teamsChat({
      refuse: (_, index) =>
        index === 1 ? Object.assign(new Error('busy'), { statusCode: 429 }) : null,
    });

    await sender.sink({ type: 'text-delta', text: 'One' });
    await tick();
    await sender.sink({ type: 'text-delta', text: ' two' });
    await tick();
    await sender.sink({ type: 'message', text: 'One two' });
    await sender.finish();

    expect(stops()).toBe(0);
    expect(sent.at(-1)).toMatchObject({
      type: 'message',
      text: 'One two',
      channelData: { streamType: 'final', streamId: 'stream-1' },
    });
  });

  it('stops updating when the stream has run its time and puts the rest in the final message', async () => {
    let clock = 0;
    const { sent, sender } = teamsChat({ overrides: { now: () => clock } });

    await sender.sink({ type: 'text-delta', text: 'Early words' });
    await tick();
    clock = TEAMS_STREAM_LIMITS.durationMaxMs;
    await sender.sink({ type: 'text-delta', text: ', late words' });
    await tick();
    await sender.sink({ type: 'message', text: 'Early words, late words' });
    await sender.finish();

    expect(sent.map((activity) => activity.text)).toEqual([
      'Early words',
      'Early words, late words',
    ]);
    expect(streamInfoOf(sent[1]!)).toEqual({
      type: 'streaminfo',
      streamType: 'final',
      streamId: 'stream-1',
    });
  });

  it('sends the answer as a plain message when Teams refuses a final that came after the time limit', async () => {
    let clock = 0;
    const { fallback, sender, stops } = teamsChat({
      refuse: (activity) => (activity.type === 'message' ? forbidden() : null),
      overrides: { now: () => clock },
    });

    await sender.sink({ type: 'text-delta', text: 'Slow answer' });
    await tick();
    clock = 2 * TEAMS_STREAM_LIMITS.durationMaxMs;
    await sender.sink({ type: 'message', text: 'Slow answer, at last.' });
    await sender.finish();

    expect(stops()).toBe(0);
    expect(fallback).toEqual([{ type: 'message', text: 'Slow answer, at last.' }]);
  });

  it('closes a stream without an answer with a final message, never a typing final', async () => {
    const { sent, fallback, sender } = teamsChat();
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
    expect(sent[1]).toMatchObject({ type: 'message', text: 'Checking order #W1…' });
    expect(streamInfoOf(sent[1]!)).toEqual({
      type: 'streaminfo',
      streamType: 'final',
      streamId: 'stream-1',
    });
    expect(fallback).toEqual([confirmation]);
  });
});
