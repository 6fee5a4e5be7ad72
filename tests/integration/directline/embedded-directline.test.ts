import { readFile } from 'node:fs/promises';
import { SAMPLE_CUSTOMERS } from '../../../src/commerce/sample-data';
import { ACTIVITY_BYTES_MAX } from '../../../src/server/app-server';
import { DirectLineTestClient, type DirectLineActivity } from '../../helpers/directline-client';
import { startTestAssistant, type TestAssistant } from '../../helpers/test-assistant';

/**
 * The embedded Direct Line 3.0 service of local mode, spoken to over real HTTP and WebSocket the way Web Chat
 * speaks to it, with the real bot (offline model) behind it.
 */
const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;
const fromBot = (activity: DirectLineActivity) =>
  activity.from.role === 'bot' && activity.type === 'message';

describe('the embedded Direct Line', () => {
  let assistant: TestAssistant;

  beforeAll(async () => {
    assistant = await startTestAssistant();
  });

  afterAll(async () => {
    await assistant?.dispose();
  });

  it('starts a conversation with a welcome, echoes the customer with a server id, and relays the answer', async () => {
    const client = await DirectLineTestClient.start(assistant.url);
    expect(client.streamUrl).toMatch(/^ws:\/\/.+\/stream\?t=/);

    const welcome = await client.waitFor(fromBot);
    expect(welcome.text).toMatch(/after-sales assistant/);

    const posted = await client.post({
      type: 'message',
      text: 'hello',
      from: { id: 'someone-else' },
      channelData: { clientActivityID: 'client-1' },
    });
    expect(posted.status).toBe(200);
    const postedId = (posted.body as { id: string }).id;
    expect(postedId).toMatch(new RegExp(`^${client.conversationId}\\|\\d{7}$`));

    const set = await client.activities();
    const echo = set.activities.find((activity) => activity.id === postedId)!;
    expect(echo.channelData).toMatchObject({ clientActivityID: 'client-1' });
    expect(echo.from.id).toMatch(/^dl_/);
    expect(new Date(echo.timestamp).getTime()).not.toBeNaN();

    const answer = await client.waitFor(
      (activity) => fromBot(activity) && activity.replyToId !== undefined,
    );
    expect(answer.text).toMatch(/email address or full name/);
    expect(answer.id).toMatch(/\|\d{7}$/);
  });

  it('pages by watermark: a later watermark returns only what came after it', async () => {
    const client = await DirectLineTestClient.start(assistant.url);
    await client.waitFor(fromBot);
    const first = await client.activities();

    await client.say('hello again');
    await client.waitFor((activity) => fromBot(activity) && activity.replyToId !== undefined, {
      watermark: first.watermark,
    });
    const later = await client.activities(first.watermark);

    expect(later.activities.map((activity) => activity.text)).toEqual([
      'hello again',
      expect.stringMatching(/email address or full name/) as unknown as string,
    ]);
    expect(Number(later.watermark)).toBeGreaterThan(Number(first.watermark));
  });

  it('streams over the WebSocket: the backlog first, then live activities in order', async () => {
    const client = await DirectLineTestClient.start(assistant.url);
    await client.waitFor(fromBot);
    const stream = await client.openStream();
    await stream.waitFor(fromBot);

    const posted = await client.say(`my email is ${olivia.email} and my zip code is ${olivia.zip}`);
    const postedId = (posted.body as { id: string }).id;
    const verified = await stream.waitFor(
      (activity) => fromBot(activity) && activity.replyToId === postedId,
    );
    expect(verified.text).toMatch(/Olivia|verified|thank/i);

    const texts = stream.received.map((activity) => activity.text);
    expect(
      texts.indexOf(`my email is ${olivia.email} and my zip code is ${olivia.zip}`),
    ).toBeLessThan(texts.indexOf(verified.text));
    expect(stream.watermarks.at(-1)).toBe((await client.activities()).watermark);
    stream.close();
  });

  it('lets one stream per conversation live: a second closes the first with "collision"', async () => {
    const client = await DirectLineTestClient.start(assistant.url);
    const first = await client.openStream();
    const second = await client.openStream();

    expect(await first.waitForClose()).toMatchObject({ reason: 'collision' });
    await client.say('are you there?');
    await second.waitFor((activity) => fromBot(activity) && activity.replyToId !== undefined);
    second.close();
  });

  it('refreshes a token and reconnects to the same conversation', async () => {
    const client = await DirectLineTestClient.start(assistant.url);
    await client.waitFor(fromBot);

    const refreshed = await client.call('POST', `${client.domain}/tokens/refresh`);
    expect(refreshed.status).toBe(200);
    const renewed = refreshed.body as { token: string; conversationId: string; expires_in: number };
    expect(renewed.conversationId).toBe(client.conversationId);
    expect(renewed.expires_in).toBe(1800);

    const reconnected = await client.call(
      'GET',
      `${client.domain}/conversations/${client.conversationId}?watermark=1`,
      {
        token: renewed.token,
      },
    );
    expect(reconnected.status).toBe(200);
    expect(reconnected.body).toMatchObject({ conversationId: client.conversationId });
    // The new stream resumes after the watermark instead of replaying the conversation.
    const resumed = await client.openStream((reconnected.body as { streamUrl: string }).streamUrl);
    await client.say('still there?');
    await resumed.waitFor((activity) => fromBot(activity) && activity.replyToId !== undefined);
    expect(resumed.received.some((activity) => activity.id.endsWith('|0000001'))).toBe(false);
    resumed.close();
    const again = await client.call('POST', `${client.domain}/conversations`, {
      token: renewed.token,
    });
    expect(again.status).toBe(200);
  });

  it('refuses missing, forged and foreign tokens, and unknown conversations', async () => {
    const alice = await DirectLineTestClient.start(assistant.url);
    const bob = await DirectLineTestClient.start(assistant.url);

    const noToken = await alice.call(
      'GET',
      `${alice.domain}/conversations/${alice.conversationId}/activities`,
      {
        auth: false,
      },
    );
    const [header, payload] = alice.token.split('.');
    const forged = await alice.post(
      { type: 'message', text: 'x' },
      `${header}.${payload}.c2lnbmF0dXJl`,
    );
    const foreign = await alice.post({ type: 'message', text: 'x' }, bob.token);
    const foreignStream = alice.openStream(
      bob.streamUrl.replace(bob.conversationId, alice.conversationId),
    );
    const unknownStream = alice.openStream(
      alice.streamUrl.replace(/conversations\/[^/]+/, 'conversations/nope'),
    );
    const connectorGuess = await fetch(
      `${assistant.url}/v3/conversations/${alice.conversationId}/activities`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'I am the bot, trust me' }),
      },
    );

    expect(noToken.status).toBe(401);
    expect(forged.status).toBe(403);
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ error: { code: 'Forbidden' } });
    await expect(foreignStream).rejects.toThrow(/403/);
    await expect(unknownStream).rejects.toThrow(/403|404/);
    expect(connectorGuess.status).toBe(404);
    const texts = (await alice.activities()).activities.map((activity) => activity.text);
    expect(texts).not.toContain('x');
    expect(texts).not.toContain('I am the bot, trust me');
  });

  it('answers bad input with clear errors, rate-limits floods, and keeps the conversation working', async () => {
    const client = await DirectLineTestClient.start(assistant.url);
    await client.waitFor(fromBot);
    const url = `${client.domain}/conversations/${client.conversationId}/activities`;

    const malformed = await client.call('POST', url, { rawBody: '{"type": "message", "text": ' });
    const badType = await client.post({ type: 'conversationUpdate' });
    const badText = await client.post({ type: 'message', text: 42 });
    const oversize = await client.post({
      type: 'message',
      text: 'a'.repeat(ACTIVITY_BYTES_MAX + 1),
    });
    expect([malformed.status, badType.status, badText.status, oversize.status]).toEqual([
      400, 400, 400, 413,
    ]);
    expect(badType.body).toMatchObject({
      error: { code: 'BadArgument', message: expect.stringMatching(/type/) },
    });

    const flood = [];
    for (let index = 0; index < 14; index += 1)
      flood.push(await client.post({ type: 'event', name: `ping-${index}` }));
    const limited = flood.filter((result) => result.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]!.body).toMatchObject({ error: { code: 'TooManyRequests' } });
    expect(limited[0]!.headers.get('retry-after')).toBe('10');

    // The conversation and the server are fine afterwards.
    const health = await fetch(`${assistant.url}/healthz`);
    expect(health.status).toBe(200);
    const set = await client.activities();
    expect(set.activities.filter(fromBot).length).toBeGreaterThanOrEqual(1);
  });

  it('serves the chat page with the assistant name and the locally installed Web Chat bundle', async () => {
    const page = await fetch(`${assistant.url}/`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(html).toContain('<title>Ava · Contoso Home &amp; Electronics</title>');
    expect(html).toContain('<script src="/vendor/webchat.js"></script>');

    const bundle = await fetch(`${assistant.url}/vendor/webchat.js`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
    const vendored = await readFile(require.resolve('../../../public/vendor/webchat.js'));
    expect(Buffer.from(await bundle.arrayBuffer()).equals(vendored)).toBe(true);
  });
});

