import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { textCache } from '../../src/generate/text-cache.ts';

describe('the text cache', () => {
  const cache = textCache(`test-${process.pid}`, '@cdktf/hcl2json');
  afterAll(() => rmSync(join(cache.entryPath('x'), '..'), { recursive: true, force: true }));

  it('answers only for the exact text, the newest 4 texts per name, and not at all when switched off', () => {
    cache.set('x', 'one', 'ONE');
    cache.set('y', 'two', 'TWO');
    expect(cache.get('x', 'one')).toBe('ONE');
    expect(cache.get('x', 'two')).toBeUndefined();
    for (const text of ['three', 'four', 'five']) cache.set('x', text, text.toUpperCase());
    expect(cache.get('x', 'one')).toBe('ONE');
    cache.set('x', 'six', 'SIX');
    expect(cache.get('x', 'one')).toBeUndefined();
    expect(cache.get('x', 'three')).toBe('THREE');
    expect(cache.get('y', 'two')).toBe('TWO');
    process.env.AGENTAPI_KIT_NO_FORMAT_CACHE = '1';
    try {
      expect(cache.get('y', 'two')).toBeUndefined();
    } finally {
      delete process.env.AGENTAPI_KIT_NO_FORMAT_CACHE;
    }
  });
});
