import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { coderRoutes, deriveTaskStatus, type MockCoderd, startMockCoderd, type WorkspaceCondition } from '../../src/mocks/coderd/index.ts';
import { RateLimiter } from '../../src/mocks/coderd/rate-limit.ts';
import { nowMicroseconds } from '../../src/mocks/coderd/timestamps.ts';
import { call, getLogs, postSnapshot, rawExchange, snapshotBody, snapshotBodyOfSize, snapshotPath } from '../support/http.ts';

/** Just enough of a ServerResponse for the limiter: headers and the status it wrote. */
function fakeResponse(): { res: ServerResponse; headers: Map<string, string>; status: () => number | undefined } {
  const headers = new Map<string, string>();
  let status: number | undefined;
  const res = {
    setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
    writeHead: (code: number) => {
      status = code;
    },
    end: () => undefined,
  } as unknown as ServerResponse;
  return { res, headers, status: () => status };
}

async function withCoderd(options: Parameters<typeof startMockCoderd>[0], run: (coderd: MockCoderd) => Promise<void>): Promise<void> {
  const coderd = await startMockCoderd(options);
  try {
    await run(coderd);
  } finally {
    await coderd.close();
  }
}

describe('mock coderd rate limit (IP + path, sliding window)', () => {
  it('gives every task its own bucket: a third upload for one task is 429 while another task still posts', async () => {
    await withCoderd({ rateLimit: { limit: 2 } }, async (coderd) => {
      const one = coderd.createTask();
      const two = coderd.createTask();
      const body = snapshotBody(['hi']);
      expect([(await postSnapshot(coderd, one, body)).status, (await postSnapshot(coderd, one, body)).status]).toEqual([204, 204]);
      const limited = await fetch(`${coderd.url}${snapshotPath(one.taskId)}`, { method: 'POST', headers: { 'Coder-Session-Token': one.agentToken }, body });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('60');
      expect(await limited.json()).toEqual({ message: "You've been rate limited for sending more than 2 requests in 1m0s." });
      expect((await postSnapshot(coderd, two, body)).status).toBe(204);
    });
  });

  it('sends X-RateLimit-Limit, -Remaining and -Reset on answers that pass', async () => {
    await withCoderd({ rateLimit: { limit: 5 } }, async (coderd) => {
      const task = coderd.createTask();
      const response = await fetch(`${coderd.url}${snapshotPath(task.taskId)}`, { method: 'POST', headers: { 'Coder-Session-Token': task.agentToken }, body: snapshotBody(['x']) });
      expect(response.status).toBe(204);
      expect(response.headers.get('x-ratelimit-limit')).toBe('5');
      expect(response.headers.get('x-ratelimit-remaining')).toBe('4');
      expect(Number(response.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000 - 1);
      expect(response.headers.get('retry-after')).toBeNull();
    });
  });

  it('does not count rejected requests, and lets the previous window weigh in by its share still inside the window', () => {
    const limiter = new RateLimiter();
    limiter.set({ limit: 2, windowMs: 1000 });
    const at = (now: number) => {
      const fake = fakeResponse();
      return limiter.reject(fake.res, 'ip /path', now) ? fake.status() : 200;
    };
    // window [0, 1000): 2 pass, 3 rejected (not counted)
    expect([at(0), at(10), at(20), at(30), at(40)]).toEqual([200, 200, 429, 429, 429]);
    // at 1000 the previous window's 2 still count fully: rejected
    expect(at(1000)).toBe(429);
    // at 1600 they count 2 * 0.4 = 0.8: one more passes (had the 3 rejected counted, 5 * 0.4 = 2 would not)
    expect(at(1600)).toBe(200);
    expect(at(1601)).toBe(429);
    // another key is untouched throughout
    const fake = fakeResponse();
    expect(limiter.reject(fake.res, 'ip /other', 1601)).toBe(false);
  });

  it('puts Retry-After (the window in seconds) on every 429, limit 0 included', () => {
    const limiter = new RateLimiter();
    limiter.set({ limit: 0 });
    const fake = fakeResponse();
    expect(limiter.reject(fake.res, 'k', 5)).toBe(true);
    expect(fake.status()).toBe(429);
    expect(fake.headers.get('retry-after')).toBe('60');
    expect(fake.headers.get('x-ratelimit-remaining')).toBe('0');
  });
});

describe('mock coderd task status, derived from the workspace as coderd does', () => {
  const start = (jobStatus: 'pending' | 'running' | 'succeeded' | 'failed') => ({ transition: 'start' as const, jobStatus });
  const stop = (jobStatus: 'pending' | 'running' | 'succeeded' | 'failed' | 'canceled') => ({ transition: 'stop' as const, jobStatus });
  it.each<[string, WorkspaceCondition, string]>([
    ['no build yet', { build: null, agent: 'none', app: 'initializing' }, 'pending'],
    ['start build pending', { build: start('pending'), agent: 'none', app: 'initializing' }, 'initializing'],
    ['started, agent connecting', { build: start('succeeded'), agent: 'connecting', app: 'initializing' }, 'initializing'],
    ['started, app initializing', { build: start('succeeded'), agent: 'connected', app: 'initializing' }, 'initializing'],
    ['started, app healthy', { build: start('succeeded'), agent: 'connected', app: 'healthy' }, 'active'],
    ['started, app disabled', { build: start('running'), agent: 'connected', app: 'disabled' }, 'active'],
    ['started, app unhealthy', { build: start('succeeded'), agent: 'connected', app: 'unhealthy' }, 'error'],
    ['started, agent disconnected', { build: start('succeeded'), agent: 'disconnected', app: 'healthy' }, 'unknown'],
    ['start build failed', { build: start('failed'), agent: 'none', app: 'initializing' }, 'error'],
    ['stop build running', { build: stop('running'), agent: 'connected', app: 'healthy' }, 'unknown'],
    ['stop build canceled', { build: stop('canceled'), agent: 'connected', app: 'healthy' }, 'unknown'],
    ['stop build succeeded', { build: stop('succeeded'), agent: 'disconnected', app: 'healthy' }, 'paused'],
    ['stop build failed', { build: stop('failed'), agent: 'disconnected', app: 'healthy' }, 'error'],
  ])('%s: %s', (_name, condition, status) => {
    expect(deriveTaskStatus(condition)).toBe(status);
  });

  it('while the workspace stops the task is unknown and its logs 409, yet the stop script can still upload', async () => {
    await withCoderd({}, async (coderd) => {
      const task = coderd.createTask();
      coderd.setWorkspaceState(task.workspaceId, 'stopping');
      expect(coderd.tasks().find((t) => t.id === task.taskId)?.status).toBe('unknown');
      const logs = await getLogs(coderd, task);
      expect(logs.status).toBe(409);
      expect(logs.json).toMatchObject({ message: 'Cannot fetch logs for task in current state.' });
      expect((await postSnapshot(coderd, task, snapshotBody(['kept']))).status).toBe(204);
      coderd.setWorkspaceCondition(task.workspaceId, { build: { transition: 'stop', jobStatus: 'succeeded' } });
      expect(coderd.tasks().find((t) => t.id === task.taskId)?.status).toBe('paused');
      expect((await getLogs(coderd, task)).json).toMatchObject({ logs: [{ content: 'kept' }], snapshot: true });
    });
  });

  it('after a failed stop build the task is error: 409 though the snapshot is stored, and the agent token is void', async () => {
    await withCoderd({}, async (coderd) => {
      const task = coderd.createTask();
      coderd.setWorkspaceState(task.workspaceId, 'stopping');
      expect((await postSnapshot(coderd, task, snapshotBody(['stored']))).status).toBe(204);
      coderd.setWorkspaceCondition(task.workspaceId, { build: { transition: 'stop', jobStatus: 'failed' } });
      expect(coderd.tasks().find((t) => t.id === task.taskId)?.status).toBe('error');
      expect((await getLogs(coderd, task)).status).toBe(409);
      expect(coderd.snapshot(task.taskId)?.data.messages[0]?.content).toBe('stored');
      expect((await postSnapshot(coderd, task, snapshotBody(['late']))).status).toBe(401);
    });
  });

  it('the admin route sets a build, agent or app state and answers with the status that follows', async () => {
    await withCoderd({}, async (coderd) => {
      const task = coderd.createTask();
      const set = (body: unknown) => call(`${coderd.url}/__mock/workspaces/${task.workspaceId}/condition`, { method: 'PUT', body: JSON.stringify(body) });
      expect((await set({ app: 'unhealthy' })).json).toMatchObject({ status: 'error' });
      expect((await set({ app: 'healthy', build: { transition: 'stop', jobStatus: 'running' } })).json).toMatchObject({ status: 'unknown' });
      expect((await set({ build: { transition: 'stop', jobStatus: 'done' } })).status).toBe(400);
      expect((await set({ status: 'paused' })).status).toBe(400);
    });
  });
});

describe('mock coderd deletion, oversize bodies and time precision', () => {
  it('deleting a task deletes its snapshot; its agent then gets 401 and its owner 404', async () => {
    await withCoderd({}, async (coderd) => {
      const task = coderd.createTask();
      expect((await postSnapshot(coderd, task, snapshotBody(['gone soon']))).status).toBe(204);
      expect(coderd.deleteTask(task.taskId)).toBe(true);
      expect(coderd.snapshot(task.taskId)).toBeUndefined();
      expect((await postSnapshot(coderd, task, snapshotBody(['again']))).status).toBe(401);
      expect((await getLogs(coderd, task)).status).toBe(404);
    });
  });

  it('an oversize body gets 400 "http: request body too large" with Connection: close', async () => {
    await withCoderd({}, async (coderd) => {
      const task = coderd.createTask();
      const body = snapshotBodyOfSize(70_000);
      const request =
        `POST ${snapshotPath(task.taskId)} HTTP/1.1\r\nHost: 127.0.0.1\r\nCoder-Session-Token: ${task.agentToken}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      const answer = (await rawExchange(coderd.port, request)).toString('latin1');
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(answer).toContain('{"message":"Failed to decode request payload.","detail":"http: request body too large"}');
    });
  });

  it('snapshot_at has microseconds, trailing zeros dropped as Go prints them', async () => {
    expect(nowMicroseconds(Date.UTC(2026, 11, 2, 18, 1, 2, 123), 0.456)).toBe('2026-12-02T18:01:02.123456Z');
    expect(nowMicroseconds(Date.UTC(2026, 11, 2, 18, 1, 2, 120), 0.0001)).toBe('2026-12-02T18:01:02.12Z');
    expect(nowMicroseconds(Date.UTC(2026, 11, 2, 18, 1, 2, 0), 0)).toBe('2026-12-02T18:01:02Z');
    await withCoderd({}, async (coderd) => {
      const task = coderd.createTask();
      await postSnapshot(coderd, task, snapshotBody(['t']));
      coderd.setTaskStatus(task.taskId, 'paused');
      const { snapshot_at } = (await getLogs(coderd, task)).json as { snapshot_at: string };
      expect(snapshot_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);
      expect(snapshot_at).toBe(coderd.snapshot(task.taskId)?.created_at);
    });
  });
});

describe('mock coderd as each Coder version', () => {
  // [version, enableAiTasks, upload status, upload message, logs of a paused task: status, message or snapshot]
  it.each<[string, boolean, number, string | undefined, number, string | undefined]>([
    ['v2.29', false, 404, 'Route not found.', 409, 'Cannot fetch logs for task in current state.'],
    ['v2.30.0', false, 204, undefined, 200, undefined],
    ['v2.34.5', false, 204, undefined, 200, undefined],
    ['v2.36', false, 204, undefined, 200, undefined],
    ['v2.37', false, 404, 'Route not found.', 404, 'Route not found.'],
    ['v2.37', true, 204, undefined, 200, undefined],
    ['v2.38.5', false, 404, 'Route not found.', 404, 'Route not found.'],
  ])('%s (enable-ai-tasks %s): upload %i %s, paused logs %i %s', async (version, enableAiTasks, uploadStatus, uploadMessage, logsStatus, logsMessage) => {
    await withCoderd({ coderVersion: version, enableAiTasks }, async (coderd) => {
      const task = coderd.createTask();
      const upload = await postSnapshot(coderd, task, snapshotBody(['hello']));
      expect(upload.status).toBe(uploadStatus);
      if (uploadMessage !== undefined) expect(upload.json).toEqual({ message: uploadMessage });
      coderd.setTaskStatus(task.taskId, 'paused');
      const logs = await getLogs(coderd, task);
      expect(logs.status).toBe(logsStatus);
      if (logsMessage !== undefined) expect(logs.json).toMatchObject({ message: logsMessage });
      else expect(logs.json).toMatchObject({ logs: [{ content: 'hello' }], snapshot: true });
    });
  });

  it('refuses a version it cannot read with one RangeError sentence', () => {
    expect(() => coderRoutes('2.x')).toThrow(/^invalid Coder version "2\.x": use v2\.N or v2\.N\.P/);
  });

  it('switches version at run time through setCoderVersion and PUT /__mock/coder-version', async () => {
    await withCoderd({}, async (coderd) => {
      const task = coderd.createTask();
      coderd.setCoderVersion('v2.38');
      expect((await postSnapshot(coderd, task, snapshotBody(['x']))).status).toBe(404);
      expect((await call(`${coderd.url}/__mock/coder-version`, { method: 'PUT', body: '{"version":"v2.37","enableAiTasks":true}' })).status).toBe(204);
      expect((await postSnapshot(coderd, task, snapshotBody(['x']))).status).toBe(204);
    });
  });
});
