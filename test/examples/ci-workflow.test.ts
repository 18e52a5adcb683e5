// The workflow is checked without a YAML parser (no new dependency): its key lines by regex, and the
// conformance flags it and the README use against the real CLI's options.
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.ts';
import { SHELLS } from '../../src/harness/shells.ts';

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

  it('installs with apk on alpine and apt-get on debian and ubuntu', () => {
    expect(workflow).toMatch(/apk add --no-cache nodejs npm /);
    expect(workflow).toMatch(/apt-get install -y/);
    expect(workflow).toMatch(/actions\/setup-node@v\d/);
  });

  it('checks out, installs, runs conformance with --json and uploads its output', () => {
    const order = ['actions/checkout@', 'npm ci', 'npx agentapi-kit conformance', 'actions/upload-artifact@'].map((needle) => workflow.indexOf(needle));
    expect(order.every((index) => index >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(workflow).toMatch(/npx agentapi-kit conformance .*--json > conformance\.json/);
    expect(workflow).toMatch(/path: conformance\.json/);
    // The artifact is wanted most when conformance failed.
    expect(workflow).toMatch(/- name: Upload results\n\s+if: always\(\)/);
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
});
