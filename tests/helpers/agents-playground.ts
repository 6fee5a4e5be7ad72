import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Activity } from 'botbuilder';
import WebSocket from 'ws';

/**
 * The Microsoft 365 Agents Playground (`@microsoft/m365agentsplayground`, bin `agentsplayground`) as the customer's
 * Teams client in end-to-end tests. It runs as its own process on a free port, with `TEAMSAPPTESTER_BROWSER=none`
 * and its working directory, log and config file in a scratch folder, and is driven the way its own web page
 * drives it:
 *
 * - `POST /_debug/conversation/{id}/installation` opens the personal chat (the page does it on every load): the
 *   bot gets `installationUpdate` (action `add`) and `conversationUpdate` (the user and the bot in `membersAdded`);
 * - `POST /_conversation/v1/conversations/{id}/messages` `{ from: { id }, text, textFormat: 'plain' }` sends the
 *   user's message; the playground answers `{ messageId, timestamp }` at once and posts the activity afterwards;
 * - `POST /_conversation/v1/invoke` `{ name: 'adaptiveCard/action', value: { action }, from, conversation,
 *   replyToId }` presses an `Action.Execute` button and answers with the bot's invoke response `{ type, value }`;
 *   `POST /_conversation/v1/submit` `{ conversation, from, replyToId, value }` presses an `Action.Submit` one (a
 *   `message` activity with `value` and no text);
 * - the WebSocket `/_ws_conversation/v1/conversations/stream` pushes what the chat shows: `createMessage`,
 *   `updateMessage` (streamed updates and updated activities) and `typing` actions;
 * - the WebSocket `/_ws/log/stream` pushes the page's log panel, which holds every call between the playground
 *   and the bot with its body and answer: the bot's activities exactly as the playground received them on its
 *   Bot Connector endpoint (`/_connector`), and the end of each turn (the bot's answer to the playground's POST).
 *
 * This API is the page's own and undocumented: it was read from version 0.2.28 and may change with the package.
 */

/** The playground's own name in its log, for calls it makes to the bot. */
const PLAYGROUND = 'Microsoft 365 Agents Playground';
/** The bot's name in the playground's log, for calls the bot makes to the playground. */
const BOT_APPLICATION = 'User Application';
const PACKAGE = '@microsoft/m365agentsplayground';
/** A cold start reads a 5 MB bundle; on a loaded CI machine that can take several seconds. */
const START_TIMEOUT_MS = 30_000;
/** The offline model answers in milliseconds; a streamed Teams answer updates every 1.5 s for a few updates. */
const TURN_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;
const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** A Teams user as the playground's config file describes one. */
export interface PlaygroundUser {
  /** The user's channel account id (`from.id`), e.g. `user-id-0`. */
  id: string;
  name: string;
  /** The sign-in name; the config file spells its key `userPrincipleName`. */
  userPrincipalName: string;
  aadObjectId: string;
  givenName: string;
  surname: string;
  email: string;
}

/** The playground's built-in signed-in user. */
export const PLAYGROUND_DEFAULT_USER: PlaygroundUser = {
  id: 'user-id-0',
  name: 'Alex Wilber',
  userPrincipalName: 'alexw@example.com',
  aadObjectId: '00000000-0000-0000-0000-0000000000020',
  givenName: 'Alex',
  surname: 'Wilber',
  email: 'alexw@example.com',
};

export interface AgentsPlaygroundOptions {
  /** The bot's messaging endpoint, e.g. `${assistant.url}/api/messages`. */
  botEndpoint: string;
  /**
   * The signed-in Teams user: what the playground puts in `from` and answers for `TeamsInfo.getMember`. Given,
   * it is merged over {@link PLAYGROUND_DEFAULT_USER} and written to a `.m365agentsplayground.yml` in the
   * playground's working folder; absent, the playground's built-in config is used.
   */
  user?: Partial<PlaygroundUser>;
  /** How long starting may take; 30 s by default. */
  startTimeoutMs?: number;
}

/** A message as the playground's chat shows it (from its conversation stream), after any updates. */
export interface PlaygroundMessage {
  /** The playground's id for it: a bot activity with text and cards becomes two messages, `X` and `X-…`. */
  messageId: string;
  timestamp: number;
  from: { id: string };
  text?: string;
  textFormat?: string;
  attachments: { contentType: string; content: unknown }[];
  attachmentLayout?: string;
  streamEntity?: {
    type: 'streaminfo';
    streamId?: string;
    streamType: string;
    streamSequence?: number;
  };
  suggestedActions?: { actions: { type: string; title?: string; value?: unknown }[] };
}

