import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import type {
  Activity,
  ChannelInfo,
  ConversationParameters,
  TeamsChannelAccount,
} from 'botbuilder';

/**
 * The receiving side of the Bot Framework channel, for end-to-end tests over HTTP: a loopback server that speaks
 * the Bot Connector REST API a bot calls when it replies (botbuilder's `ConnectorClient` and `TeamsInfo`),
 * records every call, and answers like the channel would. Point an inbound activity's `serviceUrl` at
 * `recorder.serviceUrl` and the bot's replies land here.
 */

/** The Bot Connector operations the recorder understands, named like botframework-connector's methods. */
export type ConnectorOperation =
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'sendConversationHistory'
  | 'uploadAttachment'
  | 'getConversationMembers'
  | 'getConversationMember'
  | 'getConversationPagedMembers'
  | 'getActivityMembers'
  | 'fetchTeamDetails'
  | 'fetchChannelList'
  /** Any path or method the real service would not know: answered 404 and recorded, so a test can assert none. */
  | 'unknown';

/** Where a Teams-style streamed reply stands, read from its `streaminfo` entity or its `channelData`. */
export interface StreamInfo {
  streamType: string;
  streamId?: string;
  streamSequence?: number;
}

/** One request as the recorder received it, before it answers. */
export interface ConnectorRequest {
  method: string;
  /** The path as sent, still URL-encoded, without the query string. */
  path: string;
  query: Record<string, string>;
  operation: ConnectorOperation;
  /** The decoded conversation id of the path; for `createConversation`, filled in with the id created. */
  conversationId?: string;
  /**
   * The activity the request is about: the path's id for updates and deletes. For sends and replies it is the id
   * the recorder assigns, filled in after interceptors run (a streaming continuation keeps its stream's id).
   */
  activityId?: string;
  /** For `replyToActivity`: the id of the activity replied to (the path's activity id). */
  replyToId?: string;
  memberId?: string;
  teamId?: string;
  /** Request headers, lower-cased by Node. */
  headers: IncomingHttpHeaders;
  /** `performance.now()` when the request arrived, to measure a sender's pace. */
  receivedAt: number;
  /** Whether an Authorization header came along: with auth disabled, botbuilder sends none. */
  hasAuthorization: boolean;
  /** The parsed JSON body; the raw text when it was not JSON; `undefined` when empty. */
  body: unknown;
  /** The activity carried: the body of sends, replies and updates; `parameters.activity` of a new conversation. */
  activity?: Partial<Activity>;
  stream?: StreamInfo;
}

/** A request and the answer the recorder gave. */
export interface RecordedRequest extends ConnectorRequest {
  /** Order of arrival, from 1, never reused (not even after `clear`). */
  sequence: number;
  status: number;
  responseBody: unknown;
}

/** A recorded request that delivered an activity to a conversation (the channel accepted it). */
export type DeliveredActivity = RecordedRequest & {
  activity: Partial<Activity>;
  conversationId: string;
  activityId: string;
};

/** What an interceptor answers instead of the recorder. */
export interface ConnectorReply {
  status: number;
  body?: unknown;
}

/** Decides, per request, whether to answer it differently (a failure, usually); `undefined` lets it through. */
export type ConnectorInterceptor = (
  request: Readonly<ConnectorRequest>,
) => ConnectorReply | undefined;

export interface TeamFixture {
  name?: string;
  aadGroupId?: string;
  /** What `TeamsInfo.getTeamChannels` lists. */
  channels?: ChannelInfo[];
}

export interface ConnectorRecorderOptions {
  /** Members by conversation id, or by team id (TeamsInfo asks with the team id inside a team). */
  members?: Record<string, TeamsChannelAccount[]>;
  /** Teams by team id, for `TeamsInfo.getTeamDetails` and `getTeamChannels`. */
  teams?: Record<string, TeamFixture>;
}

export interface WaitForOptions {
  /** How long to wait before failing with a list of what was recorded. Default 5000 ms. */
  timeoutMs?: number;
  /** How many matching requests to wait for. Default 1. */
  count?: number;
}

/** The error body the Bot Connector service sends, e.g. `connectorError('ContentStreamNotAllowed', '…')`. */
export function connectorError(
  code: string,
  message: string,
): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

