import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startFakeOpenAiServer, textReply } from '../tests/helpers/fake-openai-server';
import { median } from './median';
import { careBotEnv, spawnCareBot, stopServer } from './spawn-server';
import { isMoodRequest, NEUTRAL_MOOD_REPLY } from './mood-requests';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const TURNS = 10;
/** A model that streams slowly: four characters every 50 ms, about what a busy deployment does. */
const CHUNK_CHARACTERS = 4;
const CHUNK_DELAY_MS = 50;

export interface FirstTextLatency {
  samplesMs: number[];
  medianMs: number;
  maxMs: number;
}

/**
 * Time from the model's first streamed token leaving the model server to the first words of the answer being
 * visible in the browser: the real page, Web Chat over the embedded Direct Line's WebSocket, our bot between.
 * Both clocks are this machine's wall clock (the page's `performance.timeOrigin + now()`), so they compare.
 * Returns null, saying why, when there is no Chromium.
 */
export async function measureWebChatFirstText(): Promise<FirstTextLatency | null> {
  if (!existsSync(CHROMIUM)) {
    console.log(`web chat first-text latency: skipped, no Chromium at ${CHROMIUM}`);
    return null;
  }
  const model = await startFakeOpenAiServer();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'care-bench-webchat-'));
  const firstTokenAt: number[] = [];
  let turn = 0;
  model.respond((request) => {
    if (isMoodRequest(request)) return textReply(NEUTRAL_MOOD_REPLY);
    turn += 1;
    const answer = `A${turn}: your order is on its way and should arrive on Thursday; I can track it for you too.`;
    return textReply(answer, {
      chunkSize: CHUNK_CHARACTERS,
      delayMs: CHUNK_DELAY_MS,
      onFirstContent: () => {
        firstTokenAt[turn] = performance.timeOrigin + performance.now();
      },
    });
  });
  const server = await spawnCareBot(careBotEnv(model.openAiBaseUrl, dataDir));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.port}/`);
    const box = page.getByRole('textbox').first();
    await box.waitFor();
    const samples: number[] = [];
    for (let index = 1; index <= TURNS; index += 1) {
      // Watch the transcript from inside the page, so polling adds no delay: the first mutation that shows
      // the answer's first chunk ("A3:") records the time.
      await page.evaluate((marker) => {
        const scope = globalThis as unknown as {
          document: { querySelector(selector: string): { textContent: string | null } | null };
          MutationObserver: new (callback: () => void) => { observe(target: unknown, options: object): void; disconnect(): void };
          performance: { timeOrigin: number; now(): number };
          firstTextAt?: number;
        };
        scope.firstTextAt = undefined;
        const root = scope.document.querySelector('#webchat');
        const observer = new scope.MutationObserver(() => {
          if ((root?.textContent ?? '').includes(marker)) {
            scope.firstTextAt = scope.performance.timeOrigin + scope.performance.now();
            observer.disconnect();
          }
        });
        observer.observe(root, { childList: true, subtree: true, characterData: true });
      }, `A${index}:`);
      await box.fill(`question ${index}`);
      await box.press('Enter');
      const shownAt = await page.waitForFunction(
        () => (globalThis as unknown as { firstTextAt?: number }).firstTextAt,
        undefined,
        { timeout: 15_000, polling: 50 },
      );
      const visible = (await shownAt.jsonValue()) as number;
      samples.push(visible - firstTokenAt[index]!);
      // Let the rest of the answer stream in before the next question.
      await page.waitForTimeout(1_500);
    }
    return { samplesMs: samples, medianMs: median(samples), maxMs: Math.max(...samples) };
  } finally {
    await browser.close();
    await stopServer(server.child);
    await model.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
