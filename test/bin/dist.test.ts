import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestSources, freshDistEntry, PACKAGE_ROOT, REQUIRE_DIST_ENV, staleDistParts } from '../../bin/dist.mjs';
import { CLI } from '../support/cli.ts';

describe('freshDistEntry: the bin runs dist/cli/ only when it was built from the sources present now', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'agentapi-kit-dist-'));
    mkdirSync(join(root, 'src'));
    mkdirSync(join(root, 'dist', 'cli'), { recursive: true });
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 2;\n');
    writeFileSync(join(root, 'dist', 'cli', 'main.js'), 'export const main = () => 0;\n');
    const inputs = ['src/a.ts', 'src/b.ts'];
    writeFileSync(join(root, 'dist', 'cli', 'inputs.json'), JSON.stringify({ inputs, digest: digestSources(inputs, root) }));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    delete process.env.AGENTAPI_KIT_NO_DIST;
  });

  it('gives the entry of a build that matches its sources', () => {
    expect(freshDistEntry(root)).toBe(`file://${join(root, 'dist', 'cli', 'main.js')}`);
  });

  it('refuses a build whose source was edited since', () => {
    writeFileSync(join(root, 'src', 'b.ts'), 'export const b = 3;\n');
    expect(freshDistEntry(root)).toBeUndefined();
  });

  it('refuses a build whose source was deleted since', () => {
    unlinkSync(join(root, 'src', 'a.ts'));
    expect(freshDistEntry(root)).toBeUndefined();
  });

  it('refuses a build without its record of sources, or when told not to use dist', () => {
    process.env.AGENTAPI_KIT_NO_DIST = '1';
    expect(freshDistEntry(root)).toBeUndefined();
    delete process.env.AGENTAPI_KIT_NO_DIST;
    unlinkSync(join(root, 'dist', 'cli', 'inputs.json'));
    expect(freshDistEntry(root)).toBeUndefined();
  });
});

describe('staleDistParts: which parts of dist/ need `npm run build`', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'agentapi-kit-dist-parts-'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 1;\n');
    for (const part of ['cli', 'lib']) {
      mkdirSync(join(root, 'dist', part), { recursive: true });
      writeFileSync(join(root, 'dist', part, 'inputs.json'), JSON.stringify({ inputs: ['src/a.ts'], digest: digestSources(['src/a.ts'], root) }));
    }
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('none when the CLI and the library were both built from the sources present now', () => {
    expect(staleDistParts(root)).toEqual([]);
  });

  it('names the library alone when only dist/lib/ is missing', () => {
    rmSync(join(root, 'dist', 'lib'), { recursive: true });
    expect(staleDistParts(root)).toEqual(['dist/lib/']);
  });

  it('names both after a source they were built from changed', () => {
    writeFileSync(join(root, 'src', 'a.ts'), 'export const a = 2;\n');
    expect(staleDistParts(root)).toEqual(['dist/cli/', 'dist/lib/']);
  });
});

// The test run builds dist/ first (test/support/setup/build-dist.ts), so these never skip.
describe('the compiled CLI and library of this checkout', () => {
  it('are fresh: the run built them from the sources present now', () => {
    expect(staleDistParts()).toEqual([]);
    expect(process.env[REQUIRE_DIST_ENV]).toBe('1');
  });

  it('finds the templates from dist/cli/ and reproduces the committed module', () => {
    const entry = freshDistEntry() as string;
    const run = `import(${JSON.stringify(entry)}).then(async (m) => { process.exitCode = await m.main(['node', 'agentapi-kit', 'generate', '--check']); })`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', run], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Up to date: /);
    expect(result.status).toBe(0);
  });

  it('with AGENTAPI_KIT_REQUIRE_DIST=1 the bin never falls back to the sources: no usable dist is one Error line, exit 1', () => {
    const result = spawnSync(process.execPath, [CLI, '--help'], { env: { ...process.env, AGENTAPI_KIT_NO_DIST: '1', [REQUIRE_DIST_ENV]: '1' }, encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Error: dist/cli/ is missing or older than the sources, and ${REQUIRE_DIST_ENV}=1 forbids running the sources through tsx; run \`npm run build\`.\n`);
    expect(result.status).toBe(1);
  });

  it('without AGENTAPI_KIT_REQUIRE_DIST the bin falls back to the sources through tsx', () => {
    const result = spawnSync(process.execPath, [CLI, 'generate', '--check'], { cwd: PACKAGE_ROOT, env: { ...process.env, AGENTAPI_KIT_NO_DIST: '1', [REQUIRE_DIST_ENV]: '' }, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Up to date: /);
    expect(result.status).toBe(0);
  });
});