/** Bodies above this are refused: a real activity is a few kilobytes, an attachment upload a few megabytes. */
const BODY_BYTES_MAX = 8 * 1024 * 1024;
const DEFAULT_WAIT_MS = 5_000;

interface Route {
  method: string;
  /** Path segments after the host; `:name` captures one decoded segment. */
  segments: readonly string[];
  operation: Exclude<ConnectorOperation, 'unknown'>;
}

const CONVERSATION = ['v3', 'conversations', ':conversationId'] as const;

/** Ordered: the literal `activities/history` must win over `activities/:activityId`. */
const ROUTES: readonly Route[] = [
  { method: 'POST', segments: ['v3', 'conversations'], operation: 'createConversation' },
  { method: 'POST', segments: [...CONVERSATION, 'activities'], operation: 'sendToConversation' },
  {
    method: 'POST',
    segments: [...CONVERSATION, 'activities', 'history'],
    operation: 'sendConversationHistory',
  },
  {
    method: 'POST',
    segments: [...CONVERSATION, 'activities', ':activityId'],
    operation: 'replyToActivity',
  },
  {
    method: 'PUT',
    segments: [...CONVERSATION, 'activities', ':activityId'],
    operation: 'updateActivity',
  },
  {
    method: 'DELETE',
    segments: [...CONVERSATION, 'activities', ':activityId'],
    operation: 'deleteActivity',
  },
  {
    method: 'GET',
    segments: [...CONVERSATION, 'activities', ':activityId', 'members'],
    operation: 'getActivityMembers',
  },
  { method: 'GET', segments: [...CONVERSATION, 'members'], operation: 'getConversationMembers' },
  {
    method: 'GET',
    segments: [...CONVERSATION, 'members', ':memberId'],
    operation: 'getConversationMember',
  },
  {
    method: 'GET',
    segments: [...CONVERSATION, 'pagedmembers'],
    operation: 'getConversationPagedMembers',
  },
  { method: 'POST', segments: [...CONVERSATION, 'attachments'], operation: 'uploadAttachment' },
  { method: 'GET', segments: ['v3', 'teams', ':teamId'], operation: 'fetchTeamDetails' },
  {
    method: 'GET',
    segments: ['v3', 'teams', ':teamId', 'conversations'],
    operation: 'fetchChannelList',
  },
];

