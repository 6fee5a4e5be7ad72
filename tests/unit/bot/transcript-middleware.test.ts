import { PassThrough } from 'node:stream';
import { TestAdapter, type Activity, type TurnContext } from 'botbuilder';
import { TranscriptMiddleware } from '../../../src/bot/transcript-middleware';
import { createLogger, silentLogger, type Logger } from '../../../src/shared/logger';
import { IN_MEMORY_PATH } from '../../../src/storage/sqlite-storage';
import { SqliteTranscriptStore } from '../../../src/storage/sqlite-transcript-store';

const CARD = '4111 1111 1111 1111';
const CARD_PATTERN = /4111.?1111.?1111.?1111/u;

let store: SqliteTranscriptStore;

beforeEach(() => {
  store = new SqliteTranscriptStore({ path: IN_MEMORY_PATH });
});

afterEach(async () => {
  await store.close();
});

/** A TestAdapter running `logic` behind the transcript middleware. */
function botWith(
  logic: (context: TurnContext) => Promise<void>,
  logger: Logger = silentLogger(),
): TestAdapter {
  const adapter = new TestAdapter(logic);
  adapter.use(new TranscriptMiddleware({ transcripts: store, logger }));
  return adapter;
}

async function storedTranscript(adapter: TestAdapter): Promise<Activity[]> {
  const reference = adapter.conversation;
  const page = await store.getTranscriptActivities(reference.channelId, reference.conversation.id);
  return page.items;
}

/** Log lines written at info level and above, parsed. */
function capturingLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
  });
  return { logger: createLogger({ level: 'info', destination: stream }), lines };
}

const echo = async (context: TurnContext): Promise<void> => {
  await context.sendActivity(`you said ${context.activity.text?.length ?? 0} characters`);
};

