import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestAssistant, type TestAssistant } from '../../helpers/test-assistant';

/**
 * Production mode: the page's token comes from the Azure Bot's Direct Line channel, exchanged server-side for
 * the secret, which never reaches the browser. The channel here is a local server speaking its token API.
 */
const SECRET = 'direct-line-secret-for-tests';

describe('the Direct Line token exchange', () => {
  let channel: Server;
  let channelUrl: string;
  let assistant: TestAssistant;
  let failing = false;
  const requests: { url?: string; authorization?: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    channel = createServer((request: IncomingMessage, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        requests.push({
          url: request.url,
          authorization: request.headers.authorization,
          body: JSON.parse(Buffer.concat(chunks).toString() || '{}') as Record<string, unknown>,
        });
        if (failing) {
          response.statusCode = 500;
          response.end();
          return;
        }
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            conversationId: 'conv-from-azure',
            token: 'token-from-azure',
            expires_in: 3600,
          }),
        );
      });
    });
    await new Promise<void>((resolve) => channel.listen(0, '127.0.0.1', resolve));
    channelUrl = `http://127.0.0.1:${(channel.address() as AddressInfo).port}/v3/directline`;
    assistant = await startTestAssistant({
      DIRECT_LINE_EMBEDDED: 'false',
      DIRECT_LINE_SECRET: SECRET,
      DIRECT_LINE_ENDPOINT: channelUrl,
    });
  });

  afterAll(async () => {
    await assistant?.dispose();
    channel.closeAllConnections();
    await new Promise((resolve) => channel.close(resolve));
  });

  it('exchanges the secret for a token bound to a new dl_ user and the page origin', async () => {
    const response = await fetch(`${assistant.url}/api/directline/token`, {
      method: 'POST',
      headers: { origin: 'https://shop.contoso.example' },
    });
    const text = await response.text();

    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toEqual({
      token: 'token-from-azure',
      conversationId: 'conv-from-azure',
      expiresIn: 3600,
      domain: channelUrl,
    });
    expect(text).not.toContain(SECRET);
    const exchange = requests.at(-1)!;
    expect(exchange.url).toBe('/v3/directline/tokens/generate');
    expect(exchange.authorization).toBe(`Bearer ${SECRET}`);
    expect(exchange.body).toMatchObject({
      user: { id: expect.stringMatching(/^dl_/) },
      trustedOrigins: ['https://shop.contoso.example'],
    });
    // The embedded service is off: its routes do not exist.
    expect(
      (await fetch(`${assistant.url}/v3/directline/conversations`, { method: 'POST' })).status,
    ).toBe(404);
  });

  it('gives each page its own user id', async () => {
    await fetch(`${assistant.url}/api/directline/token`, { method: 'POST' });
    await fetch(`${assistant.url}/api/directline/token`, { method: 'POST' });
    const [first, second] = requests
      .slice(-2)
      .map((request) => (request.body.user as { id: string }).id);
    expect(first).not.toBe(second);
  });

  it('answers 502 with a calm message when the channel fails, and works again after', async () => {
    failing = true;
    const failed = await fetch(`${assistant.url}/api/directline/token`, { method: 'POST' });
    failing = false;
    const recovered = await fetch(`${assistant.url}/api/directline/token`, { method: 'POST' });

    expect(failed.status).toBe(502);
    expect(await failed.json()).toEqual({
      error: 'the chat service is not available right now; please try again',
    });
    expect(recovered.status).toBe(200);
  });
});
