/**
 * The registry's own CI checks (src/registry/registry-checks.ts: the prettier CLI from node_modules
 * with prettier-plugin-sh, terraform fmt, shellcheck with the registry's settings, its README rules)
 * on copies laid out as the registry holds modules: the four committed modules, a user's module made
 * from the `new-agent` starter spec through the CLI, and a module broken in each way the checks catch.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RegistryCheck, registryChecks } from '../../src/registry/registry-checks.ts';
import { runCli } from '../support/cli.ts';
import { hasCommand } from '../support/commands.ts';

const root = resolve(import.meta.dirname, '../..');
const MODULES = ['agentapi', 'aider', 'codex', 'goose'].map((name) => join(root, 'modules', name));
const hasShellcheck = hasCommand('shellcheck');
const hasTerraform = hasCommand('terraform');

function problemsOf(checks: RegistryCheck[], name: string): string[] {
  const check = checks.find((candidate) => candidate.name.startsWith(name));
  if (check === undefined) throw new Error(`no check ${name}`);
  return check.problems;
}

describe("the registry's CI checks on the four generated modules", () => {
  let checks: RegistryCheck[];
  beforeAll(async () => {
    checks = await registryChecks(MODULES, { namespace: 'agentapi-kit' });
  });

  it('prettier --check . (prettier 3 with prettier-plugin-sh) finds every file formatted', () => {
    expect(problemsOf(checks, 'prettier')).toEqual([]);
  });

  it('every README passes the README rules, its ```tf blocks in terraform fmt layout', () => {
    expect(problemsOf(checks, 'README')).toEqual([]);
  });

  it("no script turns on 'set -u' before sourcing a system file", () => {
    expect(problemsOf(checks, "'set -u'")).toEqual([]);
  });

  it.skipIf(!hasShellcheck)('shellcheck at warning severity with the registry settings finds nothing (needs shellcheck)', () => {
    expect(problemsOf(checks, 'shellcheck')).toEqual([]);
  });

  it.skipIf(!hasTerraform)('terraform fmt -check -recursive finds nothing (needs terraform)', () => {
    expect(problemsOf(checks, 'terraform fmt')).toEqual([]);
  });
});

describe('a user\'s module from the new-agent starter spec, through the CLI', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'agentapi-kit-registry-user-'));
    expect(runCli(['new-agent', 'my-agent'], { cwd: work }).status).toBe(0);
    const config = { agents: ['my-agent.yaml'], registry: { namespace: 'my-namespace', version: '1.0.0' } };
    await writeFile(join(work, 'agentapi-kit.config.json'), JSON.stringify(config));
    const generated = runCli(['generate'], { cwd: work });
    expect(generated.stderr).toBe('');
    expect(generated.status).toBe(0);
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('check-registry passes on agentapi and my-agent, and the README shows the registry source and version', async () => {
    const result = runCli(['check-registry'], { cwd: work });
    const expected = ['prettier --check .', "'set -u' after sourcing system files", 'README validation'];
    if (hasShellcheck) expected.push('shellcheck --severity=warning');
    if (hasTerraform) expected.push('terraform fmt -check -recursive');
    for (const name of expected) expect(result.stdout).toContain(`ok   ${name}\n`);
    if (hasShellcheck && hasTerraform) {
      expect(result.stdout).toMatch(/The registry's checks pass on 2 module\(s\)\.\n$/);
      expect(result.status).toBe(0);
    }
    const readme = await readFile(join(work, 'modules/my-agent/README.md'), 'utf8');
    expect(readme).toContain('  source   = "registry.coder.com/my-namespace/my-agent/coder"\n  version  = "1.0.0"\n');
    expect(readme).toContain('icon: ../../../../.icons/code.svg\n');
  });

  it('without a registry namespace, check-registry is a usage error naming the config field', async () => {
    const bare = join(work, 'bare');
    await cp(join(work, 'modules'), join(bare, 'modules'), { recursive: true });
    const result = runCli(['check-registry', 'modules/agentapi'], { cwd: bare });
    expect(result.stderr.split('\n')[0]).toBe('Error: no registry namespace: set "registry": {"namespace", "version"} in the config or pass --namespace');
    expect(result.status).toBe(2);
  });
});

describe('a module broken in each way the registry refuses', () => {
  let checks: RegistryCheck[];
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'agentapi-kit-registry-broken-'));
    const module = join(work, 'agentapi');
    await cp(MODULES[0]!, module, { recursive: true });
    const start = join(module, 'scripts/agentapi-start.sh');
    // shfmt's default style (tabs), which the registry's prettier check refuses.
    await writeFile(start, (await readFile(start, 'utf8')).replace(/^((?: {2})+)/gm, (spaces) => '\t'.repeat(spaces.length / 2)));
    const readme = join(module, 'README.md');
    await writeFile(readme, (await readFile(readme, 'utf8')).replace('\n# AgentAPI\n', '\n<!-- a note -->\n\n# AgentAPI\n'));
    await writeFile(join(module, 'scripts/extra.sh'), '#!/bin/sh\nset -eu\n. /etc/os-release\nrm -rf "$dir/"*\n');
    await writeFile(join(module, 'extra.tf'), 'locals {\n  a   =   1\n}\n');
    checks = await registryChecks([module], { namespace: 'me' });
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('prettier --check names the tab-indented script and nothing else', () => {
    expect(problemsOf(checks, 'prettier')).toEqual(['registry/me/modules/agentapi/scripts/agentapi-start.sh is not as prettier formats it (prettier --write fixes it)']);
  });

  it('the README rules name the comment before the title (and, as the registry does, then find no title section)', () => {
    expect(problemsOf(checks, 'README')).toEqual([
      'registry/me/modules/agentapi/README.md: the README body must start with its "# " title (nothing before it after the front matter)',
      'registry/me/modules/agentapi/README.md: the title section (before the first "## ") has no ```tf usage example',
      'registry/me/modules/agentapi/README.md: the title section has no paragraph of text',
    ]);
  });

  it("the 'set -u' check names the script that sources /etc/os-release after it", () => {
    expect(problemsOf(checks, "'set -u'")).toEqual(["registry/me/modules/agentapi/scripts/extra.sh: 'set -u' at line 2 comes before sourcing at line 3"]);
  });

  it.skipIf(!hasShellcheck)('shellcheck reports the warning of the unguarded rm -rf (needs shellcheck)', () => {
    expect(problemsOf(checks, 'shellcheck')).toEqual([expect.stringMatching(/^registry\/me\/modules\/agentapi\/scripts\/extra\.sh:4:\d+: warning: .*\[SC2115\]$/)]);
  });

  it.skipIf(!hasTerraform)('terraform fmt names the unformatted .tf (needs terraform)', () => {
    expect(problemsOf(checks, 'terraform fmt')).toEqual(['registry/me/modules/agentapi/extra.tf is not as terraform fmt formats it']);
  });
});
