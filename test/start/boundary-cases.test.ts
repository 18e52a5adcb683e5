/**
 * Boundary cases that do not depend on the shell, once each under dash: each failure failing a
 * whole start, the time bound, root
 * without sudo, a build that builds nothing, the busybox toolbox, BOUNDARY_CONFIG, latest as a git
 * ref. The shell matrix is boundary.test.ts.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { shellByName, type ShellSpec } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';
import { type DownloadServer, startDownloadServer } from '../support/start-script.ts';
import { runBoundaryStart, type ScriptServer, startInstallScriptServer } from '../support/boundary.ts';
import { FAILURES } from '../support/boundary-failures.ts';

let downloads: DownloadServer;
let scripts: ScriptServer;
beforeAll(async () => {
  [downloads, scripts] = await Promise.all([startDownloadServer(), startInstallScriptServer()]);
});
afterAll(async () => {
  await Promise.all([downloads.close(), scripts.close()]);
});

const dash = shellByName('dash');

type StartOptions = Omit<Parameters<typeof runBoundaryStart>[0], 'ctx' | 'shell' | 'downloads' | 'scripts'> & { shell?: ShellSpec };

/** A whole start with boundary, under dash unless `options.shell` says otherwise, against this file's servers. */
function startWith(onTestFinished: Parameters<typeof runBoundaryStart>[0]['ctx']['onTestFinished'], options: StartOptions) {
  return runBoundaryStart({ ctx: { onTestFinished }, shell: dash, downloads, scripts, ...options });
}

describe.skipIf(!dash.available || !hasCommand('curl')).concurrent('boundary cases (needs dash, curl)', () => {
  // The matrix runs each failure through the boundary step alone; here each fails a whole start.
  for (const failure of FAILURES) {
    it(`fails the whole start, saying what to do, on ${failure.title}`, async ({ expect, onTestFinished }) => {
      const env = typeof failure.env === 'function' ? failure.env(scripts) : failure.env;
      const run = await startWith(onTestFinished, { settings: failure.settings, standIns: failure.standIns, env });
      expect(run.result.exitCode).toBe(1);
      if (typeof failure.message === 'string') expect(run.result.stderr).toContain(failure.message);
      else expect(run.result.stderr).toMatch(failure.message);
      expect(run.record).toBeUndefined();
      expect(run.result.stdout).not.toContain('Starting AgentAPI');
    });
  }

  it('stops a build that hangs after ARG_BOUNDARY_STEP_SECONDS and fails the start, removing the clone', async ({ expect, onTestFinished }) => {
    const run = await startWith(onTestFinished, {
      settings: { enable: true, compile: true, version: 'main' },
      env: { FAKE_MAKE: 'hang', ARG_BOUNDARY_STEP_SECONDS: '1' },
    });
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stderr).toContain('Error: make build of boundary main did not finish within 1 s; it needs a Go toolchain (go) on PATH');
    expect(await run.moduleFiles()).not.toContain('boundary-src');
    expect(run.record).toBeUndefined();
  });

  it('as root, installs a compiled boundary without sudo', async ({ expect, onTestFinished }) => {
    const run = await startWith(onTestFinished, {
      settings: { enable: true, compile: true, version: 'v0.5.1' },
      standIns: ['git', 'make', 'id'],
      env: { FAKE_UID: '0' },
    });
    expect(run.result.stderr).toBe('');
    expect(run.result.exitCode).toBe(0);
    expect((await run.calls()).filter((call) => call.startsWith('sudo'))).toEqual([]);
    expect(await readFile(join(run.installDir, 'boundary'), 'utf8')).toMatch(/^#!\/bin\/sh\n# Stand-in boundary binary/);
  });

  it('builds the default branch for boundary_version = latest (no checkout)', async ({ expect, onTestFinished }) => {
    const run = await startWith(onTestFinished, { settings: { enable: true, compile: true }, env: { FAKE_UID: '0' } });
    expect(run.result.exitCode).toBe(0);
    expect(run.result.stdout).toContain('Compiling boundary latest from https://git.example.invalid/coder/boundary.git');
    expect((await run.calls()).filter((call) => call.startsWith('git [checkout]'))).toEqual([]);
  });

  it('fails clearly when make build succeeds but builds no boundary', async ({ expect, onTestFinished }) => {
    const run = await startWith(onTestFinished, {
      settings: { enable: true, compile: true, version: 'v0.5.1' },
      env: { FAKE_MAKE: 'empty', FAKE_UID: '0' },
    });
    expect(run.result.exitCode).toBe(1);
    expect(run.result.stderr).toMatch(/Error: make build of boundary v0\.5\.1 left no boundary binary in \S+boundary-src; check that boundary_version builds with `make build`/);
    expect(await run.moduleFiles()).not.toContain('boundary-src');
  });

  it.skipIf(!hasCommand('wget'))('downloads the release install script with wget when curl is missing (needs wget)', async ({ expect, onTestFinished }) => {
    const run = await startWith(onTestFinished, {
      hideTools: ['curl'],
      settings: { enable: true, directly: true, version: 'v0.3.0' },
      env: { FAKE_UID: '0' },
    });
    expect(run.result.stderr).toBe('');
    expect(run.result.exitCode).toBe(0);
    expect((await run.calls())[0]).toBe('install.sh [--version] [v0.3.0]');
    expect(run.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe(run.wrapper);
  });

  it('names BOUNDARY_CONFIG when it is there, and warns when it is not', async ({ expect, onTestFinished }) => {
    const present = await startWith(onTestFinished, { settings: { enable: true }, env: { BOUNDARY_CONFIG: '/etc/hostname' } });
    expect(present.result.exitCode).toBe(0);
    expect(present.result.stdout).toContain('boundary reads its configuration from /etc/hostname');
    const missing = await startWith(onTestFinished, { settings: { enable: true }, env: { BOUNDARY_CONFIG: '/nonexistent/boundary.yaml' } });
    expect(missing.result.exitCode).toBe(0);
    expect(missing.result.stderr).toContain('Warning: BOUNDARY_CONFIG names /nonexistent/boundary.yaml, which does not exist yet');
  });

  it.skipIf(!hasCommand('busybox'))('with only busybox applets: the coder way works, the release way says bash is missing, a hanging build is stopped (needs busybox)', async ({ expect, onTestFinished }) => {
    const busybox = shellByName('busybox');
    const coder = await startWith(onTestFinished, { shell: busybox, toolbox: 'busybox', settings: { enable: true } });
    expect(coder.result.stderr).toBe('');
    expect(coder.result.exitCode).toBe(0);
    expect(coder.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe(coder.wrapper);
    const release = await startWith(onTestFinished, { shell: busybox, toolbox: 'busybox', settings: { enable: true, directly: true } });
    expect(release.result.exitCode).toBe(1);
    expect(release.result.stderr).toContain("Error: bash is not installed; boundary's release install script is a bash script");
    // BusyBox timeout exits 143, not 124, when it stops a step.
    const hang = await startWith(onTestFinished, {
      shell: busybox,
      toolbox: 'busybox',
      settings: { enable: true, compile: true, version: 'v0.5.1' },
      env: { FAKE_MAKE: 'hang', FAKE_UID: '0', ARG_BOUNDARY_STEP_SECONDS: '1' },
    });
    expect(hang.result.exitCode).toBe(1);
    expect(hang.result.stderr).toContain('Error: make build of boundary v0.5.1 did not finish within 1 s');
  });
});
