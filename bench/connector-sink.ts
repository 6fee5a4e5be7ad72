import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * The channel's side of a benchmark: answers the bot's replies with an id, as the Bot Connector does, and
 * resolves a waiter when a conversation's next message arrives. It keeps no history, so it costs the same
 * for any number of turns.
 */
export interface ConnectorSink {
  url: string;
  nextMessage(conversationId: string): Promise<{ text: string }>;
  /**
   * Streamed updates (typing activities with text) since the last reset, and the shortest time between two
   * updates of one answer as they arrived here: the pace a customer sees.
   */
  streamedUpdates(): { count: number; minGapMs: number };
  resetStreamedUpdates(): void;
  close(): Promise<void>;
}

export async function startConnectorSink(): Promise<ConnectorSink> {
  const waiters = new Map<string, ((message: { text: string }) => void)[]>();
  /** When each conversation's answer in progress last had an update; a message ends the answer. */
  const lastUpdateAt = new Map<string, number>();
  let updates = 0;
  let minGapMs = Number.POSITIVE_INFINITY;
  let sequence = 0;
  const server: Server = createServer((request, response) => {
    // When the update arrived, not when its body was read: this process is busy too (the load driver and the
    // model), and a late read of one update would make the gap to the next look shorter than the bot kept it.
    const arrivedAt = performance.now();
    void readJson(request).then((body) => {
      sequence += 1;
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ id: `sink-${sequence}` }));
      const match = /^\/v3\/conversations\/([^/]+)\/activities/u.exec(request.url ?? '');
      if (match === null) return;
      const conversationId = decodeURIComponent(match[1]!);
      if (body?.type === 'typing' && typeof body.text === 'string' && body.text !== '') {
        const last = lastUpdateAt.get(conversationId);
        if (last !== undefined) minGapMs = Math.min(minGapMs, arrivedAt - last);
        lastUpdateAt.set(conversationId, arrivedAt);
        updates += 1;
        return;
      }
      if (body?.type !== 'message') return;
      lastUpdateAt.delete(conversationId);
      waiters.get(conversationId)?.shift()?.({ text: typeof body.text === 'string' ? body.text : '' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    nextMessage: (conversationId) =>
      new Promise((resolve) => {
        const queue = waiters.get(conversationId) ?? [];
        queue.push(resolve);
        waiters.set(conversationId, queue);
      }),
    streamedUpdates: () => ({ count: updates, minGapMs }),
    resetStreamedUpdates: () => {
      updates = 0;
      minGapMs = Number.POSITIVE_INFINITY;
      lastUpdateAt.clear();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function readJson(request: IncomingMessage): Promise<{ type?: string; text?: unknown } | null> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as { type?: string; text?: unknown };
  } catch {
    return null;
  }
}
