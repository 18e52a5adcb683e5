import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { agentapiOptionsFromFlags, coderdOptionsFromFlags, registerMockCommand } from '../../src/cli/commands/mock.ts';
import { UsageError } from '../../src/cli/errors.ts';
import { startMockAgentapi } from '../../src/mocks/agentapi/index.ts';
import { startMockCoderd } from '../../src/mocks/coderd/index.ts';
import { CLI, type CliResult } from '../support/cli.ts';
import { call, FIXTURES, snapshotBody, snapshotPath } from '../support/http.ts';

/**
 * A few real processes prove the wiring (first stdout line, signals, exit codes, stderr shape);
 * the many flag combinations are checked in-process, which costs no process start-up.
 */

const HAS_MAIN = existsSync(resolve(import.meta.dirname, '../../src/cli/main.ts'));

interface Running {
  child: ChildProcess;
  first: Record<string, string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; rest: string }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

function spawnCli(args: string[]): ChildProcess {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  children.push(child);
  return child;
}

/** Starts the real CLI and waits for its first stdout line, which must be one JSON object. */
async function startCli(args: string[]): Promise<Running> {
  const child = spawnCli(args);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const rest: string[] = [];
  const exit = new Promise<Awaited<Running['exit']>>((resolveExit) => {
    child.once('close', (code, signal) => resolveExit({ code, signal, stderr, rest: rest.join('\n') }));
  });
  const firstLine = await new Promise<string>((resolveLine, reject) => {
    lines.once('line', resolveLine);
    child.once('exit', () => reject(new Error(`CLI exited before printing: ${stderr}`)));
  });
  lines.on('line', (line) => rest.push(line));
  return { child, first: JSON.parse(firstLine) as Record<string, string>, exit };
}

/** Runs the CLI to completion without blocking the event loop. */
function runCli(args: string[]): Promise<CliResult> {
  return new Promise((resolveRun) => {
    const child = spawnCli(args);
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.once('close', (status) => resolveRun({ status, stdout, stderr }));
  });
}

