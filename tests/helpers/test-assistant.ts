import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import { startApp, type RunningApp } from '../../src/app';
import { loadConfig } from '../../src/config/config';
import { silentLogger, type Logger } from '../../src/shared/logger';
import type { ConnectorRecorder } from './connector-recorder';

export interface TestAssistant {
  app: RunningApp;
  dataDir: string;
  url: string;
  /** Stops the app; the data folder stays so a test can start again on it ("restart"). */
  stop(): Promise<void>;
  /** Stops the app and deletes its data folder. */
  dispose(): Promise<void>;
}

/**
 * The real assistant, exactly as `npm start` wires it, on a free loopback port and a scratch data folder.
 * `env` is the environment it reads (as if from `.env`); the process environment is never touched.
 *
 * Mood is judged by the lexicon unless `env` says otherwise (`MOOD_JUDGE`): with the model judge, every turn
 * also sends the model a mood request, which would take replies scripted for the turn. Tests of the mood
 * feature set `MOOD_JUDGE` themselves.
 */
export async function startTestAssistant(
  env: Record<string, string> = {},
  options: { dataDir?: string; now?: () => Date; logger?: Logger } = {},
): Promise<TestAssistant> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'care-assistant-')));
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    MOOD_JUDGE: 'lexicon',
    ...env,
  });
  const app = await startApp({
    config,
    logger: options.logger ?? silentLogger(),
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    app,
    dataDir,
    url: app.url,
    stop: () => app.stop(),
    dispose: async () => {
      await app.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

let activitySequence = 0;

/**
 * A customer in one conversation on a channel, talking to the assistant over HTTP the way Azure Bot Service
 * does: activities are POSTed to /api/messages with `serviceUrl` pointing at the recording connector, and the
 * bot's replies are read back from it. CloudAdapter answers the POST after the turn has run, so when `say`
 * returns, the turn's replies have been delivered.
 */
export class TestCustomer {
  constructor(
    private readonly options: {
      botUrl: string;
      recorder: ConnectorRecorder;
      conversationId: string;
      channelId?: string;
      userId?: string;
    },
  ) {}

  get conversationId(): string {
    return this.options.conversationId;
  }

  /** Builds an activity from this customer. */
  activity(fields: Partial<Activity>): Partial<Activity> {
    activitySequence += 1;
    const userId = this.options.userId ?? `user-${this.options.conversationId}`;
    return {
      type: 'message',
      id: `activity-${activitySequence}`,
      channelId: this.options.channelId ?? 'directline',
      serviceUrl: this.options.recorder.serviceUrl,
      conversation: { id: this.options.conversationId } as Activity['conversation'],
      from: { id: userId, name: 'Test Customer' },
      recipient: { id: 'care-bot', name: 'Care bot' },
      timestamp: new Date(),
      ...fields,
    };
  }

  /** Posts any body (an activity, or not) and returns the HTTP response. */
  post(
    body: unknown,
    init: { rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    return fetch(`${this.options.botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...init.headers },
      body: init.rawBody ?? JSON.stringify(body),
    });
  }

  /** Sends an activity and returns the messages the bot sent in reply during that turn. */
  async send(fields: Partial<Activity>): Promise<Partial<Activity>[]> {
    const before = this.options.recorder.activitiesFor(this.conversationId).length;
    const response = await this.post(this.activity(fields));
    if (!response.ok)
      throw new Error(`the bot answered ${response.status}: ${await response.text()}`);
    return this.options.recorder
      .activitiesFor(this.conversationId)
      .slice(before)
      .map((delivered) => delivered.activity)
      .filter((activity) => activity.type === 'message');
  }

  /** Says something and returns the bot's messages for that turn. */
  say(text: string): Promise<Partial<Activity>[]> {
    return this.send({ text });
  }

  /** Presses a card button that posts back `value` (messageBack), as Web Chat and Teams do. */
  press(button: { value?: unknown; text?: string }): Promise<Partial<Activity>[]> {
    return this.send({ text: button.text, value: button.value });
  }
}

/** The text of the bot's messages, joined, for assertions on wording-independent facts. */
export function textOf(activities: Partial<Activity>[]): string {
  return activities
    .map((activity) =>
      [
        activity.text ?? '',
        ...(activity.attachments ?? []).map((a) => JSON.stringify(a.content)),
      ].join('\n'),
    )
    .join('\n');
}

/** The buttons of the confirmation card in a turn's replies. */
export function confirmationButtons(
  activities: Partial<Activity>[],
): { title: string; value: unknown; text?: string }[] {
  for (const activity of activities) {
    for (const attachment of activity.attachments ?? []) {
      const content = attachment.content as {
        buttons?: { title: string; value: unknown; text?: string }[];
      };
      if (attachment.contentType === 'application/vnd.microsoft.card.hero' && content.buttons)
        return content.buttons;
    }
  }
  return [];
}
