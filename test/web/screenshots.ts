/**
 * `npm run screenshots`: the task page in each state, as Chromium draws it, into docs/web-view/.
 * The demo's own story drives the states (live, paused, resumed, paused again); the bad-input
 * pages are set up through the mock coderd's admin API. Needs /usr/bin/chromium and the emoji/CJK
 * fonts .ci/run installs.
 */
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { type DemoStep, runDemo } from '../../src/demo/run-demo.ts';
import { taskPageUrl } from '../../src/mocks/coderd/index.ts';
import { DESKTOP, HAS_CHROMIUM, launchChromium, PHONE, waitForText } from '../support/browser.ts';

const OUT = resolve(import.meta.dirname, '../../docs/web-view');
const BADGES: Record<DemoStep, string> = { live: 'Live', paused: 'Paused · snapshot', resumed: 'Live', 'paused-again': 'Paused · snapshot' };

async function main(): Promise<void> {
  if (!HAS_CHROMIUM) throw new Error('needs /usr/bin/chromium (apt-get install chromium)');
  await mkdir(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    let page: Page | undefined;
    let coderdUrl = '';
    await runDemo({
      color: false,
      write: () => {},
      stage: {
        started: async (servers) => {
          coderdUrl = servers.coderdUrl;
          page = await browser.newPage({ viewport: DESKTOP });
          await page.goto(servers.taskPageUrl);
        },
        reached: async (step) => {
          const open = page as Page;
          await waitForText(open, '#state-badge', BADGES[step]);
          await waitForText(open, '#state-text', step === 'paused-again' ? '1 message' : step === 'resumed' ? '8 messages' : '7 messages');
          await shoot(open, step);
          if (step === 'paused-again') await shoot(open, 'paused-again-phone', PHONE);
        },
        finished: () => badInput(browser, coderdUrl),
      },
    });
  } finally {
    await browser.close();
  }
}

/** The pages that explain a problem, each on a task made for it. */
async function badInput(browser: Browser, coderdUrl: string): Promise<void> {
  const page = await browser.newPage({ viewport: DESKTOP });
  const paused = await admin(coderdUrl, 'POST', '/tasks', { status: 'paused' });
  await page.goto(taskPageUrl(coderdUrl, paused.user, paused.taskId));
  await waitForText(page, '#notice', 'No snapshot');
  await shoot(page, 'no-snapshot');
  await page.goto(taskPageUrl(coderdUrl, paused.user, '3f0c9a52-8d1e-4b6f-9c3a-2e7d5b1a4c90'));
  await waitForText(page, '#notice', 'Unknown task');
  await shoot(page, 'unknown-task');
  const data = { messages: [{ id: 0, content: 'hello', role: 'user', time: '2026-11-20T09:00:00Z' }] };
  await admin(coderdUrl, 'PUT', `/snapshots/${paused.taskId}`, { format: 'asciinema', data });
  await page.goto(taskPageUrl(coderdUrl, paused.user, paused.taskId));
  await waitForText(page, '#notice', 'unknown format');
  await shoot(page, 'unknown-format');
}

/** A full-page shot from a short viewport, so a short page is not padded with empty space. */
async function shoot(page: Page, name: string, viewport = DESKTOP): Promise<void> {
  await page.setViewportSize({ width: viewport.width, height: 420 });
  await page.evaluate(() => document.fonts.ready);
  const path = resolve(OUT, `${name}.png`);
  await page.screenshot({ path, fullPage: true, animations: 'disabled' });
  await page.setViewportSize(DESKTOP);
  process.stdout.write(`${path}\n`);
}

async function admin(coderdUrl: string, method: string, path: string, body: unknown): Promise<{ user: string; taskId: string }> {
  const response = await fetch(`${coderdUrl}/__mock${path}`, { method, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as { user: string; taskId: string };
}

main().catch((error: unknown) => {
  process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
