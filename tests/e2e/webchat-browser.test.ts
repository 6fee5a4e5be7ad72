import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { SAMPLE_CUSTOMERS } from '../../src/commerce/sample-data';
import { startTestAssistant, type TestAssistant } from '../helpers/test-assistant';

/**
 * The customer's web journey in a real browser: Debian's Chromium opens our page, the official Web Chat talks
 * to the embedded Direct Line over its WebSocket, and the real bot (offline model) answers from the real store.
 * Outside CI a machine without Chromium skips this suite and says so; in CI (.ci/run installs Chromium) it
 * must run.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const hasBrowser = existsSync(CHROMIUM);
if (!hasBrowser && process.env.CI) {
  throw new Error(
    `Chromium is required in CI at ${CHROMIUM}; .ci/run installs it (apt-get install -y chromium)`,
  );
}
if (!hasBrowser) {
  console.warn(
    `webchat-browser: skipped, no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}
const describeWithBrowser = hasBrowser ? describe : describe.skip;

const olivia = SAMPLE_CUSTOMERS.find((customer) => customer.orderIds.includes('#W4821001'))!;

describeWithBrowser('the chat page in Chromium', () => {
  let assistant: TestAssistant;
  let browser: Browser;
  let profileDir: string;

  beforeAll(async () => {
    assistant = await startTestAssistant();
    profileDir = await mkdtemp(path.join(tmpdir(), 'care-chromium-'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      // Quiet on a closed network: no background services, no first-run, no sandbox when run as root.
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await assistant?.dispose();
    if (profileDir) await rm(profileDir, { recursive: true, force: true });
  });

  async function send(page: Page, text: string): Promise<void> {
    const box = page.getByRole('textbox').first();
    await box.fill(text);
    await box.press('Enter');
  }

  /** Waits until the transcript shows text matching `pattern`: what the customer sees. */
  async function waitForText(page: Page, pattern: RegExp): Promise<void> {
    const deadline = Date.now() + 15_000;
    let seen = '';
    while (Date.now() < deadline) {
      seen = await page.locator('#webchat').innerText();
      if (pattern.test(seen)) return;
      await page.waitForTimeout(100);
    }
    throw new Error(`the page never showed ${pattern}; it shows:\n${seen}`);
  }

  it('verifies a customer, shows an order card, and cancels the order through its buttons', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(assistant.url);
    await expect(page.title()).resolves.toBe('Ava · Contoso Home & Electronics');
    await waitForText(page, /after-sales assistant/);
    // Screen readers hear who speaks: the assistant's name, not a bare "Bot".
    await waitForText(page, /Bot Ava said/);

    await send(page, `my email is ${olivia.email} and my zip code is ${olivia.zip}`);
    await waitForText(page, /you.re verified/i);

    await send(page, 'what is the status of order #W4821001?');
    await waitForText(page, /status of order #W4821001\?[\s\S]*Order #W4821001[^\n]*is pending/);
    // The order as an Adaptive Card under the answer, with the next questions as buttons.
    await waitForText(page, /Total\s+\$278\.73/);
    expect(await page.locator('.ac-adaptiveCard').first().innerText()).toMatch(
      /Order #W4821001[\s\S]*Pending[\s\S]*Headphones[\s\S]*Ship to/,
    );
    await page.getByRole('button', { name: 'Cancel it' }).first().click();
    await waitForText(page, /no longer needed, or was it ordered by mistake/);
    await send(page, 'I no longer need it');
    // .first(): while the card renders, Web Chat can briefly hold the old and the new copy of it.
    const yes = page.getByRole('button', { name: 'Yes, go ahead' }).first();
    await yes.waitFor({ timeout: 15_000 });
    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('pending');

    await yes.click();
    await waitForText(page, /Done: order #W4821001 is cancelled/);
    // Each answer sits under its own question, though each was livestreamed and then finalized (the last
    // copy of a text is its bubble; screen-reader announcements come earlier in the page).
    await page.waitForTimeout(500);
    const transcript = await page.locator('#webchat').innerText();
    const order = [
      'my zip code is',
      'you’re verified',
      'status of order #W4821001?',
      'is pending',
      'Total',
      'Please cancel order #W4821001',
      'I no longer need it',
      'Please confirm this change',
      'Done: order #W4821001 is cancelled',
    ].map((text) => transcript.lastIndexOf(text));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    expect(order).not.toContain(-1);
    expect((await assistant.app.commerce.getOrder('#W4821001'))!.status).toBe('cancelled');

    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({
      path: path.join(ARTIFACTS, 'webchat-cancel-order.png'),
      fullPage: true,
    });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  /** An image as the page has it; the project's TypeScript has no DOM types. */
  interface PageImage {
    complete: boolean;
    naturalWidth: number;
    getAttribute(name: string): string | null;
  }

  /** Waits until the `src` attributes (relative stays relative) of the chat's loaded images satisfy `check`. */
  async function waitForImages(page: Page, check: (sources: string[]) => boolean): Promise<void> {
    const deadline = Date.now() + 15_000;
    let sources: string[] = [];
    while (Date.now() < deadline) {
      sources = await page
        .locator('#webchat img')
        .evaluateAll((images) =>
          (images as unknown as PageImage[])
            .filter((image) => image.complete && image.naturalWidth > 0)
            .map((image) => image.getAttribute('src') ?? ''),
        );
      if (check(sources)) return;
      await page.waitForTimeout(100);
    }
    throw new Error(`the chat's images never matched; they are: ${sources.join(', ')}`);
  }

  it("shows the assistant's generated avatar, and the customer's own once they make one", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));

    await page.goto(assistant.url);
    await waitForText(page, /after-sales assistant/);
    await waitForImages(page, (sources) => sources.includes('/avatars/assistant'));

    await send(page, 'make me an avatar of a fox astronaut');
    await waitForText(page, /new avatar/);
    // The avatar appears twice: as the picture in the answer, and beside the customer's own messages.
    await waitForImages(page, (sources) => {
      const customer = sources.filter((source) => /^\/avatars\/[\w-]{22}$/u.test(source));
      return customer.length >= 2 && new Set(customer).size === 1;
    });
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
