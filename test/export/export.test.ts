import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMockCoderd, type CreatedTask, type MockCoderd } from '../../src/mocks/coderd/index.ts';
import { CLI } from '../support/cli.ts';

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI as a user runs it, asynchronously: the mock coderd answers from this process meanwhile. */
function runExport(args: string[], env: Record<string, string | undefined>): Promise<Run> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, 'export', ...args], { env: { ...process.env, NO_COLOR: '1', CODER_URL: undefined, CODER_SESSION_TOKEN: undefined, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, stdout, stderr }));
  });
}

/** What the script uploads as a workspace stops: the agent's body, through the real route. */
async function uploadSnapshot(coderd: MockCoderd, task: CreatedTask, contents: string[]): Promise<void> {
  const messages = contents.map((content, id) => ({ id, content, role: id % 2 === 0 ? 'user' : 'agent', time: '2026-11-30T10:00:00Z' }));
  const response = await fetch(`${coderd.url}/api/v2/workspaceagents/me/tasks/${task.taskId}/log-snapshot?format=agentapi`, {
    method: 'POST',
    headers: { 'Coder-Session-Token': task.agentToken, 'content-type': 'application/json' },
    body: JSON.stringify({ messages }),
  });
  if (response.status !== 204) throw new Error(`upload answered ${response.status}`);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name));
}

const PAUSED = 450;
const STOPPING = 50;

describe('agentapi-kit export against the mock coderd with 500 tasks', () => {
  let coderd: MockCoderd;
  let owner: CreatedTask;
  let stopping: CreatedTask[];
  let out: string;
  let env: Record<string, string>;
  let first: Run;

  beforeAll(async () => {
    coderd = await startMockCoderd({ rateLimit: null });
    const paused: CreatedTask[] = [];
    // Each task uploads its snapshot while its workspace stops (the agent token works then), then pauses.
    for (let index = 0; index < PAUSED; index += 1) paused.push(coderd.createTask({ user: 'alice', status: 'unknown', prompt: `task ${index}` }));
    stopping = [];
    for (let index = 0; index < STOPPING; index += 1) stopping.push(coderd.createTask({ user: 'alice', status: 'unknown' }));
    owner = paused[0] as CreatedTask;
    await Promise.all(paused.map((task, index) => uploadSnapshot(coderd, task, [`question ${index}`, `answer ${index} ✅ 日本語`])));
    for (const task of paused) coderd.setTaskStatus(task.taskId, 'paused');
    out = join(await mkdtemp(join(tmpdir(), 'export-')), 'archive');
    env = { CODER_URL: `${coderd.url}/`, CODER_SESSION_TOKEN: owner.userToken };
    first = await runExport(['--out', out], env);
  }, 180_000);

  afterAll(async () => {
    await coderd.close();
    await rm(join(out, '..'), { recursive: true, force: true });
  });

  it('exports every paused task, reports each 409 task by name and exits 1 because some failed', () => {
    expect(first.status).toBe(1);
    expect(first.stdout).toContain(`Listed ${PAUSED + STOPPING} tasks`);
    expect(first.stdout).toContain(`Exported ${PAUSED + STOPPING} tasks to ${out}: ${PAUSED} new, 0 updated, 0 unchanged, ${STOPPING} failed.`);
    const failedLines = first.stdout.split('\n').filter((line) => line.includes(' failed    '));
    expect(failedLines).toHaveLength(STOPPING);
    expect(failedLines[0]).toMatch(/coderd answered 409 \(Cannot fetch logs for task in current state\. Task status is "unknown"\.\): its workspace is stopping/);
    expect(first.stderr).toContain(`Error: ${STOPPING} tasks could not be exported`);
  });

  it('prints one progress line per task without a terminal', () => {
    const taskLines = first.stdout.split('\n').filter((line) => /^\[\d+\/500\] /.test(line));
    expect(taskLines).toHaveLength(PAUSED + STOPPING);
  });

  it('writes per exported task the logs answer exactly as coderd returns it, with the task as listed', async () => {
    const direct = await fetch(`${coderd.url}/api/v2/tasks/alice/${owner.taskId}/logs`, { headers: { 'Coder-Session-Token': owner.userToken } });
    const archived = JSON.parse(await readFile(join(out, 'tasks', `${owner.taskId}.json`), 'utf8'));
    expect(archived.logs).toEqual({ status: 200, body: await direct.json() });
    expect(archived.logs.body.snapshot).toBe(true);
    expect(archived.task).toMatchObject({ id: owner.taskId, owner_name: 'alice', status: 'paused', initial_prompt: 'task 0' });
    const files = await filesUnder(join(out, 'tasks'));
    expect(files.filter((file) => file.endsWith('.json'))).toHaveLength(PAUSED);
    expect(files.filter((file) => file.endsWith('.html'))).toHaveLength(PAUSED);
    for (const task of stopping.slice(0, 3)) expect(files).not.toContain(join(out, 'tasks', `${task.taskId}.json`));
  });

  it('writes the archive readable by its owner only (directories 0700, files 0600)', async () => {
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    expect((await stat(join(out, 'tasks'))).mode & 0o777).toBe(0o700);
    const modes = new Set(await Promise.all((await filesUnder(out)).map(async (file) => (await stat(file)).mode & 0o777)));
    expect([...modes]).toEqual([0o600]);
  });

  it('writes the session token into no file, and leaves no temporary file', async () => {
    const files = await filesUnder(out);
    expect(files.filter((file) => file.endsWith('.tmp'))).toEqual([]);
    for (const file of files) expect(await readFile(file, 'utf8')).not.toContain(owner.userToken);
  });

  it('lists every task in the index, the failed ones with their reason and no link', async () => {
    const index = await readFile(join(out, 'index.html'), 'utf8');
    expect(index.match(/<tr>/g)?.length).toBe(PAUSED + STOPPING + 1);
    expect(index).toContain(`href="tasks/${owner.taskId}.html"`);
    expect(index).toContain('Task status is "unknown"');
  });

  it('skips unchanged tasks on a rerun and rewrites only the task whose snapshot changed', async () => {
    const again = await runExport(['--out', out], env);
    expect(again.stdout).toContain(`${PAUSED + STOPPING} tasks to ${out}: 0 new, 0 updated, ${PAUSED} unchanged, ${STOPPING} failed.`);
    const before = (await stat(join(out, 'tasks', `${owner.taskId}.json`))).mtimeMs;
    coderd.setTaskStatus(owner.taskId, 'unknown');
    await uploadSnapshot(coderd, owner, ['question 0', 'a longer answer']);
    coderd.setTaskStatus(owner.taskId, 'paused');
    const third = await runExport(['--out', out], env);
    expect(third.stdout).toContain(`0 new, 1 updated, ${PAUSED - 1} unchanged, ${STOPPING} failed.`);
    expect((await stat(join(out, 'tasks', `${owner.taskId}.json`))).mtimeMs).toBeGreaterThan(before);
    expect(await readFile(join(out, 'tasks', `${owner.taskId}.html`), 'utf8')).toContain('a longer answer');
  }, 120_000);

  it('keeps the earlier copy of a task that answers 409 now, and says so in the index', async () => {
    coderd.setTaskStatus(owner.taskId, 'unknown');
    try {
      const run = await runExport(['--out', out, '--query', 'owner:me'], env);
      expect(run.stdout).toContain(`${STOPPING + 1} failed.`);
      const archived = JSON.parse(await readFile(join(out, 'tasks', `${owner.taskId}.json`), 'utf8'));
      expect(archived.task.status).toBe('paused');
      const index = await readFile(join(out, 'index.html'), 'utf8');
      expect(index).toContain('this copy is from an earlier run');
    } finally {
      coderd.setTaskStatus(owner.taskId, 'paused');
    }
  }, 120_000);
});

