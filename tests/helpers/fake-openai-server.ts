import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * An in-process OpenAI-compatible HTTP server on loopback that speaks the real wire format, so the real
 * `openai` client can be tested end to end without a network.
 *
 * Routes:
 * - `POST /v1/chat/completions` (OpenAI and compatible servers; client baseURL `server.openAiBaseUrl`);
 * - `POST /openai/deployments/{deployment}/chat/completions?api-version=…` (Azure's dated API; client
 *   endpoint `server.url`);
 * - `POST /openai/v1/chat/completions` (Azure's v1 API);
 * - `GET /v1/models`, `GET /openai/v1/models`, `GET /openai/models`;
 * - `POST /v1/images/generations`, `POST /openai/deployments/{deployment}/images/generations?api-version=…` and
 *   `POST /openai/v1/images/generations`: gpt-image's answer `{ created, data: [{ b64_json }], … }`. Each takes
 *   the next scripted image reply (`scriptImages(...)`), else asks `respondImages(...)`, else draws a small PNG
 *   that differs per request (`fakePng`), so a test can tell a stored image from a newly drawn one. Requests
 *   without a prompt, with `n` outside 1–10 or an unknown size get the API's 400, and gpt-image model names
 *   also refuse `response_format` as the API does;
 * - `POST /v1/embeddings`, `POST /openai/deployments/{deployment}/embeddings?api-version=…` and
 *   `POST /openai/v1/embeddings`: one vector per `input` (a string or a list of strings), as float lists or, when
 *   the body asks with `encoding_format: 'base64'` (the SDK's default), as base64 float32. By default a
 *   deterministic hashed bag of words `embeddingDimensions` long, so texts that share words are close.
 *
 * Chat requests are answered as SSE (`data: {…}\n\n` … `data: [DONE]\n\n`) when the body says `stream: true`,
 * else as one JSON `chat.completion`. Each chat request takes the next scripted reply (`script(...)`), or,
 * when none is queued, asks the responder (`respond(...)`); with neither it gets a 400 naming the problem.
 *
 * Like the real API, the server rejects with a 400 (consuming no script) a request with no messages, an empty
 * `tools` or `tool_calls` array, a tool result whose `tool_call_id` no earlier assistant message issued, and
 * `stream_options` without `stream`. For gpt-5 and o-series model names it rejects `max_tokens` and a
 * `temperature` other than 1, with the API's own error bodies (turn off with `rejectUnsupportedParameters`).
 *
 * Every request is recorded in `requests`, credentials redacted: the `api-key` and `authorization` header
 * values are replaced, and `credentials` keeps a fingerprint to compare with `credentialFingerprint(secret)`.
 *
 * ```ts
 * const server = await startFakeOpenAiServer();
 * server.script(textReply('Hello!', { chunkSize: 2 }), rateLimitReply({ retryAfterMs: 50 }));
 * const client = new OpenAI({ baseURL: server.openAiBaseUrl, apiKey: 'test' });
 * …
 * await server.close();
 * ```
 */
export interface FakeOpenAiServer {
  /** `http://127.0.0.1:{port}`: the Azure endpoint. */
  readonly url: string;
  readonly port: number;
  /** `http://127.0.0.1:{port}/v1`: the OpenAI client's baseURL. */
  readonly openAiBaseUrl: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** The chat-completion requests only, oldest first. */
  chatRequests(): RecordedRequest[];
  /** The image-generation requests only, oldest first. */
  imageRequests(): RecordedRequest[];
  /** The embeddings requests only, oldest first. */
  embeddingRequests(): RecordedRequest[];
  /** Queues image replies; each image request takes the next one. */
  scriptImages(...replies: FakeImageReply[]): void;
  /** Answers image requests when their queue is empty (return null for the default PNG); null removes it. */
  respondImages(responder: FakeImageResponder | null): void;
  /** Queues replies; each chat request takes the next one. */
  script(...replies: FakeReply[]): void;
  /** Answers chat requests when the queue is empty; null removes it. */
  respond(responder: FakeResponder | null): void;
  /** Replies still queued. */
  readonly pendingReplies: number;
  /** Forgets recorded requests, queued replies and the responder. */
  reset(): void;
  /** Ends open streams and stops listening. */
  close(): Promise<void>;
}

export type FakeResponder = (request: RecordedRequest) => FakeReply | Promise<FakeReply>;

/** An image the model drew: `bytes` (default: a fresh `fakePng`) sent as `b64_json`. */
export interface FakeImageGenerated {
  kind: 'image';
  bytes?: Buffer;
  /** Wait before answering, as image models take seconds. Default 0. */
  delayMs?: number;
}

export type FakeImageReply = FakeImageGenerated | FakeErrorReply;

export type FakeImageResponder = (
  request: RecordedRequest,
) => FakeImageReply | null | Promise<FakeImageReply | null>;

export interface RecordedRequest {
  method: string;
  /** The path without the query, e.g. `/openai/deployments/chat/chat/completions`. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased header names; `api-key` and `authorization` values redacted (the scheme is kept). */
  headers: Record<string, string>;
  /** Fingerprints of the credentials sent, see `credentialFingerprint`; null when absent. */
  credentials: { apiKey: string | null; bearer: string | null };
  /** The parsed JSON body, or null (GET, or a body that is not JSON). */
  body: unknown;
  /** Which API the path belongs to. */
  surface: 'openai' | 'azure-deployments' | 'azure-v1' | 'other';
  /** What the path asks for. */
  operation: 'chat' | 'images' | 'embeddings' | 'models' | 'other';
  /** The deployment from an Azure path, else the body's `model`; null when neither is there. */
  model: string | null;
  /** `performance.now()` when the request arrived, to measure waits between retries. */
  receivedAt: number;
}

export type FakeFinishReason = 'stop' | 'length' | 'tool_calls' | 'content_filter';

export interface FakeToolCall {
  /** Default `call_{n}`. */
  id?: string;
  name: string;
  /** The raw JSON text, streamed in `chunkSize` pieces. */
  arguments: string;
}

export interface FakeUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** A completion, streamed or as JSON. */
export interface FakeCompletionReply {
  kind: 'completion';
  text?: string;
  toolCalls?: FakeToolCall[];
  /** Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: FakeFinishReason;
  /**
   * Default: estimated from the request and the reply (about four characters a token). Null sends none.
   * Streamed only when the request asks with `stream_options.include_usage`, as the API does.
   */
  usage?: FakeUsage | null;
  /** The model named in the chunks. Default: the requested model or deployment. */
  model?: string;
  /** Characters of text, and of tool arguments, per chunk. Default 8. */
  chunkSize?: number;
  /** Wait before each chunk (a whole answer waits for all of them). Default 0 (everything is written at once). */
  delayMs?: number;
  /** Called as the first chunk carrying answer text is written: when "the model's first token" leaves. */
  onFirstContent?: () => void;
  /** Called when the client closes a streamed answer before its end: the request was aborted. */
  onClientGone?: () => void;
  /** Wait before the response headers. Default 0. */
  headersDelayMs?: number;
  /** Alternate the fragments of parallel tool calls instead of sending one call after the other. */
  interleaveToolCalls?: boolean;
  /** Azure: start with the empty-choices chunk carrying `prompt_filter_results`. */
  promptFilterResults?: boolean;
  /**
   * Azure's asynchronous filter: after each content chunk, an annotation chunk with an empty `id` and no
   * `delta`; a `content_filter` finish then arrives in such a chunk too.
   */
  filterAnnotations?: boolean;
  /** The final choice's `content_filter_results`. Default for a `content_filter` finish: violence, high. */
  contentFilterResults?: Record<string, unknown>;
  /** Destroy the connection after this many chunks: a stream broken mid-way. */
  dropAfterChunks?: number;
  /** Send nothing more after this many chunks, keeping the connection open: a stalled stream. */
  stallAfterChunks?: number;
  /** After this many chunks, send `data: {"error": …}` and end: a server failing mid-answer. */
  errorAfterChunks?: { chunks: number; error: Record<string, unknown> };
}

/** An HTTP error response. */
export interface FakeErrorReply {
  kind: 'error';
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export type FakeReply = FakeCompletionReply | FakeErrorReply;

type CompletionOptions = Omit<FakeCompletionReply, 'kind' | 'text' | 'toolCalls'>;

/** A text answer. */
export function textReply(text: string, options: CompletionOptions = {}): FakeCompletionReply {
  return { kind: 'completion', text, ...options };
}

/** Tool calls, optionally after some text (some models write text first). */
export function toolCallReply(
  toolCalls: FakeToolCall[],
  options: CompletionOptions & { text?: string } = {},
): FakeCompletionReply {
  return { kind: 'completion', toolCalls, ...options };
}

/** Any HTTP error, with an OpenAI-shaped body by default. */
export function errorReply(
  status: number,
  body: unknown = {
    error: { message: `fake error ${status}`, type: 'server_error', param: null, code: null },
  },
  headers: Record<string, string> = {},
): FakeErrorReply {
  return { kind: 'error', status, body, headers };
}

/** A 429 as Azure and OpenAI send it, with `retry-after` (seconds) and/or `retry-after-ms`. */
export function rateLimitReply(
  options: { retryAfterSeconds?: number; retryAfterMs?: number } = {},
): FakeErrorReply {
  const headers: Record<string, string> = {};
  if (options.retryAfterSeconds !== undefined)
    headers['retry-after'] = String(options.retryAfterSeconds);
  if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
  return errorReply(
    429,
    {
      error: {
        code: '429',
        message:
          'Requests to the ChatCompletions_Create Operation under Azure OpenAI API have exceeded token rate limit of your current tier. Please retry after 1 second.',
      },
    },
    headers,
  );
}

/**
 * Azure's 400 for a prompt its content filter refused, as captured from the service (platform-facts §6.2).
 * `spelling` picks the singular key Azure sends or the plural one its documentation shows.
 */
export function azurePromptFilteredReply(
  options: {
    filtered?: Partial<
      Record<'hate' | 'self_harm' | 'sexual' | 'violence', 'low' | 'medium' | 'high'>
    >;
    jailbreak?: boolean;
    spelling?: 'content_filter_result' | 'content_filter_results';
  } = {},
): FakeErrorReply {
  const severity = (category: 'hate' | 'self_harm' | 'sexual' | 'violence') => {
    const level = options.filtered?.[category];
    return level === undefined
      ? { filtered: false, severity: 'safe' }
      : { filtered: true, severity: level };
  };
  const results = {
    hate: severity('hate'),
    jailbreak: { filtered: options.jailbreak === true, detected: options.jailbreak === true },
    self_harm: severity('self_harm'),
    sexual: severity('sexual'),
    violence: severity('violence'),
  };
  return errorReply(400, {
    error: {
      message:
        "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry. To learn more about our content filtering policies please read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
      type: null,
      param: 'prompt',
      code: 'content_filter',
      status: 400,
      innererror: {
        code: 'ResponsibleAIPolicyViolation',
        [options.spelling ?? 'content_filter_result']: results,
      },
    },
  });
}

/** A completion Azure's filter cut: some text streams, then `finish_reason: 'content_filter'`. */
export function filteredCompletionReply(
  partialText: string,
  options: CompletionOptions = {},
): FakeCompletionReply {
  return { kind: 'completion', text: partialText, finishReason: 'content_filter', ...options };
}

/** An image reply; without bytes, a fresh `fakePng`. */
export function imageReply(options: { bytes?: Buffer; delayMs?: number } = {}): FakeImageGenerated {
  return { kind: 'image', ...options };
}

/**
 * Azure's 400 when its safety system refuses an image request, as its image documentation shows it:
 * `code: 'contentFilter'`, with one message for a refused prompt and another for a refused drawing.
 */
export function azureImageFilteredReply(
  options: { stage?: 'prompt' | 'image' } = {},
): FakeErrorReply {
  return errorReply(400, {
    created: Math.floor(Date.now() / 1000),
    error: {
      code: 'contentFilter',
      message:
        options.stage === 'image'
          ? 'Generated image was filtered as a result of our safety system.'
          : 'Your task failed as a result of our safety system.',
    },
  });
}

/** OpenAI's 400 when its moderation refuses an image prompt. */
export function openAiImageModerationReply(): FakeErrorReply {
  return errorReply(400, {
    error: {
      message:
        'Your request was rejected by the safety system. If you believe this is an error, contact us.',
      type: 'image_generation_user_error',
      param: null,
      code: 'moderation_blocked',
    },
  });
}

/**
 * A valid 8×8 PNG of one colour picked by `seed`: real image bytes (signature, IHDR, IDAT, IEND with CRCs),
 * small enough to compare in a test.
 */
export function fakePng(seed: string): Buffer {
  const [red = 0, green = 0, blue = 0] = createHash('sha256').update(seed).digest();
  const side = 8;
  const row = Buffer.concat([
    Buffer.from([0]),
    Buffer.from(Array(side).fill([red, green, blue]).flat()),
  ]);
  const pixels = Buffer.concat(Array<Buffer>(side).fill(row));
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const checksum = Buffer.alloc(4);
    checksum.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, checksum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(side, 0);
  header.writeUInt32BE(side, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** What `credentials` records for a key or token: a short SHA-256, so secrets never sit in test output. */
export function credentialFingerprint(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}

export interface FakeOpenAiServerOptions {
  /** Ids `GET /models` lists. Default `['gpt-5-mini']`. */
  models?: string[];
  /** Reject gpt-5/o-series requests with `max_tokens` or a non-default temperature, as the API does. Default true. */
  rejectUnsupportedParameters?: boolean;
  /** When set, a request must carry this key (as `api-key` or a bearer token) or it gets the API's 401. */
  requiredCredential?: string;
  /** Length of the vectors `/embeddings` answers with. Default 64. */
  embeddingDimensions?: number;
  /** The vector of one embeddings input; default: a hashed bag of its words, L2-normalised. */
  embed?: (input: string) => number[];
  /**
   * Keep only this many of the latest requests in `requests` (default: all). For load runs, whose thousands of
   * recorded bodies would otherwise grow this process's heap, and its garbage collection, all run long.
   */
  keepRequests?: number;
}

/** Starts the server on a random loopback port. */
export async function startFakeOpenAiServer(
  options: FakeOpenAiServerOptions = {},
): Promise<FakeOpenAiServer> {
  const requests: RecordedRequest[] = [];
  const queue: FakeReply[] = [];
  let responder: FakeResponder | null = null;
  const imageQueue: FakeImageReply[] = [];
  let imageResponder: FakeImageResponder | null = null;
  let imagesDrawn = 0;
  let sequence = 0;
  const models = options.models ?? ['gpt-5-mini'];
  const rejectUnsupported = options.rejectUnsupportedParameters ?? true;

  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, {
          error: { message: `fake-openai-server failed: ${String(error)}`, type: 'server_error' },
        });
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const recorded = await record(request);
    requests.push(recorded);
    if (options.keepRequests !== undefined && requests.length > options.keepRequests) {
      requests.splice(0, requests.length - options.keepRequests);
    }
    const route = routeOf(request.method ?? 'GET', recorded);

    if (route === 'unknown') {
      sendJson(response, 404, {
        error: { message: 'Resource not found', type: 'invalid_request_error', code: '404' },
      });
      return;
    }
    if (recorded.surface === 'azure-deployments' && recorded.query['api-version'] === undefined) {
      // Azure answers a deployment path without api-version as an unknown resource.
      sendJson(response, 404, { error: { code: '404', message: 'Resource not found' } });
      return;
    }
    if (!isAuthorized(recorded, options.requiredCredential)) {
      sendJson(response, 401, {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
      return;
    }
    if (route === 'models') {
      sendJson(response, 200, {
        object: 'list',
        data: models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      });
      return;
    }
    if (route === 'images') {
      await answerImageRequest(recorded, response);
      return;
    }
    if (route === 'embeddings') {
      answerEmbeddings(response, recorded, options);
      return;
    }

    const invalid = validateChatRequest(recorded, rejectUnsupported);
    if (invalid !== null) {
      sendJson(response, 400, { error: { type: 'invalid_request_error', ...invalid } });
      return;
    }
    const reply = queue.shift() ?? (responder === null ? null : await responder(recorded));
    if (reply === null) {
      sendJson(response, 400, {
        error: {
          message:
            'fake-openai-server: no scripted reply for this request; call script(...) or respond(...)',
          type: 'invalid_request_error',
          param: null,
          code: 'fake_server_unscripted',
        },
      });
      return;
    }
    if (reply.kind === 'error') {
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      response.writeHead(reply.status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        'x-request-id': `req_fake_${sequence}`,
        ...reply.headers,
      });
      response.end(body);
      return;
    }
    sequence += 1;
    const plan = planCompletion(reply, recorded, sequence);
    if (reply.headersDelayMs !== undefined && reply.headersDelayMs > 0) {
      await sleep(reply.headersDelayMs);
    }
    const body = recorded.body as {
      stream?: unknown;
      stream_options?: { include_usage?: unknown };
    };
    if (body.stream === true) {
      await streamCompletion(response, reply, plan, body.stream_options?.include_usage === true);
    } else {
      await sendWholeCompletion(response, reply, plan);
    }
  }

  async function answerImageRequest(
    recorded: RecordedRequest,
    response: ServerResponse,
  ): Promise<void> {
    const invalid = validateImageRequest(recorded);
    if (invalid !== null) {
      sendJson(response, 400, { error: { type: 'invalid_request_error', ...invalid } });
      return;
    }
    const reply =
      imageQueue.shift() ?? (imageResponder === null ? null : await imageResponder(recorded));
    if (reply?.kind === 'error') {
      sendJson(response, reply.status, reply.body, reply.headers);
      return;
    }
    if (reply?.delayMs !== undefined && reply.delayMs > 0) await sleep(reply.delayMs);
    imagesDrawn += 1;
    const body = recorded.body as { prompt: string; quality?: string; size?: string };
    const bytes = reply?.bytes ?? fakePng(`${body.prompt}#${imagesDrawn}`);
    sendJson(response, 200, {
      created: Math.floor(Date.now() / 1000),
      background: 'opaque',
      data: [{ b64_json: bytes.toString('base64') }],
      output_format: 'png',
      quality: body.quality ?? 'auto',
      size: body.size ?? '1024x1024',
      usage: {
        input_tokens: Math.ceil(body.prompt.length / 4),
        input_tokens_details: { image_tokens: 0, text_tokens: Math.ceil(body.prompt.length / 4) },
        output_tokens: 272,
        total_tokens: Math.ceil(body.prompt.length / 4) + 272,
      },
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    port,
    openAiBaseUrl: `${url}/v1`,
    requests,
    chatRequests: () => requests.filter((request) => request.operation === 'chat'),
    imageRequests: () => requests.filter((request) => request.operation === 'images'),
    embeddingRequests: () => requests.filter((request) => request.operation === 'embeddings'),
    scriptImages: (...replies) => {
      imageQueue.push(...replies);
    },
    respondImages: (next) => {
      imageResponder = next;
    },
    script: (...replies) => {
      queue.push(...replies);
    },
    respond: (next) => {
      responder = next;
    },
    get pendingReplies() {
      return queue.length;
    },
    reset: () => {
      requests.length = 0;
      queue.length = 0;
      responder = null;
      imageQueue.length = 0;
      imageResponder = null;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Stalled streams and idle keep-alive sockets would hold close() open.
        server.closeAllConnections();
      }),
  };
}

async function record(request: IncomingMessage): Promise<RecordedRequest> {
  const receivedAt = performance.now();
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  let body: unknown = null;
  if (text !== '') {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  const parsedUrl = new URL(request.url ?? '/', 'http://fake');
  const headers: Record<string, string> = {};
  const credentials: RecordedRequest['credentials'] = { apiKey: null, bearer: null };
  for (const [name, value] of Object.entries(request.headers)) {
    const joined = Array.isArray(value) ? value.join(', ') : (value ?? '');
    if (name === 'api-key') {
      credentials.apiKey = credentialFingerprint(joined);
      headers[name] = '[redacted]';
    } else if (name === 'authorization') {
      const [scheme = '', ...rest] = joined.split(' ');
      if (scheme.toLowerCase() === 'bearer')
        credentials.bearer = credentialFingerprint(rest.join(' '));
      headers[name] = `${scheme} [redacted]`;
    } else {
      headers[name] = joined;
    }
  }
  const path = parsedUrl.pathname;
  const deployment =
    /^\/openai\/deployments\/([^/]+)\/(?:chat\/completions|images\/generations|embeddings)$/.exec(
      path,
    );
  const surface: RecordedRequest['surface'] = deployment
    ? 'azure-deployments'
    : path.startsWith('/openai/v1/') || path === '/openai/models'
      ? 'azure-v1'
      : path.startsWith('/v1/')
        ? 'openai'
        : 'other';
  const bodyModel =
    typeof body === 'object' &&
    body !== null &&
    typeof (body as { model?: unknown }).model === 'string'
      ? (body as { model: string }).model
      : null;
  return {
    method: request.method ?? 'GET',
    path,
    query: Object.fromEntries(parsedUrl.searchParams),
    headers,
    credentials,
    body,
    surface,
    operation: path.endsWith('/chat/completions')
      ? 'chat'
      : path.endsWith('/images/generations')
        ? 'images'
        : path.endsWith('/embeddings')
          ? 'embeddings'
          : path.endsWith('/models')
            ? 'models'
            : 'other',
    model: deployment?.[1] !== undefined ? decodeURIComponent(deployment[1]) : bodyModel,
    receivedAt,
  };
}

/** Where each POST operation lives after the API's version prefix (`/v1/`, Azure's `/openai/v1/`). */
const OPERATION_PATHS = {
  chat: 'chat/completions',
  images: 'images/generations',
  embeddings: 'embeddings',
} as const;

function routeOf(
  method: string,
  request: RecordedRequest,
): 'chat' | 'images' | 'embeddings' | 'models' | 'unknown' {
  const { path, operation } = request;
  if (method === 'POST' && operation !== 'models' && operation !== 'other') {
    const operationPath = OPERATION_PATHS[operation];
    if (
      path === `/v1/${operationPath}` ||
      path === `/openai/v1/${operationPath}` ||
      request.surface === 'azure-deployments'
    ) {
      return operation;
    }
  }
  if (
    method === 'GET' &&
    (path === '/v1/models' || path === '/openai/v1/models' || path === '/openai/models')
  ) {
    return 'models';
  }
  return 'unknown';
}

/** Answers an embeddings request like the API: a 400 for a bad `input` or no model, else one vector per input. */
function answerEmbeddings(
  response: ServerResponse,
  request: RecordedRequest,
  options: FakeOpenAiServerOptions,
): void {
  const body = (typeof request.body === 'object' && request.body !== null ? request.body : {}) as {
    input?: unknown;
    encoding_format?: unknown;
  };
  const inputs: unknown = typeof body.input === 'string' ? [body.input] : body.input;
  const invalid = (message: string) =>
    sendJson(response, 400, {
      error: { message, type: 'invalid_request_error', param: null, code: null },
    });
  if (
    !Array.isArray(inputs) ||
    inputs.length === 0 ||
    inputs.length > 2048 ||
    inputs.some((input) => typeof input !== 'string' || input === '')
  ) {
    invalid(
      "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
    );
    return;
  }
  if (request.model === null) {
    invalid('you must provide a model parameter');
    return;
  }
  const dimensions = options.embeddingDimensions ?? 64;
  const embed = options.embed ?? ((input: string) => hashedBagOfWords(input, dimensions));
  const texts = inputs as string[];
  const tokens = texts.reduce((sum, input) => sum + Math.ceil(input.length / 4), 0);
  sendJson(response, 200, {
    object: 'list',
    data: texts.map((input, index) => {
      const vector = embed(input);
      return {
        object: 'embedding',
        index,
        embedding:
          body.encoding_format === 'base64'
            ? Buffer.from(new Float32Array(vector).buffer).toString('base64')
            : vector,
      };
    }),
    model: request.model,
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  });
}

/** A deterministic stand-in for an embeddings model: lower-cased words hashed into buckets, L2-normalised. */
function hashedBagOfWords(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  for (const word of text.toLowerCase().split(/[^a-z0-9]+/u)) {
    if (word.length < 3) continue;
    const bucket = createHash('sha256').update(word).digest().readUInt32BE(0) % dimensions;
    vector[bucket] = vector[bucket]! + 1;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm === 0
    ? vector.map((_, index) => (index === 0 ? 1 : 0))
    : vector.map((value) => value / norm);
}

function isAuthorized(request: RecordedRequest, required: string | undefined): boolean {
  if (required === undefined) return true;
  const expected = credentialFingerprint(required);
  return request.credentials.apiKey === expected || request.credentials.bearer === expected;
}

interface InvalidRequest {
  message: string;
  param: string | null;
  code: string | null;
}

const IMAGE_SIZES = new Set(['auto', '1024x1024', '1536x1024', '1024x1536']);

/** The image API's own checks, with its error bodies, for what a caller most easily gets wrong. */
function validateImageRequest(request: RecordedRequest): InvalidRequest | null {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      message: 'We could not parse the JSON body of your request.',
      param: null,
      code: null,
    };
  }
  const fields = body as Record<string, unknown>;
  if (typeof fields['prompt'] !== 'string' || fields['prompt'].trim() === '') {
    return {
      message: "Missing required parameter: 'prompt'.",
      param: 'prompt',
      code: 'missing_required_parameter',
    };
  }
  const n = fields['n'];
  if (
    n !== undefined &&
    n !== null &&
    !(Number.isInteger(n) && (n as number) >= 1 && (n as number) <= 10)
  ) {
    return {
      message: `Invalid 'n': integer below minimum value or above maximum value.`,
      param: 'n',
      code: 'invalid_value',
    };
  }
  const size = fields['size'];
  if (size !== undefined && size !== null && !(typeof size === 'string' && IMAGE_SIZES.has(size))) {
    return {
      message: `Invalid value: ${JSON.stringify(size)}. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'.`,
      param: 'size',
      code: 'invalid_value',
    };
  }
  const model = request.model ?? '';
  if (/gpt-image/iu.test(model) && fields['response_format'] !== undefined) {
    return {
      message: "Unknown parameter: 'response_format'.",
      param: 'response_format',
      code: 'unknown_parameter',
    };
  }
  return null;
}

/** The checks the real API makes that a request mapper most easily gets wrong. */
function validateChatRequest(
  request: RecordedRequest,
  rejectUnsupported: boolean,
): InvalidRequest | null {
  const body = request.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      message: 'We could not parse the JSON body of your request.',
      param: null,
      code: null,
    };
  }
  const fields = body as Record<string, unknown>;
  const messages = fields['messages'];
  if (!Array.isArray(messages) || messages.length === 0) {
    return {
      message: "Invalid 'messages': empty array. Expected an array with minimum length 1.",
      param: 'messages',
      code: 'empty_array',
    };
  }
  const issuedCallIds = new Set<string>();
  for (const [index, message] of messages.entries()) {
    const problem = validateMessage(message, index, issuedCallIds);
    if (problem !== null) return problem;
  }
  const tools = fields['tools'];
  if (tools !== undefined) {
    if (!Array.isArray(tools) || tools.length === 0) {
      return {
        message: "Invalid 'tools': empty array. Expected an array with minimum length 1.",
        param: 'tools',
        code: 'empty_array',
      };
    }
    for (const [index, tool] of tools.entries()) {
      const definition = tool as { type?: unknown; function?: { name?: unknown } };
      if (definition.type !== 'function' || typeof definition.function?.name !== 'string') {
        return {
          message: `Invalid 'tools[${index}]': expected a function tool with a name.`,
          param: `tools[${index}]`,
          code: 'invalid_value',
        };
      }
    }
  }
  if (fields['stream_options'] !== undefined && fields['stream'] !== true) {
    return {
      message: "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
      param: 'stream_options',
      code: null,
    };
  }
  if (rejectUnsupported && request.model !== null && isReasoningModelName(request.model)) {
    if (fields['max_tokens'] !== undefined) {
      return {
        message:
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
        param: 'max_tokens',
        code: 'unsupported_parameter',
      };
    }
    const temperature = fields['temperature'];
    if (temperature !== undefined && temperature !== null && temperature !== 1) {
      return {
        message: `Unsupported value: 'temperature' does not support ${JSON.stringify(temperature)} with this model. Only the default (1) value is supported.`,
        param: 'temperature',
        code: 'unsupported_value',
      };
    }
  }
  return null;
}

function validateMessage(
  message: unknown,
  index: number,
  issuedCallIds: Set<string>,
): InvalidRequest | null {
  const fields = (typeof message === 'object' && message !== null ? message : {}) as Record<
    string,
    unknown
  >;
  const role = fields['role'];
  const invalid = (detail: string, param = `messages[${index}]`): InvalidRequest => ({
    message: `Invalid '${param}': ${detail}`,
    param,
    code: 'invalid_value',
  });
  switch (role) {
    case 'system':
    case 'developer':
    case 'user':
      return typeof fields['content'] === 'string' || Array.isArray(fields['content'])
        ? null
        : invalid('content must be a string.', `messages[${index}].content`);
    case 'assistant': {
      const calls = fields['tool_calls'];
      if (calls === undefined) {
        return typeof fields['content'] === 'string'
          ? null
          : invalid('an assistant message needs content or tool_calls.');
      }
      if (!Array.isArray(calls) || calls.length === 0) {
        return {
          message: `Invalid 'messages[${index}].tool_calls': empty array. Expected an array with minimum length 1.`,
          param: `messages[${index}].tool_calls`,
          code: 'empty_array',
        };
      }
      for (const call of calls) {
        const entry = call as {
          id?: unknown;
          type?: unknown;
          function?: { name?: unknown; arguments?: unknown };
        };
        if (
          typeof entry.id !== 'string' ||
          entry.type !== 'function' ||
          typeof entry.function?.name !== 'string' ||
          typeof entry.function.arguments !== 'string'
        ) {
          return invalid('tool calls need id, type "function", name and arguments.');
        }
        issuedCallIds.add(entry.id);
      }
      return null;
    }
    case 'tool': {
      const id = fields['tool_call_id'];
      if (typeof id !== 'string' || !issuedCallIds.has(id)) {
        return {
          message:
            "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
          param: `messages.[${index}].role`,
          code: null,
        };
      }
      return typeof fields['content'] === 'string'
        ? null
        : invalid('content must be a string.', `messages[${index}].content`);
    }
    default:
      return invalid(`unknown role ${JSON.stringify(role)}.`, `messages[${index}].role`);
  }
}

function isReasoningModelName(model: string): boolean {
  const name = (model.split('/').pop() ?? '').toLowerCase();
  return /(^|[^a-z0-9])(gpt-?5|o[1-9])([^a-z]|$)/.test(name);
}

interface CompletionPlan {
  id: string;
  created: number;
  model: string;
  text: string;
  toolCalls: Required<FakeToolCall>[];
  finishReason: FakeFinishReason;
  usage: FakeUsage | null;
  filterResults: Record<string, unknown> | undefined;
  asJson(): unknown;
}

const SAFE_RESULTS = {
  hate: { filtered: false, severity: 'safe' },
  self_harm: { filtered: false, severity: 'safe' },
  sexual: { filtered: false, severity: 'safe' },
  violence: { filtered: false, severity: 'safe' },
};

function planCompletion(
  reply: FakeCompletionReply,
  request: RecordedRequest,
  sequence: number,
): CompletionPlan {
  const text = reply.text ?? '';
  const toolCalls = (reply.toolCalls ?? []).map((call, index) => ({
    id: call.id ?? `call_${sequence}_${index}`,
    name: call.name,
    arguments: call.arguments,
  }));
  const finishReason = reply.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop');
  const messages = (request.body as { messages?: unknown }).messages;
  const promptTokens = Math.max(1, Math.ceil(JSON.stringify(messages ?? []).length / 4));
  const outputLength =
    text.length + toolCalls.reduce((sum, call) => sum + call.arguments.length, 0);
  const completionTokens = Math.max(1, Math.ceil(outputLength / 4));
  const usage =
    reply.usage === undefined
      ? {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        }
      : reply.usage;
  const filterResults =
    finishReason === 'content_filter'
      ? (reply.contentFilterResults ?? {
          ...SAFE_RESULTS,
          violence: { filtered: true, severity: 'high' },
        })
      : reply.contentFilterResults;
  const plan: CompletionPlan = {
    id: `chatcmpl-fake${sequence}`,
    created: Math.floor(Date.now() / 1000),
    model: reply.model ?? request.model ?? 'fake-model',
    text,
    toolCalls,
    finishReason,
    usage,
    filterResults,
    asJson: () => ({
      id: plan.id,
      object: 'chat.completion',
      created: plan.created,
      model: plan.model,
      ...(reply.promptFilterResults === true
        ? { prompt_filter_results: [{ prompt_index: 0, content_filter_results: SAFE_RESULTS }] }
        : {}),
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: text === '' ? null : text,
            refusal: null,
            ...(toolCalls.length > 0
              ? {
                  tool_calls: toolCalls.map((call) => ({
                    id: call.id,
                    type: 'function',
                    function: { name: call.name, arguments: call.arguments },
                  })),
                }
              : {}),
          },
          logprobs: null,
          finish_reason: finishReason,
          ...(filterResults === undefined ? {} : { content_filter_results: filterResults }),
        },
      ],
      usage,
    }),
  };
  return plan;
}

