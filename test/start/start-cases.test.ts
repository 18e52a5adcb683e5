/**
 * Start script behaviour that does not depend on the shell: the full body under the login shells
 * the Coder agent may use, the busybox toolbox (wget, no curl, no bash), download variants, the
 * architecture map, a preinstalled AgentAPI, paths and interpreters. Each case runs once, under
 * dash (the usual /bin/sh) unless it says otherwise.
 */
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { EXAMPLE_REQUIRED_VARIABLES } from '../../src/agent-simulation/coder-script.ts';
import { runShutdown } from '../../src/agent-simulation/run-script.ts';
import { LOGIN_SHELLS, shellByName, SYSTEM_PATH } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import {
  type DownloadServer,
  EXPECTED_BINARY,
  FAKE_AGENTAPI_DIR,
  fakeUnameDir,
  hasExited,
  isAlive,
  MODULE_DIR_NAME,
  runStartScript,
  startDownloadServer,
  wgetOnlyPathDir,
} from '../support/start-script.ts';

let server: DownloadServer;
beforeAll(async () => {
  server = await startDownloadServer();
});
afterAll(async () => {
  await server.close();
});

const dash = shellByName('dash');
/** Most cases download AgentAPI with curl, the full toolbox's client. */
const dashAndCurl = dash.available && hasCommand('curl');

describe.concurrent('the whole coder_script body under login shells', () => {
  for (const login of LOGIN_SHELLS) {
    it.skipIf(!login.available || !hasCommand('curl'))(`${login.name} -c '<body>' installs and starts AgentAPI (needs ${login.argv[0]}, curl)`, async ({ expect, onTestFinished }) => {
      const run = await runStartScript({ ctx: { onTestFinished }, shell: `login:${login.name}`, server });
      expect(run.result.argv.at(-1)).toBe(run.result.body);
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode).toBe(0);
      expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
      expect(run.record?.env.AGENTAPI_ALLOWED_HOSTS).toBe('*');
    });
  }
});

