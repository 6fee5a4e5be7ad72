import { PassThrough } from 'node:stream';
import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import { redactForLog } from '../../src/privacy';
import { createLogger } from '../../src/shared/logger';
import { ConnectorRecorder } from '../helpers/connector-recorder';
import {
  startTestAssistant,
  TestCustomer,
  textOf,
  type TestAssistant,
} from '../helpers/test-assistant';

/**
 * What the assistant logs at info level during real turns, over HTTP: events with ids and figures, never what
 * the customer wrote, never their email or a card number.
 */
const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

describe('logs at info level', () => {
  let recorder: ConnectorRecorder;
  let assistant: TestAssistant;
  const lines: string[] = [];

  beforeAll(async () => {
    const stream = new PassThrough();
    stream.on('data', (chunk: Buffer) =>
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)),
    );
    recorder = await ConnectorRecorder.start();
    assistant = await startTestAssistant(
      {},
      { logger: createLogger({ level: 'info', destination: stream, redactRecord: redactForLog }) },
    );
  });

  afterAll(async () => {
    await assistant?.dispose();
    await recorder?.close();
  });

  it('record each turn without the customer’s words, email or card number', async () => {
    const customer = new TestCustomer({
      botUrl: assistant.url,
      recorder,
      conversationId: 'logging-1',
    });

    await customer.say(`my email is ${olivia.email} and my zip code is ${olivia.zip}`);
    const answered = await customer.say(
      'Where is my purple umbrella order #W4821001? I paid with 4111 1111 1111 1111',
    );
    expect(textOf(answered)).toContain('#W4821001');
    await new Promise((resolve) => setImmediate(resolve));

    const log = lines.join('\n');
    expect(lines.filter((line) => line.includes('"turn-end"'))).toHaveLength(2);
    expect(log).toContain('logging-1');
    expect(log).not.toContain('purple umbrella');
    expect(log).not.toContain(olivia.email);
    expect(log).not.toMatch(/4111.?1111.?1111.?1111/);
  });
});
