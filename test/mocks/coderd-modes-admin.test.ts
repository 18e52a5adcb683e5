import { describe, expect, it } from 'vitest';
import { CODERD_MESSAGES as M, type CreatedTask, type MockCoderd, startMockCoderd } from '../../src/mocks/coderd/index.ts';
import { call, useFreshCoderd, getLogs, postSnapshot, snapshotBody, snapshotPath } from '../support/http.ts';

let coderd: MockCoderd;
let task: CreatedTask;

useFreshCoderd((fresh) => ({ coderd, task } = fresh));

const VALID = snapshotBody(['a', 'b']);

async function statusesOf(count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let index = 0; index < count; index += 1) statuses.push((await postSnapshot(coderd, task, VALID)).status);
  return statuses;
}

describe('route missing (Coder before the route, or v2.37+)', () => {
  it('answers every log-snapshot request 404 "Route not found.", valid or not', async () => {
    coderd.setRouteMissing(true);
    for (const token of [task.agentToken, null]) {
      const answer = await postSnapshot(coderd, task, VALID, { token });
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ message: M.routeNotFound });
    }
    expect(coderd.snapshot(task.taskId)).toBeUndefined();
    coderd.setRouteMissing(false);
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(204);
  });

  it('is available as a start option', async () => {
    const old = await startMockCoderd({ routeMissing: true });
    try {
      const oldTask = old.createTask();
      expect((await postSnapshot(old, oldTask, VALID)).status).toBe(404);
    } finally {
      await old.close();
    }
  });
});

describe('rate limit', () => {
  it('429 after N requests in the window, with coderd\'s message and Retry-After', async () => {
    coderd.setRateLimit({ limit: 2, windowMs: 60_000 });
    expect(await statusesOf(3)).toEqual([204, 204, 429]);
    const answer = await postSnapshot(coderd, task, VALID);
    expect(answer.json).toEqual({ message: "You've been rate limited for sending more than 2 requests in 1m0s." });
    const response = await fetch(`${coderd.url}${snapshotPath(task.taskId)}`, { method: 'POST', body: VALID });
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
  });

  it('limit 0 answers 429 always, on the logs route too; null lifts it', async () => {
    coderd.setRateLimit({ limit: 0 });
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(429);
    expect((await getLogs(coderd, task)).status).toBe(429);
    coderd.setRateLimit(null);
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(204);
  });

  it('refuses a negative limit', () => {
    expect(() => coderd.setRateLimit({ limit: -1 })).toThrow(RangeError);
  });
});

