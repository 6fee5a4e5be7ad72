import { config as loadDotenv } from 'dotenv';
import { loadConfig, describeConfig } from './config/config';
import { startApp } from './app';
import { redactForLog } from './privacy';
import { createLogger } from './shared/logger';
import { isAppError } from './shared/errors';

/** The process entry point: read config, start the assistant, stop cleanly on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (isAppError(error) && error.code === 'config_invalid') {
      console.error(error.message);
      process.exit(78); // EX_CONFIG: the operator must fix the environment; restarting will not help.
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, redactRecord: redactForLog });
  logger.info({ config: describeConfig(config) }, 'config-loaded');

  const app = await startApp({ config, logger });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutdown-start');
    app.stop().then(
      () => {
        logger.info('shutdown-done');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ error }, 'shutdown-failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error('The assistant could not start:', error);
  process.exit(1);
});