/** One entry of the playground's log panel. */
export interface PlaygroundLogItem {
  id: string;
  /** `bot`: a call between the playground and the bot; `text`: a note such as "Connected." or a warning. */
  type: 'bot' | 'text';
  timestamp: number;
  conversationId?: string;
  /** `Microsoft 365 Agents Playground` or `User Application` (the bot). */
  from?: string;
  to?: string;
  /** The activity type, or the Bot Connector operation for other calls (`getConversationMember`). */
  activityName?: string;
  request?: { body?: unknown };
  response?: { statusCode?: number; body?: unknown };
  displayText?: string;
  level?: string;
}

/** The bot's answer to an `Action.Execute` press. */
export interface InvokeResponse {
  type: string;
  value: unknown;
}

/** What the bot sent during one turn. */
export interface PlaygroundTurn {
  /** Every activity, typing indicators and streamed updates included, in the order the playground got them. */
  activities: Partial<Activity>[];
  /** The `message` activities only: what stays in the chat once streaming is over. */
  messages: Partial<Activity>[];
}

/** A button of an Adaptive Card the bot sent. */
export interface CardButton {
  /** The playground's id of the message that carries the card. */
  messageId: string;
  type: string;
  title?: string;
  verb?: string;
  data?: unknown;
}

/** A message the user sent, and where the bot's activities stood at that moment. */
export interface SentMessage {
  messageId: string;
  /** `activities().length` before the send: pass it as `after` to look only at what came since. */
  cursor: number;
}

/** The `cli.js` of the installed playground, or null when the package is not installed. */
export function agentsPlaygroundCli(): string | null {
  try {
    return require.resolve(`${PACKAGE}/cli.js`);
  } catch {
    return null;
  }
}

export class AgentsPlayground {
  private readonly logItems: PlaygroundLogItem[] = [];
  private readonly shown = new Map<string, PlaygroundMessage>();
  private readonly waiters = new Set<() => void>();
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private stopping: Promise<void> | null = null;
  private sockets: WebSocket[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly workDir: string,
    private readonly stderr: string[],
    /** `http://127.0.0.1:{port}`: also the page a person would open. */
    readonly url: string,
  ) {
    child.once('exit', (code, signal) => {
      this.exit = { code, signal };
      this.wake();
    });
  }

  /** The personal chat's conversation id. */
  conversationId = '';
  /** The signed-in user, as the playground's config has it. */
  user: PlaygroundUser = PLAYGROUND_DEFAULT_USER;

