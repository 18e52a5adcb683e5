import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAND_OFF_COMMAND, handOffBody } from '../../src/contract/hand-off.ts';
import { EXAMPLE_REQUIRED_VARIABLES } from '../../src/agent-simulation/coder-script.ts';
import { runPool } from '../../src/conformance/pool.ts';
import { commandLine, runCoderScript, runShutdown, toolboxPath, toolboxTools } from '../../src/agent-simulation/run-script.ts';
import { installedShells, LOGIN_SHELLS, SHELLS, shellByName } from '../../src/agent-simulation/shells.ts';
import { hasCommand } from '../support/commands.ts';

const fixtures = resolve(import.meta.dirname, 'fixtures');
const variables = { ...EXAMPLE_REQUIRED_VARIABLES };
const dash = shellByName('dash');

describe('shells', () => {
  it('lists the matrix shells with how each is started', () => {
    expect(SHELLS.map((shell) => [shell.name, shell.argv])).toEqual([
      ['dash', ['dash']],
      ['bash', ['bash']],
      ['bash-posix', ['bash', '--posix']],
      ['busybox', ['busybox', 'sh']],
      ['mksh', ['mksh']],
      ['yash', ['yash']],
      ['zsh', ['zsh', '--emulate', 'sh']],
      ['ksh', ['ksh']],
      ['posh', ['posh']],
    ]);
    expect(LOGIN_SHELLS.map((shell) => shell.name)).toEqual(['bash', 'zsh', 'dash', 'busybox', 'fish']);
  });

  it('marks a shell available exactly when its binary is on PATH', () => {
    for (const shell of [...SHELLS, ...LOGIN_SHELLS]) expect(shell.available, shell.name).toBe(hasCommand(shell.argv[0] as string));
    expect(installedShells().every((shell) => shell.available)).toBe(true);
  });

  it('names the valid shells when asked for an unknown one', () => {
    expect(() => shellByName('tcsh')).toThrow('unknown shell "tcsh"; valid shells: dash, bash, bash-posix, busybox, mksh, yash, zsh, ksh, posh');
  });
});

describe('command line', () => {
  const body = handOffBody('agentapi-shutdown.sh', 'echo hi');

  it.skipIf(!hasCommand('bash'))('puts the matrix shell in place of /bin/sh and keeps the hand-off and its arguments (needs bash)', () => {
    const argv = commandLine(body, shellByName('bash-posix'));
    expect(argv.slice(1)).toEqual(['--posix', '-c', HAND_OFF_COMMAND, 'agentapi-shutdown.sh', 'ZWNobyBoaQ==']);
    expect(argv[0]).toMatch(/\/bash$/);
  });

  it('hands a login shell the body verbatim', () => {
    expect(commandLine(body, 'login:dash').slice(1)).toEqual(['-c', body]);
    expect(() => commandLine(body, 'login:csh')).toThrow(/valid login shells: bash, zsh, dash, busybox, fish/);
  });
});

