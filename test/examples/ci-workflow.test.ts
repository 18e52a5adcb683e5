// The workflow is checked without a YAML parser (no new dependency): its key lines by regex, and the
// conformance flags it and the README use against the real CLI's options.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';
import { formatJson } from '../../src/conformance/report-json.ts';
import { runScenario } from '../../src/conformance/scenario.ts';
import { scenarioByName } from '../../src/conformance/scenarios.ts';
import { findOnPath, shellByName, SHELLS } from '../../src/agent-simulation/shells.ts';

const CI_DIR = resolve(import.meta.dirname, '../../examples/ci');
const IMAGES = ['alpine:3.20', 'debian:bookworm-slim', 'ubuntu:24.04'];

async function conformanceFlags(): Promise<Set<string>> {
  const program = await buildProgram(['node', 'agentapi-kit', 'conformance']);
  const command = program.commands.find((candidate: Command) => candidate.name() === 'conformance');
  if (command === undefined) throw new Error('the CLI has no conformance command');
  return new Set(command.options.map((option) => option.long ?? ''));
}

/** Every `npx agentapi-kit conformance ...` invocation in a text, as its list of `--flags`. */
function conformanceInvocations(text: string): string[][] {
  return [...text.matchAll(/npx agentapi-kit conformance([^\n]*)/g)].map((match) => [...(match[1] ?? '').matchAll(/--[a-z-]+/g)].map((flag) => flag[0]));
}

