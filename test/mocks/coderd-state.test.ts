import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StateFileError, startMockCoderd } from '../../src/mocks/coderd/index.ts';
import { getLogs, postSnapshot, snapshotBody } from '../support/http.ts';

let dir: string;
let stateFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-mock-state-'));
  stateFile = join(dir, 'coderd.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mock coderd --state persistence', () => {
  it('keeps tasks, tokens, statuses and snapshots across a restart', async () => {
    const first = await startMockCoderd({ stateFile, createDefaultTask: true });
    const task = first.defaultTask;
    if (task === undefined) throw new Error('no default task');
    const other = first.createTask({ user: 'bob' });
    expect((await postSnapshot(first, task, snapshotBody(['before restart', 'still here']))).status).toBe(204);
    first.setTaskStatus(task.taskId, 'paused');
    first.deleteTask(other.taskId);
    await first.close();

    const second = await startMockCoderd({ stateFile, createDefaultTask: true });
    try {
      expect(second.defaultTask).toEqual(task);
      expect(second.tasks()).toHaveLength(2);
      const logs = await getLogs(second, task);
      expect(logs.json).toMatchObject({ logs: [{ content: 'before restart' }, { content: 'still here' }], snapshot: true });
      expect((await postSnapshot(second, other, snapshotBody(['x']))).status).toBe(401);
      // paused is a stopped workspace, whose agent token is void: the next stop build lets it upload again
      expect((await postSnapshot(second, task, snapshotBody(['paused']))).status).toBe(401);
      second.setWorkspaceState(task.workspaceId, 'stopping');
      expect((await postSnapshot(second, task, snapshotBody(['after']))).status).toBe(204);
    } finally {
      await second.close();
    }
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.snapshots[0].data.messages[0].content).toBe('after');
  });

  it('writes atomically: no temp files left, owner-only permissions', async () => {
    const server = await startMockCoderd({ stateFile, createDefaultTask: true });
    const task = server.defaultTask;
    if (task === undefined) throw new Error('no default task');
    await Promise.all(Array.from({ length: 20 }, (_, index) => postSnapshot(server, task, snapshotBody([`write ${index}`]))));
    await server.flush();
    expect(await readdir(dir)).toEqual(['coderd.json']);
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.snapshots[0].data).toEqual(server.snapshot(task.taskId)?.data);
    await server.close();
  });

  it('starts fresh when the file does not exist yet, and creates it', async () => {
    const server = await startMockCoderd({ stateFile, createDefaultTask: true });
    await server.close();
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.tasks).toHaveLength(1);
  });

  it('reads a state file of the older format (a status per task) as the workspace condition that derives it', async () => {
    const id = (n: number) => `0000000${n}-0000-4000-8000-000000000000`;
    const v1 = {
      version: 1,
      users: [{ id: id(1), username: 'mock-user', token: 'abcdefghij-abcdefghijabcdefghijab' }],
      workspaces: [{ id: id(2), owner: 'mock-user', agentId: id(3), agentToken: id(4), state: 'stopped', deleted: false }],
      tasks: [{ id: id(5), workspaceId: id(2), owner: 'mock-user', status: 'paused', createdAt: '2026-12-01T10:00:00Z', deletedAt: null }],
      snapshots: [],
    };
    await writeFile(stateFile, JSON.stringify(v1));
    const server = await startMockCoderd({ stateFile });
    try {
      expect(server.tasks()).toEqual([expect.objectContaining({ id: id(5), status: 'paused' })]);
    } finally {
      await server.close();
    }
    const saved = JSON.parse(await readFile(stateFile, 'utf8'));
    expect(saved.version).toBe(2);
    expect(saved.workspaces[0]).toMatchObject({ build: { transition: 'stop', jobStatus: 'succeeded' } });
  });

  it.each([
    ['not JSON', '{"version":'],
    ['the wrong shape', '{"version":2}'],
  ])('refuses a state file that is %s with a StateFileError', async (_name, text) => {
    await writeFile(stateFile, text);
    await expect(startMockCoderd({ stateFile })).rejects.toBeInstanceOf(StateFileError);
  });
});