describe('TranscriptMiddleware', () => {
  it('stores the customer’s message and the bot’s reply, in order, with their roles', async () => {
    const adapter = botWith(echo);

    await adapter.send('hello').assertReply('you said 5 characters').startTest();

    const transcript = await storedTranscript(adapter);
    expect(
      transcript.map((activity) => [activity.type, activity.from.role, activity.text]),
    ).toEqual([
      ['message', 'user', 'hello'],
      ['message', 'bot', 'you said 5 characters'],
    ]);
  });

  it('stores the reply under the id the channel gave it', async () => {
    const adapter = botWith(echo);

    await adapter.send('hello').startTest();

    const reply = adapter.activeQueue[0];
    const transcript = await storedTranscript(adapter);
    expect(reply?.id).toBeDefined();
    expect(transcript[1]?.id).toBe(reply?.id);
  });

  it('removes a card number, security code and expiry from every string of the stored activity', async () => {
    const adapter = botWith(echo);
    const secret = `card ${CARD} exp 12/27 cvv 123`;
    const activity: Partial<Activity> = {
      type: 'message',
      text: secret,
      speak: secret,
      summary: secret,
      value: { action: 'pay', data: { card: secret, nested: [secret] } },
      channelData: { clientActivityID: 'client-1', note: secret },
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: { type: 'AdaptiveCard', body: [{ type: 'TextBlock', text: secret }] },
        },
      ],
      entities: [{ type: 'note', text: secret }],
    };

    await adapter.send(activity).startTest();

    const [stored] = await storedTranscript(adapter);
    const json = JSON.stringify(stored);
    expect(json).not.toMatch(CARD_PATTERN);
    expect(json).not.toMatch(/cvv 123/u);
    expect(json).not.toContain('12/27');
    expect(stored?.text).toBe(
      'card [card ending 1111] exp [expiry removed] cvv [security code removed]',
    );
    expect(json.match(/\[card ending 1111\]/gu)).toHaveLength(8);
  });

  it('leaves the live activity as it came, for the bot to handle', async () => {
    const seen: Partial<Activity>[] = [];
    const adapter = botWith(async (context) => {
      seen.push(context.activity);
    });

    await adapter
      .send({ type: 'message', text: `card ${CARD}`, from: { id: 'u', name: 'U' } })
      .startTest();

    expect(seen[0]?.text).toBe(`card ${CARD}`);
    expect(seen[0]?.from?.role).toBeUndefined();
  });

  it('skips typing activities and streamed updates, and keeps the final message', async () => {
    const adapter = botWith(async (context) => {
      for (const [sequence, text] of ['The', 'The order', 'The order ships'].entries()) {
        await context.sendActivity({
          type: 'typing',
          text,
          channelData: { streamType: 'streaming', streamSequence: sequence + 1 },
        });
      }
      await context.sendActivity({
        type: 'message',
        text: 'The order ships today.',
        channelData: { streamType: 'final' },
      });
    });

    await adapter.send('where is my order').startTest();

    const transcript = await storedTranscript(adapter);
    expect(transcript.map((activity) => [activity.type, activity.text])).toEqual([
      ['message', 'where is my order'],
      ['message', 'The order ships today.'],
    ]);
  });

  it('keeps the customer’s message of a turn that fails, and the apology sent after it', async () => {
    const adapter = botWith(async () => {
      throw new Error('the model is down');
    });
    adapter.onTurnError = async (context) => {
      await context.sendActivity('Sorry, something went wrong.');
    };

    await adapter.send('hello').assertReply('Sorry, something went wrong.').startTest();

    const transcript = await storedTranscript(adapter);
    expect(transcript.map((activity) => activity.text)).toEqual([
      'hello',
      'Sorry, something went wrong.',
    ]);
  });

  it('stores an edited message as a messageUpdate and a deleted one as a messageDelete', async () => {
    const adapter = botWith(async (context) => {
      const sent = await context.sendActivity('Looking…');
      await context.updateActivity({ id: sent?.id, type: 'message', text: `Found it: ${CARD}` });
      await context.deleteActivity(sent!.id);
    });

    await adapter.send('hello').startTest();

    const transcript = await storedTranscript(adapter);
    expect(transcript.map((activity) => activity.type)).toEqual([
      'message',
      'message',
      'messageUpdate',
      'messageDelete',
    ]);
    expect(transcript[2]?.text).toBe('Found it: [card ending 1111]');
  });

  it('skips members joining, the event that starts a proactive turn, and sign-in invokes', async () => {
    const adapter = botWith(async (context) => {
      if (context.activity.type === 'event') await context.sendActivity('An agent replied.');
    });

    await adapter
      .send({ type: 'conversationUpdate', membersAdded: [{ id: 'u', name: 'U' }] })
      .startTest();
    await adapter.send({ type: 'event', name: 'ContinueConversation' }).startTest();
    await adapter
      .send({ type: 'invoke', name: 'signin/tokenExchange', value: { token: 'secret' } })
      .startTest();
    await adapter
      .send({
        type: 'invoke',
        name: 'adaptiveCard/action',
        value: { action: { data: { confirm: 'yes' } } },
      })
      .startTest();

    const transcript = await storedTranscript(adapter);
    expect(transcript.map((activity) => [activity.type, activity.name ?? activity.text])).toEqual([
      ['message', 'An agent replied.'],
      ['invoke', 'adaptiveCard/action'],
    ]);
  });

  it('lets the turn go on when the store fails, and logs the failure without the text', async () => {
    const { logger, lines } = capturingLogger();
    const adapter = botWith(echo, logger);
    await store.close();

    await adapter.send(`my card is ${CARD}`).assertReply('you said 30 characters').startTest();
    await new Promise((resolve) => setImmediate(resolve));

    const failures = lines.filter((line) => line.msg === 'transcript-write-failed');
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatchObject({
      channelId: 'test',
      conversationId: adapter.conversation.conversation.id,
      activityType: 'message',
      error: { code: 'storage_failed' },
    });
    expect(JSON.stringify(lines)).not.toContain('my card is');
  });

  it('does not hold the turn for a store that is slow to answer', async () => {
    const adapter = new TestAdapter(echo);
    adapter.use(
      new TranscriptMiddleware({
        transcripts: { logActivity: () => new Promise<void>(() => undefined) },
        logger: silentLogger(),
      }),
    );

    await adapter.send('hello').assertReply('you said 5 characters').startTest();
  });
});
