import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { defaultConfig } from '../../src/config/schema.ts';
import type { MockAgentapi } from '../../src/mocks/agentapi/index.ts';
import type { CreatedTask, MockCoderd } from '../../src/mocks/coderd/index.ts';
import { buildSnapshotPayload } from '../../src/snapshot/policy.ts';

/** Debian's Chromium (apt package `chromium`, installed by .ci/run); playwright-core downloads nothing. */
export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);

/** One headless Chromium per test file; the flags keep it off the network and quiet. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export const PHONE = { width: 375, height: 740 };
export const DESKTOP = { width: 1280, height: 860 };

/** Waits until the element's text contains `text` (the page polls; nothing here is timed). */
export async function waitForText(page: Page, selector: string, text: string): Promise<void> {
  await page.waitForFunction(([sel, wanted]) => document.querySelector(sel)?.textContent?.includes(wanted) === true, [selector, text] as const);
}

/** Elements wider than their box (each message, the notice, the page itself): what a reader would have to scroll sideways. */
export function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const boxes = [document.documentElement, document.body, ...document.querySelectorAll<HTMLElement>('.message, .content, .marker, .notice, .meta, h1, .foot')];
    return boxes.filter((box) => box.scrollWidth > box.clientWidth).map((box) => `${box.tagName.toLowerCase()}.${box.className} ${box.scrollWidth}>${box.clientWidth}`);
  });
}

/** What a person reads, message by message: who, when, and the text shown. */
export function readMessages(page: Page): Promise<Array<{ who: string; time: string; id: string; marker: string | null; content: string }>> {
  return page.$$eval('.message', (items) =>
    items.map((item) => ({
      who: item.querySelector('.who')?.textContent ?? '',
      time: item.querySelector('time')?.textContent ?? '',
      id: item.querySelector('.msg-id')?.textContent ?? '',
      marker: item.querySelector('.marker')?.textContent ?? null,
      content: item.querySelector('.content')?.textContent ?? '',
    })),
  );
}

/** Stops the task the way the module does: the payload policy over AgentAPI's body, uploaded as the agent, then paused. */
export async function pauseWithSnapshot(coderd: MockCoderd, agentapi: MockAgentapi, task: CreatedTask): Promise<void> {
  const body = await (await fetch(`${agentapi.url}/messages`)).text();
  const { messageCount, payloadLimitBytes } = defaultConfig.snapshot;
  const { payload, status } = buildSnapshotPayload(body, { messageCount, limitBytes: payloadLimitBytes });
  if (status !== 'ok') throw new Error(`no payload: ${status}`);
  const upload = await fetch(`${coderd.url}/api/v2/workspaceagents/me/tasks/${task.taskId}/log-snapshot?format=agentapi`, {
    method: 'POST',
    headers: { 'Coder-Session-Token': task.agentToken, 'content-type': 'application/json' },
    body: payload,
  });
  if (upload.status !== 204) throw new Error(`upload answered ${upload.status}: ${await upload.text()}`);
  coderd.setTaskStatus(task.taskId, 'paused');
}