describe('injected faults on the log-snapshot route', () => {
  it('status and message, before any other check', async () => {
    coderd.setFault({ status: 503, message: 'Service draining.' });
    const answer = await postSnapshot(coderd, task, VALID, { token: null });
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({ message: 'Service draining.' });
  });

  it('fails the next K requests, then recovers (for retry tests)', async () => {
    coderd.setFault({ status: 502, times: 2 });
    expect(await statusesOf(3)).toEqual([502, 502, 204]);
    expect(coderd.snapshot(task.taskId)).toBeDefined();
  });

  it('leaves the logs route alone', async () => {
    coderd.setFault({ status: 500 });
    expect((await getLogs(coderd, task)).status).toBe(200);
  });

  it('delay: holds the answer back, then handles the request normally', async () => {
    coderd.setFault({ delayMs: 10_000 });
    const path = `${coderd.url}${snapshotPath(task.taskId)}`;
    const init = { method: 'POST', headers: { 'Coder-Session-Token': task.agentToken }, body: VALID };
    await expect(fetch(path, { ...init, signal: AbortSignal.timeout(100) })).rejects.toThrow(/timeout|aborted/i);
    coderd.setFault({ delayMs: 1 });
    expect((await fetch(path, init)).status).toBe(204);
  });

  it('hang: never answers; close() ends it', async () => {
    coderd.setFault({ hang: true });
    await expect(
      fetch(`${coderd.url}${snapshotPath(task.taskId)}`, { method: 'POST', body: VALID, signal: AbortSignal.timeout(150) }),
    ).rejects.toThrow(/timeout|aborted/i);
    const pending = fetch(`${coderd.url}${snapshotPath(task.taskId)}`, { method: 'POST', body: VALID }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    await coderd.close();
    expect(await pending).toBe('failed');
  });

  it('reset: the connection drops, and the next request (fault cleared) works', async () => {
    coderd.setFault({ reset: true, times: 1 });
    await expect(fetch(`${coderd.url}${snapshotPath(task.taskId)}`, { method: 'POST', body: VALID })).rejects.toThrow(/fetch failed/);
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(204);
  });

  it('refuses invalid faults', () => {
    expect(() => coderd.setFault({ status: 42 })).toThrow(/invalid fault/);
    expect(() => coderd.setFault({ explode: true } as never)).toThrow(/invalid fault/);
  });
});

describe('admin API under /__mock', () => {
  const admin = (path: string, method = 'GET', body?: unknown) =>
    call(`${coderd.url}/__mock${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });

  it('POST /tasks creates a task in its own workspace; the token works at once', async () => {
    const created = await admin('/tasks', 'POST');
    expect(created.status).toBe(201);
    const fresh = created.json as CreatedTask;
    expect(fresh).toEqual({ taskId: expect.any(String), agentToken: expect.any(String), workspaceId: expect.any(String), user: 'mock-user', userToken: task.userToken });
    expect(fresh.workspaceId).not.toBe(task.workspaceId);
    expect((await postSnapshot(coderd, fresh, VALID)).status).toBe(204);
  });

  it('POST /tasks honours status and user, and validates them', async () => {
    const created = (await admin('/tasks', 'POST', { status: 'paused', user: 'alice' })).json as CreatedTask;
    expect(created.user).toBe('alice');
    expect(created.userToken).not.toBe(task.userToken);
    expect((await getLogs(coderd, created)).json).toEqual({ logs: [], snapshot: true });
    expect((await admin('/tasks', 'POST', { status: 'sleeping' })).status).toBe(400);
    expect((await admin('/tasks', 'POST', { user: 'no/slash' })).status).toBe(400);
  });

  it('DELETE /tasks/{id} soft-deletes: agent token 401, task still listed', async () => {
    expect((await admin(`/tasks/${task.taskId}`, 'DELETE')).status).toBe(204);
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(401);
    expect(coderd.tasks()[0]?.deletedAt).toEqual(expect.any(String));
    expect((await admin(`/tasks/${task.taskId}`, 'DELETE')).status).toBe(404);
  });

  it('PUT /tasks/{id}/status validates the status', async () => {
    expect((await admin(`/tasks/${task.taskId}/status`, 'PUT', { status: 'paused' })).status).toBe(200);
    expect(coderd.tasks()[0]?.status).toBe('paused');
    expect((await admin(`/tasks/${task.taskId}/status`, 'PUT', { status: 'asleep' })).status).toBe(400);
    expect((await admin('/tasks/nope/status', 'PUT', { status: 'paused' })).status).toBe(404);
  });

  it('PUT /workspaces/{id}/state: stopped voids the agent token', async () => {
    expect((await admin(`/workspaces/${task.workspaceId}/state`, 'PUT', { state: 'stopped' })).status).toBe(200);
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(401);
    expect((await admin(`/workspaces/${task.workspaceId}/state`, 'PUT', { state: 'gone' })).status).toBe(400);
  });

  it('GET /requests lists API requests (not admin ones) with tokens redacted', async () => {
    await postSnapshot(coderd, task, VALID);
    await call(`${coderd.url}/api/v2/x`, { headers: { cookie: `coder_session_token=${task.userToken}; theme=dark` } });
    const records = (await admin('/requests')).json as Array<{ method: string; path: string; status: number; headers: Record<string, string> }>;
    expect(records.map(({ method, path, status }) => ({ method, path, status }))).toEqual([
      { method: 'POST', path: snapshotPath(task.taskId, ''), status: 204 },
      { method: 'GET', path: '/api/v2/x', status: 404 },
    ]);
    expect(records[1]?.headers.cookie).toBe('coder_session_token=REDACTED; theme=dark');
    const text = JSON.stringify(records);
    expect(text).not.toContain(task.agentToken);
    expect(text).not.toContain(task.userToken);
    expect((await admin('/requests', 'DELETE')).status).toBe(204);
    expect((await admin('/requests')).json).toEqual([]);
  });

  it('GET /snapshots/{taskId} returns the stored snapshot, 404 before one exists', async () => {
    expect((await admin(`/snapshots/${task.taskId}`)).status).toBe(404);
    await postSnapshot(coderd, task, VALID);
    const stored = await admin(`/snapshots/${task.taskId}`);
    expect(stored.status).toBe(200);
    expect(stored.json).toMatchObject({ taskId: task.taskId, format: 'agentapi', data: { messages: [{ content: 'a' }, { content: 'b' }] } });
  });

  it('POST and DELETE /faults set and clear the snapshot-route fault', async () => {
    expect((await admin('/faults', 'POST', { status: 500, times: 1 })).status).toBe(204);
    expect(await statusesOf(2)).toEqual([500, 204]);
    await admin('/faults', 'POST', { status: 503 });
    expect((await admin('/faults', 'DELETE')).status).toBe(204);
    expect(await statusesOf(1)).toEqual([204]);
    expect((await admin('/faults', 'POST', { status: 'x' })).status).toBe(400);
  });

  it('PUT /rate-limit and /route-missing switch the modes', async () => {
    await admin('/rate-limit', 'PUT', { limit: 0 });
    expect(await statusesOf(1)).toEqual([429]);
    await admin('/rate-limit', 'DELETE');
    await admin('/route-missing', 'PUT', { enabled: true });
    expect(await statusesOf(1)).toEqual([404]);
    await admin('/route-missing', 'PUT', { enabled: false });
    expect(await statusesOf(1)).toEqual([204]);
  });

  it('404 for unknown admin routes and 400 for unparsable bodies', async () => {
    expect((await admin('/nothing')).status).toBe(404);
    const broken = await call(`${coderd.url}/__mock/faults`, { method: 'POST', body: '{' });
    expect(broken.status).toBe(400);
  });
});
