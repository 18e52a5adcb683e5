// The README's config table of variable defaults is the model's own text.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { variableDefaultRows } from '../../src/config/reference.ts';

describe('README config reference', () => {
  it('lists every variable default with its built-in value and rule (paste variableDefaultRows() between the markers)', async () => {
    const readme = await readFile(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const section = /<!-- config-defaults:start -->\n([\s\S]*?)\n<!-- config-defaults:end -->/.exec(readme);
    expect(section, 'the config-defaults markers').not.toBeNull();
    expect(section?.[1]).toBe(variableDefaultRows());
  });
});