describe.concurrent('start script cases (dash)', () => {
  it.skipIf(!hasCommand('busybox'))('works with only busybox applets: wget instead of curl, /bin/sh instead of bash (needs busybox)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: shellByName('busybox'),
      server,
      toolbox: 'busybox',
      variables: { pre_install_script: 'echo "pre-install under $(readlink /proc/$$/exe)"' },
    });
    expect(run.result.stderr).toBe('');
    expect(run.result.exitCode).toBe(0);
    expect(await run.read(join(run.moduleDir, 'pre_install.log'))).toMatch(/^pre-install under \S*(sh|busybox)\n$/);
    expect(run.downloads).toEqual([`/download/v0.12.1/${EXPECTED_BINARY}`]);
    expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
  });

  it.skipIf(!hasCommand('busybox'))("records AgentAPI v0.10.0's PID with busybox ls, so the stop script can stop it (needs busybox)", async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: shellByName('busybox'), server, toolbox: 'busybox', variables: { agentapi_version: 'v0.10.0' } });
    expect(run.result.stderr).toBe('');
    expect(run.result.exitCode).toBe(0);
    expect((await run.read(join(run.moduleDir, 'agentapi.pid'))).trim()).toBe(String(run.record?.pid));
  });

  it.skipIf(!hasCommand('busybox'))('gives up on a never-ready AgentAPI with busybox wget as the probe (needs busybox)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: shellByName('busybox'),
      server,
      toolbox: 'busybox',
      env: { FAKE_AGENTAPI_NEVER_READY: '1', ARG_START_ATTEMPTS: '2' },
    });
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stderr).toContain(`Error: AgentAPI did not become ready on port ${run.port} after 2 attempts`);
    expect(run.result.stderr).not.toMatch(/Segmentation fault/);
  });

  it.skipIf(!dash.available || !hasCommand('wget'))('downloads and probes with GNU wget when curl is missing (needs dash, wget)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      prepare: async (home) => void (await wgetOnlyPathDir(home)),
      env: (home) => ({ PATH: join(home, 'wget-only-bin') }),
    });
    expect(run.result.stderr).toBe('');
    expect(run.result.exitCode).toBe(0);
    expect(run.downloads).toEqual([`/download/v0.12.1/${EXPECTED_BINARY}`]);
    expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
  });

  it.skipIf(!dashAndCurl)('downloads `latest` from the releases/latest path (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { agentapi_version: 'latest' } });
    expect(run.result.exitCode).toBe(0);
    expect(run.downloads).toEqual([`/latest/download/${EXPECTED_BINARY}`]);
  });

  it.skipIf(!dashAndCurl)('fails clearly when the download fails, leaving no agentapi behind (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { agentapi_version: 'v9.9.9' } });
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stderr).toMatch(/^Error: could not download AgentAPI from http:\/\/127\.0\.0\.1:\d+\/[^/]+\/download\/v9\.9\.9\/agentapi-linux-/m);
    // A 404 is not transient: the download loop does not repeat it.
    expect(run.downloads).toEqual([`/download/v9.9.9/${EXPECTED_BINARY}`]);
    expect(await readdir(join(run.home, '.local', 'bin'))).toEqual([]);
    expect(run.record).toBeUndefined();
  });

  it.skipIf(!dashAndCurl)('maps aarch64 to the arm64 release asset (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      prepare: async (home) => void (await fakeUnameDir(home, 'aarch64')),
      env: (home) => ({ PATH: `${join(home, 'fake-uname')}:${SYSTEM_PATH}` }),
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.downloads).toEqual(['/download/v0.12.1/agentapi-linux-arm64']);
  });

  it.skipIf(!dash.available)('refuses an architecture AgentAPI is not released for (needs dash)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      prepare: async (home) => void (await fakeUnameDir(home, 'riscv64')),
      env: (home) => ({ PATH: `${join(home, 'fake-uname')}:${SYSTEM_PATH}` }),
    });
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stderr).toContain('Error: unsupported architecture riscv64');
    expect(run.downloads).toEqual([]);
  });

  it.skipIf(!dashAndCurl)('uses an agentapi already on PATH when install_agentapi is false, and leaves it running detached (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      variables: { install_agentapi: false },
      env: { PATH: `${FAKE_AGENTAPI_DIR}:${SYSTEM_PATH}`, FAKE_AGENTAPI_NODE: process.execPath },
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.downloads).toEqual([]);
    expect(run.result.stdout).not.toContain('Installing AgentAPI');
    // The harness killed the script's whole process group when it exited; AgentAPI must not be in it.
    expect(run.record !== undefined && isAlive(run.record.pid)).toBe(true);
  });

  it.skipIf(!dashAndCurl)('falls back to agentapi_version when `agentapi --version` names no version (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      variables: { enable_state_persistence: true, agentapi_version: 'v0.11.0' },
      env: { FAKE_AGENTAPI_VERSION: 'dev' },
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.result.stderr).toContain('Warning: state persistence needs AgentAPI >= v0.12.0 (found v0.11.0)');
    expect(run.record?.env.AGENTAPI_SAVE_STATE).toBeUndefined();
  });

  it.skipIf(!dashAndCurl)('lets a version that is not semantic (latest) through the persistence gate (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      variables: { enable_state_persistence: true, agentapi_version: 'latest' },
      env: { FAKE_AGENTAPI_VERSION: 'dev' },
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.result.stderr).toBe('');
    expect(run.record?.env.AGENTAPI_SAVE_STATE).toBe('true');
  });

  it.skipIf(!dashAndCurl)('honours custom PID and state file paths, creating their directory (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      variables: (home) => ({
        enable_state_persistence: true,
        pid_file_path: join(home, 'custom', 'agentapi.pid'),
        state_file_path: join(home, 'custom', 'state', 'agentapi-state.json'),
      }),
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.record?.env).toMatchObject({
      AGENTAPI_PID_FILE: join(run.home, 'custom', 'agentapi.pid'),
      AGENTAPI_STATE_FILE: join(run.home, 'custom', 'state', 'agentapi-state.json'),
    });
    expect((await run.read(join(run.home, 'custom', 'agentapi.pid'))).trim()).toBe(String(run.record?.pid));
    expect((await stat(join(run.home, 'custom', 'state'))).isDirectory()).toBe(true);
  });

  it.skipIf(!dashAndCurl)('replaces a stale PID file with the PID of the AgentAPI it started (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      prepare: async (home) => {
        await mkdir(join(home, MODULE_DIR_NAME), { recursive: true });
        await writeFile(join(home, MODULE_DIR_NAME, 'agentapi.pid'), '999999\n');
      },
      // This AgentAPI writes no PID file, so only the script can have replaced the old one.
      variables: { start_script: 'exec env -u AGENTAPI_PID_FILE agentapi server' },
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.record?.env.AGENTAPI_PID_FILE).toBeUndefined();
    expect((await run.read(join(run.moduleDir, 'agentapi.pid'))).trim()).toBe(String(run.record?.pid));
  });

  it.skipIf(!dashAndCurl || !hasCommand('bash'))('runs a start script without a shebang with bash, as the registry did (needs dash, bash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      variables: { start_script: 'if [[ -n "$BASH_VERSION" ]]; then exec agentapi server; fi\nexit 7' },
    });
    expect(run.result.exitCode).toBe(0);
    expect(run.record?.port).toBe(run.port);
  });

  it.skipIf(!dashAndCurl)('expands ~ in the folder and creates it (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { folder: '~/work/repo/' } });
    expect(run.result.exitCode).toBe(0);
    expect(run.record?.cwd).toBe(join(run.home, 'work', 'repo'));
  });

  it.skipIf(!dashAndCurl)('gives AgentAPI a UTF-8 locale: keeps one already set, else en_US.UTF-8 (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const kept = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, env: { LANG: 'C.UTF-8' } });
    expect(kept.record?.extra).toMatchObject({ LANG: 'C.UTF-8', LC_ALL: null });
    const set = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, env: { LANG: 'C' } });
    expect(set.record?.extra).toMatchObject({ LANG: 'en_US.UTF-8', LC_ALL: 'en_US.UTF-8' });
  });

  it.skipIf(!dashAndCurl)('exports the scalar inputs to user scripts, not the script texts (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({
      ctx: { onTestFinished },
      shell: dash,
      server,
      variables: { post_install_script: 'echo "port=$ARG_AGENTAPI_PORT dir=$ARG_MODULE_DIR_NAME install=${ARG_INSTALL_SCRIPT-unset}"' },
    });
    expect(run.result.exitCode).toBe(0);
    expect(await run.read(join(run.moduleDir, 'post_install.log'))).toBe(`port=${run.port} dir=${MODULE_DIR_NAME} install=unset\n`);
  });

  it.skipIf(!dashAndCurl)('keeps probing until a slow AgentAPI comes up (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { start_script: 'sleep 1\nexec agentapi server' } });
    expect(run.result.exitCode).toBe(0);
    expect(run.result.stdout).toContain(`AgentAPI is ready on port ${run.port}`);
  });

  it.skipIf(!dashAndCurl)('warns about a bad ARG_START_ATTEMPTS and uses the default (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, env: { ARG_START_ATTEMPTS: 'many' } });
    expect(run.result.exitCode).toBe(0);
    expect(run.result.stderr).toContain("Warning: ARG_START_ATTEMPTS must be a positive integer, got 'many'; using 150");
  });

  // The module's validation stops a bad port at plan time (src/module/validations.ts); the script's own
  // check ("agentapi_port must be a TCP port") guards direct ARG_AGENTAPI_PORT use.
  it.skipIf(!dash.available)('rejects a port outside 1-65535 before running anything (needs dash)', async ({ expect, onTestFinished }) => {
    await expect(
      runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { agentapi_port: 70000, pre_install_script: 'echo ran' } }),
    ).rejects.toThrow('Invalid value for variable "agentapi_port": agentapi_port must be a whole number from 1 to 65535.');
  });

  it.skipIf(!dashAndCurl)('fails on an empty start script (needs dash, curl)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { start_script: '' } });
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stderr).toContain('Error: start_script is empty');
  });

  it.skipIf(!dash.available)('names the pre-install step when it fails (needs dash)', async ({ expect, onTestFinished }) => {
    const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables: { pre_install_script: '#!/bin/sh\nfalse' } });
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stderr).toContain(`Error: the pre-install script failed (exit status 1); see ${join(run.moduleDir, 'pre_install.log')}`);
  });

  // The start script judges AgentAPI by the binary it runs, the shutdown script by what start
  // recorded: agentapi_version may name another version than the image holds.
  describe.each([
    { binary: '0.11.0', configured: 'v0.12.1', saves: false },
    { binary: '0.12.1', configured: 'v0.11.0', saves: true },
  ])('start then shutdown with state persistence, AgentAPI $binary, agentapi_version $configured', ({ binary, configured, saves }) => {
    it.skipIf(!dashAndCurl)(`${saves ? 'sends' : 'does not send'} SIGUSR1, then stops AgentAPI with SIGTERM (needs dash, curl)`, async ({ expect, onTestFinished }) => {
      const variables = { enable_state_persistence: true, agentapi_version: configured };
      const run = await runStartScript({ ctx: { onTestFinished }, shell: dash, server, variables, env: { FAKE_AGENTAPI_VERSION: binary } });
      expect(run.result.exitCode).toBe(0);
      const pid = run.record?.pid;
      expect(pid).toBeTypeOf('number');
      const stop = await runShutdown({
        shell: dash,
        toolbox: 'full',
        home: run.home,
        variables: { ...EXAMPLE_REQUIRED_VARIABLES, module_dir_name: MODULE_DIR_NAME, agentapi_port: run.port, task_log_snapshot: false, ...variables },
      });
      expect(stop.exitCode).toBe(0);
      expect(stop.stdout.includes(`Sending SIGUSR1 to AgentAPI (pid ${pid})`)).toBe(saves);
      if (!saves) expect(stop.stdout).toContain(`AgentAPI ${binary} predates state persistence`);
      expect(stop.stdout).toContain(`Sending SIGTERM to AgentAPI (pid ${pid})`);
      expect(await hasExited(pid as number)).toBe(true);
      // The fake writes its state file on SIGUSR1, as AgentAPI >= 0.12.0 does.
      const state = await run.read(join(run.moduleDir, 'agentapi-state.json')).catch(() => undefined);
      expect(state !== undefined).toBe(saves);
    });
  });
});
