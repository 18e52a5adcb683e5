import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import setup, { leftBehind } from '../support/setup/tmpdir.ts';

describe('the per-run TMPDIR (vitest globalSetup)', () => {
  const root = mkdtempSync(join(tmpdir(), 'agentapi-kit-tmpdir-test-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('names what tests left, not the caches kept on purpose', () => {
    const kept = ['agentapi-kit-toolbox-full-0-1234', 'agentapi-kit-variable-module-0123456789abcdef', 'tsx-0', 'cdktf.outdir.x1'];
    for (const name of [...kept, 'agentapi-kit-home-abc', 'agentapi-kit-variable-module-Ab3xYz']) mkdirSync(join(root, name));
    writeFileSync(join(root, 'stray.json'), '{}');
    expect(leftBehind(root)).toEqual(['agentapi-kit-home-abc', 'agentapi-kit-variable-module-Ab3xYz', 'stray.json']);
  });

  it('points TMPDIR at a fresh directory and removes it, with whatever is in it, at teardown', () => {
    const before = process.env.TMPDIR;
    const teardown = setup();
    const runDir = process.env.TMPDIR as string;
    try {
      expect(runDir).not.toBe(before);
      expect(tmpdir()).toBe(runDir);
      mkdirSync(join(runDir, 'cdktf.outdir.y'));
    } finally {
      teardown();
    }
    expect(process.env.TMPDIR).toBe(before);
    expect(() => leftBehind(runDir)).toThrow(/ENOENT/);
  });
});
