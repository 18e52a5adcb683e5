import { spawnSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTO_DIFF_MAX_LINES } from '../../src/cli/commands/generate.ts';
import { hasCommand } from '../support/commands.ts';
import { generateInProcess } from '../support/generate-run.ts';

let work: string;
let out: string;

beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'agentapi-kit-diff-'));
  out = join(work, 'mod');
  await generateInProcess({ out });
});

afterEach(async () => {
  await rm(work, { recursive: true, force: true });
});

async function editMainTf(edit: (text: string) => string): Promise<void> {
  const path = join(out, 'main.tf');
  await writeFile(path, edit(await readFile(path, 'utf8')));
}

describe('generate --check on a stale file (runGenerate in-process, from the sources)', () => {
  it('prints a unified diff on stdout by default when it is short, from the file to the templates', async () => {
    await editMainTf((text) => text.replace('variable "agent_id" {', 'variable "agent_id" {\n  # hand edit'));
    const result = await generateInProcess({ out, check: true }, work);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('  stale: main.tf\n');
    expect(result.stdout).toMatch(/^--- a\/mod\/main\.tf\n\+\+\+ b\/mod\/main\.tf\n@@ -\d+,7 \+\d+,6 @@\n/);
    expect(result.stdout).toContain('\n-  # hand edit\n');
    expect(result.stdout.split('\n').filter((line) => /^[-+][^-+]/.test(line))).toEqual(['-  # hand edit']);
  });

  it.skipIf(!hasCommand('git'))('is a patch: `git apply` of it makes --check pass (needs git)', async () => {
    await editMainTf((text) => text.replace(/default\s+= 3284/, 'default = 9999').replace('Capture last', 'Keep last'));
    const stale = await generateInProcess({ out, check: true }, work);
    expect(stale.status).toBe(1);
    const diff = stale.stdout;
    const applied = spawnSync('git', ['apply', '-p1', '-'], { cwd: work, input: diff, encoding: 'utf8' });
    expect(applied.stderr).toBe('');
    expect((await generateInProcess({ out, check: true })).status).toBe(0);
  });

  it('--no-diff prints none; the summary still names the file', async () => {
    await editMainTf((text) => `${text}# hand edit\n`);
    const result = await generateInProcess({ out, check: true, diff: false });
    expect([result.status, result.stdout, result.stderr.includes('stale: main.tf')]).toEqual([1, '', true]);
  });

  it(`holds back a diff over ${AUTO_DIFF_MAX_LINES} lines unless --diff asks for it`, async () => {
    await editMainTf((text) => text.replace(/^/gm, '# '));
    const quiet = await generateInProcess({ out, check: true });
    expect(quiet.stdout).toBe('');
    expect(quiet.stderr).toMatch(/\(the diff is \d+ lines; pass --diff to print it\)\n$/);
    const loud = await generateInProcess({ out, check: true, diff: true });
    expect(loud.stdout.split('\n').length).toBeGreaterThan(AUTO_DIFF_MAX_LINES);
  });

  it('shows no diff for an executable bit alone, and says so', async () => {
    await chmod(join(out, 'scripts/agentapi-start.sh'), 0o644);
    const result = await generateInProcess({ out, check: true, diff: true });
    expect([result.stdout, result.stderr.includes('stale: scripts/agentapi-start.sh (executable bit)')]).toEqual(['', true]);
  });
});
