import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Starts a benchmark server script in its own process and resolves with the port it prints ("listening N"). */
export async function spawnServer(
  script: string,
  env: Record<string, string>,
  /** More Node options, such as `--cpu-prof` (which `NODE_OPTIONS` does not take). */
  nodeArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [...nodeArgs, '--require', 'tsx/cjs', '--no-deprecation', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/u.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { child, port };
}

/**
 * Starts our assistant (`bench/serve-care-bot.ts`) with the Node options `npm start` gives it, so the benchmark
 * measures the bot as it runs in production, plus any `extraNodeArgs` (a profiler).
 */
export function spawnCareBot(
  env: Record<string, string>,
  extraNodeArgs: readonly string[] = [],
): Promise<{ child: ChildProcess; port: number }> {
  return spawnServer('bench/serve-care-bot.ts', env, [...startScriptNodeOptions(), ...extraNodeArgs]);
}

/**
 * The options between `node` and the entry file in package.json's `start` script (`node --max-semi-space-size=64
 * dist/index.js` gives `['--max-semi-space-size=64']`). Throws when the script no longer has that shape, rather
 * than quietly measuring the bot without them.
 */
export function startScriptNodeOptions(): string[] {
  const packageJson = JSON.parse(readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8')) as {
    scripts?: { start?: string };
  };
  const start = packageJson.scripts?.start ?? '';
  const match = /(?:^|&&\s*)node((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/index\.js\s*$/u.exec(start);
  if (match === null) throw new Error(`package.json's start script does not end in "node [options] dist/index.js": ${start}`);
  return match[1]!.trim().split(/\s+/u).filter((option) => option !== '');
}

/** Stops a server started by {@link spawnServer} and waits for it to exit. */
export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/**
 * The environment `bench/serve-care-bot.ts` runs with: our assistant on a scratch data folder, answering with a
 * local OpenAI-compatible model server and no offline fallback, so every turn goes through the model.
 */
export function careBotEnv(modelBaseUrl: string, dataDir: string): Record<string, string> {
  return {
    DATA_DIR: dataDir,
    PORT: '0',
    LOG_LEVEL: 'silent',
    OPENAI_BASE_URL: modelBaseUrl,
    OPENAI_MODEL: 'gpt-5-mini',
    LLM_FALLBACK_TO_OFFLINE: 'false',
  };
}