describe('examples/ci/github-actions.yml', () => {
  let workflow: string;
  beforeAll(async () => {
    workflow = await readFile(join(CI_DIR, 'github-actions.yml'), 'utf8');
  });

  it('is plausible YAML: no tabs, two-space indentation, the workflow keys at the top level', () => {
    expect(workflow).not.toMatch(/\t/);
    const badIndent = workflow.split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#') && (line.length - line.trimStart().length) % 2 !== 0);
    expect(badIndent).toEqual([]);
    const topLevel = workflow.split('\n').filter((line) => /^[a-z]/.test(line)).map((line) => line.split(':')[0]);
    expect(topLevel).toEqual(['name', 'on', 'permissions', 'jobs']);
  });

  it('runs the job in a container of each matrix image', () => {
    const images = [...workflow.matchAll(/^\s+- image: (\S+)$/gm)].map((match) => match[1]);
    expect(images).toEqual(IMAGES);
    expect(workflow).toMatch(/container:\n\s+image: \$\{\{ matrix\.image \}\}/);
  });

  it('installs with the script the package ships, per image family, once npm ci has put it in node_modules; Node first (apk on alpine, setup-node on debian)', () => {
    const install = 'run: sh node_modules/agentapi-kit/examples/ci/install-tools.sh ${{ matrix.family }}';
    expect(workflow).toContain(install);
    const families = [...workflow.matchAll(/^\s+family: (\S+)$/gm)].map((match) => match[1]);
    expect(families).toEqual(['alpine', 'debian', 'debian']);
    const order = ['actions/checkout@', 'run: apk add --no-cache nodejs npm', 'actions/setup-node@', 'run: npm ci', install].map((needle) => workflow.indexOf(needle));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('runs only what the package ships: examples/ci/ is in package.json "files"', async () => {
    const pkg = JSON.parse(await readFile(resolve(CI_DIR, '../../package.json'), 'utf8')) as { files: string[] };
    expect(pkg.files).toContain('examples/ci');
  });

  it('checks out, installs, runs conformance with --json and --junit and uploads both reports', () => {
    const order = ['actions/checkout@', 'npm ci', 'npx agentapi-kit conformance', 'actions/upload-artifact@'].map((needle) => workflow.indexOf(needle));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(workflow).toMatch(/npx agentapi-kit conformance .*--junit conformance\.xml --json > conformance\.json/);
    expect(workflow).toMatch(/path: \|\n\s+conformance\.json\n\s+conformance\.xml\n/);
    // The artifact is wanted most when conformance failed.
    expect(workflow).toMatch(/- name: Upload results\n\s+if: always\(\)/);
  });

  it("the Summary step reads conformance's --json summary: each failed run with its promises, then the counts", () => {
    const script = /- name: Summary\n[\s\S]*?node -e '\n([\s\S]*?)\n\s*'\n/.exec(workflow)?.[1];
    expect(script).toBeDefined();
    const dir = mkdtempSync(join(tmpdir(), 'agentapi-kit-ci-summary-'));
    try {
      const run = { shell: 'dash', toolbox: 'full' as const, durationMs: 1, exitCode: 0, output: '', requests: { coderd: [], agentapi: [] }, snapshot: null };
      const report = {
        results: [
          { ...run, scenario: 'happy-path', passed: true, failures: [] },
          { ...run, scenario: 'coderd-429-then-ok', passed: false, failures: ['retries: no retry after 429', 'upload-count: coderd saw 1'] },
        ],
        passed: 1,
        failed: 1,
        skipped: 0,
        durationMs: 2,
      };
      writeFileSync(join(dir, 'conformance.json'), formatJson(report, 'summary'));
      const result = spawnSync(process.execPath, ['-e', script!], { cwd: dir, encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.stdout).toBe('FAIL coderd-429-then-ok under dash [full]: retries: no retry after 429; upload-count: coderd saw 1\n1 passed, 1 failed\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses only flags the conformance command has', async () => {
    const known = await conformanceFlags();
    const used = conformanceInvocations(workflow).flat();
    expect(used).toContain('--json');
    expect(used.filter((flag) => !known.has(flag))).toEqual([]);
  });

  it('lists only shells of the matrix', () => {
    const names = new Set(SHELLS.map((shell) => shell.name));
    const lists = [...workflow.matchAll(/^\s+shells: (\S+)$/gm)].map((match) => (match[1] ?? '').split(','));
    expect(lists).toHaveLength(IMAGES.length);
    expect(lists.flat().filter((name) => !names.has(name))).toEqual([]);
  });
});

describe('examples/ci/README.md', () => {
  it('shows local runs with and without docker using real flags and shells', async () => {
    const readme = await readFile(join(CI_DIR, 'README.md'), 'utf8');
    expect(readme).toContain('npx agentapi-kit conformance --shells dash,bash');
    expect(readme).toMatch(/docker run --rm -v "\$PWD":\/src/);
    const known = await conformanceFlags();
    expect(conformanceInvocations(readme).flat().filter((flag) => !known.has(flag))).toEqual([]);
    for (const code of ['| 0 |', '| 1 |', '| 2 |']) expect(readme).toContain(code);
  });

  it('runs the same install script and, for Alpine, the same shells as the workflow', async () => {
    const readme = await readFile(join(CI_DIR, 'README.md'), 'utf8');
    const workflow = await readFile(join(CI_DIR, 'github-actions.yml'), 'utf8');
    expect(readme).toContain('sh examples/ci/install-tools.sh alpine &&');
    expect(readme).toContain('sh examples/ci/install-tools.sh debian &&');
    const alpineShells = /image: alpine:3\.20\n(?:\s+\w+: \S+\n)*?\s+shells: (\S+)/.exec(workflow)?.[1];
    expect(alpineShells).toBeDefined();
    expect(readme).toContain(`npx agentapi-kit conformance --shells ${alpineShells}'`);
  });
});

describe('examples/ci/install-tools.sh, with apk and apt-get replaced by recorders', () => {
  const dir = mkdtempSync(join(tmpdir(), 'agentapi-kit-install-tools-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The package names the script asks for, with `node` present on PATH or not. */
  function installed(family: string, withNode: boolean): { status: number | null; packages: string[]; stderr: string } {
    const bin = mkdtempSync(join(dir, 'bin-'));
    const log = join(bin, 'calls');
    for (const tool of ['apk', 'apt-get', ...(withNode ? ['node'] : [])]) {
      writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >>"${log}"\n`);
      chmodSync(join(bin, tool), 0o755);
    }
    // PATH is the recorders alone: apart from them the script uses only sh builtins.
    const run = spawnSync('/bin/sh', [join(CI_DIR, 'install-tools.sh'), family], { env: { PATH: bin }, encoding: 'utf8' });
    const calls = run.status === 0 ? readFileSync(log, 'utf8') : '';
    const installLine = calls.split('\n').find((line) => / add | install /.test(line)) ?? '';
    return { status: run.status, packages: installLine.split(/\s+/).filter((word) => /^[a-z][a-z0-9.-]*$/.test(word)), stderr: run.stderr };
  }

  const workflowShells = (family: string): string[] => {
    const text = readFileSync(join(CI_DIR, 'github-actions.yml'), 'utf8');
    const match = new RegExp(`family: ${family}\\n\\s+shells: (\\S+)`).exec(text);
    return (match?.[1] ?? '').split(',');
  };

  it('alpine: curl, GNU wget (the wget package), jq and every shell the Alpine job lists; Node only when missing', () => {
    const bare = installed('alpine', false);
    expect(bare.status).toBe(0);
    expect(bare.packages).toEqual(expect.arrayContaining(['apk', 'add', 'curl', 'wget', 'jq', 'nodejs', 'npm']));
    const shells = workflowShells('alpine').map((name) => shellByName(name).argv[0]).filter((bin) => bin !== 'busybox');
    expect(bare.packages).toEqual(expect.arrayContaining(shells));
    expect(installed('alpine', true).packages).not.toContain('nodejs');
  });

  it('debian: curl, wget, jq and every shell the Debian and Ubuntu jobs list', () => {
    const result = installed('debian', true);
    expect(result.status).toBe(0);
    expect(result.packages).toEqual(expect.arrayContaining(['curl', 'wget', 'jq', ...new Set(workflowShells('debian').map((name) => shellByName(name).argv[0]))]));
  });

  it('an unknown family is a usage error', () => {
    const result = installed('gentoo', true);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/^usage: install-tools\.sh alpine\|debian/);
  });

  it.skipIf(findOnPath('shellcheck') === undefined)('passes shellcheck -s sh (needs shellcheck)', () => {
    const result = spawnSync('shellcheck', ['-s', 'sh', join(CI_DIR, 'install-tools.sh')], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});

// The closest this repository gets to the Alpine job without docker: BusyBox sh as /bin/sh, and either
// GNU wget (what `apk add wget` gives) or only BusyBox applets on PATH (a bare Alpine). musl is not covered.
const GNU_WGET = spawnSync('wget', ['--version'], { encoding: 'utf8' }).stdout?.startsWith('GNU Wget') ?? false;
describe.skipIf(!shellByName('busybox').available || !GNU_WGET)('the Alpine job, approximated (needs busybox and GNU wget)', () => {
  it.each([
    ['wget', 'full'],
    ['happy-path', 'busybox'],
    ['argv-opt-in', 'busybox'],
  ] as const)('%s passes under BusyBox sh with the %s toolbox', async (name, toolbox) => {
    const result = await runScenario(scenarioByName(name), shellByName('busybox'), toolbox);
    expect(result.failures, result.output).toEqual([]);
  });
});
