import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import type { Activity } from 'botbuilder';
import type { RunningApp } from '../../src/app';
import { createLogger } from '../../src/shared/logger';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  startFakeOpenAiServer,
  textReply,
  type FakeOpenAiServer,
} from '../helpers/fake-openai-server';
import { startTestAssistant, TestCustomer, type TestAssistant } from '../helpers/test-assistant';

/**
 * Transcripts through the real server over HTTP: what a customer writes and what the assistant answers is kept
 * per conversation with card details removed, and deleted after the retention period.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
const CARD_MESSAGE = 'Where is my order? I paid with 4111 1111 1111 1111 exp 12/27 cvv 123';
const CARD_PATTERN = /4111.?1111.?1111.?1111/u;

function transcriptsOf(app: RunningApp): NonNullable<RunningApp['transcripts']> {
  if (app.transcripts === null) throw new Error('transcripts are off');
  return app.transcripts;
}

async function storedTranscript(app: RunningApp, conversationId: string): Promise<Activity[]> {
  const page = await transcriptsOf(app).store.getTranscriptActivities('directline', conversationId);
  return page.items;
}

/** Every stored activity's JSON, read from the SQLite file with a connection of its own. */
function storedJson(dataDir: string): string[] {
  const database = new Database(path.join(dataDir, 'transcripts.sqlite'), { readonly: true });
  try {
    return database
      .prepare<[], { activity: string }>('SELECT activity FROM transcript_activities')
      .all()
      .map((row) => row.activity);
  } finally {
    database.close();
  }
}

describe('transcripts', () => {
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;
  let clock = Date.now();

  beforeAll(async () => {
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant({}, { now: () => new Date(clock) });
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
  });

  const customer = (conversationId: string) =>
    new TestCustomer({ botUrl: assistant.url, recorder, conversationId });

  it('keeps the customer’s message without the card details, and the assistant’s replies', async () => {
    const chatting = customer('transcript-card-1');

    const replies = await chatting.send({
      text: CARD_MESSAGE,
      channelData: { clientActivityID: 'client-1', draft: CARD_MESSAGE },
    });

    const transcript = await storedTranscript(assistant.app, 'transcript-card-1');
    const [fromCustomer, ...fromAssistant] = transcript;
    expect(fromCustomer).toMatchObject({
      type: 'message',
      from: { id: 'user-transcript-card-1', role: 'user' },
      text: 'Where is my order? I paid with [card ending 1111] exp [expiry removed] cvv [security code removed]',
    });
    expect(replies.length).toBeGreaterThan(0);
    expect(
      fromAssistant.map((activity) => [activity.type, activity.from.role, activity.text]),
    ).toEqual(replies.map((reply) => ['message', 'bot', reply.text]));
    const delivered = recorder
      .activitiesFor('transcript-card-1')
      .filter((request) => request.activity.type === 'message');
    expect(fromAssistant.map((activity) => activity.id)).toEqual(
      delivered.map((request) => request.activityId),
    );
  });

  it('stores the card digits nowhere in the file', () => {
    const rows = storedJson(assistant.dataDir);
    const files = ['transcripts.sqlite', 'transcripts.sqlite-wal']
      .map((name) => path.join(assistant.dataDir, name))
      .filter((file) => existsSync(file))
      .map((file) => readFileSync(file).toString('latin1'));

    expect(rows.join('\n')).toContain('[card ending 1111]');
    expect(rows.join('\n')).not.toMatch(CARD_PATTERN);
    expect(rows.join('\n')).not.toMatch(/cvv\s*123/u);
    expect(rows.join('\n')).not.toContain('12/27');
    for (const content of files) expect(content).not.toMatch(CARD_PATTERN);
  });

  it('deletes a transcript silent for longer than the retention, and keeps a recent one', async () => {
    await customer('transcript-old-1').say('hello');
    clock += 31 * DAY_MS;
    await customer('transcript-recent-1').say('hello');

    const deleted = await transcriptsOf(assistant.app).sweep();

    expect(deleted).toBeGreaterThanOrEqual(1);
    expect(await storedTranscript(assistant.app, 'transcript-old-1')).toEqual([]);
    expect(await storedTranscript(assistant.app, 'transcript-recent-1')).not.toEqual([]);
  });

  it('sweeps at start: a restart after the retention finds old transcripts gone', async () => {
    await customer('transcript-restart-1').say('hello');
    await assistant.stop();
    clock += 31 * DAY_MS;

    assistant = await startTestAssistant(
      {},
      { dataDir: assistant.dataDir, now: () => new Date(clock) },
    );

    expect(await storedTranscript(assistant.app, 'transcript-restart-1')).toEqual([]);
  });
});

