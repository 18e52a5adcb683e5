/**
 * Start to stop under each AgentAPI release the module supports, with the fake behaving as that
 * release does (test/fixtures/fake-agentapi): v0.10.0, the module's default pin, writes no PID file,
 * ignores the state variables and dies of any signal; v0.12.1 writes its PID file, saves its state
 * and shuts down in stages. The stop must stop AgentAPI either way.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { hasCommand } from '../support/commands.ts';
import { EXAMPLE_REQUIRED_VARIABLES } from '../../src/agent-simulation/coder-script.ts';
import { runShutdown } from '../../src/agent-simulation/run-script.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { AGENTAPI_VARIABLES } from '../../src/module/variables.ts';
import { type DownloadServer, hasExited, MODULE_DIR_NAME, runStartScript, type StartRun, startDownloadServer } from '../support/start-script.ts';

let server: DownloadServer;
beforeAll(async () => {
  server = await startDownloadServer();
});
afterAll(async () => {
  await server.close();
});

const dash = shellByName('dash');
/** The start script downloads AgentAPI and probes it with curl (or wget); the tests run it with curl. */
const runnable = dash.available && hasCommand('curl');

const MODULE_DEFAULT_VERSION = (() => {
  const variable = AGENTAPI_VARIABLES.find((entry) => entry.name === 'agentapi_version');
  return variable !== undefined && 'configDefault' in variable ? String(variable.configDefault.value) : undefined;
})();

const OLD_AGENTAPI_LINE = 'predates v0.12.0: it writes no PID file (this script records the PID itself), cannot save or restore its conversation, and stops at once on SIGTERM';

function stop(run: StartRun, variables: Record<string, unknown>, env: Record<string, string> = {}) {
  return runShutdown({
    shell: dash,
    toolbox: 'full',
    home: run.home,
    variables: { ...EXAMPLE_REQUIRED_VARIABLES, module_dir_name: MODULE_DIR_NAME, agentapi_port: run.port, task_log_snapshot: false, ...variables },
    env,
  });
}

function pidOf(run: StartRun): number {
  const pid = run.record?.pid;
  if (pid === undefined) throw new Error(`the fake AgentAPI did not start: ${run.result.stderr}`);
  return pid;
}

describe.concurrent('the module default agentapi_version', () => {
  it('is v0.10.0, the registry module\'s pin', ({ expect }) => {
    expect(MODULE_DEFAULT_VERSION).toBe('v0.10.0');
  });
});

describe.concurrent.each([
  { version: 'v0.10.0', writesPidFile: false, saves: false },
  { version: 'v0.12.1', writesPidFile: true, saves: true },
])('start then stop with AgentAPI $version and state persistence on', ({ version, writesPidFile, saves }) => {
  const variables = { agentapi_version: version, enable_state_persistence: true };

  it.skipIf(!runnable)(`start ${writesPidFile ? 'leaves the PID file to AgentAPI' : 'records the PID itself, since AgentAPI writes none'} (needs dash, curl)`, async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables });
    expect(run.result.exitCode, run.result.stderr).toBe(0);
    expect(run.record?.version).toBe(version.slice(1));
    const pid = pidOf(run);
    expect((await run.read(join(run.moduleDir, 'agentapi.pid'))).trim()).toBe(String(pid));
    const startLog = await run.read(join(run.moduleDir, 'agentapi-start.log'));
    expect(startLog.includes(`wrote PID file ${join(run.moduleDir, 'agentapi.pid')}`)).toBe(writesPidFile);
    expect(run.result.stdout.includes(`AgentAPI wrote no PID file; recorded pid ${pid} (listening on port ${run.port})`)).toBe(!writesPidFile);
    expect(run.result.stdout.includes(`AgentAPI ${version.slice(1)} ${OLD_AGENTAPI_LINE}`)).toBe(!writesPidFile);
    expect(run.result.stderr.includes('Warning: state persistence needs AgentAPI >= v0.12.0')).toBe(!saves);
  });

  it.skipIf(!runnable)(`stop ${saves ? 'saves the state and' : 'sends no SIGUSR1 and'} stops AgentAPI (needs dash, curl)`, async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables });
    expect(run.result.exitCode, run.result.stderr).toBe(0);
    const pid = pidOf(run);
    // A generous exit wait: this case is about what each release does, not how fast.
    const result = await stop(run, { ...variables, shutdown_terminate_timeout: 5 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.includes(`Sending SIGUSR1 to AgentAPI (pid ${pid})`)).toBe(saves);
    expect(result.stdout).toContain(`Sending SIGTERM to AgentAPI (pid ${pid})`);
    expect(result.stdout).toContain(`AgentAPI (pid ${pid}) exited`);
    expect(await hasExited(pid)).toBe(true);
    const state = await run.read(join(run.moduleDir, 'agentapi-state.json')).catch(() => undefined);
    expect(state !== undefined).toBe(saves);
    // v0.12 removes its own PID file on a clean exit; the one the start script wrote for v0.10 stays.
    const pidFile = await run.read(join(run.moduleDir, 'agentapi.pid')).catch(() => undefined);
    expect(pidFile === undefined).toBe(writesPidFile);
  });
});

