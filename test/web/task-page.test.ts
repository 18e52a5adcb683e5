import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConversation, type DemoMessage } from '../../src/demo/conversation.ts';
import { startMockAgentapi, type MockAgentapi } from '../../src/mocks/agentapi/index.ts';
import { startMockCoderd, type CreatedTask, type MockCoderd } from '../../src/mocks/coderd/index.ts';
import { taskPageUrl } from '../../src/mocks/coderd/web/routes.ts';
import { DESKTOP, HAS_CHROMIUM, launchChromium, overflowing, PHONE, pauseWithSnapshot, readMessages, waitForText } from '../support/browser.ts';

const { opening, longReply } = demoConversation();
/** Lines no screen is wide enough for: one unbroken token, and box drawing with CJK and emoji. */
const wide: DemoMessage = {
  role: 'agent',
  content: `token: ${'A1b2C3d4'.repeat(250)}\n${'═'.repeat(300)}\n東京 ${'表示テスト🙂'.repeat(60)}`,
  time: '2026-11-20T09:05:10Z',
};
const markup: DemoMessage = { role: 'user', content: 'Is <b>this</b> bold? & <img src=x onerror="window.hacked=1">', time: '2026-11-20T09:05:20Z' };
const first = [...opening, wide, markup];

let browser: Browser;
let agentapi: MockAgentapi;
let coderd: MockCoderd;
let task: CreatedTask;
let page: Page;

describe.skipIf(!HAS_CHROMIUM)('the task page in Chromium (mocks in-process, from the sources; needs /usr/bin/chromium)', () => {
  beforeAll(async () => {
    [browser, agentapi] = await Promise.all([launchChromium(), startMockAgentapi({ messages: first })]);
    coderd = await startMockCoderd({ createDefaultTask: true, liveAgentapiUrl: agentapi.url });
    task = coderd.defaultTask as CreatedTask;
    page = await browser.newPage({ viewport: DESKTOP });
    await page.goto(`${taskPageUrl(coderd.url, task.user, task.taskId)}?poll=100`);
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([agentapi?.close(), coderd?.close()]);
  });

  it('live: shows AgentAPI\'s conversation in order, with roles, times and the text as written', async () => {
    await waitForText(page, '#state-badge', 'Live');
    await page.evaluate(() => Object.assign(window, { sameDocument: true }));
    expect(await page.textContent('#state-text')).toContain(`${first.length} messages`);
    const shown = await readMessages(page);
    expect(shown.map((message) => message.who)).toEqual(first.map((message) => (message.role === 'user' ? 'User' : 'Agent')));
    expect(shown.map((message) => message.content)).toEqual(first.map((message) => message.content));
    expect(shown.map((message) => message.id)).toEqual(first.map((_, index) => `#${index}`));
    expect(shown[1]?.time).toBe('09:00:47 UTC');
    expect(shown.every((message) => message.marker === null)).toBe(true);
    expect(await page.isHidden('#notice')).toBe(true);
    // Terminal output is monospace; markup in a message is text, never HTML.
    expect(await page.$eval('.from-agent .content', (node) => getComputedStyle(node).fontFamily)).toMatch(/mono/i);
    expect(await page.$$('.content b, .content img')).toHaveLength(0);
    expect(await page.evaluate(() => (window as unknown as { hacked?: number }).hacked)).toBeUndefined();
  });

  it('paused: the snapshot replaces the live view without a reload', async () => {
    await pauseWithSnapshot(coderd, agentapi, task);
    await waitForText(page, '#state-badge', 'Paused · snapshot');
    const savedAt = coderd.snapshot(task.taskId)?.created_at as string;
    expect(await page.textContent('#state-text')).toContain(`saved ${savedAt.slice(0, 10)} ${savedAt.slice(11, 19)} UTC`);
    const shown = await readMessages(page);
    expect(shown.map((message) => message.content)).toEqual(first.map((message) => message.content));
    expect(await page.$('.marker')).toBeNull();
    expect(await page.textContent('#notice .notice-title')).toBe('Log snapshot');
  });

  it('resumed: live again, the long reply folded to its tail with a way to see it all', async () => {
    coderd.setTaskStatus(task.taskId, 'active');
    agentapi.setMessages([...first, longReply]);
    await waitForText(page, '#state-badge', 'Live');
    await waitForText(page, '#state-text', `${first.length + 1} messages`);
    const last = (await readMessages(page)).at(-1);
    expect(last?.who).toBe('Agent');
    expect(last?.content.endsWith('All green ✅')).toBe(true);
    expect(await page.textContent('.message:last-child .unfold')).toMatch(/^Show [\d,]+ earlier lines$/);
  });

  it('paused again: the cut reply shows the marker with the bytes kept, then the tail', async () => {
    await pauseWithSnapshot(coderd, agentapi, task);
    await waitForText(page, '#state-badge', 'Paused · snapshot');
    await page.waitForSelector('.marker');
    const stored = coderd.snapshot(task.taskId)?.data.messages.at(-1)?.content as string;
    const kept = Number(/^\[\.\.\.content truncated, showing last (\d+) bytes\]\n/.exec(stored)?.[1]);
    expect(kept).toBeGreaterThan(60_000);
    const shown = await readMessages(page);
    expect(shown).toHaveLength(1);
    expect(shown[0]?.marker).toContain(`Truncated: the snapshot kept only the last ${kept.toLocaleString('en-US')} bytes`);
    expect(await page.getAttribute('.marker', 'data-bytes-kept')).toBe(String(kept));
    expect(shown[0]?.content).not.toContain('[...content truncated');
    await page.click('.unfold');
    expect(await page.textContent('.message .content')).toBe(stored.slice(stored.indexOf('\n') + 1));
    expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  });

  it('nothing overflows sideways at a phone width or a desktop width, live or paused', async () => {
    coderd.setTaskStatus(task.taskId, 'active');
    agentapi.setMessages(first);
    for (const [state, badge] of [['active', 'Live'], ['paused', 'Paused · snapshot']] as const) {
      if (state === 'paused') await pauseWithSnapshot(coderd, agentapi, task);
      await waitForText(page, '#state-badge', badge);
      await waitForText(page, '#state-text', `${first.length} messages`);
      for (const viewport of [PHONE, DESKTOP]) {
        await page.setViewportSize(viewport);
        expect(await overflowing(page), `${state} at ${viewport.width}px`).toEqual([]);
      }
    }
  });
});
