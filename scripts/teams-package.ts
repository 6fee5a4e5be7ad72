/**
 * `npm run teams:package`: builds the Teams app package from `.env` and the environment (the same settings as the
 * deployed bot, at least `MicrosoftAppId`) and prints where the zip is. The work is in `teams-app-package.ts`.
 */
import path from 'node:path';
import { config as loadDotenv } from 'dotenv';
import { describeError } from '../src/shared/errors';
import { buildTeamsAppPackage } from './teams-app-package';

async function main(): Promise<void> {
  loadDotenv({ quiet: true });
  const { zipPath, manifest } = await buildTeamsAppPackage({ environment: process.env });
  console.log(`Teams app package written to ${path.relative(process.cwd(), zipPath)}`);
  console.log(
    `  app id ${manifest.id}, bot ${manifest.bots?.[0]?.botId ?? ''}, version ${manifest.version}, ` +
      `manifest schema v${manifest.manifestVersion}`,
  );
}

main().catch((error: unknown) => {
  const { code, message } = describeError(error);
  console.error(`teams:package failed (${code}): ${message}`);
  process.exitCode = 1;
});