interface Waiter {
  predicate: (request: RecordedRequest) => boolean;
  count: number;
  resolve: (requests: RecordedRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** See the module comment. Start one with `ConnectorRecorder.start()` and `close()` it after the test. */
export class ConnectorRecorder {
  private readonly recorded: RecordedRequest[] = [];
  private readonly waiters = new Set<Waiter>();
  private readonly interceptors: ConnectorInterceptor[] = [];
  private readonly members = new Map<string, TeamsChannelAccount[]>();
  private readonly teams = new Map<string, TeamFixture>();
  private sequence = 0;
  private nextId = 0;

  private constructor(
    private readonly server: Server,
    /** The base URL to put in an activity's `serviceUrl`, with the trailing slash channels send. */
    readonly serviceUrl: string,
    options: ConnectorRecorderOptions,
  ) {
    for (const [id, list] of Object.entries(options.members ?? {})) this.members.set(id, list);
    for (const [id, team] of Object.entries(options.teams ?? {})) this.teams.set(id, team);
  }

  /** Starts a recorder on 127.0.0.1 and a free port. */
  static async start(options: ConnectorRecorderOptions = {}): Promise<ConnectorRecorder> {
    // The server exists before the recorder that answers it; a request in between is refused.
    const started: { recorder?: ConnectorRecorder } = {};
    const server = createServer((request, response) => {
      const recorder = started.recorder;
      if (recorder === undefined) {
        response.writeHead(503).end();
        return;
      }
      recorder.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(JSON.stringify(connectorError('InternalError', String(error))));
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.removeListener('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    started.recorder = new ConnectorRecorder(server, `http://127.0.0.1:${port}/`, options);
    return started.recorder;
  }

  /** Every request so far, in order of arrival. */
  get requests(): readonly RecordedRequest[] {
    return [...this.recorded];
  }

  /** The activities delivered to one conversation (sends, replies, updates, a new conversation's first one). */
  activitiesFor(conversationId: string): DeliveredActivity[] {
    return this.recorded.filter(
      (request): request is DeliveredActivity =>
        request.conversationId === conversationId &&
        request.activity !== undefined &&
        request.activityId !== undefined &&
        request.status < 300,
    );
  }

  /**
   * Resolves with the first `count` recorded requests that match, as soon as they exist (already recorded ones
   * count), and fails after `timeoutMs` listing what was recorded: tests wait on events, never on sleeps.
   */
  waitFor(
    predicate: (request: RecordedRequest) => boolean,
    options: WaitForOptions = {},
  ): Promise<RecordedRequest[]> {
    const count = options.count ?? 1;
    const timeoutMs = options.timeoutMs ?? DEFAULT_WAIT_MS;
    const already = this.recorded.filter(predicate);
    if (already.length >= count) return Promise.resolve(already.slice(0, count));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(
            new Error(
              `Timed out after ${timeoutMs} ms waiting for ${count} matching connector request(s). Recorded:\n${this.describe()}`,
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /**
   * Adds an interceptor, consulted before the recorder answers (the first to return a reply wins), e.g. a 403
   * `ContentStreamNotAllowed` for a Teams streaming update after the user pressed Stop. Returns its remover.
   */
  intercept(interceptor: ConnectorInterceptor): () => void {
    this.interceptors.push(interceptor);
    return () => {
      const index = this.interceptors.indexOf(interceptor);
      if (index >= 0) this.interceptors.splice(index, 1);
    };
  }

  /** Sets the members of a conversation, or of a team by its id. */
  setMembers(conversationOrTeamId: string, members: TeamsChannelAccount[]): void {
    this.members.set(conversationOrTeamId, members);
  }

  setTeam(teamId: string, team: TeamFixture): void {
    this.teams.set(teamId, team);
  }

  /** Forgets what was recorded (ids keep counting up, so they stay unique). */
  clear(): void {
    this.recorded.length = 0;
  }

  /** Stops the server and fails any pending `waitFor`. */
  async close(): Promise<void> {
    for (const waiter of this.waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error('The connector recorder was closed.'));
    }
    this.waiters.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      // botbuilder's HTTP client keeps connections alive; without this, close would wait for them to time out.
      this.server.closeAllConnections();
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const url = new URL(request.url ?? '/', this.serviceUrl);
    const method = (request.method ?? 'GET').toUpperCase();
    const rawBody = await readBody(request);
    const incoming: ConnectorRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      operation: 'unknown',
      headers: request.headers,
      receivedAt,
      hasAuthorization:
        typeof request.headers.authorization === 'string' && request.headers.authorization !== '',
      body: undefined,
    };

    if (rawBody === null) {
      this.finish(response, incoming, {
        status: 413,
        body: connectorError('RequestTooLarge', 'The request body is too large.'),
      });
      return;
    }
    let parseFailed = false;
    if (rawBody !== '') {
      try {
        incoming.body = JSON.parse(rawBody) as unknown;
      } catch {
        incoming.body = rawBody;
        parseFailed = true;
      }
    }

    let params: Record<string, string> | null;
    try {
      params = this.route(method, url.pathname, incoming);
    } catch {
      this.finish(response, incoming, {
        status: 400,
        body: connectorError('BadArgument', 'The path is not validly URL-encoded.'),
      });
      return;
    }
    if (params === null) {
      this.finish(response, incoming, {
        status: 404,
        body: connectorError('NotFound', `No Bot Connector operation ${method} ${url.pathname}.`),
      });
      return;
    }
    if (parseFailed) {
      this.finish(response, incoming, {
        status: 400,
        body: connectorError('BadSyntax', 'The body is not valid JSON.'),
      });
      return;
    }
    this.describeActivity(incoming);

    for (const interceptor of this.interceptors) {
      const reply = interceptor(incoming);
      if (reply !== undefined) {
        this.finish(response, incoming, reply);
        return;
      }
    }
    this.finish(response, incoming, this.answer(incoming));
  }

  /** Finds the operation and fills the decoded path parameters into `incoming`; null when none matches. */
  private route(
    method: string,
    pathname: string,
    incoming: ConnectorRequest,
  ): Record<string, string> | null {
    const segments = pathname.split('/').filter((segment) => segment !== '');
    for (const route of ROUTES) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matches = route.segments.every((expected, index) => {
        const actual = segments[index] ?? '';
        if (expected.startsWith(':')) {
          // Ids are encoded with encodeURIComponent, so a '/' inside one arrives as %2F and splitting first is safe.
          params[expected.slice(1)] = decodeURIComponent(actual);
          return true;
        }
        return expected.toLowerCase() === actual.toLowerCase();
      });
      if (!matches) continue;
      incoming.operation = route.operation;
      incoming.conversationId = params.conversationId;
      incoming.memberId = params.memberId;
      incoming.teamId = params.teamId;
      if (route.operation === 'replyToActivity') incoming.replyToId = params.activityId;
      else incoming.activityId = params.activityId;
      return params;
    }
    return null;
  }

  private describeActivity(incoming: ConnectorRequest): void {
    const body = isRecord(incoming.body) ? incoming.body : undefined;
    switch (incoming.operation) {
      case 'sendToConversation':
      case 'replyToActivity':
      case 'updateActivity':
        incoming.activity = body;
        break;
      case 'createConversation':
        incoming.activity = isRecord(body?.activity) ? body.activity : undefined;
        break;
      default:
        return;
    }
    if (incoming.activity !== undefined) incoming.stream = readStreamInfo(incoming.activity);
  }

  /** What the channel answers when nothing intercepts. */
  private answer(incoming: ConnectorRequest): ConnectorReply {
    switch (incoming.operation) {
      case 'sendToConversation':
      case 'replyToActivity': {
        const stream = incoming.stream;
        // Teams streaming: the first chunk opens the stream (201, its id becomes the stream id), later chunks
        // answer 202 with an empty body, and the final message belongs to the stream it names.
        if (stream?.streamId !== undefined) {
          incoming.activityId = stream.streamId;
          if (stream.streamType === 'final') return { status: 200, body: { id: stream.streamId } };
          return { status: 202, body: {} };
        }
        incoming.activityId = this.newId('activity');
        return { status: stream === undefined ? 200 : 201, body: { id: incoming.activityId } };
      }
      case 'updateActivity':
        return { status: 200, body: { id: incoming.activityId } };
      case 'deleteActivity':
        return { status: 200 };
      case 'sendConversationHistory':
      case 'uploadAttachment':
        return {
          status: 200,
          body: {
            id: this.newId(incoming.operation === 'uploadAttachment' ? 'attachment' : 'history'),
          },
        };
      case 'createConversation':
        return this.createConversation(incoming);
      case 'getConversationMembers':
      case 'getActivityMembers':
        return this.withMembers(incoming.conversationId, (members) => ({
          status: 200,
          body: members,
        }));
      case 'getConversationMember':
        return this.withMembers(incoming.conversationId, (members) => {
          const member = members.find((candidate) => candidate.id === incoming.memberId);
          return member === undefined
            ? {
                status: 404,
                body: connectorError(
                  'MemberNotFoundInConversation',
                  'The member is not in the conversation.',
                ),
              }
            : { status: 200, body: member };
        });
      case 'getConversationPagedMembers':
        return this.withMembers(incoming.conversationId, (members) => {
          const start = Number(incoming.query.continuationToken ?? '0');
          const pageSize = Number(incoming.query.pageSize ?? members.length);
          const end = Math.min(members.length, start + Math.max(1, pageSize));
          return {
            status: 200,
            body: {
              members: members.slice(start, end),
              ...(end < members.length ? { continuationToken: String(end) } : {}),
            },
          };
        });
      case 'fetchTeamDetails':
      case 'fetchChannelList': {
        const teamId = incoming.teamId ?? '';
        const team = this.teams.get(teamId);
        if (team === undefined)
          return { status: 404, body: connectorError('NotFound', `No team ${teamId}.`) };
        if (incoming.operation === 'fetchChannelList') {
          return { status: 200, body: { conversations: team.channels ?? [] } };
        }
        return {
          status: 200,
          body: {
            id: teamId,
            name: team.name,
            aadGroupId: team.aadGroupId,
            channelCount: team.channels?.length ?? 0,
            memberCount: this.members.get(teamId)?.length ?? 0,
          },
        };
      }
      case 'unknown':
        return { status: 404, body: connectorError('NotFound', 'Unknown operation.') };
    }
  }

  private createConversation(incoming: ConnectorRequest): ConnectorReply {
    const parameters = incoming.body as Partial<ConversationParameters> | undefined;
    const activityId = incoming.activity === undefined ? undefined : this.newId('activity');
    const teamsChannelId = readTeamsChannelId(parameters?.channelData);
    // Teams names a new thread in a channel after the channel and the thread's first message; other
    // conversations get an id shaped like a Teams 1:1 chat, with the ':' that must survive URL encoding.
    incoming.conversationId =
      teamsChannelId !== undefined && activityId !== undefined
        ? `${teamsChannelId};messageid=${activityId}`
        : `a:${this.newId('conversation')}`;
    incoming.activityId = activityId;
    return {
      status: 201,
      body: { id: incoming.conversationId, ...(activityId === undefined ? {} : { activityId }) },
    };
  }

  private withMembers(
    id: string | undefined,
    answer: (members: TeamsChannelAccount[]) => ConnectorReply,
  ): ConnectorReply {
    const members = this.members.get(id ?? '');
    if (members === undefined) {
      return {
        status: 404,
        body: connectorError('ConversationNotFound', `No members configured for ${id ?? ''}.`),
      };
    }
    return answer(members);
  }

  private finish(
    response: ServerResponse,
    incoming: ConnectorRequest,
    reply: ConnectorReply,
  ): void {
    this.sequence += 1;
    const recorded: RecordedRequest = {
      ...incoming,
      sequence: this.sequence,
      status: reply.status,
      responseBody: reply.body,
    };
    // A refused send delivered nothing, so it has no id of its own.
    if (
      reply.status >= 300 &&
      (incoming.operation === 'sendToConversation' || incoming.operation === 'replyToActivity')
    ) {
      delete recorded.activityId;
    }
    this.recorded.push(recorded);
    if (reply.body === undefined) {
      response.writeHead(reply.status).end();
    } else {
      response.writeHead(reply.status, { 'content-type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify(reply.body));
    }
    this.notify();
  }

  private notify(): void {
    for (const waiter of this.waiters) {
      const matching = this.recorded.filter(waiter.predicate);
      if (matching.length >= waiter.count) {
        clearTimeout(waiter.timer);
        this.waiters.delete(waiter);
        waiter.resolve(matching.slice(0, waiter.count));
      }
    }
  }

  private newId(kind: string): string {
    this.nextId += 1;
    return `${kind}-${this.nextId}`;
  }

  private describe(): string {
    if (this.recorded.length === 0) return '  (nothing)';
    return this.recorded
      .map(
        (request) =>
          `  #${request.sequence} ${request.method} ${request.path} → ${request.status} ${request.operation}` +
          (request.activity === undefined
            ? ''
            : ` ${String(request.activity.type)} ${JSON.stringify(request.activity.text ?? '')}`),
      )
      .join('\n');
  }
}

/** Reads the whole body as text, or null when it exceeds `BODY_BYTES_MAX`. */
async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > BODY_BYTES_MAX) return null;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Reads stream fields from the `streaminfo` entity (what Teams documents) or from `channelData` (what Web Chat
 * reads). An entity without `streamType` (botbuilder 4.23 strips entity fields other than `type`, `text` and
 * `mentioned` unless the bot applies `keepEntityFieldsOnTheWire`) falls back to `channelData`.
 */
function readStreamInfo(activity: Partial<Activity>): StreamInfo | undefined {
  const entity = (activity.entities ?? []).find((candidate) => candidate.type === 'streaminfo') as
    Record<string, unknown> | undefined;
  const channelData = isRecord(activity.channelData) ? activity.channelData : undefined;
  const source = [entity, channelData].find(
    (candidate) => typeof candidate?.streamType === 'string',
  );
  if (source === undefined) return undefined;
  return {
    streamType: String(source.streamType),
    ...(typeof source.streamId === 'string' ? { streamId: source.streamId } : {}),
    ...(typeof source.streamSequence === 'number' ? { streamSequence: source.streamSequence } : {}),
  };
}

function readTeamsChannelId(channelData: unknown): string | undefined {
  if (!isRecord(channelData) || !isRecord(channelData.channel)) return undefined;
  return typeof channelData.channel.id === 'string' ? channelData.channel.id : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