describe.concurrent('AgentAPI v0.10.0 as the module starts it by default', () => {
  it.skipIf(!runnable)('is stopped by the stop script with persistence off (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { agentapi_version: MODULE_DEFAULT_VERSION } });
    expect(run.result.exitCode, run.result.stderr).toBe(0);
    expect(run.result.stderr).toBe('');
    const pid = pidOf(run);
    const result = await stop(run, { agentapi_version: MODULE_DEFAULT_VERSION });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('No AgentAPI PID file');
    expect(result.stdout).toContain(`Sending SIGTERM to AgentAPI (pid ${pid})`);
    expect(await hasExited(pid)).toBe(true);
  });

  it.skipIf(!runnable)('is still stopped when the start script runs it in the foreground of a shell (needs dash, curl)', async ({ expect, onTestFinished }) => {
    // AgentAPI is then a child of the user's start script, not the process the module launched.
    const start = 'agentapi server --port "$AGENTAPI_PORT" -- claude\necho "agentapi ended"';
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { agentapi_version: 'v0.10.0', start_script: start } });
    expect(run.result.exitCode, run.result.stderr).toBe(0);
    const pid = pidOf(run);
    expect((await run.read(join(run.moduleDir, 'agentapi.pid'))).trim()).toBe(String(pid));
    const result = await stop(run, { agentapi_version: 'v0.10.0' });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(await hasExited(pid)).toBe(true);
  });
});

describe.concurrent('AgentAPI v0.12.1 whose agent ignores SIGINT', () => {
  it.skipIf(!runnable)('is killed after shutdown_terminate_timeout, its state already saved (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const variables = { agentapi_version: 'v0.12.1', enable_state_persistence: true };
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables, env: { FAKE_AGENTAPI_AGENT_EXIT_MS: 'never' } });
    expect(run.result.exitCode, run.result.stderr).toBe(0);
    const pid = pidOf(run);
    // 3 s: well inside AgentAPI's 5 s agent stage, and room for a loaded machine to run its handler.
    const result = await stop(run, { ...variables, shutdown_terminate_timeout: 3 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stderr).toContain(`Warning: AgentAPI (pid ${pid}) still running 3s after SIGTERM, sending SIGKILL`);
    expect(await hasExited(pid)).toBe(true);
    // Saving is the first stage of its shutdown, so the kill does not lose the conversation.
    const startLog = await run.read(join(run.moduleDir, 'agentapi-start.log'));
    expect(startLog).toContain('received SIGTERM, shutting down');
    expect(startLog).toContain('(shutdown)');
    expect(JSON.parse(await run.read(join(run.moduleDir, 'agentapi-state.json'))).source).toBe('shutdown');
  });
});
