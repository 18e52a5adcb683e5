/**
 * Boundary in the start script under every POSIX shell of the matrix, with stand-ins for coder,
 * git, make, sudo, id and the release install script (test/fixtures/boundary) that record how they
 * were called: each of the three ways, the wrapper, the prefix reaching the user's start script,
 * each failure with its message and a failed start, and a second start after a failed one.
 */
import { spawnSync } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe } from 'vitest';
import { absoluteArgv, SHELLS, SYSTEM_PATH } from '../../src/agent-simulation/shells.ts';
import { tieredIt } from '../support/tier.ts';
import { type DownloadServer, startDownloadServer } from '../support/start-script.ts';
import { AWKWARD_ARGS, BOUNDARY_FIXTURES, expectedWrapper, PRINT_ARGS, runBoundarySetup, runBoundaryStart, type ScriptServer, startInstallScriptServer } from '../support/boundary.ts';
import { CODER, COMPILE, FAILURES, RELEASE, REPO } from '../support/boundary-failures.ts';
import { hasCommand } from '../support/commands.ts';

let downloads: DownloadServer;
let scripts: ScriptServer;
beforeAll(async () => {
  [downloads, scripts] = await Promise.all([startDownloadServer(), startInstallScriptServer()]);
});
afterAll(async () => {
  await Promise.all([downloads.close(), scripts.close()]);
});

/** The AgentAPI the start script ran through the wrapper: what the wrapped command line must be. */
function agentapiLine(port: number): string {
  return `[agentapi] [server] [--port] [${port}] [--] [claude]`;
}

