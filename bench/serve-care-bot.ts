import { startApp } from '../src/app';
import { loadConfig } from '../src/config/config';
import { createLogger } from '../src/shared/logger';

/**
 * Our assistant with the wiring of `npm start`, configured from the environment the benchmark passes (a local
 * OpenAI-compatible model server, a scratch data folder). Prints its port on stdout.
 */
async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const app = await startApp({ config, logger: createLogger({ level: 'silent' }) });
  console.log(`listening ${app.port}`);
  process.on('SIGTERM', () => {
    void app.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
