import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCache, formatHcl } from '../../src/generate/format-hcl.ts';

describe('the HCL format cache', () => {
  const name = `cache-test-${process.pid}.tf`;
  afterAll(() => rmSync(formatCache.entryPath(name), { force: true }));

  it('answers only for the exact text it was given, one entry per file name', () => {
    formatCache.set(name, 'a=1\n', 'a = 1\n');
    expect(formatCache.get(name, 'a=1\n')).toBe('a = 1\n');
    expect(formatCache.get(name, 'a=2\n')).toBeUndefined();
    formatCache.set(name, 'b=1\n', 'b = 1\n');
    expect(formatCache.get(name, 'a=1\n')).toBeUndefined();
    expect(formatCache.get(name, 'b=1\n')).toBe('b = 1\n');
  });

  it('stores what the formatter gives, and a hit is returned without formatting again', async () => {
    expect(await formatHcl('x   =   "y"\n', name)).toBe('x = "y"\n');
    expect(formatCache.get(name, 'x   =   "y"\n')).toBe('x = "y"\n');
    formatCache.set(name, 'q=1\n', 'from the cache\n');
    expect(await formatHcl('q=1\n', name)).toBe('from the cache\n');
  });
});