function pieces(text: string, size: number): string[] {
  const result: string[] = [];
  for (let start = 0; start < text.length; start += size)
    result.push(text.slice(start, start + size));
  return result;
}

/** The chunk sequence the API sends for a plan, as JSON objects. */
function chunksFor(
  reply: FakeCompletionReply,
  plan: CompletionPlan,
  includeUsage: boolean,
): unknown[] {
  const size = Math.max(1, reply.chunkSize ?? 8);
  const annotate = reply.filterAnnotations === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
    id: plan.id,
    object: 'chat.completion.chunk',
    created: plan.created,
    model: plan.model,
    system_fingerprint: 'fp_fake',
    choices,
    ...(includeUsage ? { usage: null } : {}),
    ...extra,
  });
  const deltaChoice = (delta: Record<string, unknown>) => ({
    index: 0,
    delta,
    logprobs: null,
    finish_reason: null,
  });
  let offset = 0;
  const annotation = (finishReason: FakeFinishReason | null, results: unknown) => {
    const chunkStart = offset;
    return {
      id: '',
      choices: [
        {
          index: 0,
          finish_reason: finishReason,
          content_filter_results: results,
          content_filter_offsets: {
            check_offset: chunkStart,
            start_offset: chunkStart,
            end_offset: chunkStart + size,
          },
        },
      ],
    };
  };

  const chunks: unknown[] = [];
  if (reply.promptFilterResults === true) {
    chunks.push({
      id: '',
      object: '',
      created: 0,
      model: '',
      prompt_filter_results: [{ prompt_index: 0, content_filter_results: SAFE_RESULTS }],
      choices: [],
      usage: null,
    });
  }
  chunks.push(chunk([deltaChoice({ role: 'assistant', content: '', refusal: null })]));
  for (const piece of pieces(plan.text, size)) {
    chunks.push(chunk([deltaChoice({ content: piece })]));
    if (annotate) chunks.push(annotation(null, SAFE_RESULTS));
    offset += piece.length;
  }

  const fragmentsPerCall = plan.toolCalls.map((call, index) => [
    { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
    ...pieces(call.arguments, size).map((argumentsPiece) => ({
      index,
      function: { arguments: argumentsPiece },
    })),
  ]);
  const ordered =
    reply.interleaveToolCalls === true
      ? interleave(fragmentsPerCall)
      : fragmentsPerCall.flatMap((fragments) => fragments);
  for (const fragment of ordered) chunks.push(chunk([deltaChoice({ tool_calls: [fragment] })]));

  if (annotate && plan.finishReason === 'content_filter') {
    chunks.push(annotation('content_filter', plan.filterResults));
  } else {
    chunks.push(
      chunk([
        {
          index: 0,
          delta: {},
          logprobs: null,
          finish_reason: plan.finishReason,
          ...(plan.filterResults === undefined
            ? {}
            : { content_filter_results: plan.filterResults }),
        },
      ]),
    );
  }
  if (includeUsage && plan.usage !== null) chunks.push(chunk([], { usage: plan.usage }));
  return chunks;
}

