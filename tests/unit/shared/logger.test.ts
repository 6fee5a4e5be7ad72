import { PassThrough } from 'node:stream';
import { redactForLog, redactTextForLog } from '../../../src/privacy';
import { createLogger } from '../../../src/shared/logger';

function capture(options: { redact: boolean }) {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
      lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  const logger = createLogger({
    level: 'info',
    destination: stream,
    ...(options.redact ? { redactRecord: redactForLog } : {}),
  });
  return { logger, lines };
}

describe('the logger', () => {
  it('logs errors under `error` with their message, stack and cause', () => {
    const { logger, lines } = capture({ redact: false });

    logger.error({ error: new Error('outer', { cause: new Error('inner') }) }, 'turn-failed');

    const error = lines[0]!.error as { message: string; stack: string; cause: { message: string } };
    expect(error.message).toBe('outer');
    expect(error.cause.message).toBe('inner');
    expect(error.stack).toContain('Error: outer');
  });

  it('redacts card numbers and masks email addresses in every field, errors included', () => {
    const { logger, lines } = capture({ redact: true });

    logger.warn(
      {
        note: 'customer olivia.bennett4821@example.com paid with 4111 1111 1111 1111 cvv 123',
        nested: { list: ['marcus.reed7314@example.com'] },
        error: new Error(
          'lookup failed for olivia.bennett4821@example.com, card 4111-1111-1111-1111',
        ),
      },
      'lookup-failed',
    );

    const line = JSON.stringify(lines[0]);
    expect(line).not.toMatch(/4111.?1111.?1111.?1111/);
    expect(line).not.toContain('olivia.bennett4821@');
    expect(line).not.toContain('marcus.reed7314@');
    expect(line).toContain('o***@example.com');
    expect(line).toContain('m***@example.com');
    expect(line).toContain('lookup failed for');
  });

  it('still censors secrets by key', () => {
    const { logger, lines } = capture({ redact: true });

    logger.info({ config: { apiKey: 'sk-live-123', secret: 's3cr3t' } }, 'config-loaded');

    expect(JSON.stringify(lines[0])).not.toMatch(/sk-live-123|s3cr3t/);
  });
});

describe('redactTextForLog', () => {
  it('leaves text without personal data as it is', () => {
    expect(redactTextForLog('order #W4821001 tracking 1Z999AA10123456784, zip 80211')).toBe(
      'order #W4821001 tracking 1Z999AA10123456784, zip 80211',
    );
  });
});
