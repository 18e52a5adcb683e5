/**
 * The fake AgentAPI (test/fixtures/fake-agentapi) behaves as the release it stands for, as
 * AgentAPI's source shows it: the start and stop tests are only as true as this double.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'vitest';
import { FAKE_AGENTAPI_DIR, freePort } from '../support/start-script.ts';

const PROGRAM = join(FAKE_AGENTAPI_DIR, 'agentapi.cjs');

interface Fake {
  child: ChildProcess;
  port: number;
  dir: string;
  output(): string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startFake(ctx: Pick<TestContext, 'onTestFinished'>, version: string, env: Record<string, string> = {}, args: string[] = []): Promise<Fake> {
  const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-fake-'));
  const port = await freePort();
  const child = spawn(process.execPath, [PROGRAM, 'server', `--port=${port}`, ...args, '--', 'claude'], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, FAKE_AGENTAPI_VERSION: version, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  // 'close', not 'exit': only then has all of the output been read.
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  ctx.onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exit;
    await rm(dir, { recursive: true, force: true });
  });
  const fake = { child, port, dir, output: () => output, exit };
  await untilReady(fake);
  return fake;
}

async function untilReady(fake: Fake): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (fake.child.exitCode !== null) return;
    const ok = await fetch(`http://127.0.0.1:${fake.port}/status`).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the fake never became ready: ${fake.output()}`);
}

async function status(fake: Fake): Promise<Record<string, unknown>> {
  return (await (await fetch(`http://127.0.0.1:${fake.port}/status`)).json()) as Record<string, unknown>;
}

function runOnce(version: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [PROGRAM, ...args], { env: { PATH: process.env.PATH ?? '', FAKE_AGENTAPI_VERSION: version }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent('fake AgentAPI v0.10.0', () => {
  it('rejects --pid-file as an unknown flag, as cobra does, with exit status 1', async ({ expect }) => {
    const result = await runOnce('0.10.0', ['server', '--pid-file', '/tmp/never.pid', '--', 'claude']);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe('Error: unknown flag: --pid-file');
    expect(result.stdout).toBe('unknown flag: --pid-file\n');
  });

  it('rejects --state-file too, and the -s shorthand', async ({ expect }) => {
    expect((await runOnce('0.10.0', ['server', '--state-file=/tmp/s.json', '--', 'claude'])).stderr).toContain('Error: unknown flag: --state-file');
    expect((await runOnce('0.10.0', ['server', '-s', '/tmp/s.json', '--', 'claude'])).stderr).toContain("Error: unknown shorthand flag: 's' in -s");
  });

  it('ignores AGENTAPI_PID_FILE and AGENTAPI_STATE_FILE: writes neither', async ({ expect, onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-fake-env-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const env = { AGENTAPI_PID_FILE: join(dir, 'agentapi.pid'), AGENTAPI_STATE_FILE: join(dir, 'state.json'), AGENTAPI_SAVE_STATE: 'true' };
    const fake = await startFake({ onTestFinished }, '0.10.0', env);
    fake.child.kill('SIGTERM');
    await fake.exit;
    await expect(readFile(env.AGENTAPI_PID_FILE, 'utf8')).rejects.toThrow(/ENOENT/);
    await expect(readFile(env.AGENTAPI_STATE_FILE, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it.for(['SIGTERM', 'SIGINT', 'SIGUSR1'] as const)('dies of %s at once, without a shutdown', async (signal, { expect, onTestFinished }) => {
    const fake = await startFake({ onTestFinished }, '0.10.0');
    fake.child.kill(signal);
    const exit = await fake.exit;
    expect(exit.code === 0).toBe(false);
    expect(fake.output()).not.toContain('shutting down');
  });

  it('answers /status with the status alone (agent_type came in v0.10.1)', async ({ expect, onTestFinished }) => {
    const fake = await startFake({ onTestFinished }, '0.10.0');
    expect(Object.keys(await status(fake))).toEqual(['$schema', 'status']);
  });
});

describe.concurrent('fake AgentAPI /status by release', () => {
  it.for([
    { version: '0.10.2', keys: ['$schema', 'status', 'agent_type'] },
    { version: '0.11.8', keys: ['$schema', 'status', 'agent_type'] },
    { version: '0.12.0', keys: ['$schema', 'status', 'agent_type', 'transport'] },
  ])('v$version has $keys', async ({ version, keys }, { expect, onTestFinished }) => {
    expect(Object.keys(await status(await startFake({ onTestFinished }, version)))).toEqual(keys);
  });
});

describe.concurrent('fake AgentAPI v0.12.1', () => {
  it('writes its PID file at start and removes it on a clean exit', async ({ expect, onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-fake-pid-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const pidFile = join(dir, 'agentapi.pid');
    const started = await startFake({ onTestFinished }, '0.12.1', { AGENTAPI_PID_FILE: pidFile });
    expect(await readFile(pidFile, 'utf8')).toBe(`${started.child.pid}\n`);
    started.child.kill('SIGTERM');
    expect((await started.exit).code).toBe(0);
    await expect(readFile(pidFile, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('refuses to start when its PID file names a live process', async ({ expect, onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-fake-live-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const pidFile = join(dir, 'agentapi.pid');
    await writeFile(pidFile, `${process.pid}\n`);
    const fake = await startFake({ onTestFinished }, '0.12.1', { AGENTAPI_PID_FILE: pidFile });
    expect((await fake.exit).code).toBe(1);
    expect(fake.output()).toContain(`another instance is already running with PID ${process.pid}`);
  });

  it('saves its state on SIGUSR1 and keeps serving', async ({ expect, onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-fake-state-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const stateFile = join(dir, 'state.json');
    const fake = await startFake({ onTestFinished }, '0.12.1', { AGENTAPI_STATE_FILE: stateFile });
    fake.child.kill('SIGUSR1');
    for (let tries = 0; tries < 100 && !fake.output().includes('(SIGUSR1)'); tries += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(JSON.parse(await readFile(stateFile, 'utf8')).source).toBe('SIGUSR1');
    expect((await status(fake)).status).toBe('stable');
  });

  it.for(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('shuts down in stages on %s: state, HTTP, agent, exit 0', async (signal, { expect, onTestFinished }) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-fake-stages-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const fake = await startFake({ onTestFinished }, '0.12.1', { AGENTAPI_STATE_FILE: join(dir, 'state.json') });
    fake.child.kill(signal);
    expect((await fake.exit).code).toBe(0);
    const stages = fake.output().split('\n').filter((line) => /shutting down|saved state|HTTP server|agent /.test(line));
    expect(stages).toEqual([
      `fake agentapi: received ${signal}, shutting down`,
      `fake agentapi: saved state to ${join(dir, 'state.json')} (shutdown)`,
      'fake agentapi: HTTP server stopped',
      'fake agentapi: agent exited after SIGINT',
    ]);
  });

  it('kills an agent that ignores SIGINT after its 5 s stage', async ({ expect, onTestFinished }) => {
    const fake = await startFake({ onTestFinished }, '0.12.1', { FAKE_AGENTAPI_AGENT_EXIT_MS: 'never' });
    fake.child.kill('SIGTERM');
    expect((await fake.exit).code).toBe(0);
    expect(fake.output()).toContain('agent still running 5 s after SIGINT, killed it');
  });
});