describe('agentapi-kit export errors, in words', () => {
  let coderd: MockCoderd;
  let task: CreatedTask;
  let scratch: string;

  beforeAll(async () => {
    coderd = await startMockCoderd({ rateLimit: null });
    task = coderd.createTask({ status: 'paused' });
    scratch = await mkdtemp(join(tmpdir(), 'export-errors-'));
  });

  afterAll(async () => {
    await coderd.close();
    await rm(scratch, { recursive: true, force: true });
  });

  it('names the wrong token (401) and exits 1 without writing an archive', async () => {
    const run = await runExport(['--out', join(scratch, 'a')], { CODER_URL: coderd.url, CODER_SESSION_TOKEN: 'AAAAAAAAAA-BBBBBBBBBBBBBBBBBBBBBB' });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Error: coderd rejected CODER_SESSION_TOKEN \(401: You are signed out.*the token is wrong, expired or not allowed to read tasks/);
    await expect(stat(join(scratch, 'a'))).rejects.toThrow();
  });

  it('says to export before upgrading when the Tasks list route is missing (404 Route not found.)', async () => {
    const run = await runExport(['--out', join(scratch, 'b')], { CODER_URL: `${coderd.url}/no-tasks-here`, CODER_SESSION_TOKEN: task.userToken });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Error: this Coder has no Tasks API');
    expect(run.stderr).toContain('answered 404 (Route not found.)');
    expect(run.stderr).toContain('export from a deployment on v2.36 or earlier');
  });

  it('says the same against a mock started as v2.38, which has no Tasks API', async () => {
    const removed = await startMockCoderd({ rateLimit: null, coderVersion: 'v2.38' });
    try {
      const owner = removed.createTask();
      const run = await runExport(['--out', join(scratch, 'v238')], { CODER_URL: removed.url, CODER_SESSION_TOKEN: owner.userToken });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('Error: this Coder has no Tasks API: GET');
      expect(run.stderr).toContain('answered 404 (Route not found.)');
    } finally {
      await removed.close();
    }
  });

  it('asks for both environment variables when they are missing (exit 2), and has no flag for the token', async () => {
    const missing = await runExport(['--out', join(scratch, 'c')], {});
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('Error: set CODER_URL and CODER_SESSION_TOKEN in the environment');
    const flag = await runExport(['--out', join(scratch, 'c'), '--token', task.userToken], { CODER_URL: coderd.url });
    expect(flag.status).toBe(2);
    expect(flag.stderr).toContain("unknown option '--token'");
  });

  it('explains an unreachable coderd in one line (exit 1)', async () => {
    const run = await runExport(['--out', join(scratch, 'd')], { CODER_URL: 'http://127.0.0.1:9', CODER_SESSION_TOKEN: task.userToken });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^Error: cannot reach coderd at http:\/\/127\.0\.0\.1:9\/api\/v2\/tasks: fetch failed/);
  });

  it('rejects a bad --concurrency and a bad task query by name', async () => {
    const bad = await runExport(['--out', join(scratch, 'e'), '--concurrency', '0'], { CODER_URL: coderd.url, CODER_SESSION_TOKEN: task.userToken });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Error: --concurrency must be a whole number from 1 to 16, got "0"');
    const query = await runExport(['--out', join(scratch, 'e'), '--query', 'color:blue'], { CODER_URL: coderd.url, CODER_SESSION_TOKEN: task.userToken });
    expect(query.status).toBe(1);
    expect(query.stderr).toContain('Error: coderd rejected the task query "color:blue" (Invalid task search query.)');
  });
});