function interleave<T>(lists: T[][]): T[] {
  const result: T[] = [];
  const longest = Math.max(0, ...lists.map((list) => list.length));
  for (let position = 0; position < longest; position += 1) {
    for (const list of lists) {
      const item = list[position];
      if (item !== undefined) result.push(item);
    }
  }
  return result;
}

async function streamCompletion(
  response: ServerResponse,
  reply: FakeCompletionReply,
  plan: CompletionPlan,
  includeUsage: boolean,
): Promise<void> {
  let clientGone = false;
  response.on('close', () => {
    clientGone = true;
    if (!response.writableEnded) reply.onClientGone?.();
  });
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    'x-request-id': `req_${plan.id}`,
  });
  response.flushHeaders();
  const delayMs = reply.delayMs ?? 0;
  let sent = 0;
  let firstContentWritten = false;
  for (const chunk of chunksFor(reply, plan, includeUsage)) {
    if (delayMs > 0) await sleep(delayMs);
    if (clientGone) return;
    if (reply.dropAfterChunks !== undefined && sent >= reply.dropAfterChunks) {
      response.socket?.destroy();
      return;
    }
    if (reply.stallAfterChunks !== undefined && sent >= reply.stallAfterChunks) {
      // Hold the connection open and silent until the client gives up or the server closes.
      return;
    }
    if (reply.errorAfterChunks !== undefined && sent >= reply.errorAfterChunks.chunks) {
      response.end(`data: ${JSON.stringify({ error: reply.errorAfterChunks.error })}\n\n`);
      return;
    }
    response.write(`data: ${JSON.stringify(chunk)}\n\n`);
    sent += 1;
    if (reply.onFirstContent !== undefined && !firstContentWritten && hasContent(chunk)) {
      firstContentWritten = true;
      reply.onFirstContent();
    }
  }
  response.end('data: [DONE]\n\n');
}

