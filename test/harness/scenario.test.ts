import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { TIME_MARGIN_MS } from '../../src/conformance/universal-checks.ts';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatSkips } from '../../src/conformance/report-failures.ts';
import { formatTable } from '../../src/conformance/report-table.ts';
import { redactToken, runScenario, TOKEN_REDACTED } from '../../src/conformance/scenario.ts';
import { scenarioByName, SCENARIOS } from '../../src/conformance/scenarios.ts';
import { shellByName } from '../../src/agent-simulation/shells.ts';
import { runCli, runCliAs } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

const fixtures = resolve(import.meta.dirname, 'fixtures');

describe('scenario list', () => {
  it('has unique names and short names', () => {
    expect(new Set(SCENARIOS.map((scenario) => scenario.name)).size).toBe(SCENARIOS.length);
    expect(new Set(SCENARIOS.map((scenario) => scenario.short)).size).toBe(SCENARIOS.length);
  });

  it('finds scenarios by name or short name and lists valid names otherwise', () => {
    expect(scenarioByName('off').name).toBe('snapshot-disabled');
    expect(scenarioByName('happy-path').short).toBe('ok');
    expect(() => scenarioByName('nope')).toThrow(/unknown scenario "nope"; valid scenarios: happy-path, /);
  });
});

describe.skipIf(!hasCommand('dash'))('the harness catches a bad script (needs dash)', () => {
  const dash = shellByName('dash');

  it('reports a leaked token, a missing upload and an AgentAPI left running, in words', async () => {
    const result = await runScenario(scenarioByName('happy-path'), dash, 'full', { scriptPath: join(fixtures, 'leaks-token.sh') });
    expect(result.passed).toBe(false);
    expect(result.failures).toContain('token-in-output: the agent token appears in the output');
    expect(result.failures).toContain('upload-count: coderd saw 0 snapshot upload(s) (statuses: none), expected 1');
    expect(result.failures).toContain('snapshot-stored: coderd stored no snapshot');
    expect(result.failures).toContain('sigterm: AgentAPI never got SIGTERM');
    expect(result.failures.some((failure) => failure.startsWith('log-line: missing /Sending SIGTERM to AgentAPI'))).toBe(true);
  });

  it('never prints a leaked token: the output in the result shows REDACTED', async () => {
    const result = await runScenario(scenarioByName('happy-path'), dash, 'full', { scriptPath: join(fixtures, 'leaks-token.sh') });
    expect(result.failures).toContain('token-in-output: the agent token appears in the output');
    expect(result.output).toContain(`debug: token is ${TOKEN_REDACTED}\n`);
  });

  it.skipIf(!hasCommand('curl'))('returns what the mocks saw and what coderd stored (the real script, happy path) (needs curl)', async () => {
    const result = await runScenario(scenarioByName('happy-path'), dash, 'full');
    expect(result.failures).toEqual([]);
    expect(result.requests.agentapi).toEqual([{ method: 'GET', path: '/messages', at: expect.any(Number) }]);
    expect(result.requests.coderd).toHaveLength(1);
    expect(result.requests.coderd[0]).toMatchObject({ method: 'POST', query: { format: ['agentapi'] }, status: 204, hasSessionToken: true });
    expect(result.requests.coderd[0]?.path).toMatch(/\/api\/v2\/workspaceagents\/me\/tasks\/[0-9a-f-]{36}\/log-snapshot$/);
    expect(result.snapshot?.format).toBe('agentapi');
    const stored = (result.snapshot?.data as { messages: Array<{ id: number }> }).messages;
    expect(stored.map((message) => message.id)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(Buffer.byteLength(result.snapshot?.rawBody ?? '')).toBe(result.requests.coderd[0]?.bodyBytes);
  });

  it.skipIf(!hasCommand('curl'))('returns an unanswered upload with status null, and no snapshot as null (both survive JSON) (needs curl)', async () => {
    const result = await runScenario(scenarioByName('coderd-reset-then-ok'), dash, 'full');
    expect(result.failures).toEqual([]);
    expect(result.requests.coderd.map((request) => request.status)).toEqual([null, 204]);
    const off = await runScenario(scenarioByName('snapshot-disabled'), dash, 'full');
    expect(JSON.parse(JSON.stringify(off))).toMatchObject({ requests: { coderd: [], agentapi: [] }, snapshot: null });
  });

  it('reports a script that hangs instead of waiting for it', async () => {
    const result = await runScenario(scenarioByName('snapshot-disabled'), dash, 'full', { scriptPath: join(fixtures, 'hangs.sh'), timeoutMs: 1500 });
    expect(result.passed).toBe(false);
    // Snapshot deadline 5 s + terminate wait 2 s (the defaults) + the stated margin.
    const bound = (7000 + TIME_MARGIN_MS) / 1000;
    expect(result.failures).toContainEqual(expect.stringMatching(new RegExp(`^time-bound: still running after .* s and killed; the bound is ${bound} s$`)));
    expect(result.failures).toContainEqual(expect.stringMatching(/^exit-status: exit status none \(killed by SIGKILL\)/));
  });

  it('passes a script that does what the scenario asks', async () => {
    const result = await runScenario(scenarioByName('snapshot-disabled'), dash, 'full', { scriptPath: join(fixtures, 'minimal-ok.sh') });
    expect(result.failures).toEqual([]);
    expect(result.passed).toBe(true);
  });

  it('draws a table of scenarios by toolboxes, naming the shells a cell failed under', async () => {
    const scenario = scenarioByName('snapshot-disabled');
    const ok = await runScenario(scenario, dash, 'full', { scriptPath: join(fixtures, 'minimal-ok.sh') });
    const bad = await runScenario(scenario, dash, 'no-jq', { scriptPath: join(fixtures, 'leaks-token.sh') });
    const table = formatTable({ results: [ok, bad], passed: 1, failed: 1, skipped: 0, durationMs: 0 }, [scenario], { fancy: false, width: 80 });
    expect(table.split('\n')).toEqual([
      'A row per scenario, a column per toolbox; a cell is ok when the scenario passed',
      'under every shell: dash.',
      '',
      'scenario           full  no-jq',
      'snapshot-disabled  ok    FAIL dash',
    ]);
  });
});

describe('the conformance report', () => {
  it('marks scenarios that do not apply as skip and names each once with its reason', () => {
    const base = { shell: 'dash', toolbox: 'full' as const, durationMs: 0, exitCode: 0, output: '', requests: { coderd: [], agentapi: [] }, snapshot: null, failures: [] };
    const results = [
      { ...base, scenario: 'task-id-variable', passed: true, skipped: 'needs a module generated with taskIdSource = "variable"' },
      { ...base, scenario: 'happy-path', passed: true },
    ];
    const report = { results, passed: 1, failed: 0, skipped: 1, durationMs: 0 };
    const scenarios = [scenarioByName('task-id-variable'), scenarioByName('happy-path')];
    expect(formatTable(report, scenarios, { fancy: false, width: 80 }).split('\n').slice(3)).toEqual(['scenario          full', 'task-id-variable  skip', 'happy-path        ok']);
    expect(formatSkips(report)).toBe('skipped task-id-variable: needs a module generated with taskIdSource = "variable"');
  });
});

describe('redactToken', () => {
  it('replaces the token in strings and inside objects, and leaves other values alone', () => {
    const token = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';
    expect(redactToken(`x ${token} y ${token}`, token)).toBe('x REDACTED y REDACTED');
    expect(redactToken({ a: [{ path: `/p?t=${token}` }], n: 1 }, token)).toEqual({ a: [{ path: '/p?t=REDACTED' }], n: 1 });
    const clean = { a: 'nothing here' };
    expect(redactToken(clean, token)).toBe(clean);
    expect(redactToken(null, token)).toBeNull();
  });
});

describe('conformance CLI', () => {
  it('rejects an unknown shell with exit 2, naming the valid ones', () => {
    const result = runCli(['conformance', '--shells', 'dash,tcsh']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('unknown shell "tcsh"; valid shells: dash, bash, bash-posix, busybox, mksh, yash, zsh, ksh, posh');
  });

  it('rejects an unknown toolbox or scenario with exit 2', () => {
    expect(runCli(['conformance', '--toolboxes', 'full,tiny']).stderr).toContain('unknown toolbox "tiny"; valid toolboxes: full, no-jq, busybox');
    expect(runCli(['conformance', '--toolboxes', 'tiny']).status).toBe(2);
    const scenario = runCli(['conformance', '--scenarios', 'nope']);
    expect(scenario.status).toBe(2);
    expect(scenario.stderr).toContain('unknown scenario "nope"');
    expect(runCli(['conformance', '--script', join(fixtures, 'does-not-exist.sh')]).status).toBe(2);
  });

  it('rejects a --script that is a directory or not a regular file with exit 2', () => {
    const dir = runCli(['conformance', '--script', fixtures]);
    expect(dir.status).toBe(2);
    expect(dir.stderr.split('\n')[0]).toBe(`Error: --script: ${fixtures} is a directory, not a script`);
    const device = runCli(['conformance', '--script', '/dev/null']);
    expect(device.status).toBe(2);
    expect(device.stderr.split('\n')[0]).toBe('Error: --script: /dev/null is not a regular file');
  });

  // Root reads every file, so as root the CLI runs as nobody (setpriv, util-linux) to meet an unreadable one.
  const asRoot = process.getuid?.() === 0;
  it.skipIf(asRoot && !hasCommand('setpriv'))('rejects an unreadable --script with exit 2 (as root: needs setpriv)', async () => {
    // nobody must reach the file: the run's own TMPDIR is private, /tmp is not.
    const dir = await mkdtemp(join(asRoot ? '/tmp' : tmpdir(), 'agentapi-kit-unreadable-'));
    try {
      const script = join(dir, 'secret.sh');
      await writeFile(script, 'echo hi\n', { mode: 0o000 });
      await chmod(dir, 0o755);
      const result = asRoot
        ? runCliAs(['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups'], ['conformance', '--script', script])
        : runCli(['conformance', '--script', script]);
      expect(result.status).toBe(2);
      expect(result.stderr.split('\n')[0]).toBe(`Error: --script: ${script} is not readable`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!hasCommand('dash'))('exits 1 with a table and the failures in words when a run fails (needs dash)', () => {
    const result = runCli(['conformance', '--script', join(fixtures, 'leaks-token.sh'), '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'off,ok']);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^scenario\s+full$/m);
    expect(result.stdout).toMatch(/^snapshot-disabled\s+FAIL dash$/m);
    expect(result.stdout).toMatch(/^happy-path\s+FAIL dash$/m);
    expect(result.stdout).toContain('0 passed, 2 failed, 0 skipped');
    expect(result.stdout).toContain('- token-in-output: the agent token appears in the output');
  });

  it.skipIf(!hasCommand('dash'))('exits 0 and reports JSON when every run passes (needs dash)', () => {
    const result = runCli(['conformance', '--script', join(fixtures, 'minimal-ok.sh'), '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'off', '--json-full']);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout) as { report: string; passed: number; failed: number; results: Array<{ scenario: string; shell: string; passed: boolean }> };
    expect(report).toMatchObject({ report: 'full', passed: 1, failed: 0 });
    expect(report.results[0]).toMatchObject({ scenario: 'snapshot-disabled', shell: 'dash', passed: true, requests: { coderd: [], agentapi: [] }, snapshot: null });
    // Without a terminal: a line per finished shell on stderr, so a CI log shows progress.
    expect(result.stderr).toMatch(/^conformance: shell dash done: 1 runs, 0 failed, 0 skipped \(1\/1 overall, \d+ s\)$/m);
  });

  it.skipIf(!hasCommand('dash') || !hasCommand('curl'))('puts the requests the mocks saw and the stored snapshot into --json-full (needs dash, curl)', () => {
    const result = runCli(['conformance', '--shells', 'dash', '--toolboxes', 'full', '--scenarios', 'ok', '--json-full']);
    expect(result.status).toBe(0);
    const [run] = (JSON.parse(result.stdout) as { results: Array<{ requests: { coderd: Array<{ method: string; status: number }>; agentapi: Array<{ path: string }> }; snapshot: { format: string; rawBody: string } }> }).results;
    expect(run?.requests.coderd.map((request) => [request.method, request.status])).toEqual([['POST', 204]]);
    expect(run?.requests.agentapi.map((request) => request.path)).toEqual(['/messages']);
    expect(run?.snapshot.format).toBe('agentapi');
    expect(JSON.parse(run?.snapshot.rawBody ?? '{}')).toMatchObject({ messages: expect.any(Array) });
  });
});
