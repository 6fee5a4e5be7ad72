import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import { confirmationButtons, startTestAssistant, TestCustomer, textOf, type TestAssistant } from '../helpers/test-assistant';

/**
 * What a new user gets from `npm start` with no cloud account: the offline model, the generated sample store,
 * over HTTP. A customer verifies, asks about an order, and cancels it through the confirmation buttons.
 */
const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

describe('the offline assistant', () => {
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;

  beforeAll(async () => {
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant();
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
  });

  it('verifies a customer, answers about an order, and cancels it only after the yes button', async () => {
    const customer = new TestCustomer({ botUrl: assistant.url, recorder, conversationId: 'offline-journey-1' });

    const greeting = await customer.say('hi there');
    expect(textOf(greeting)).toMatch(/offline/i);

    const beforeVerification = await customer.say('where is my order #W4821001?');
    expect(textOf(beforeVerification)).toMatch(/email/i);
    expect(textOf(beforeVerification)).not.toMatch(/headphones/i);

    // Once verified, it picks up the question the customer asked before verifying.
    const verified = await customer.say(`my email is ${olivia.email} and my zip code is ${olivia.zip}`);
    expect(textOf(verified)).toContain('#W4821001');
    expect(textOf(verified)).toMatch(/not shipped/i);

    const status = await customer.say('what is the status of order #W4821001?');
    expect(textOf(status)).toMatch(/pending/i);
    expect(textOf(status)).toMatch(/headphones/i);

    const asked = await customer.say('please cancel order #W4821001, I no longer need it');
    const buttons = confirmationButtons(asked);
    expect(buttons.map((button) => button.title)).toEqual(['Yes, go ahead', 'No, leave it']);
    expect(textOf(asked)).toContain('#W4821001');
    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('pending');

    const done = await customer.press(buttons[0]!);

    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('cancelled');
    expect(textOf(done)).toMatch(/cancel/i);
  });
});