/**
 * A completion asked for without `stream`: it leaves once the model has written all of it, so the options of a
 * stream act on the whole answer. `delayMs` is paid once per chunk the stream would have had, before the
 * headers; a stall, drop or error anywhere before the stream's end means no answer at all (a held connection, a
 * destroyed one, a 500 with the error).
 */
async function sendWholeCompletion(
  response: ServerResponse,
  reply: FakeCompletionReply,
  plan: CompletionPlan,
): Promise<void> {
  response.on('close', () => {
    if (!response.writableEnded) reply.onClientGone?.();
  });
  const chunks = chunksFor(reply, plan, false).length;
  if (reply.delayMs !== undefined && reply.delayMs > 0) await sleep(reply.delayMs * chunks);
  if (response.destroyed) return;
  const cutBeforeEnd = (after: number | undefined) => after !== undefined && after < chunks;
  if (cutBeforeEnd(reply.dropAfterChunks)) {
    response.socket?.destroy();
    return;
  }
  if (cutBeforeEnd(reply.stallAfterChunks)) return;
  if (cutBeforeEnd(reply.errorAfterChunks?.chunks)) {
    sendJson(response, 500, { error: reply.errorAfterChunks!.error });
    return;
  }
  const answer = plan.asJson();
  sendJson(response, 200, answer);
  if (hasMessageContent(answer)) reply.onFirstContent?.();
}

function hasMessageContent(answer: unknown): boolean {
  const choices = (answer as { choices?: { message?: { content?: unknown } }[] }).choices;
  const content = choices?.[0]?.message?.content;
  return typeof content === 'string' && content !== '';
}

function hasContent(chunk: unknown): boolean {
  const choices = (chunk as { choices?: { delta?: { content?: unknown } }[] }).choices;
  const content = choices?.[0]?.delta?.content;
  return typeof content === 'string' && content !== '';
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}
