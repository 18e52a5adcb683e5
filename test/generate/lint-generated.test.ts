import { spawnSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { describe, expect, it } from 'vitest';
import { isPrettierFormatted } from '../../src/generate/format-prettier.ts';
import { hasCommand } from '../support/commands.ts';

const root = resolve(import.meta.dirname, '../..');

async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix) && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

describe('generated and example HCL', async () => {
  const tfFiles = [...(await filesUnder('modules', '.tf')), ...(await filesUnder('examples', '.tf'))];

  it('finds the module\'s main.tf', () => {
    expect(tfFiles.some((file) => file.endsWith('modules/agentapi/main.tf'))).toBe(true);
  });

  it.each(tfFiles)('%s parses with HashiCorp\'s HCL parser', async (file) => {
    await expect(parse(file, await readFile(file, 'utf8'))).resolves.toBeTypeOf('object');
  });
});

describe('generated shell scripts', async () => {
  const scripts = await filesUnder('modules', '.sh');

  it('include the start and shutdown scripts', () => {
    const names = scripts.map((file) => file.slice(file.indexOf('/modules/') + '/modules/'.length));
    expect(names).toContain('agentapi/scripts/agentapi-shutdown.sh');
    expect(names).toContain('agentapi/scripts/agentapi-start.sh');
  });

  it.skipIf(!hasCommand('shellcheck')).each(scripts)('%s passes shellcheck -s sh (needs shellcheck)', (file) => {
    const result = spawnSync('shellcheck', ['-s', 'sh', file], { encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  // The registry's style, not shfmt's tabs: its CI runs `prettier --check .` with prettier-plugin-sh.
  it.each(scripts)('%s is as prettier with prettier-plugin-sh formats it (2-space indentation)', async (file) => {
    expect(await isPrettierFormatted(await readFile(file, 'utf8'), file)).toBe(true);
  });
});
