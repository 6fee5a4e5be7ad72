import pino from 'pino';

export type Logger = pino.Logger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * Field paths whose values never reach a log line. Message text is logged only at debug level and only
 * after PII redaction upstream; keys, tokens and passwords are censored wherever they appear.
 */
const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'req.headers.authorization',
  'MicrosoftAppPassword',
  '*.MicrosoftAppPassword',
  'AZURE_OPENAI_API_KEY',
  '*.AZURE_OPENAI_API_KEY',
  'OPENAI_API_KEY',
  '*.OPENAI_API_KEY',
  'DIRECT_LINE_SECRET',
  '*.DIRECT_LINE_SECRET',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where lines go; stdout by default. Tests pass a stream to read what was logged. */
  destination?: pino.DestinationStream;
  /**
   * Redacts personal data (card numbers, email addresses) from every field of every line, errors included.
   * The composition root passes privacy's `redactForLog`; shared/ cannot import it.
   */
  redactRecord?: <T>(record: T) => T;
}

/** Errors under `error` (our convention) and `err` (pino's) are logged with message, stack and cause. */
const errorSerializer = pino.stdSerializers.errWithCause;

export function createLogger(options: LoggerOptions): Logger {
  const redactRecord = options.redactRecord;
  return pino(
    {
      level: options.level,
      base: { service: 'care-assistant' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { error: errorSerializer, err: errorSerializer },
      // Runs before the serializers, so an error's message and stack are redacted too.
      ...(redactRecord === undefined
        ? {}
        : { formatters: { log: (record: Record<string, unknown>) => redactRecord(record) } }),
    },
    options.destination,
  );
}

/** A logger that writes nothing, for unit tests and library defaults. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