for (const shell of SHELLS) {
  describe.skipIf(!shell.available || !hasCommand('curl')).concurrent(`boundary under ${shell.name} (needs ${shell.argv[0]}, curl)`, () => {
    // npm test: each test under dash and one other shell in turn; CI's full step: every shell.
    const it = tieredIt(shell, SHELLS);
    it('default way: coder boundary through coder-no-caps; AgentAPI runs through the wrapper, which keeps every argument intact', async ({ expect, onTestFinished }) => {
      const run = await runBoundaryStart({ ctx: { onTestFinished }, shell, downloads, scripts, settings: CODER });
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode).toBe(0);
      expect(run.result.stdout).toContain(`Boundary wrapper configured: ${run.wrapper}`);
      expect(await run.calls()).toEqual(['coder [boundary] [--help]', `coder-no-caps [boundary] [--] ${agentapiLine(run.port)}`]);
      const copy = join(run.moduleDir, 'coder-no-caps');
      expect(await readFile(copy, 'utf8')).toBe(await readFile(join(BOUNDARY_FIXTURES, 'coder'), 'utf8'));
      expect((await stat(copy)).mode & 0o777).toBe(0o755);
      expect(await readFile(run.wrapper, 'utf8')).toBe(expectedWrapper(`'${copy}' boundary`));
      expect(run.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe(run.wrapper);
      expect(run.record?.argv).toEqual(['--port', String(run.port), '--', 'claude']);
      // Nothing half-written is left next to them.
      expect((await run.moduleFiles()).filter((name) => name.includes('.tmp.'))).toEqual([]);
      // The wrapper, run by this shell, hands every argument to boundary intact.
      const [bin, ...flags] = absoluteArgv(shell);
      const wrapped = spawnSync(bin as string, [...flags, run.wrapper, ...PRINT_ARGS, ...AWKWARD_ARGS], { encoding: 'utf8', env: { PATH: SYSTEM_PATH, HOME: run.home } });
      expect(wrapped.stderr).toBe('');
      expect(JSON.parse(wrapped.stdout)).toEqual(AWKWARD_ARGS);
    });

    it('compile_boundary_from_source: clone, checkout, make build, install with sudo, clone removed', async ({ expect, onTestFinished }) => {
      const run = await runBoundaryStart({ ctx: { onTestFinished }, shell, downloads, scripts, settings: COMPILE });
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode).toBe(0);
      const src = join(run.moduleDir, 'boundary-src');
      const target = join(run.installDir, 'boundary');
      const calls = await run.calls();
      expect(calls.slice(0, 7)).toEqual([
        'sudo [-n] [true]',
        `git [clone] [--quiet] [${REPO}] [${src}]`,
        'git [checkout] [--quiet] [v0.5.1]',
        `git-cwd [${src}]`,
        'make [build]',
        `make-cwd [${src}]`,
        `sudo [-n] [mkdir] [-p] [${run.installDir}]`,
      ]);
      expect(calls.slice(7, 10).map((call) => call.replace(/\.boundary\.new\.\d+/g, '.boundary.new.PID'))).toEqual([
        `sudo [-n] [cp] [${src}/boundary] [${run.installDir}/.boundary.new.PID]`,
        `sudo [-n] [chmod] [755] [${run.installDir}/.boundary.new.PID]`,
        `sudo [-n] [mv] [-f] [${run.installDir}/.boundary.new.PID] [${target}]`,
      ]);
      expect(calls.slice(10)).toEqual([`boundary [--] ${agentapiLine(run.port)}`]);
      expect(await readFile(target, 'utf8')).toBe(await readFile(join(BOUNDARY_FIXTURES, 'boundary'), 'utf8'));
      expect(await readFile(run.wrapper, 'utf8')).toBe(expectedWrapper(`'${target}'`));
      expect(await run.moduleFiles()).not.toContain('boundary-src');
      expect(run.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe(run.wrapper);
    });

    it('use_boundary_directly: the release install script, downloaded and run for boundary_version', async ({ expect, onTestFinished }) => {
      const run = await runBoundaryStart({ ctx: { onTestFinished }, shell, downloads, scripts, settings: RELEASE, env: { FAKE_UID: '0' } });
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode).toBe(0);
      const target = join(run.installDir, 'boundary');
      // As root no sudo is asked for.
      expect(await run.calls()).toEqual(['install.sh [--version] [v0.3.0]', `install-dir [${run.installDir}]`, `boundary [--] ${agentapiLine(run.port)}`]);
      expect(await readFile(run.wrapper, 'utf8')).toBe(expectedWrapper(`'${target}'`));
      expect((await run.moduleFiles()).filter((name) => name.startsWith('boundary-install'))).toEqual([]);
      expect(run.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe(run.wrapper);
    });

    it('boundary off: the prefix is exported empty, no wrapper, no boundary tool called', async ({ expect, onTestFinished }) => {
      const run = await runBoundaryStart({
        ctx: { onTestFinished },
        shell,
        downloads,
        scripts,
        settings: { enable: false },
        // Set and empty, as agent modules expect (`${AGENTAPI_BOUNDARY_PREFIX+set}`).
        startScript: '[ "${AGENTAPI_BOUNDARY_PREFIX+set}" = set ] || exit 7\nexec agentapi server --port "$AGENTAPI_PORT" -- $AGENTAPI_BOUNDARY_PREFIX claude',
      });
      expect(run.result.stderr).toBe('');
      expect(run.result.exitCode).toBe(0);
      expect(run.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe('');
      expect(run.record?.argv).toEqual(['--port', String(run.port), '--', 'claude']);
      expect(await run.calls()).toEqual([]);
      expect(await run.moduleFiles()).not.toContain('boundary-wrapper.sh');
    });

    for (const failure of FAILURES) {
      it(`the boundary step fails, saying what to do, on ${failure.title}`, async ({ expect, onTestFinished }) => {
        const env = typeof failure.env === 'function' ? failure.env(scripts) : failure.env;
        const run = await runBoundarySetup({ ctx: { onTestFinished }, shell, scripts, settings: failure.settings, standIns: failure.standIns, env });
        expect(run.exitCode).toBe(1);
        if (typeof failure.message === 'string') expect(run.stderr).toContain(failure.message);
        else expect(run.stderr).toMatch(failure.message);
        expect(run.stdout).not.toContain('prefix=');
        // Nothing a second start could trip on is left.
        const files = await run.moduleFiles();
        expect(files.filter((name) => /boundary-wrapper|boundary-src|\.tmp\.|boundary-install/.test(name))).toEqual([]);
      });
    }

    it('a second start after a failed build works', async ({ expect, onTestFinished }) => {
      const first = await runBoundaryStart({ ctx: { onTestFinished }, shell, downloads, scripts, settings: COMPILE, env: { FAKE_MAKE: 'fail' } });
      expect(first.result.exitCode).toBe(1);
      const second = await runBoundaryStart({ ctx: { onTestFinished }, shell, downloads, scripts, settings: COMPILE, home: first.home });
      expect(second.result.stderr).toBe('');
      expect(second.result.exitCode).toBe(0);
      expect(second.record?.env.AGENTAPI_BOUNDARY_PREFIX).toBe(second.wrapper);
      expect((await second.calls()).at(-1)).toBe(`boundary [--] ${agentapiLine(second.port)}`);
    });
  });
}
