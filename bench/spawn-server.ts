import { spawn, type ChildProcess } from 'node:child_process';
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