describe.skipIf(!HAS_MAIN)('agentapi-kit mock (the CLI process: bin/ on a fresh dist/)', () => {
  it('coderd: prints the default task as one JSON line, serves it, exits 0 on SIGTERM', async () => {
    const running = await startCli(['mock', 'coderd', '--port', '0']);
    expect(Object.keys(running.first)).toEqual(['url', 'agentToken', 'taskId', 'userToken', 'user', 'workspaceId', 'taskPageUrl']);
    const { url, agentToken, taskId } = running.first as Record<string, string>;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(running.first.taskPageUrl).toBe(`${url}/tasks/${running.first.user}/${taskId}`);
    // The page itself, not only its status: from dist/ it once answered 200 with an empty body.
    const page = await fetch(running.first.taskPageUrl as string);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('src="/web/main.js"');
    // `${url}/` + path: the doubled slash a CODER_AGENT_URL ending in "/" produces.
    const posted = await call(`${url}/${snapshotPath(taskId as string)}`, {
      method: 'POST',
      headers: { 'Coder-Session-Token': agentToken as string },
      body: snapshotBody(['from the CLI test']),
    });
    expect(posted.status).toBe(204);
    running.child.kill('SIGTERM');
    expect(await running.exit).toEqual({ code: 0, signal: null, stderr: '', rest: '' });
  });

  it('coderd --state: the same task and its snapshot survive a restart (SIGINT exits 0 too)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-mock-cli-'));
    try {
      const state = join(dir, 'state.json');
      const first = await startCli(['mock', 'coderd', '--state', state]);
      const { url, agentToken, taskId } = first.first as Record<string, string>;
      const headers = { 'Coder-Session-Token': agentToken as string };
      await call(`${url}${snapshotPath(taskId as string)}`, { method: 'POST', headers, body: snapshotBody(['kept']) });
      first.child.kill('SIGINT');
      expect((await first.exit).code).toBe(0);

      const second = await startCli(['mock', 'coderd', '--state', state]);
      expect(second.first).toMatchObject({ taskId, agentToken });
      expect((await call(`${second.first.url}/__mock/snapshots/${taskId}`)).json).toMatchObject({ data: { messages: [{ content: 'kept' }] } });
      second.child.kill('SIGTERM');
      expect((await second.exit).code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['a missing directory', (dir: string) => join(dir, 'missing', 'state.json'), /^Error: cannot write state file .*missing\/state\.json: ENOENT$/],
    ['a directory in the way', (dir: string) => dir, /^Error: cannot read state file .*: EISDIR$/],
  ])('coderd --state on %s: exit 2 with one Error line, before any ready line', async (_case, statePath, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'agentapi-kit-mock-cli-'));
    try {
      const result = await runCli(['mock', 'coderd', '--state', statePath(dir)]);
      expect(result.stdout).toBe('');
      const errors = result.stderr.split('\n').filter((line) => line.startsWith('Error'));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatch(message);
      expect(result.status).toBe(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('agentapi: prints {"url"}; --huge generates COUNT messages of SIZE bytes', async () => {
    const running = await startCli(['mock', 'agentapi', '--huge', '10x100']);
    expect(Object.keys(running.first)).toEqual(['url']);
    const messages = ((await call(`${running.first.url}/messages`)).json as { messages: Array<{ content: string }> }).messages;
    expect(messages).toHaveLength(10);
    expect(messages.every((message) => Buffer.byteLength(message.content) === 100)).toBe(true);
    running.child.kill('SIGTERM');
    expect((await running.exit).code).toBe(0);
  });

  it.each([
    [['mock', 'coderd', '--port', '65536'], /^Error: --port must be an integer from 0 to 65535, got "65536"\n/],
    [['mock', 'agentapi', '--conversation', join(FIXTURES, 'truncated.json')], /^Error: .*truncated\.json is not valid JSON/],
  ])('%j: exit 2, one "Error:" line, no stack trace, nothing on stdout', async (args, message) => {
    const result = await runCli(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toBe('');
  });
});

/** Parses argv through a program holding only the mock command, as main.ts would (exitOverride on). */
async function parseMock(args: string[]): Promise<unknown> {
  const program = new Command('agentapi-kit').exitOverride();
  registerMockCommand(program);
  for (const command of program.commands.flatMap((child) => [child, ...child.commands])) command.exitOverride();
  try {
    await program.parseAsync(['node', 'agentapi-kit', ...args]);
    return undefined;
  } catch (error) {
    return error;
  }
}

describe('mock command flags (in-process, from the sources)', () => {
  it('registers mock agentapi and mock coderd with their flags, returning nothing', () => {
    const program = new Command('agentapi-kit');
    expect(registerMockCommand(program)).toBeUndefined();
    const mock = program.commands.find((command) => command.name() === 'mock');
    expect(mock?.commands.map((command) => command.name())).toEqual(['agentapi', 'coderd']);
    const flags = (name: string) => mock?.commands.find((command) => command.name() === name)?.options.map((option) => option.long);
    expect(flags('agentapi')).toEqual(expect.arrayContaining(['--port', '--conversation', '--preset', '--fault', '--fault-status', '--delay', '--huge']));
    expect(flags('coderd')).toEqual(expect.arrayContaining(['--port', '--state', '--route-missing', '--rate-limit', '--fault-status', '--delay']));
  });

  it.each([
    [['mock', 'agentapi', '--port', 'http'], /^--port must be an integer from 0 to 65535, got "http"$/],
    [['mock', 'agentapi', '--port', '-1'], /^--port must be an integer/],
    [['mock', 'agentapi', '--port', '1.5'], /^--port must be an integer/],
    [['mock', 'agentapi', '--preset', 'gigantic'], /^unknown --preset "gigantic"; use one of empty, short, multibyte, long, huge$/],
    [['mock', 'agentapi', '--preset', 'short', '--conversation', 'x.json'], /^use only one of --conversation, --preset and --huge$/],
    [['mock', 'agentapi', '--huge', '10by5'], /^--huge must look like COUNTxSIZE/],
    [['mock', 'agentapi', '--agentapi-version', 'latest'], /^--agentapi-version: AgentAPI release "latest" is not a version like v0\.12\.1$/],
    [['mock', 'agentapi', '--fault', 'explode'], /^unknown --fault "explode"/],
    [['mock', 'agentapi', '--fault', 'html', '--fault-status', '500'], /^--fault-status only goes with --fault status$/],
    [['mock', 'agentapi', '--conversation', '/does/not/exist.json'], /^cannot read conversation file \/does\/not\/exist\.json: ENOENT$/],
    [['mock', 'agentapi', '--conversation', join(FIXTURES, 'invalid-role.json')], /invalid-role\.json is not a conversation: 0\.role/],
    [['mock', 'coderd', '--fault-status', '42'], /^--fault-status must be an HTTP status from 100 to 599/],
    [['mock', 'coderd', '--fault', 'drip'], /^unknown --fault "drip"; use one of status, hang, reset$/],
    [['mock', 'coderd', '--rate-limit', 'lots'], /^--rate-limit must be a non-negative integer/],
    [['mock', 'coderd', '--fault-count', '0', '--fault', 'hang'], /^--fault-count must be at least 1$/],
    [['mock', 'coderd', '--state', join(FIXTURES, 'truncated.json')], /^state file .*truncated\.json is not valid JSON/],
    [['mock', 'coderd', '--coder-version', 'latest'], /^--coder-version: invalid Coder version "latest": use v2\.N or v2\.N\.P/],
    [['mock', 'coderd', '--enable-ai-tasks'], /^--enable-ai-tasks needs --coder-version/],
  ])('%j is a UsageError (exit 2)', async (args, message) => {
    const error = await parseMock(args);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toMatch(message);
  });

  it('coderd: --fault-status with --fault-count fails K uploads then recovers; --rate-limit 0 always 429', async () => {
    const coderd = await startMockCoderd(coderdOptionsFromFlags({ port: '0', faultStatus: '503', faultCount: '1' }));
    try {
      const task = coderd.defaultTask;
      if (task === undefined) throw new Error('no default task');
      const post = async () =>
        (await call(`${coderd.url}${snapshotPath(task.taskId)}`, { method: 'POST', headers: { 'Coder-Session-Token': task.agentToken }, body: '{"messages":[]}' })).status;
      expect([await post(), await post()]).toEqual([503, 204]);
    } finally {
      await coderd.close();
    }
    expect(coderdOptionsFromFlags({ port: '0', rateLimit: '0' }).rateLimit).toEqual({ limit: 0 });
    expect(coderdOptionsFromFlags({ port: '0', routeMissing: true, fault: 'hang', delay: '20' })).toMatchObject({ routeMissing: true, fault: { hang: true, delayMs: 20 } });
  });

  it('agentapi: --agentapi-version picks the release the mock answers as', async () => {
    expect(agentapiOptionsFromFlags({ port: '0', agentapiVersion: 'v0.10.0' }).release).toBe('v0.10.0');
    expect(agentapiOptionsFromFlags({ port: '0' }).release).toBeUndefined();
    const agentapi = await startMockAgentapi(agentapiOptionsFromFlags({ port: '0', agentapiVersion: 'v0.10.0' }));
    try {
      expect(Object.keys((await call(`${agentapi.url}/status`)).json as object)).toEqual(['$schema', 'status']);
    } finally {
      await agentapi.close();
    }
  });

  it('agentapi: flags become the fault and the conversation source', async () => {
    expect(agentapiOptionsFromFlags({ port: '0', delay: '30' }).fault).toEqual({ kind: 'delay', delayMs: 30 });
    expect(agentapiOptionsFromFlags({ port: '0', fault: 'drip', delay: '30' }).fault).toEqual({ kind: 'drip', intervalMs: 30 });
    expect(agentapiOptionsFromFlags({ port: '0', faultStatus: '502' }).fault).toEqual({ kind: 'status', status: 502 });
    expect(agentapiOptionsFromFlags({ port: '0', preset: 'huge' })).toMatchObject({ preset: 'huge' });
    const options = agentapiOptionsFromFlags({ port: '0', conversation: join(FIXTURES, 'bare-array.json'), fault: 'null-messages', faultCount: '1' });
    const agentapi = await startMockAgentapi(options);
    try {
      expect((await call(`${agentapi.url}/messages`)).json).toMatchObject({ messages: null });
      expect((await call(`${agentapi.url}/messages`)).json).toMatchObject({ messages: [{ content: 'hello' }, { content: 'héllo back 👋' }] });
    } finally {
      await agentapi.close();
    }
  });
});
