import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { indexPage } from '../../src/export/index-page.ts';
import { transcriptPage } from '../../src/export/transcript-page.ts';
import { truncationMarker } from '../../src/snapshot/policy.ts';
import { HAS_CHROMIUM, launchChromium, readMessages } from '../support/browser.ts';

const HOSTILE = [
  '<script>window.__ran = "script"</script>',
  '<img src="x" onerror="window.__ran = \'img\'">',
  '</pre></li></ol><script>window.__ran = "breakout"</script>',
];

/** A paused task's logs answer as coderd sends it, with markup in every message and one cut message. */
function snapshotAnswer(): string {
  const logs = HOSTILE.map((content, id) => ({ id, content, type: id % 2 === 0 ? 'input' : 'output', time: '2026-11-30T10:00:00Z' }));
  logs.push({ id: 3, content: `${truncationMarker(120)}the tail ✅`, type: 'output', time: '2026-11-30T10:00:01Z' });
  return JSON.stringify({ logs, snapshot: true, snapshot_at: '2026-11-30T10:00:02.123456Z' });
}

describe.skipIf(!HAS_CHROMIUM)('an exported transcript opened from disk in Chromium (needs /usr/bin/chromium)', () => {
  let browser: Browser;
  let dir: string;
  let page: string;

  beforeAll(async () => {
    browser = await launchChromium();
    dir = await mkdtemp(join(tmpdir(), 'transcript-'));
    page = join(dir, 'task.html');
    const html = transcriptPage({ user: 'alice', taskId: 't-1', title: 'fix <b>the</b> build', status: 200, body: snapshotAnswer(), source: 'https://coder.example.com', exportedAt: '2026-12-01T00:00:00Z' });
    await writeFile(page, html);
    await writeFile(
      join(dir, 'index.html'),
      indexPage(
        [{ taskId: 't-1', owner: '<img src=x onerror="window.__ran=1">', name: '<script>window.__ran=2</script>', status: 'paused', source: 'snapshot', messages: 4, exportedAt: 'now', href: 'task.html', problem: null }],
        'https://coder.example.com',
        'now',
      ),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('shows every message, markup included, as text and runs none of it', async () => {
    const tab = await browser.newPage();
    const dialogs: string[] = [];
    tab.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await tab.goto(pathToFileURL(page).href);
    const messages = await readMessages(tab);
    expect(messages.map((message) => message.content)).toEqual([...HOSTILE, 'the tail ✅']);
    expect(messages[3]?.marker).toContain('Truncated:');
    expect(await tab.evaluate(() => (window as unknown as { __ran?: unknown }).__ran)).toBeUndefined();
    expect(await tab.locator('.messages script, .messages img').count()).toBe(0);
    expect(dialogs).toEqual([]);
    expect(await tab.title()).toBe('fix <b>the</b> build · agentapi-kit export');
    await tab.close();
  });

  it('applies its own inline style under its Content-Security-Policy, which allows no script', async () => {
    const tab = await browser.newPage();
    const violations: string[] = [];
    tab.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await tab.goto(pathToFileURL(page).href);
    const policy = await tab.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(policy).toContain("script-src 'none'");
    expect(policy).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    // The page's CSS gives the terminal text a dark background: it applied, so the hash matches.
    expect(await tab.$eval('.content', (node) => getComputedStyle(node).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    expect(violations).toEqual([]);
    expect(await tab.locator('script').count()).toBe(0);
    await tab.close();
  });

  it('renders the index page with hostile task names as text and links to the transcript', async () => {
    const tab = await browser.newPage();
    await tab.goto(pathToFileURL(join(dir, 'index.html')).href);
    expect(await tab.textContent('tbody a')).toBe('<script>window.__ran=2</script>');
    expect(await tab.evaluate(() => (window as unknown as { __ran?: unknown }).__ran)).toBeUndefined();
    await tab.click('tbody a');
    expect(tab.url()).toBe(pathToFileURL(page).href);
    await tab.close();
  });
});

describe('the exported transcript as text', () => {
  it('carries the snapshot time and the source, and no script element at all', async () => {
    const html = transcriptPage({ user: 'alice', taskId: 't-1', title: 'x', status: 200, body: snapshotAnswer(), source: 'https://coder.example.com', exportedAt: '2026-12-01T00:00:00Z' });
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('&lt;script&gt;window.__ran = "script"&lt;/script&gt;');
    expect(html).toContain('2026-11-30 10:00:02 UTC');
    expect(html).toContain('Exported 2026-12-01T00:00:00Z from https://coder.example.com.');
    // The page file itself is the served page's HTML (same ids), so both read alike.
    const served = await readFile(new URL('../../src/mocks/coderd/web/assets/task-page.html', import.meta.url), 'utf8');
    for (const id of ['state-badge', 'state-text', 'notice', 'messages']) {
      expect(served).toContain(`id="${id}"`);
      expect(html).toContain(`id="${id}"`);
    }
  });
});
