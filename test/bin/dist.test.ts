import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digestSources, freshDistEntry, PACKAGE_ROOT } from '../../bin/dist.mjs';

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

// `npm ci` builds dist (the `prepare` script); a source edited since then makes it stale, and the bin uses tsx.
describe.skipIf(freshDistEntry() === undefined)('the compiled CLI (needs a fresh `npm run build`)', () => {
  it('finds the templates from dist/cli/ and reproduces the committed module', () => {
    const entry = freshDistEntry() as string;
    const run = `import(${JSON.stringify(entry)}).then(async (m) => { process.exitCode = await m.main(['node', 'agentapi-kit', 'generate', '--check']); })`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', run], { cwd: PACKAGE_ROOT, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^Up to date: /);
    expect(result.status).toBe(0);
  });
});