describe.skipIf(!hasCommand('dash'))('runCoderScript (needs dash)', () => {
  it('gives the script only an agent-like environment, nothing from the parent', async () => {
    process.env.AGENTAPI_KIT_LEAK_CHECK = 'parent-secret';
    try {
      const result = await runCoderScript({
        resource: 'agentapi_shutdown',
        variables,
        shell: dash,
        toolbox: 'full',
        env: { CODER_AGENT_URL: 'http://127.0.0.1:1/', CODER_AGENT_TOKEN: 'tok' },
        scriptPath: join(fixtures, 'print-env.sh'),
      });
      expect(result.exitCode).toBe(0);
      const names = result.stdout
        .split('\n')
        .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
        .map((line) => line.slice(0, line.indexOf('=')));
      // dash itself adds PWD; everything else comes from the harness, as a Coder agent sets it, plus
      // the harness's own TMPDIR (one per run, checked for leftovers) and argv log (for the shims).
      expect(names.filter((name) => name !== 'PWD').sort()).toEqual([
        'CODER',
        'CODER_AGENT_TOKEN',
        'CODER_AGENT_URL',
        'CODER_SCRIPT_BIN_DIR',
        'CODER_SCRIPT_DATA_DIR',
        'CODER_WORKSPACE_AGENT_NAME',
        'CODER_WORKSPACE_NAME',
        'CONFORMANCE_ARGV_LOG',
        'CS_DISABLE_GETTING_STARTED_OVERRIDE',
        'HOME',
        'LANG',
        'PATH',
        'TMPDIR',
        'USER',
      ]);
      const value = (name: string) => result.stdout.split('\n').find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1);
      expect(value('LANG')).toBe('C.UTF-8');
      expect(value('CODER')).toBe('true');
      expect(value('CODER_WORKSPACE_NAME')).toBe('dev');
      expect(value('CODER_WORKSPACE_AGENT_NAME')).toBe('main');
      // agentscripts.go: <data dir>/coder-script-data/<log source id> and .../bin, the bin dir first on PATH.
      expect(value('CODER_SCRIPT_DATA_DIR')).toMatch(/\/coder-script-data\/[0-9a-f-]{36}$/);
      expect(value('CODER_SCRIPT_BIN_DIR')).toMatch(/\/coder-script-data\/bin$/);
      expect(value('PATH')?.split(':')[0]).toBe(value('CODER_SCRIPT_BIN_DIR'));
      expect(result.stdout).toContain('data dir exists, bin dir exists');
      expect(value('CODER_SCRIPT_DATA_DIR')?.startsWith(`${value('HOME')}/`)).toBe(false);
      expect(result.stdout).not.toContain('parent-secret');
      // The ARG_* inputs are shell variables of the eval'd text, not exported.
      expect(result.stdout).toContain('shell-var ARG_TASK_LOG_SNAPSHOT=true');
    } finally {
      delete process.env.AGENTAPI_KIT_LEAK_CHECK;
    }
  });

  it('hides named tools from any toolbox, the system PATH included (hideTools)', async () => {
    const result = await runShutdown({ variables, shell: dash, toolbox: 'full', hideTools: ['curl', 'wget'], scriptPath: join(fixtures, 'print-env.sh') });
    expect(result.stdout).toContain('lacks curl');
    expect(result.stdout).toContain('lacks wget');
    expect(result.stdout).toContain('has awk');
    expect(result.stdout).toContain(hasCommand('jq') ? 'has jq' : 'lacks jq');
    expect(toolboxPath('no-jq', ['curl'])).not.toBe(toolboxPath('no-jq'));
  });

  it.skipIf(!hasCommand('jq') || !hasCommand('curl'))('no-jq toolbox: curl but no jq (needs jq, curl)', async () => {
    const result = await runShutdown({ variables, shell: dash, toolbox: 'no-jq', scriptPath: join(fixtures, 'print-env.sh') });
    expect(result.stdout).toContain('lacks jq');
    expect(result.stdout).toContain('has curl');
    expect(result.stdout).toContain('has base64');
    expect(toolboxTools('no-jq')).not.toContain('jq');
  });

  it.skipIf(!hasCommand('busybox'))('busybox toolbox: only busybox applets, so no curl and no jq (needs busybox)', async () => {
    const result = await runShutdown({ variables, shell: dash, toolbox: 'busybox', scriptPath: join(fixtures, 'print-env.sh') });
    expect(result.stdout).toContain('lacks jq');
    expect(result.stdout).toContain('lacks curl');
    expect(result.stdout).toContain('has wget');
    const dir = toolboxPath('busybox');
    // Each applet is a shim that runs busybox with the applet's name first.
    for (const tool of toolboxTools('busybox')) expect(readFileSync(join(dir, tool), 'utf8')).toMatch(/\nexec '[^']*\/busybox' '[^']+' "\$@"\n$/);
  });

  it('records the argv of every external command the script starts, short-lived ones included', async () => {
    const result = await runShutdown({ variables, shell: dash, toolbox: 'full', scriptPath: join(fixtures, 'runs-commands.sh') });
    expect(result.exitCode).toBe(0);
    // base64 is the body's own hand-off; `true` is a builtin in dash; env starts printf from PATH.
    expect(result.commands.map((command) => command.name)).toEqual(['base64', 'env', 'printf', 'sleep']);
    expect(result.commands[1]).toEqual({ name: 'env', argv: 'printf %s\\n two\nlines' });
    // A builtin never reaches /proc, so it is not recorded.
    expect(result.commands.some((command) => command.argv.includes('builtin-echo'))).toBe(false);
  });

  it('gives each run its own TMPDIR and reports what the script left in it', async () => {
    const result = await runShutdown({ variables, shell: dash, toolbox: 'full', scriptPath: join(fixtures, 'leaves-temp.sh') });
    expect(result.stdout).toMatch(/^tmpdir .*agentapi-kit-agent-.*\/tmp$/m);
    expect(result.tmpLeftovers).toEqual(['left-behind.XXXXXX'.replace('XXXXXX', result.stdout.match(/left-behind\.(\w+)/)?.[1] ?? '?')]);
    const clean = await runShutdown({ variables, shell: dash, toolbox: 'full', scriptPath: join(fixtures, 'minimal-ok.sh') });
    expect(clean.tmpLeftovers).toEqual([]);
  });

  it('kills a script that does not finish, and what it started, at the timeout', async () => {
    const home = await mkdtemp(join(tmpdir(), 'agentapi-kit-run-test-'));
    try {
      const result = await runShutdown({ variables, shell: dash, toolbox: 'full', scriptPath: join(fixtures, 'hangs.sh'), timeoutMs: 1500, home });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBeNull();
      expect(result.signal).toBe('SIGKILL');
      expect(result.stdout).toContain('Shutting down AgentAPI');
      const child = Number(await readFile(join(home, 'child.pid'), 'utf8'));
      expect(await goneWithin(child, 5000)).toBe(true);
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });

  it('keeps stdout and stderr apart and interleaves them in arrival order', async () => {
    const result = await runShutdown({ variables, shell: dash, toolbox: 'full', scriptPath: join(fixtures, 'interleave.sh') });
    expect(result.stdout).toBe('out-1\nout-2\n');
    expect(result.stderr).toBe('err-1\n');
    expect(result.output).toBe('out-1\nerr-1\nout-2\n');
  });

  const logins = LOGIN_SHELLS.filter((shell) => shell.available);
  it.each(logins.map((shell) => shell.name))('login shell %s hands the body to /bin/sh intact', async (name) => {
    const result = await runShutdown({ variables, shell: `login:${name}`, toolbox: 'full', scriptPath: join(fixtures, 'print-env.sh') });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('shell-var ARG_TASK_LOG_SNAPSHOT=true');
  });
});

/** True once `pid` no longer runs (gone, or a zombie waiting to be reaped by init). */
async function goneWithin(pid: number, ms: number): Promise<boolean> {
  for (let waited = 0; waited <= ms; waited += 50) {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    if (stat === '' || /^\d+ \(.*\) Z/.test(stat)) return true;
    await new Promise((done) => setTimeout(done, 50));
  }
  return false;
}

describe('runPool', () => {
  it('keeps at most `limit` tasks in flight and returns results in input order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runPool([5, 1, 4, 2, 3, 0], 2, async (delay, index) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((done) => setTimeout(done, delay * 5));
      inFlight -= 1;
      return index * 10;
    });
    expect(results).toEqual([0, 10, 20, 30, 40, 50]);
    expect(peak).toBe(2);
  });

  it('rejects a pool size below one', async () => {
    await expect(runPool([1], 0, async (x) => x)).rejects.toThrow(/positive integer/);
  });
});
