import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type MockAgentapi, startMockAgentapi } from '../../src/mocks/agentapi/index.ts';
import { CODERD_MESSAGES as M, type CreatedTask, type MockCoderd, startMockCoderd } from '../../src/mocks/coderd/index.ts';
import { call, getLogs, postSnapshot, snapshotBody } from '../support/http.ts';

let coderd: MockCoderd;
let task: CreatedTask;
let agentapi: MockAgentapi | undefined;

beforeEach(async () => {
  coderd = await startMockCoderd();
  task = coderd.createTask();
});
afterEach(async () => {
  await coderd.close();
  await agentapi?.close();
  agentapi = undefined;
});

describe('task logs from the snapshot (paused, pending, initializing)', () => {
  it.each(['paused', 'pending', 'initializing'] as const)('%s: maps user to input, agent to output, with snapshot_at', async (status) => {
    await postSnapshot(coderd, task, snapshotBody(['do it', 'done <ok> & "fine"']));
    coderd.setTaskStatus(task.taskId, status);
    const answer = await getLogs(coderd, task);
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      logs: [
        { id: 0, content: 'do it', type: 'input', time: '2025-01-01T00:00:00Z' },
        { id: 1, content: 'done <ok> & "fine"', type: 'output', time: '2025-01-01T00:00:00Z' },
      ],
      snapshot: true,
      snapshot_at: coderd.snapshot(task.taskId)?.created_at,
    });
    // coderd's httpapi.Write escapes HTML characters.
    expect(answer.text).toContain('done \\u003cok\\u003e \\u0026 \\"fine\\"');
  });

  it('answers exactly {"logs":[],"snapshot":true} when nothing was stored', async () => {
    coderd.setTaskStatus(task.taskId, 'paused');
    const answer = await getLogs(coderd, task);
    expect(answer.text).toBe('{"logs":[],"snapshot":true}\n');
  });

  it('500 "Invalid snapshot data." when a stored role is neither user nor agent', async () => {
    await postSnapshot(coderd, task, '{"messages":[{"role":"system","content":"x"}]}');
    coderd.setTaskStatus(task.taskId, 'paused');
    const answer = await getLogs(coderd, task);
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ message: M.invalidSnapshotData, detail: 'invalid agentapi message role "system"' });
  });
});

describe('task logs in other states', () => {
  it.each(['error', 'unknown'] as const)('%s: 409', async (status) => {
    await postSnapshot(coderd, task, snapshotBody(['x']));
    coderd.setTaskStatus(task.taskId, status);
    const answer = await getLogs(coderd, task);
    expect(answer.status).toBe(409);
    expect(answer.json).toEqual({ message: M.logsConflict, detail: `Task status is "${status}".` });
  });

  it('active without a live source: empty logs, no snapshot field', async () => {
    await postSnapshot(coderd, task, snapshotBody(['stale']));
    expect((await getLogs(coderd, task)).text).toBe('{"logs":[]}\n');
  });

  it('active with a live AgentAPI: read live, snapshot absent', async () => {
    agentapi = await startMockAgentapi({ messages: [{ content: 'live q', role: 'user', time: '2025-02-02T00:00:00Z' }, { content: 'live a', role: 'agent', time: '2025-02-02T00:00:01Z' }] });
    coderd.setLiveAgentapiUrl(agentapi.url);
    expect((await getLogs(coderd, task)).json).toEqual({
      logs: [
        { id: 0, content: 'live q', type: 'input', time: '2025-02-02T00:00:00Z' },
        { id: 1, content: 'live a', type: 'output', time: '2025-02-02T00:00:01Z' },
      ],
    });
  });

  it('active with a failing live AgentAPI: 502', async () => {
    agentapi = await startMockAgentapi({ fault: { kind: 'status', status: 500 } });
    coderd.setLiveAgentapiUrl(agentapi.url);
    const answer = await getLogs(coderd, task);
    expect(answer.status).toBe(502);
    expect(answer.json).toMatchObject({ message: 'Failed to get messages from task app.' });
  });
});

describe('task logs: user auth and lookup', () => {
  beforeEach(() => {
    coderd.setTaskStatus(task.taskId, 'paused');
  });

  it('401 "signed out" without a token, with a malformed one, an unknown key ID or a wrong secret, each with its detail', async () => {
    const signedOut = 'You are signed out or your session has expired. Please sign in again to continue.';
    const missing = await call(`${coderd.url}/api/v2/tasks/me/${task.taskId}/logs`);
    expect(missing.status).toBe(401);
    expect(missing.json).toEqual({ message: signedOut, detail: 'Cookie "coder_session_token" or query parameter must be provided.' });
    const unknown = await getLogs(coderd, task, { token: 'abcdefghij-abcdefghijabcdefghijab' });
    expect(unknown.status).toBe(401);
    expect(unknown.json).toEqual({ message: signedOut, detail: 'API key is invalid.' });
    const [keyId] = task.userToken.split('-');
    const wrongSecret = await getLogs(coderd, task, { token: `${keyId}-${'z'.repeat(22)}` });
    expect(wrongSecret.json).toEqual({ message: signedOut, detail: 'API key secret is invalid.' });
    const short = await getLogs(coderd, task, { token: 'abc-abcdefghijabcdefghijab' });
    expect(short.json).toEqual({ message: signedOut, detail: 'Invalid API key format: invalid API key ID length, expected 10 got 3' });
    expect(M.signedOut).toBe(signedOut);
  });

  it('rejects the agent token: it is not a user session (a UUID has five dash-separated parts)', async () => {
    const answer = await getLogs(coderd, task, { token: task.agentToken });
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ detail: 'Invalid API key format: incorrect amount of API key parts, expected 2 got 5' });
  });

  it('finds the task by "me" or the username', async () => {
    expect((await getLogs(coderd, task, { user: 'me' })).status).toBe(200);
    expect((await getLogs(coderd, task, { user: task.user })).status).toBe(200);
  });

  it('404 for another user\'s task, an unknown task, or a deleted task', async () => {
    const stranger = coderd.createTask({ user: 'someone-else', status: 'paused' });
    expect((await getLogs(coderd, stranger, { token: task.userToken, user: 'me' })).status).toBe(404);
    expect((await getLogs(coderd, task, { user: 'someone-else' })).status).toBe(404);
    expect((await getLogs(coderd, { ...task, taskId: randomUUID() })).status).toBe(404);
    coderd.deleteTask(task.taskId);
    const gone = await getLogs(coderd, task);
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ message: M.notFound });
  });

  it('405 for methods other than GET', async () => {
    const answer = await call(`${coderd.url}/api/v2/tasks/me/${task.taskId}/logs`, { method: 'POST', headers: { 'Coder-Session-Token': task.userToken } });
    expect(answer.status).toBe(405);
  });
});
