import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockAgentapi, type MockAgentapi } from '../../src/mocks/agentapi/index.ts';
import { startMockCoderd, type CreatedTask, type MockCoderd } from '../../src/mocks/coderd/index.ts';
import { taskPageUrl } from '../../src/mocks/coderd/web/routes.ts';
import { HAS_CHROMIUM, launchChromium, overflowing, PHONE, waitForText } from '../support/browser.ts';

let browser: Browser;
let agentapi: MockAgentapi;
let coderd: MockCoderd;
let page: Page;

/** Opens a task's page and waits for its first answer to be drawn. */
async function open(user: string, taskId: string): Promise<void> {
  await page.goto(`${taskPageUrl(coderd.url, user, taskId)}?poll=100`);
  await page.waitForFunction(() => document.getElementById('state-badge')?.dataset.state !== 'loading');
}

async function notice(): Promise<{ title: string; text: string; said: string }> {
  return page.$eval('#notice', (node) => ({
    title: node.querySelector('.notice-title')?.textContent ?? '',
    text: node.querySelector('.notice-text')?.textContent ?? '',
    said: node.querySelector('.notice-said')?.textContent ?? '',
  }));
}

async function putSnapshot(task: CreatedTask, format: string, role: string): Promise<void> {
  const data = { messages: [{ id: 0, content: 'hello', role, time: '2026-11-20T09:00:00Z' }] };
  const answer = await fetch(`${coderd.url}/__mock/snapshots/${task.taskId}`, { method: 'PUT', body: JSON.stringify({ format, data }) });
  if (answer.status !== 200) throw new Error(await answer.text());
}

describe.skipIf(!HAS_CHROMIUM)('the task page says what is wrong, in words (mocks in-process, from the sources; needs /usr/bin/chromium)', () => {
  beforeAll(async () => {
    [browser, agentapi] = await Promise.all([launchChromium(), startMockAgentapi({ messages: [] })]);
    coderd = await startMockCoderd({ liveAgentapiUrl: agentapi.url });
    page = await browser.newPage({ viewport: PHONE });
  });
  afterAll(async () => {
    await browser?.close();
    await Promise.all([agentapi?.close(), coderd?.close()]);
  });

  it('an unknown task', async () => {
    const task = coderd.createTask();
    const missing = randomUUID();
    await open(task.user, missing);
    expect(await page.textContent('#state-badge')).toBe('Cannot show');
    expect(await notice()).toEqual({
      title: 'Unknown task',
      text: `coderd has no task "${missing}" for user "${task.user}": the address is wrong, or the task was deleted.`,
      said: 'coderd said: Resource not found or you do not have access to this resource',
    });
    expect(await page.$$('.message')).toHaveLength(0);
    expect(await overflowing(page)).toEqual([]);
  });

  it('an unknown user', async () => {
    await open('nobody', randomUUID());
    expect((await notice()).title).toBe('Not signed in');
    expect((await notice()).text).toContain('no user called "nobody"');
  });

  it('a paused task without a snapshot', async () => {
    const task = coderd.createTask({ status: 'paused' });
    await open(task.user, task.taskId);
    expect(await page.textContent('#state-badge')).toBe('Paused · no snapshot');
    const shown = await notice();
    expect(shown.title).toBe('No snapshot');
    expect(shown.text).toContain('coderd holds no log snapshot for it');
  });

  it('a snapshot in an unknown format, and one with a role coderd refuses', async () => {
    const task = coderd.createTask({ status: 'paused' });
    await putSnapshot(task, 'asciinema', 'user');
    await open(task.user, task.taskId);
    expect(await notice()).toMatchObject({ title: 'Snapshot in an unknown format', said: 'coderd said: Unsupported task snapshot format. Expected format "agentapi", got "asciinema".' });
    await putSnapshot(task, 'agentapi', 'system');
    await waitForText(page, '#notice', 'Snapshot cannot be read');
    expect((await notice()).said).toContain('invalid agentapi message role "system"');
  });

  it('a live task with no messages yet, then its first message without a reload', async () => {
    const task = coderd.createTask();
    await open(task.user, task.taskId);
    expect(await page.textContent('#state-badge')).toBe('Live');
    expect((await notice()).title).toBe('No messages yet');
    agentapi.setMessages([{ role: 'user', content: 'First! 🚀', time: '2026-11-20T09:00:00Z' }]);
    await waitForText(page, '.message .content', 'First! 🚀');
    expect(await page.isHidden('#notice')).toBe(true);
  });

  it('a task in a state without logs, and AgentAPI out of reach', async () => {
    const task = coderd.createTask({ status: 'error' });
    await open(task.user, task.taskId);
    expect(await notice()).toMatchObject({ title: 'No logs in this state', said: 'coderd said: Cannot fetch logs for task in current state. Task status is "error".' });
    coderd.setTaskStatus(task.taskId, 'active');
    coderd.setLiveAgentapiUrl('http://127.0.0.1:9/');
    await waitForText(page, '#notice', 'Live conversation unavailable');
    expect((await notice()).said).toContain('Failed to get messages from task app.');
  });
});