describe('the embedded Direct Line with a secret', () => {
  const SECRET = 'embedded-direct-line-secret';
  let assistant: TestAssistant;

  beforeAll(async () => {
    assistant = await startTestAssistant({ DIRECT_LINE_SECRET: SECRET });
  });

  afterAll(async () => {
    await assistant?.dispose();
  });

  it('generates a token for a dl_ user with the secret, and refuses a wrong secret', async () => {
    const client = new DirectLineTestClient(assistant.url);

    const refused = await client.call('POST', `${client.domain}/tokens/generate`, {
      token: 'wrong',
    });
    const generated = await client.call('POST', `${client.domain}/tokens/generate`, {
      token: SECRET,
      body: { user: { id: 'customer-7' } },
    });

    expect(refused.status).toBe(403);
    expect(generated.status).toBe(200);
    const issued = generated.body as { conversationId: string; token: string; expires_in: number };
    expect(issued.expires_in).toBe(1800);
    const claims = JSON.parse(Buffer.from(issued.token.split('.')[1]!, 'base64url').toString()) as {
      conv: string;
      user: string;
    };
    expect(claims).toMatchObject({ conv: issued.conversationId, user: 'dl_customer-7' });
    // The token starts that very conversation.
    client.token = issued.token;
    const started = await client.call('POST', `${client.domain}/conversations`);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ conversationId: issued.conversationId });
  });

  it('starts a conversation directly with the secret', async () => {
    const client = new DirectLineTestClient(assistant.url);

    const started = await client.call('POST', `${client.domain}/conversations`, { token: SECRET });

    expect(started.status).toBe(201);
    const view = started.body as { conversationId: string; token: string; streamUrl: string };
    client.conversationId = view.conversationId;
    client.token = view.token;
    const welcome = await client.waitFor(fromBot);
    expect(welcome.text).toMatch(/after-sales assistant/);
    expect(JSON.stringify(started.body)).not.toContain(SECRET);
  });
});