describe('the transcript of a streamed answer', () => {
  const AZURE_KEY = 'test-azure-key';
  let model: FakeOpenAiServer;
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;

  beforeAll(async () => {
    model = await startFakeOpenAiServer({ requiredCredential: AZURE_KEY });
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant({
      AZURE_OPENAI_ENDPOINT: model.url,
      AZURE_OPENAI_API_KEY: AZURE_KEY,
      AZURE_OPENAI_CHAT_DEPLOYMENT: 'care-gpt-5-mini',
      LLM_FALLBACK_TO_OFFLINE: 'false',
    });
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
    await model?.close();
  });

  it('holds the final message alone, none of the typing activities that streamed it', async () => {
    const answer =
      'Refunds go back to the original payment method within five to seven business days of the return.';
    model.script(textReply(answer, { chunkSize: 6, delayMs: 40 }));
    const chatting = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'streamed-1',
    });

    await chatting.say('how long does a refund take?');

    const streamed = recorder
      .activitiesFor('streamed-1')
      .filter((request) => request.activity.type === 'typing');
    expect(streamed.length).toBeGreaterThan(2);
    const transcript = await storedTranscript(assistant.app, 'streamed-1');
    expect(
      transcript.map((activity) => [activity.type, activity.from.role, activity.text]),
    ).toEqual([
      ['message', 'user', 'how long does a refund take?'],
      ['message', 'bot', answer],
    ]);
  });
});

describe('transcripts turned off or failing', () => {
  let recorder: ConnectorRecorder;
  const assistants: TestAssistant[] = [];

  beforeAll(async () => {
    recorder = await ConnectorRecorder.start();
  });

  afterAll(async () => {
    await Promise.all(assistants.map((assistant) => assistant.dispose()));
    await recorder?.close();
  });

  it('stores nothing with TRANSCRIPTS_ENABLED=false', async () => {
    const assistant = await startTestAssistant({ TRANSCRIPTS_ENABLED: 'false' });
    assistants.push(assistant);
    const chatting = new TestCustomer({ botUrl: assistant.url, recorder, conversationId: 'off-1' });

    const replies = await chatting.say(CARD_MESSAGE);

    expect(replies.length).toBeGreaterThan(0);
    expect(assistant.app.transcripts).toBeNull();
    expect(existsSync(path.join(assistant.dataDir, 'transcripts.sqlite'))).toBe(false);
  });

  it('answers the customer when the transcript store fails, and logs the failure without the text', async () => {
    const lines: string[] = [];
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) =>
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
    );
    const assistant = await startTestAssistant(
      {},
      { logger: createLogger({ level: 'info', destination: stream }) },
    );
    assistants.push(assistant);
    await transcriptsOf(assistant.app).store.close();
    const chatting = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'failing-1',
    });

    const replies = await chatting.say(CARD_MESSAGE);
    await new Promise((resolve) => setImmediate(resolve));

    expect(replies.length).toBeGreaterThan(0);
    const failures = lines.filter((line) => line.includes('"transcript-write-failed"'));
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.join('\n')).toContain('failing-1');
    expect(failures.join('\n')).not.toContain('Where is my order');
  });
});
