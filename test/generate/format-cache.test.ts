import { rmSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCache, formatHcl } from '../../src/generate/format-hcl.ts';

describe('the HCL format cache', () => {
  const name = `cache-test-${process.pid}.tf`;
  afterAll(() => rmSync(formatCache.entryPath(name), { force: true }));

  it('answers only for the exact text it was given, keeping the newest 4 texts per file name', () => {
    formatCache.set(name, 'a=1\n', 'a = 1\n');
    expect(formatCache.get(name, 'a=1\n')).toBe('a = 1\n');
    expect(formatCache.get(name, 'a=2\n')).toBeUndefined();
    for (const n of [1, 2, 3]) formatCache.set(name, `b=${n}\n`, `b = ${n}\n`);
    expect(formatCache.get(name, 'a=1\n')).toBe('a = 1\n');
    expect(formatCache.get(name, 'b=1\n')).toBe('b = 1\n');
    formatCache.set(name, 'b=4\n', 'b = 4\n');
    expect(formatCache.get(name, 'a=1\n')).toBeUndefined();
    expect([1, 2, 3, 4].map((n) => formatCache.get(name, `b=${n}\n`))).toEqual(['b = 1\n', 'b = 2\n', 'b = 3\n', 'b = 4\n']);
  });

  it('reads an entry file of the one-entry format earlier versions wrote', () => {
    writeFileSync(formatCache.entryPath(name), JSON.stringify({ key: 'not this text', result: 'x' }));
    expect(formatCache.get(name, 'a=1\n')).toBeUndefined();
    formatCache.set(name, 'a=1\n', 'a = 1\n');
    expect(formatCache.get(name, 'a=1\n')).toBe('a = 1\n');
  });

  it('stores what the formatter gives, and a hit is returned without formatting again', async () => {
    expect(await formatHcl('x   =   "y"\n', name)).toBe('x = "y"\n');
    expect(formatCache.get(name, 'x   =   "y"\n')).toBe('x = "y"\n');
    formatCache.set(name, 'q=1\n', 'from the cache\n');
    expect(await formatHcl('q=1\n', name)).toBe('from the cache\n');
  });
});
