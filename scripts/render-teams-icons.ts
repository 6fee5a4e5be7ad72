/**
 * `npm run teams:icons`: renders the Teams app icons in `deploymentTemplates/teams/` from the assistant's avatar
 * (`public/avatar.svg`), so the app in Teams looks like the assistant customers meet on the web page.
 *
 * - `color.png`, 192×192: the avatar as it is, on a transparent background.
 * - `outline.png`, 32×32: Teams draws it on its own coloured surfaces and requires white on transparent, so it
 *   is the avatar's figure (its shapes without the background disc) in white inside a white ring.
 *
 * Chromium draws the SVG (Debian's `chromium`, or `CHROMIUM_PATH`), offline. The PNGs are committed, so packaging
 * never needs a browser; running this again with the same Chromium build writes the same bytes.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { TEAMS_ICON_FILES } from './teams-app-package';

const PROJECT_ROOT = path.resolve(__dirname, '..');
const AVATAR_FILE = path.join(PROJECT_ROOT, 'public', 'avatar.svg');
const ICONS_DIRECTORY = path.join(PROJECT_ROOT, 'deploymentTemplates', 'teams');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Which SVG to draw at which size; `outline` turns the avatar into the white figure before drawing. */
interface IconRendering {
  file: string;
  size: number;
  outline: boolean;
}

/** The part of the browser's DOM that the outline drawing uses. */
interface PageElement {
  id: string;
  style: { display: string };
  readonly children: ArrayLike<PageElement>;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  hasAttribute(name: string): boolean;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  append(...children: PageElement[]): void;
  remove(): void;
}

interface PageDocument {
  querySelector(selector: string): PageElement | null;
  createElementNS(namespace: string, name: string): PageElement;
}

async function main(): Promise<void> {
  const avatar = await readFile(AVATAR_FILE, 'utf8');
  const renderings: IconRendering[] = [
    { file: TEAMS_ICON_FILES.color.file, size: TEAMS_ICON_FILES.color.size, outline: false },
    { file: TEAMS_ICON_FILES.outline.file, size: TEAMS_ICON_FILES.outline.size, outline: true },
  ];
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    // Offline and unattended: no background services, no first-run, no sandbox when run as root.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
    ],
  });
  try {
    for (const rendering of renderings) {
      const png = await renderIcon(browser, avatar, rendering);
      const target = path.join(ICONS_DIRECTORY, rendering.file);
      await writeFile(target, png);
      console.log(`${path.relative(PROJECT_ROOT, target)}: ${rendering.size}×${rendering.size}`);
    }
  } finally {
    await browser.close();
  }
}

async function renderIcon(
  browser: Browser,
  avatar: string,
  rendering: IconRendering,
): Promise<Buffer> {
  const page = await browser.newPage({
    viewport: { width: rendering.size, height: rendering.size },
    deviceScaleFactor: 1,
  });
  try {
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">${avatar}</body></html>`,
    );
    await page.evaluate(
      ({ size, outline }) => {
        // Runs in the page: the project compiles without the DOM library, so the little it uses is typed here.
        const { document } = globalThis as unknown as { document: PageDocument };
        const svg = document.querySelector('svg');
        if (svg === null) throw new Error('public/avatar.svg has no <svg> element');
        svg.setAttribute('width', String(size));
        svg.setAttribute('height', String(size));
        svg.style.display = 'block';
        if (!outline) return;
        const namespace = 'http://www.w3.org/2000/svg';
        const [minX = 0, minY = 0, width = 64, height = 64] = (svg.getAttribute('viewBox') ?? '')
          .split(/[\s,]+/u)
          .map(Number);
        const centerX = minX + width / 2;
        const centerY = minY + height / 2;
        const radius = Math.min(width, height) / 2;
        // The disc painted with the gradient is the avatar's background; everything else is the figure.
        for (const shape of svg.querySelectorAll('[fill^="url("]')) shape.remove();
        svg.querySelector('defs')?.remove();
        const figure = document.createElementNS(namespace, 'g');
        for (const shape of Array.from(svg.children)) figure.append(shape);
        for (const shape of figure.querySelectorAll('*')) {
          if ((shape.getAttribute('fill') ?? 'black') !== 'none')
            shape.setAttribute('fill', '#fff');
          if (shape.hasAttribute('stroke')) shape.setAttribute('stroke', '#fff');
        }
        // The ring's width is a tenth of the icon (about 3 px at 32×32): thinner lines blur at that size.
        const ringWidth = radius / 5;
        const clip = document.createElementNS(namespace, 'clipPath');
        clip.id = 'inside-ring';
        const inside = document.createElementNS(namespace, 'circle');
        inside.setAttribute('cx', String(centerX));
        inside.setAttribute('cy', String(centerY));
        inside.setAttribute('r', String(radius - ringWidth * 1.5));
        clip.append(inside);
        figure.setAttribute('clip-path', 'url(#inside-ring)');
        const ring = document.createElementNS(namespace, 'circle');
        ring.setAttribute('cx', String(centerX));
        ring.setAttribute('cy', String(centerY));
        ring.setAttribute('r', String(radius - ringWidth / 2));
        ring.setAttribute('fill', 'none');
        ring.setAttribute('stroke', '#fff');
        ring.setAttribute('stroke-width', String(ringWidth));
        svg.append(clip, ring, figure);
      },
      { size: rendering.size, outline: rendering.outline },
    );
    return await page.locator('svg').screenshot({ omitBackground: true, type: 'png' });
  } finally {
    await page.close();
  }
}

main().catch((error: unknown) => {
  console.error(`teams:icons failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
