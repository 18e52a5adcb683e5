/**
 * vitest globalSetup: the whole run gets a TMPDIR of its own (workers and every process they start
 * inherit it), removed when the run ends however the tests ended, so nothing piles up in /tmp.
 * What tests left behind is named in a warning first, so a missing cleanup is noticed and fixed.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Left on purpose: caches shared by the run's processes (toolboxes, the variable-mode module named
 * by its content hash, tsx's) and cdktf Testing's outdirs, which cdktf never removes.
 */
const EXPECTED = [/^agentapi-kit-toolbox-/, /^agentapi-kit-variable-module-[0-9a-f]{16}$/, /^tsx-\d+$/, /^cdktf\.outdir\./];

export function leftBehind(root: string): string[] {
  return readdirSync(root).filter((name) => !EXPECTED.some((pattern) => pattern.test(name))).sort();
}

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const root = mkdtempSync(join(tmpdir(), 'agentapi-kit-vitest-'));
  process.env.TMPDIR = root;
  return () => {
    const left = leftBehind(root);
    if (left.length > 0) process.stderr.write(`Warning: tests left ${left.length} temporary file(s) or dir(s) behind (now removed): ${left.join(', ')}\n`);
    rmSync(root, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