  /**
   * Starts the playground pointed at `botEndpoint` and connects to its streams. Throws, with the playground's
   * log, when the package is missing or the process does not come up.
   */
  static async start(options: AgentsPlaygroundOptions): Promise<AgentsPlayground> {
    const cli = agentsPlaygroundCli();
    if (cli === null) {
      throw new Error(
        `${PACKAGE} is not installed: it is a devDependency, so \`npm ci\` installs it (bin agentsplayground)`,
      );
    }
    const workDir = await mkdtemp(path.join(tmpdir(), 'care-playground-'));
    const configPath = path.join(workDir, '.m365agentsplayground.yml');
    if (options.user !== undefined) {
      // YAML is a superset of JSON, so the playground reads JSON from its `.yml` file.
      const config = playgroundConfig({ ...PLAYGROUND_DEFAULT_USER, ...options.user });
      await writeFile(configPath, JSON.stringify(config, null, 2));
    }
    const child = spawn(
      process.execPath,
      [
        cli,
        '--app-endpoint',
        options.botEndpoint,
        '--channel-id',
        'msteams',
        '--port',
        '0',
        '--disable-telemetry',
      ],
      {
        cwd: workDir,
        env: playgroundEnvironment(workDir, configPath),
        // Its own process group, so stop() reaches everything it starts (as scripts/smoke-start.sh does).
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const stderr: string[] = [];
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => stderr.push(chunk));
    let playground: AgentsPlayground | undefined;
    try {
      const port = await listeningPort(child, options.startTimeoutMs ?? START_TIMEOUT_MS);
      playground = new AgentsPlayground(child, workDir, stderr, `http://127.0.0.1:${port}`);
      await playground.connect();
      return playground;
    } catch (error) {
      const log = await readFile(path.join(workDir, 'm365agentsplayground.log'), 'utf8').catch(
        () => '',
      );
      if (playground !== undefined) await playground.stop();
      else {
        await terminate(child);
        await rm(workDir, { recursive: true, force: true });
      }
      throw new Error(
        `the Agents Playground did not start: ${(error as Error).message}\n` +
          `its log:\n${log}${stderr.join('')}`,
      );
    }
  }

  /**
   * Opens the personal chat as the playground's page does on load: the bot gets `installationUpdate` and
   * `conversationUpdate`. Resolves once the bot has answered both.
   */
  async startConversation(timeoutMs = TURN_TIMEOUT_MS): Promise<PlaygroundTurn> {
    const logStart = this.logItems.length;
    const cursor = this.activities().length;
    await this.post(
      `/_debug/conversation/${encodeURIComponent(this.conversationId)}/installation`,
      {},
    );
    await this.waitForAnswer(logStart, (activity) => activity.type === 'installationUpdate', {
      what: 'the installationUpdate turn',
      timeoutMs,
    });
    await this.waitForAnswer(logStart, (activity) => activity.type === 'conversationUpdate', {
      what: 'the conversationUpdate turn',
      timeoutMs,
    });
    return this.turnSince(cursor);
  }

  /** Sends the user's message and returns at once; the bot's turn runs after. */
  async send(text: string): Promise<SentMessage> {
    const cursor = this.activities().length;
    const body = await this.post(
      `/_conversation/v1/conversations/${encodeURIComponent(this.conversationId)}/messages`,
      { from: { id: this.user.id }, text, textFormat: 'plain' },
    );
    return { messageId: (body as { messageId: string }).messageId, cursor };
  }

  /** Sends the user's message and returns what the bot sent in that turn, once the turn is over. */
  async say(text: string, timeoutMs = TURN_TIMEOUT_MS): Promise<PlaygroundTurn> {
    const logStart = this.logItems.length;
    const { cursor } = await this.send(text);
    await this.waitForAnswer(
      logStart,
      (activity) => activity.type === 'message' && activity.text === text,
      { what: `the bot's turn for "${text}"`, timeoutMs },
    );
    return this.turnSince(cursor);
  }

  /** The bot's activities as the playground received them (sent and updated), oldest first, from `after` on. */
  activities(after = 0): Partial<Activity>[] {
    return this.logItems
      .flatMap((item) => {
        const body = item.request?.body;
        return item.type === 'bot' && item.from === BOT_APPLICATION && isActivityBody(body)
          ? [body]
          : [];
      })
      .slice(after);
  }

  /** The bot's messages as the playground's chat shows them, after streaming and updates. */
  messages(): PlaygroundMessage[] {
    return [...this.shown.values()];
  }

  /** Every entry of the playground's log panel so far. */
  log(): PlaygroundLogItem[] {
    return [...this.logItems];
  }

  /** Waits for a `message` activity from the bot (typing and streamed updates are skipped) after `after`. */
  waitForMessage(
    predicate: (activity: Partial<Activity>) => boolean,
    options: { after?: number; timeoutMs?: number } = {},
  ): Promise<Partial<Activity>> {
    return this.waitUntil(
      () =>
        this.activities(options.after ?? 0).find(
          (activity) => activity.type === 'message' && predicate(activity),
        ),
      { what: 'a message from the bot', timeoutMs: options.timeoutMs ?? TURN_TIMEOUT_MS },
    );
  }

  /** What the playground answers the bot for `TeamsInfo.getMember` (Bot Connector `GET …/members/{id}`). */
  async member(userId = this.user.id): Promise<Record<string, unknown>> {
    const response = await fetch(
      `${this.url}/_connector/v3/conversations/${encodeURIComponent(this.conversationId)}/members/${encodeURIComponent(userId)}`,
    );
    if (!response.ok)
      throw new Error(`getMember answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** The latest Adaptive Card button with this title in the chat, or undefined. */
  findCardButton(title: string): CardButton | undefined {
    for (const message of this.messages().reverse()) {
      for (const attachment of message.attachments) {
        if (attachment.contentType !== ADAPTIVE_CARD) continue;
        const action = cardActions(attachment.content).find(
          (candidate) => candidate.title === title,
        );
        if (action !== undefined) return { messageId: message.messageId, ...action };
      }
    }
    return undefined;
  }

  /**
   * Presses a card button as the playground's page does: `Action.Execute` is an `adaptiveCard/action` invoke,
   * `Action.Submit` a message with the button's data as `value`.
   */
  async press(
    button: CardButton,
    timeoutMs = TURN_TIMEOUT_MS,
  ): Promise<PlaygroundTurn & { invokeResponse?: InvokeResponse }> {
    if (button.type === 'Action.Execute') {
      return this.invoke(
        {
          messageId: button.messageId,
          action: { type: button.type, title: button.title, verb: button.verb, data: button.data },
        },
        timeoutMs,
      );
    }
    if (button.type === 'Action.Submit') {
      const value = typeof button.data === 'object' && button.data !== null ? button.data : {};
      return this.submit({ messageId: button.messageId, value }, timeoutMs);
    }
    throw new Error(`the playground's Teams chat cannot press a ${button.type} button`);
  }

  /**
   * An `adaptiveCard/action` invoke on a card message: returns the bot's invoke response and what the bot sent
   * during the turn. A card in the response replaces the pressed one, as in Teams.
   */
  async invoke(
    request: {
      messageId: string;
      action: { type: string; title?: string; verb?: string; data?: unknown };
    },
    timeoutMs = TURN_TIMEOUT_MS,
  ): Promise<PlaygroundTurn & { invokeResponse: InvokeResponse }> {
    const logStart = this.logItems.length;
    const cursor = this.activities().length;
    const invokeResponse = (await this.post('/_conversation/v1/invoke', {
      name: 'adaptiveCard/action',
      value: { action: request.action },
      from: { id: this.user.id },
      conversation: { id: this.conversationId },
      replyToId: request.messageId,
    })) as InvokeResponse;
    // The answer to the HTTP call can overtake the log stream: wait for the turn's end there too.
    await this.waitForAnswer(logStart, (activity) => activity.type === 'invoke', {
      what: 'the invoke turn',
      timeoutMs,
    });
    const pressed = this.shown.get(request.messageId);
    if (invokeResponse.type === ADAPTIVE_CARD && pressed?.attachments.length === 1) {
      pressed.attachments = [{ contentType: ADAPTIVE_CARD, content: invokeResponse.value }];
    }
    return { ...this.turnSince(cursor), invokeResponse };
  }

  /** An `Action.Submit` on a card message: the bot gets a `message` with `value`, replying to that message. */
  async submit(
    request: { messageId: string; value: object },
    timeoutMs = TURN_TIMEOUT_MS,
  ): Promise<PlaygroundTurn> {
    const logStart = this.logItems.length;
    const cursor = this.activities().length;
    await this.post('/_conversation/v1/submit', {
      conversation: { id: this.conversationId },
      from: { id: this.user.id },
      replyToId: request.messageId,
      value: request.value,
    });
    await this.waitForAnswer(
      logStart,
      (activity) => activity.type === 'message' && activity.replyToId === request.messageId,
      { what: 'the submit turn', timeoutMs },
    );
    return this.turnSince(cursor);
  }

  /** Stops the process group and deletes the working folder. Safe to call more than once. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      for (const socket of this.sockets) socket.terminate();
      await terminate(this.child);
      await rm(this.workDir, { recursive: true, force: true });
    })();
    return this.stopping;
  }

  private async connect(): Promise<void> {
    await this.waitUntil(async () => ((await this.ping()) ? true : undefined), {
      what: 'the playground to answer /_debug/ping',
      timeoutMs: START_TIMEOUT_MS,
      pollMs: 100,
    });
    // Connected before anything is sent, so no activity is missed (the playground buffers for a first client).
    const wsUrl = this.url.replace(/^http/, 'ws');
    const [conversationStream, logStream] = await Promise.all([
      openSocket(`${wsUrl}/_ws_conversation/v1/conversations/stream`),
      openSocket(`${wsUrl}/_ws/log/stream`),
    ]);
    this.sockets = [conversationStream, logStream];
    conversationStream.on('message', (data: Buffer) => {
      this.onConversationAction(JSON.parse(data.toString()) as ConversationAction);
      this.wake();
    });
    logStream.on('message', (data: Buffer) => {
      this.logItems.push((JSON.parse(data.toString()) as { log: PlaygroundLogItem }).log);
      this.wake();
    });
    const response = await fetch(`${this.url}/_internal/v1/testConfig`);
    if (!response.ok) throw new Error(`the playground's config answered ${response.status}`);
    const { config } = (await response.json()) as { config: PlaygroundConfigView };
    this.conversationId = config.personalChat.id;
    const current = config.currentUser;
    this.user = {
      id: current.id,
      name: current.name,
      userPrincipalName: current.userPrincipleName,
      aadObjectId: current.aadObjectId,
      givenName: current.givenName,
      surname: current.surname,
      email: current.email,
    };
  }

  private async ping(): Promise<boolean> {
    try {
      const response = await fetch(`${this.url}/_debug/ping`);
      return response.ok && (await response.text()) === 'pong';
    } catch {
      return false;
    }
  }

  private onConversationAction(action: ConversationAction): void {
    if (action.actionConversationId !== this.conversationId || action.message === undefined) return;
    if (action.action === 'createMessage' || action.action === 'updateMessage') {
      const before = this.shown.get(action.message.messageId);
      this.shown.set(action.message.messageId, { ...before, ...action.message });
    }
  }

  /** Waits until the bot has answered the playground's POST of an activity: its turn is over. */
  private async waitForAnswer(
    logStart: number,
    matches: (activity: Partial<Activity>) => boolean,
    options: { what: string; timeoutMs: number },
  ): Promise<void> {
    const answer = await this.waitUntil(
      () =>
        this.logItems.slice(logStart).find((item) => {
          const body = item.request?.body;
          return (
            item.type === 'bot' && item.from === PLAYGROUND && isActivityBody(body) && matches(body)
          );
        }),
      options,
    );
    const status = answer.response?.statusCode ?? 0;
    if (status >= 400) {
      throw new Error(
        `the bot answered ${options.what} with ${status}: ${JSON.stringify(answer.response?.body)}`,
      );
    }
  }

  private turnSince(cursor: number): PlaygroundTurn {
    const activities = this.activities(cursor);
    return { activities, messages: activities.filter((activity) => activity.type === 'message') };
  }

  private async post(pathname: string, body: unknown): Promise<unknown> {
    const response = await fetch(`${this.url}${pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`POST ${pathname} answered ${response.status}: ${text}`);
    return text === '' ? null : (JSON.parse(text) as unknown);
  }

  private async waitUntil<T>(
    find: () => T | undefined | Promise<T | undefined>,
    options: { what: string; timeoutMs: number; pollMs?: number },
  ): Promise<T> {
    const deadline = Date.now() + options.timeoutMs;
    for (;;) {
      const found = await find();
      if (found !== undefined) return found;
      if (this.exit !== null) {
        throw new Error(
          `the playground exited (${this.exit.signal ?? this.exit.code}) while waiting for ${options.what}\n` +
            this.stderr.join(''),
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(
          `timed out after ${options.timeoutMs} ms waiting for ${options.what}; ${this.describeSoFar()}`,
        );
      }
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, options.pollMs ?? left));
        this.waiters.add(done);
      });
    }
  }

  private wake(): void {
    for (const wake of [...this.waiters]) wake();
  }

  private describeSoFar(): string {
    const received = this.activities().map(
      (activity) =>
        `  ${activity.type}: ${JSON.stringify(activity.text ?? activity.attachments ?? '')}`,
    );
    const notes = this.logItems
      .filter((item) => item.type === 'text' && item.level !== undefined)
      .map((item) => `  ${item.level}: ${item.displayText ?? ''}`);
    return [
      `the bot sent ${received.length} activities`,
      ...received,
      ...(notes.length > 0 ? ['the playground noted:', ...notes] : []),
    ].join('\n');
  }
}

interface ConversationAction {
  action: 'createMessage' | 'updateMessage' | 'typing';
  actionConversationId: string;
  message?: PlaygroundMessage;
}

interface PlaygroundConfigView {
  personalChat: { id: string };
  currentUser: Omit<PlaygroundUser, 'userPrincipalName'> & { userPrincipleName: string };
}

function isActivityBody(body: unknown): body is Partial<Activity> {
  return (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { type?: unknown }).type === 'string'
  );
}

/** The actions of an Adaptive Card, those in `ActionSet`s of its body included. */
function cardActions(content: unknown): Omit<CardButton, 'messageId'>[] {
  const found: Omit<CardButton, 'messageId'>[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      node.forEach(visit);
      return;
    }
    if (typeof node !== 'object' || node === null) return;
    const record = node as Record<string, unknown>;
    if (typeof record.type === 'string' && record.type.startsWith('Action.')) {
      found.push({
        type: record.type,
        ...(typeof record.title === 'string' ? { title: record.title } : {}),
        ...(typeof record.verb === 'string' ? { verb: record.verb } : {}),
        ...('data' in record ? { data: record.data } : {}),
      });
      return;
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'fallback') visit(value);
    }
  };
  visit(content);
  return found;
}

/**
 * The process environment of the playground: only what a Node process needs, so no proxy setting, port or config
 * path of the developer's shell leaks in (an HTTP_PROXY would carry its calls to the bot), and every file it
 * writes lands in `workDir`.
 */
function playgroundEnvironment(workDir: string, configPath: string): NodeJS.ProcessEnv {
  const kept: NodeJS.ProcessEnv = {};
  for (const name of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TZ', 'SYSTEMROOT']) {
    if (process.env[name] !== undefined) kept[name] = process.env[name];
  }
  return {
    ...kept,
    // Otherwise it opens a browser, fails without one, and exits.
    TEAMSAPPTESTER_BROWSER: 'none',
    // --disable-telemetry still builds an Application Insights client (with statsbeat and a disk retry cache
    // under the temp folder), and errors before the flag is read are still reported: keep both at home.
    APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
    TMPDIR: workDir,
    M365_AGENTS_PLAYGROUND_LOGFILE: path.join(workDir, 'm365agentsplayground.log'),
    M365_AGENTS_PLAYGROUND_CONFIG_PATH: configPath,
    TEAMS_APP_TEST_TOOL_CONFIG_PATH: path.join(workDir, '.teamsapptesttool.yml'),
    M365_AGENTS_PLAYGROUND_RECORDING_FILE: path.join(workDir, 'events-recording.log'),
  };
}

/** Resolves with the port from the playground's "Listening on {port}" line (its only stdout when not a TTY). */
function listeningPort(child: ChildProcess, timeoutMs: number): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => finish(new Error(`no "Listening on" within ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: string): void => {
      output += chunk;
      const match = /Listening on (\d+)/.exec(output);
      if (match !== null) finish(null, Number(match[1]));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null): void =>
      finish(new Error(`it exited (${signal ?? code}) before listening`));
    const onError = (error: Error): void => finish(error);
    function finish(error: Error | null, port?: number): void {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // Keep reading stdout so the pipe never fills.
      child.stdout?.resume();
      if (error !== null) reject(error);
      else resolve(port!);
    }
    child.stdout?.setEncoding('utf8').on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  return new Promise<WebSocket>((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Ends the process group: SIGTERM, then SIGKILL if it is still there after {@link STOP_TIMEOUT_MS}. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * A complete config file (the playground validates it against its schema: exactly five other users, one team
 * with at most one extra channel), the built-in one with `currentUser` replaced.
 */
function playgroundConfig(user: PlaygroundUser): Record<string, unknown> {
  const others = [
    ['user-id-1', 'Megan', 'Bowen', 'meganb'],
    ['user-id-2', 'Adele', 'Vance', 'adelev'],
    ['user-id-3', 'Isaiah', 'Langer', 'isaiahl'],
    ['user-id-4', 'Patti', 'Fernandez', 'pattif'],
    ['user-id-5', 'Lynne', 'Robbins', 'lynner'],
  ].map(([id, givenName, surname, alias], index) => ({
    id,
    name: `${givenName} ${surname}`,
    userPrincipleName: `${alias}@example.com`,
    aadObjectId: `00000000-0000-0000-0000-00000000000${21 + index}`,
    givenName,
    surname,
    email: `${alias}@example.com`,
  }));
  return {
    version: '0.1.1',
    tenantId: '00000000-0000-0000-0000-0000000000001',
    bot: { id: '00000000-0000-0000-0000-00000000000011', name: 'Test Bot' },
    currentUser: {
      id: user.id,
      name: user.name,
      userPrincipleName: user.userPrincipalName,
      aadObjectId: user.aadObjectId,
      givenName: user.givenName,
      surname: user.surname,
      email: user.email,
    },
    users: others,
    personalChat: { id: randomUUID() },
    groupChat: { id: randomUUID(), name: 'Group Chat' },
    team: {
      id: 'team-id',
      name: 'My Team',
      aadGroupId: '00000000-0000-0000-0000-000000000031',
      channels: [{ id: 'channel-announcements-id', name: 'Announcements' }],
    },
  };
}
