import WebSocket from 'ws';

export interface DirectLineActivity {
  id: string;
  type: string;
  text?: string;
  timestamp: string;
  from: { id: string; role?: string; name?: string };
  replyToId?: string;
  attachments?: { contentType: string; content: unknown }[];
  channelData?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface ActivitySet {
  activities: DirectLineActivity[];
  watermark: string;
}

/**
 * A raw Direct Line 3.0 client over HTTP and WebSocket, for protocol tests: every call returns the status and
 * body as the server sent them, so tests can check errors as well as successes.
 */
export class DirectLineTestClient {
  token = '';
  conversationId = '';
  streamUrl = '';

  constructor(readonly baseUrl: string) {}

  get domain(): string {
    return `${this.baseUrl}/v3/directline`;
  }

  /** Gets a token from the page's endpoint and starts the conversation with it. */
  static async start(baseUrl: string): Promise<DirectLineTestClient> {
    const client = new DirectLineTestClient(baseUrl);
    const issued = await client.call('POST', `${baseUrl}/api/directline/token`, { auth: false });
    if (issued.status !== 200) throw new Error(`token endpoint answered ${issued.status}`);
    client.token = (issued.body as { token: string }).token;
    const started = await client.call('POST', `${client.domain}/conversations`);
    if (started.status !== 201) throw new Error(`start answered ${started.status}`);
    const view = started.body as { conversationId: string; token: string; streamUrl: string };
    client.conversationId = view.conversationId;
    client.token = view.token;
    client.streamUrl = view.streamUrl;
    return client;
  }

  async call(
    method: string,
    url: string,
    options: { body?: unknown; rawBody?: string; auth?: boolean; token?: string } = {},
  ): Promise<{ status: number; body: unknown; headers: Headers }> {
    const headers: Record<string, string> = {};
    if (options.auth !== false) headers.authorization = `Bearer ${options.token ?? this.token}`;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(url, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  post(activity: Record<string, unknown>, token?: string) {
    return this.call('POST', `${this.domain}/conversations/${this.conversationId}/activities`, {
      body: activity,
      ...(token === undefined ? {} : { token }),
    });
  }

  say(text: string) {
    return this.post({ type: 'message', text, from: { id: 'ignored' } });
  }

  async activities(watermark = ''): Promise<ActivitySet> {
    const result = await this.call(
      'GET',
      `${this.domain}/conversations/${this.conversationId}/activities?watermark=${encodeURIComponent(watermark)}`,
    );
    if (result.status !== 200) throw new Error(`get activities answered ${result.status}`);
    return result.body as ActivitySet;
  }

  /** Polls until an activity matching `predicate` appears after `watermark`. */
  async waitFor(
    predicate: (activity: DirectLineActivity) => boolean,
    options: { watermark?: string; timeoutMs?: number } = {},
  ): Promise<DirectLineActivity> {
    const deadline = Date.now() + (options.timeoutMs ?? 10_000);
    while (Date.now() < deadline) {
      const set = await this.activities(options.watermark ?? '');
      const found = set.activities.find(predicate);
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('timed out waiting for an activity');
  }

  /** Opens the WebSocket stream and collects every activity it delivers. */
  async openStream(url = this.streamUrl): Promise<DirectLineStream> {
    const socket = new WebSocket(url);
    const stream = new DirectLineStream(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) =>
        reject(new Error(`stream refused with ${response.statusCode}`)),
      );
    });
    return stream;
  }
}

export class DirectLineStream {
  readonly received: DirectLineActivity[] = [];
  readonly watermarks: string[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text === '') return;
      const set = JSON.parse(text) as ActivitySet;
      this.received.push(...set.activities);
      this.watermarks.push(set.watermark);
      for (const wake of this.waiters.splice(0)) wake();
    });
    socket.on('close', (code: number, reason: Buffer) => {
      this.closed = { code, reason: reason.toString() };
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  async waitFor(
    predicate: (activity: DirectLineActivity) => boolean,
    timeoutMs = 10_000,
  ): Promise<DirectLineActivity> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.received.find(predicate);
      if (found !== undefined) return found;
      if (this.closed !== null) throw new Error(`stream closed: ${this.closed.reason}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a streamed activity');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async waitForClose(timeoutMs = 5_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (this.closed === null && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (this.closed === null) throw new Error('the stream did not close');
    return this.closed;
  }

  close(): void {
    this.socket.close();
  }
}
