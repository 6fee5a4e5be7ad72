import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import { AgentsPlayground, agentsPlaygroundCli } from '../helpers/agents-playground';
import { startTestAssistant, textOf, type TestAssistant } from '../helpers/test-assistant';

/**
 * A customer in a Teams personal chat, with the Microsoft 365 Agents Playground as their Teams client: it posts
 * Teams-shaped activities to the real assistant (offline model, sample store) over HTTP and takes the replies on
 * its own Bot Connector endpoint, as Teams does. It is a devDependency; outside CI a checkout without it skips
 * this suite and says so, in CI it must run.
 */
const hasPlayground = agentsPlaygroundCli() !== null;
if (!hasPlayground && process.env.CI) {
  throw new Error(
    '@microsoft/m365agentsplayground is required in CI; `npm ci` installs it (devDependency)',
  );
}
if (!hasPlayground) {
  console.warn(
    'teams-playground: skipped, @microsoft/m365agentsplayground is not installed (npm ci)',
  );
}
const describeWithPlayground = hasPlayground ? describe : describe.skip;

const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;
const ORDER_ID = '#W4821001';

describeWithPlayground('a Teams customer in the Microsoft 365 Agents Playground', () => {
  let assistant: TestAssistant;
  let playground: AgentsPlayground | undefined;

  beforeEach(async () => {
    assistant = await startTestAssistant();
  }, 30_000);

  afterEach(async () => {
    await playground?.stop();
    playground = undefined;
    await assistant?.dispose();
  });

  it('is welcomed, verifies in the chat, and hears where their order is and its status', async () => {
    playground = await AgentsPlayground.start({ botEndpoint: `${assistant.url}/api/messages` });
    const order = (await assistant.app.commerce.getOrder(ORDER_ID))!;
    const shipments = await assistant.app.commerce.getOrderShipments(ORDER_ID);

    const opened = await playground.startConversation();
    expect(opened.messages).toHaveLength(1);
    expect(opened.messages[0]).toMatchObject({
      channelId: 'msteams',
      conversation: { conversationType: 'personal', id: playground.conversationId },
    });
    expect(textOf(opened.messages)).toMatch(/after-sales assistant/);

    const verified = await playground.say(
      `my email is ${olivia.email} and my zip is ${olivia.zip}`,
    );
    expect(textOf(verified.messages)).toMatch(/verified/i);

    const where = await playground.say(`where is my order ${ORDER_ID}?`);
    expect(textOf(where.messages)).toContain(ORDER_ID);
    // The sample order has not left the warehouse; the answer says so rather than inventing a parcel.
    expect(shipments).toEqual([]);
    expect(textOf(where.messages)).toMatch(/not shipped/i);

    const status = await playground.say(`what is the status of order ${ORDER_ID}?`);
    expect(textOf(status.messages)).toContain(`is ${order.status}`);
    // The order card reaches the Teams chat as an Adaptive Card.
    const card = status.messages
      .flatMap((message) => message.attachments ?? [])
      .find((attachment) => attachment.contentType === 'application/vnd.microsoft.card.adaptive');
    expect(JSON.stringify(card?.content)).toContain(ORDER_ID);
  }, 60_000);

  it('knows a customer by the email they signed in to Teams with', async () => {
    playground = await AgentsPlayground.start({
      botEndpoint: `${assistant.url}/api/messages`,
      user: {
        name: `${olivia.firstName} ${olivia.lastName}`,
        givenName: olivia.firstName,
        surname: olivia.lastName,
        email: olivia.email,
        userPrincipalName: olivia.email,
      },
    });
    await expect(playground.member()).resolves.toMatchObject({
      email: olivia.email,
      userPrincipalName: olivia.email,
    });

    const logStart = playground.log().length;

    const where = await playground.say(`where is my order ${ORDER_ID}?`);

    expect(textOf(where.messages)).toContain(ORDER_ID);
    expect(textOf(where.messages)).not.toMatch(/zip code/i);
    // The bot asked the playground who the user is (TeamsInfo.getMember) instead of asking the customer.
    const lookups = playground
      .log()
      .slice(logStart)
      .filter((item) => item.activityName === 'getConversationMember');
    expect(lookups.map((item) => item.response?.statusCode)).toEqual([200]);
  }, 60_000);

  it('cancels an order only after the customer presses Yes on the Teams confirmation card', async () => {
    playground = await AgentsPlayground.start({
      botEndpoint: `${assistant.url}/api/messages`,
      user: { email: olivia.email, userPrincipalName: olivia.email },
    });

    await playground.say(`please cancel order ${ORDER_ID}, I no longer need it`);
    const yes = playground.findCardButton('Yes, go ahead');
    expect(yes).toMatchObject({ type: 'Action.Execute' });
    expect((await assistant.app.commerce.getOrder(ORDER_ID))!.status).toBe('pending');

    const pressed = await playground.press(yes!);

    expect((await assistant.app.commerce.getOrder(ORDER_ID))!.status).toBe('cancelled');
    // Teams redraws the pressed card with the bot's invoke response: no buttons left to press twice.
    expect(pressed.invokeResponse?.type).toBe('application/vnd.microsoft.card.adaptive');
    expect(playground.findCardButton('Yes, go ahead')).toBeUndefined();
    expect(textOf(pressed.messages)).toMatch(/cancelled/i);
  }, 60_000);
});
