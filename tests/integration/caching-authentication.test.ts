import {
  ActivityHandler,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type CloudAdapter,
} from 'botbuilder';
import {
  AuthenticationConstants,
  ClaimsIdentity,
  ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';
import type restify from 'restify';
import {
  CONNECTOR_CLIENTS_KEPT,
  CachingBotFrameworkAuthentication,
} from '../../src/bot/caching-authentication';
import { createAdapter } from '../../src/bot/create-adapter';
import { silentLogger } from '../../src/shared/logger';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import { serveBot } from '../helpers/restify-bot';

const APP_ID = '6f1d2c0a-4b7e-4c1a-9d2e-3a5b7c9e1f20';

describe('one connector client per app id, service URL and audience, one user token client per app id', () => {
  let adapter: CloudAdapter;
  let server: restify.Server;
  let botUrl: string;
  let first: ConnectorRecorder;
  let second: ConnectorRecorder;
  /** The client each turn replied through, in order. */
  const clients: ConnectorClient[] = [];
  /** The user token client each turn was given. */
  const tokenClients: UserTokenClient[] = [];

  beforeAll(async () => {
    [first, second] = await Promise.all([ConnectorRecorder.start(), ConnectorRecorder.start()]);
    adapter = createAdapter(
      { appId: null, appType: 'MultiTenant', appPassword: undefined, tenantId: undefined },
      silentLogger(),
    );
    const bot = new ActivityHandler();
    bot.onMessage(async (context, next) => {
      clients.push(context.turnState.get<ConnectorClient>(adapter.ConnectorClientKey));
      tokenClients.push(context.turnState.get<UserTokenClient>(adapter.UserTokenClientKey));
      await context.sendActivity(`echo: ${context.activity.text}`);
      await next();
    });
    ({ server, url: botUrl } = await serveBot(adapter, (context) => bot.run(context)));
  });

  afterAll(async () => {
    server.close();
    await Promise.all([first.close(), second.close()]);
  });

  async function post(recorder: ConnectorRecorder, conversationId: string, text: string) {
    const activity: Partial<Activity> = {
      type: 'message',
      id: `${conversationId}-${text}`,
      channelId: 'directline',
      serviceUrl: recorder.serviceUrl,
      conversation: { id: conversationId } as Activity['conversation'],
      from: { id: 'customer', name: 'Customer' },
      recipient: { id: 'bot', name: 'Bot' },
      text,
    };
    const response = await fetch(`${botUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activity),
    });
    expect(response.status).toBeLessThan(300);
  }

  it('reuses the client across turns and conversations, and each reply still reaches its own channel', async () => {
    await post(first, 'conversation-a', 'one');
    await post(first, 'conversation-b', 'two');
    await post(second, 'conversation-c', 'three');
    await post(first, 'conversation-a', 'four');

    expect(clients).toHaveLength(4);
    expect(clients[1]).toBe(clients[0]);
    expect(clients[3]).toBe(clients[0]);
    expect(clients[2]).not.toBe(clients[0]);
    expect(tokenClients).toHaveLength(4);
    expect(new Set(tokenClients).size).toBe(1);
    const texts = (recorder: ConnectorRecorder) =>
      recorder.requests.map((request) => `${request.conversationId}: ${request.activity?.text}`);
    expect(texts(first)).toEqual([
      'conversation-a: echo: one',
      'conversation-b: echo: two',
      'conversation-a: echo: four',
    ]);
    expect(texts(second)).toEqual(['conversation-c: echo: three']);
  });
});

describe('CachingBotFrameworkAuthentication', () => {
  const credentials = {
    MicrosoftAppId: APP_ID,
    MicrosoftAppPassword: 'not-a-real-secret',
    MicrosoftAppType: 'MultiTenant',
  };
  const authentication = () =>
    new CachingBotFrameworkAuthentication(
      new ConfigurationBotFrameworkAuthentication(
        credentials,
        new ConfigurationServiceClientCredentialFactory(credentials),
      ),
    );
  const claimsFor = (appId: string) =>
    new ClaimsIdentity([{ type: AuthenticationConstants.AudienceClaim, value: appId }], true);

  it('keeps a client per service URL and audience, for the app id of the claims', async () => {
    const auth = authentication();
    const factory = auth.createConnectorFactory(claimsFor(APP_ID));
    const again = auth.createConnectorFactory(claimsFor(APP_ID));

    const client = await factory.create('https://smba.trafficmanager.net/amer/');
    expect(await again.create('https://smba.trafficmanager.net/amer/')).toBe(client);
    expect(await factory.create('https://smba.trafficmanager.net/emea/')).not.toBe(client);
    expect(
      await factory.create('https://smba.trafficmanager.net/amer/', 'https://api.botframework.us'),
    ).not.toBe(client);
    expect(client).toBeInstanceOf(ConnectorClient);
  });

  it('keeps a user token client per app id', async () => {
    const auth = authentication();

    const client = await auth.createUserTokenClient(claimsFor(APP_ID));
    expect(await auth.createUserTokenClient(claimsFor(APP_ID))).toBe(client);
    await expect(
      auth.createUserTokenClient(claimsFor('00000000-0000-0000-0000-000000000bad')),
    ).rejects.toThrow('Invalid appId.');
  });

  it('does not keep a failure: an app id the credentials refuse is refused every time', async () => {
    const auth = authentication();
    const stranger = auth.createConnectorFactory(claimsFor('00000000-0000-0000-0000-000000000bad'));

    await expect(stranger.create('https://smba.trafficmanager.net/amer/')).rejects.toThrow(
      'Invalid appId.',
    );
    await expect(stranger.create('https://smba.trafficmanager.net/amer/')).rejects.toThrow(
      'Invalid appId.',
    );
    // The bot's own app id on the same service URL still gets a working client.
    const own = await auth
      .createConnectorFactory(claimsFor(APP_ID))
      .create('https://smba.trafficmanager.net/amer/');
    expect(own).toBeInstanceOf(ConnectorClient);
  });

  it(`lets the least recently used client go past ${CONNECTOR_CLIENTS_KEPT}`, async () => {
    const auth = authentication();
    const factory = auth.createConnectorFactory(claimsFor(APP_ID));
    const url = (index: number) => `https://region-${index}.example.net/`;
    const oldest = await factory.create(url(0));
    const recent = await factory.create(url(1));
    for (let index = 2; index <= CONNECTOR_CLIENTS_KEPT; index += 1) {
      await factory.create(url(index));
      // Used again all along, so it stays.
      if (index % 50 === 0) await factory.create(url(1));
    }

    expect(await factory.create(url(1))).toBe(recent);
    expect(await factory.create(url(0))).not.toBe(oldest);
  });
});
