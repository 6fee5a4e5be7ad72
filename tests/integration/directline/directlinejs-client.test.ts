import {
  DirectLine,
  ConnectionStatus,
  type Activity,
  type Message,
} from 'botframework-directlinejs';
import WebSocket from 'ws';
import { SAMPLE_CUSTOMERS } from '../../../src/commerce/sample-data';
import { startTestAssistant, type TestAssistant } from '../../helpers/test-assistant';

/**
 * Microsoft's own Direct Line client (the one inside Web Chat) against the embedded service, from Node: over the
 * WebSocket stream and by polling. It needs browser globals: XMLHttpRequest from xhr2, WebSocket from ws.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
(globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest ??= require('xhr2');

const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

describe('botframework-directlinejs against the embedded Direct Line', () => {
  let assistant: TestAssistant;
  const clients: DirectLine[] = [];

  beforeAll(async () => {
    assistant = await startTestAssistant();
  });

  afterAll(async () => {
    for (const client of clients) client.end();
    await assistant?.dispose();
  });

  async function connect(
    webSocket: boolean,
  ): Promise<{ client: DirectLine; botMessages: Message[]; userId: string }> {
    const response = await fetch(`${assistant.url}/api/directline/token`, { method: 'POST' });
    const issued = (await response.json()) as { token: string; domain: string };
    const client = new DirectLine({
      token: issued.token,
      domain: issued.domain,
      webSocket,
      pollingInterval: 200,
      WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    });
    clients.push(client);
    const botMessages: Message[] = [];
    // Ending a client errors its observables with "conversation ended"; without error handlers rxjs rethrows it.
    client.activity$.subscribe({
      next: (activity: Activity) => {
        if (activity.type === 'message' && activity.from.role === 'bot') botMessages.push(activity);
      },
      error: () => undefined,
    });
    await new Promise<void>((resolve, reject) => {
      client.connectionStatus$.subscribe({
        next: (status) => {
          if (status === ConnectionStatus.Online) resolve();
          if (status === ConnectionStatus.FailedToConnect || status === ConnectionStatus.ExpiredToken) {
            reject(new Error(`connection status ${status}`));
          }
        },
        error: () => undefined,
      });
    });
    const claims = JSON.parse(Buffer.from(issued.token.split('.')[1]!, 'base64url').toString()) as {
      user: string;
    };
    return { client, botMessages, userId: claims.user };
  }

  async function waitForMessage(messages: Message[], pattern: RegExp): Promise<Message> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      const found = messages.find((message) => pattern.test(message.text ?? ''));
      if (found !== undefined) return found;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(
      `no bot message matched ${pattern}; got ${messages.map((message) => message.text).join(' | ')}`,
    );
  }

  function post(client: DirectLine, userId: string, text: string): Promise<string> {
    return new Promise((resolve, reject) => {
      client
        .postActivity({ type: 'message', from: { id: userId }, text })
        .subscribe({ next: resolve, error: reject });
    });
  }

  it.each([
    ['the WebSocket stream', true],
    ['polling', false],
  ])('verifies a customer and answers about an order over %s', async (_mode, webSocket) => {
    const { client, botMessages, userId } = await connect(webSocket);
    await waitForMessage(botMessages, /after-sales assistant/);

    const id = await post(
      client,
      userId,
      `my email is ${olivia.email} and my zip code is ${olivia.zip}`,
    );
    expect(id).toMatch(/\|\d{7}$/);
    await waitForMessage(botMessages, /verified/i);

    await post(client, userId, 'what is the status of order #W4821001?');
    const status = await waitForMessage(botMessages, /#W4821001/);
    expect(status.text).toMatch(/pending/i);
  });
});
