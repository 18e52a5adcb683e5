import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODERD_MESSAGES as M, startMockCoderd, type CreatedTask, type MockCoderd } from '../../src/mocks/coderd/index.ts';
import { taskPageUrl } from '../../src/mocks/coderd/web/routes.ts';
import { TRUNCATION_MARKER_PREFIX } from '../../src/snapshot/policy.ts';
import { call, getLogs } from '../support/http.ts';

let coderd: MockCoderd;
let task: CreatedTask;
beforeAll(async () => {
  coderd = await startMockCoderd({ createDefaultTask: true });
  task = coderd.defaultTask as CreatedTask;
});
afterAll(() => coderd.close());

describe('the task page route (mock coderd in-process, from the sources)', () => {
  it('serves the page at /tasks/{user}/{task} and signs the browser in as that user, for that user\'s tasks API only', async () => {
    const response = await fetch(taskPageUrl(coderd.url, task.user, task.taskId));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('set-cookie')).toBe(`coder_session_token=${task.userToken}; Path=/api/v2/tasks/${task.user}; HttpOnly; SameSite=Strict`);
    const html = await response.text();
    expect(html).toContain(`data-marker-prefix="${TRUNCATION_MARKER_PREFIX}"`);
    expect(html).toContain('src="/web/main.js"');
  });

  it('serves the page but no cookie for an unknown user, and is never recorded', async () => {
    coderd.clearRequests();
    const response = await fetch(taskPageUrl(coderd.url, 'nobody', task.taskId));
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toBeNull();
    expect(coderd.requests()).toEqual([]);
  });

  it('the cookie it sets is a session the logs route accepts', async () => {
    const answer = await call(`${coderd.url}/api/v2/tasks/${task.user}/${task.taskId}/logs`, { headers: { cookie: `coder_session_token=${task.userToken}` } });
    expect(answer.status).toBe(200);
  });

  it('serves the assets with their types, 404 for others, 405 for other methods', async () => {
    for (const [name, type] of [['main.js', 'text/javascript'], ['view-model.js', 'text/javascript'], ['render.js', 'text/javascript'], ['task-view.css', 'text/css']]) {
      const response = await fetch(`${coderd.url}/web/${name}`);
      expect(response.status, name).toBe(200);
      expect(response.headers.get('content-type'), name).toBe(`${type}; charset=utf-8`);
    }
    expect((await fetch(`${coderd.url}/web/missing.js`)).status).toBe(404);
    expect((await fetch(`${coderd.url}/web/task-page.html`)).status).toBe(404);
    const post = await fetch(taskPageUrl(coderd.url, task.user, task.taskId), { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('snapshots in a format coderd does not know', () => {
  it('the admin route stores one as given; the logs route answers 500 as coderd does', async () => {
    const other = coderd.createTask({ status: 'paused' });
    const data = { messages: [{ id: 0, content: 'hi', role: 'user', time: '2026-01-01T00:00:00Z' }] };
    const stored = await call(`${coderd.url}/__mock/snapshots/${other.taskId}`, { method: 'PUT', body: JSON.stringify({ format: 'asciinema', data }) });
    expect(stored.status).toBe(200);
    expect(coderd.snapshot(other.taskId)).toMatchObject({ format: 'asciinema', data });
    const answer = await getLogs(coderd, other);
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ message: M.unsupportedSnapshotFormat, detail: 'Expected format "agentapi", got "asciinema".' });
  });

  it('the admin route rejects a body without data', async () => {
    const answer = await call(`${coderd.url}/__mock/snapshots/${task.taskId}`, { method: 'PUT', body: '{"format":"agentapi"}' });
    expect(answer.status).toBe(400);
  });
});
