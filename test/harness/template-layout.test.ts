import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseArgAssignments } from '../../src/agent-simulation/arg-assignments.ts';
import { commonAncestor, layOutTemplate, localModuleClosure, moduleKey } from '../../src/agent-simulation/template-layout.ts';

const made: string[] = [];
afterEach(async () => {
  for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tree(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'layout-test-'));
  made.push(root);
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

describe('laying a template out as Terraform resolves its local modules', () => {
  it('copies the template and each module it reaches, transitively, at the same relative paths', async () => {
    const root = await tree({
      'repo/examples/tpl/main.tf': 'module "codex" {\n  source = "../../modules/codex"\n}\n',
      'repo/examples/tpl/.terraform/modules/modules.json': '{}',
      'repo/examples/tpl/.terraform.lock.hcl': '# pinned hashes',
      'repo/examples/tpl/terraform.tfstate': '{}',
      'repo/modules/codex/main.tf': 'module "agentapi" {\n  source = "../agentapi"\n}\n',
      'repo/modules/agentapi/main.tf': 'variable "x" {}\n',
      'repo/modules/agentapi/scripts/agentapi-shutdown.sh': '#!/bin/sh\n',
      'repo/modules/unused/main.tf': '',
    });
    const work = await mkdtemp(join(tmpdir(), 'layout-work-'));
    made.push(work);
    const layout = await layOutTemplate(join(root, 'repo/examples/tpl'), work);
    expect(layout.templateDir).toBe(join(work, 'tree/examples/tpl'));
    expect((await readdir(join(work, 'tree'))).sort()).toEqual(['examples', 'modules']);
    expect((await readdir(join(work, 'tree/modules'))).sort()).toEqual(['agentapi', 'codex']);
    expect(await readdir(join(work, 'tree/modules/agentapi/scripts'))).toEqual(['agentapi-shutdown.sh']);
    // What Terraform left in the user's folder is not copied: a lock file would pin the real provider.
    expect(await readdir(layout.templateDir)).toEqual(['main.tf']);
  });

  it('follows ./ sources inside the template and leaves registry sources alone', async () => {
    const root = await tree({
      'tpl/main.tf': 'module "goose" {\n  source = "./modules/goose"\n}\nmodule "r" {\n  source  = "registry.coder.com/coder/agentapi/coder"\n  version = "2.4.0"\n}\n',
      'tpl/modules/goose/main.tf': 'module "agentapi" {\n  source = "../agentapi"\n}\n',
      'tpl/modules/agentapi/main.tf': '',
    });
    expect([...(await localModuleClosure(join(root, 'tpl')))].sort()).toEqual([join(root, 'tpl'), join(root, 'tpl/modules/agentapi'), join(root, 'tpl/modules/goose')]);
  });

  it('finds the deepest common directory and the modules.json key of a state address', () => {
    expect(commonAncestor(['/a/b/c', '/a/b/d/e', '/a/b'])).toBe('/a/b');
    expect(commonAncestor(['/x', '/y'])).toBe('/');
    expect(moduleKey('module.codex[0].module.agentapi')).toBe('codex.agentapi');
    expect(moduleKey('module.agentapi')).toBe('agentapi');
  });
});

describe('the ARG_* assignments in front of a script', () => {
  it("reads single-quoted values with '\\'' inside and across lines, and stops at the script", () => {
    const text = "ARG_A='it'\\''s'\nARG_B='line one\nline two'\nARG_C=''\n#!/bin/sh\nARG_D='not an input'\n";
    const { assignments, rest } = parseArgAssignments(text);
    expect(assignments).toEqual([
      { name: 'ARG_A', value: "it's" },
      { name: 'ARG_B', value: 'line one\nline two' },
      { name: 'ARG_C', value: '' },
    ]);
    expect(rest).toBe("#!/bin/sh\nARG_D='not an input'\n");
  });

  it('says which value is unterminated', () => {
    expect(() => parseArgAssignments("ARG_A='open\n")).toThrow(/unterminated value of ARG_A/);
  });
});
