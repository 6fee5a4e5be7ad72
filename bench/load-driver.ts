import type { ConnectorSink } from './connector-sink';

export interface LoadResult {
  turns: number;
  seconds: number;
  turnsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Posts sent again because the connection could not be made (see {@link postActivity}). */
  connectRetries: number;
}

export interface LoadOptions {
  botUrl: string;
  sink: ConnectorSink;
  conversations: number;
  turnsPerConversation: number;
  /** The customer's words for a turn. */
  text: (turn: number) => string;
  /** Prefix for conversation ids, so runs never share state. */
  runId: string;
  /**
   * Paced load: each conversation sends a turn every `paceMs` (or as soon as its previous turn ends, if that is
   * later), the conversations' schedules spread evenly over one pace. Without it every conversation sends its
   * next turn the moment the last one is answered, which saturates the server: turns/s is then its capacity,
   * and latency is mostly time spent queueing.
   */
  paceMs?: number;
  /**
   * Where the customers are: `webchat` (Direct Line, the default) or `teams`, a Teams personal chat, where the
   * bot streams answers at Teams' pace.
   */
  channel?: 'webchat' | 'teams';
}

/**
 * Drives conversations concurrently over HTTP the way a channel does: post an activity to /api/messages and
 * count the turn done when the bot's message reaches the connector. Latency is measured per turn.
 */
export async function driveLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const retries = { count: 0 };
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.conversations }, async (_, index) => {
      const conversationId = `${options.runId}-${index}`;
      const pace = options.paceMs;
      const offset = pace === undefined ? 0 : (pace * index) / options.conversations;
      for (let turn = 0; turn < options.turnsPerConversation; turn += 1) {
        if (pace !== undefined) {
          const due = started + offset + turn * pace;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        }
        const reply = options.sink.nextMessage(conversationId);
        const turnStarted = performance.now();
        const response = await postActivity(
          `${options.botUrl}/api/messages`,
          JSON.stringify(
            activity({
              conversationId,
              serviceUrl: options.sink.url,
              text: options.text(turn),
              turn,
              channel: options.channel ?? 'webchat',
            }),
          ),
          retries,
        );
        if (!response.ok) throw new Error(`bot answered ${response.status}: ${await response.text()}`);
        await reply;
        latencies.push(performance.now() - turnStarted);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    turns: latencies.length,
    seconds,
    turnsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    connectRetries: retries.count,
  };
}

/** Connection attempts a post makes before the round fails. */
const CONNECT_ATTEMPTS = 3;

/**
 * Posts one activity. When a burst of new conversations (over a thousand in the streaming rounds) fills the
 * bot's accept queue, a connection can time out before the bot takes it, as a channel's would; the channel
 * tries again, and so does this, counting it. Only a connection never made is retried: the bot cannot have seen
 * that activity. The wait counts in the turn's latency.
 */
async function postActivity(url: string, body: string, retries: { count: number }): Promise<Response> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    } catch (error) {
      // A refused connection is not retried: nothing listens, the bot is gone.
      const code = ((error as { cause?: { code?: unknown } }).cause ?? {}).code;
      if (code !== 'UND_ERR_CONNECT_TIMEOUT' || attempt >= CONNECT_ATTEMPTS) throw error;
      retries.count += 1;
    }
  }
}

function activity(options: {
  conversationId: string;
  serviceUrl: string;
  text: string;
  turn: number;
  channel: 'webchat' | 'teams';
}) {
  const { conversationId, channel } = options;
  return {
    type: 'message',
    id: `${conversationId}-activity-${options.turn}`,
    channelId: channel === 'teams' ? 'msteams' : 'directline',
    serviceUrl: options.serviceUrl,
    conversation:
      channel === 'teams'
        ? { id: conversationId, conversationType: 'personal', tenantId: 'bench-tenant' }
        : { id: conversationId },
    ...(channel === 'teams' ? { channelData: { tenant: { id: 'bench-tenant' } } } : {}),
    from: { id: `user-${conversationId}`, name: 'Bench customer' },
    recipient: { id: 'bot', name: 'Bot' },
    text: options.text,
    timestamp: new Date().toISOString(),
  };
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
