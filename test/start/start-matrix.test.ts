/**
 * The start script under every POSIX shell of the matrix: the coder_script body is rendered from
 * main.tf and its decoded text (inputs + script) is eval-ed by the shell under test exactly as
 * /bin/sh would (src/agent-simulation/run-script.ts). AgentAPI is the fake from test/fixtures/fake-agentapi,
 * downloaded from a local server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { tieredIt } from '../support/tier.ts';
import { SHELLS } from '../../src/agent-simulation/shells.ts';
import { type DownloadServer, EXPECTED_BINARY, runStartScript, startDownloadServer } from '../support/start-script.ts';
import { hasCommand } from '../support/commands.ts';

let server: DownloadServer;
beforeAll(async () => {
  server = await startDownloadServer();
});
afterAll(async () => {
  await server.close();
});

for (const shell of SHELLS) {
  describe.skipIf(!shell.available || !hasCommand('curl')).concurrent(`start script under ${shell.name} (needs ${shell.argv[0]}, curl)`, () => {
    // npm test: each test under dash and one other shell in turn; CI's full step: every shell.
    const it = tieredIt(shell, SHELLS);
    it('installs AgentAPI, starts it with the expected environment and waits until it is ready', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({ ctx: { onTestFinished }, shell, server });
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
      expect(run.downloads).toEqual([`/download/v0.12.1/${EXPECTED_BINARY}`]);
      const record = run.record;
      expect(record).toBeDefined();
      if (record === undefined) return;
      expect(record.env).toEqual({
        AGENTAPI_PORT: String(run.port),
        AGENTAPI_PID_FILE: join(run.moduleDir, 'agentapi.pid'),
        AGENTAPI_ALLOWED_HOSTS: '*',
        // Exported empty with boundary off, as the registry module does (start-boundary.sh.hbs).
        AGENTAPI_BOUNDARY_PREFIX: '',
      });
      expect(record.argv).toEqual(['--port', String(run.port), '--', 'claude']);
      expect(record.cwd).toBe(join(run.home, 'project'));
      expect(record.extra.PATH?.split(':')[0]).toBe(join(run.home, '.local', 'bin'));
      expect((await run.read(join(run.moduleDir, 'agentapi.pid'))).trim()).toBe(String(record.pid));
      expect(await run.read(join(run.home, '.local', 'bin', 'agentapi'))).toMatch(/^#!\/bin\/sh\n/);
    });

    it('with AgentAPI v0.10.0 (no PID file of its own): records the PID of the process on the port, and says why', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({ ctx: { onTestFinished }, shell, server, variables: { agentapi_version: 'v0.10.0' } });
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.record?.version).toBe('0.10.0');
      const pidFile = join(run.moduleDir, 'agentapi.pid');
      expect((await run.read(pidFile)).trim()).toBe(String(run.record?.pid));
      expect(run.result.stdout).toContain(`AgentAPI wrote no PID file; recorded pid ${run.record?.pid} (listening on port ${run.port}) in ${pidFile}`);
      expect(run.result.stdout).toContain('AgentAPI 0.10.0 predates v0.12.0');
    });

    it('uses a custom port and chat base path, and passes the registry arguments (true <port>)', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        variables: {
          agentapi_subdomain: false,
          // A shebang script that takes the port from its second argument, as registry start scripts may.
          start_script: '#!/bin/sh\n[ "$1" = true ] || exit 9\nexec agentapi server --port "$2" -- aider',
        },
      });
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
      expect(run.record?.port).toBe(run.port);
      expect(run.record?.argv).toEqual(['--port', String(run.port), '--', 'aider']);
      expect(run.record?.env.AGENTAPI_CHAT_BASE_PATH).toBe('/@coder/dev.8f1e3c52-4b2a-4d1e-9c3a-2f6b7d8e9a01/apps/ccw/chat');
    });

    it('runs pre-install, install and post-install in order, logging each', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        variables: {
          pre_install_script: 'echo "pre-install ran"\necho "pre-install stderr" >&2',
          install_script: '#!/bin/sh\necho "install ran in step order"',
          // After the install step AgentAPI is on PATH, so post-install may use it.
          post_install_script: 'echo "post-install sees $(agentapi --version)"',
        },
      });
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(await run.read(join(run.moduleDir, 'pre_install.log'))).toBe('pre-install ran\npre-install stderr\n');
      expect(await run.read(join(run.moduleDir, 'install.log'))).toBe('install ran in step order\n');
      expect(await run.read(join(run.moduleDir, 'post_install.log'))).toBe('post-install sees agentapi version 0.12.1\n');
      const out = run.result.stdout;
      const order = ['pre-install ran', 'install ran in step order', 'Installed AgentAPI', 'post-install sees', 'AgentAPI is ready'].map((text) => out.indexOf(text));
      expect(order.every((at) => at >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });

    it('stops with an error naming the failed step and its log, and starts nothing', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        variables: { install_script: 'echo "installing claude"\nexit 3', post_install_script: 'echo never' },
      });
      expect(run.result.exitCode).toBe(1);
      expect(run.result.stderr).toContain(`Error: the install script failed (exit status 3); see ${join(run.moduleDir, 'install.log')}`);
      expect(await run.read(join(run.moduleDir, 'install.log'))).toBe('installing claude\n');
      expect(run.result.stdout).not.toContain('never');
      expect(run.downloads).toEqual([]);
      expect(run.record).toBeUndefined();
    });

    it('turns state persistence on for AgentAPI 0.12.1', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        variables: { enable_state_persistence: true },
        env: { FAKE_AGENTAPI_VERSION: '0.12.1' },
      });
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.result.stderr).toBe('');
      expect(run.record?.env).toMatchObject({
        AGENTAPI_STATE_FILE: join(run.moduleDir, 'agentapi-state.json'),
        AGENTAPI_SAVE_STATE: 'true',
        AGENTAPI_LOAD_STATE: 'true',
      });
    });

    it('warns and leaves state persistence off for AgentAPI 0.11.0, whatever agentapi_version says', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        variables: { enable_state_persistence: true, agentapi_version: 'v0.12.1' },
        env: { FAKE_AGENTAPI_VERSION: '0.11.0' },
      });
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.result.stderr).toContain('Warning: state persistence needs AgentAPI >= v0.12.0 (found 0.11.0)');
      const env = run.record?.env ?? {};
      expect(Object.keys(env).filter((name) => /STATE/.test(name))).toEqual([]);
      expect(env.AGENTAPI_PID_FILE).toBe(join(run.moduleDir, 'agentapi.pid'));
      // The shutdown script reads this to decide on SIGUSR1, which would kill this AgentAPI.
      expect(await run.read(join(run.moduleDir, 'agentapi.version'))).toBe('0.11.0\n');
    });

    it('fails at once, showing the start log, when the start script exits non-zero before AgentAPI is ready', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        variables: { start_script: 'echo "claude: missing API key"\nexit 5' },
      });
      expect(run.result.exitCode).toBe(1);
      expect(run.result.stderr).toContain(`Error: the start script exited with status 5 before AgentAPI became ready on port ${run.port}`);
      expect(run.result.stderr).toContain('claude: missing API key');
      expect(run.result.stderr).not.toContain('attempts');
      expect(run.record).toBeUndefined();
    });

    it('keeps waiting when the start script puts AgentAPI in the background and exits 0', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        variables: { start_script: 'agentapi server --port "$AGENTAPI_PORT" -- claude >/dev/null 2>&1 &\nexit 0' },
      });
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode, run.result.stderr).toBe(0);
      expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
      expect(run.record?.port).toBe(run.port);
    });

    it('fails clearly when agentapi is not installed and not on PATH', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({ ctx: { onTestFinished }, shell, server, variables: { install_agentapi: false } });
      expect(run.result.exitCode).toBe(1);
      expect(run.result.stderr).toMatch(/^Error: agentapi not found on PATH \(/m);
      expect(run.downloads).toEqual([]);
      expect(run.record).toBeUndefined();
    });

    it('gives up after ARG_START_ATTEMPTS probes when AgentAPI never becomes ready, showing the start log', async ({ expect, onTestFinished }) => {
      const run = await runStartScript({
        ctx: { onTestFinished },
        shell,
        server,
        env: { FAKE_AGENTAPI_NEVER_READY: '1', ARG_START_ATTEMPTS: '3' },
      });
      expect(run.result.exitCode).toBe(1);
      expect(run.result.stderr).toContain(`Error: AgentAPI did not become ready on port ${run.port} after 3 attempts`);
      expect(run.result.stderr).toContain(`fake agentapi 0.12.1 starting on port ${run.port}`);
      expect(run.result.stdout).not.toContain('is ready');
      // It did start (and wrote its record): the failure is readiness, not launching.
      expect(run.record?.port).toBe(run.port);
    });
  });
}
