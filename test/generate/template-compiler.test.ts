import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateCompiler } from '../../src/generate/handlebars-env.ts';

describe('the template compiler', () => {
  let partials: string;
  beforeAll(async () => {
    partials = join(await mkdtemp(join(tmpdir(), 'agentapi-kit-compiler-')), 'partials');
    await mkdir(partials);
    await writeFile(join(partials, 'greeting.hbs'), 'hello {{name}}');
  });
  afterAll(() => rm(join(partials, '..'), { recursive: true, force: true }));

  it('compiles a template once per process for the same partials', async () => {
    const first = await templateCompiler(partials);
    const again = await templateCompiler(partials);
    expect(again).toBe(first);
    expect(again.compile('{{> greeting}}!')).toBe(first.compile('{{> greeting}}!'));
    expect(first.compile('{{> greeting}}!')({ name: 'world' })).toBe('hello world!');
  });

  it('never serves an edited partial stale', async () => {
    const before = await templateCompiler(partials);
    await writeFile(join(partials, 'greeting.hbs'), 'goodbye {{name}}');
    const after = await templateCompiler(partials);
    expect(after).not.toBe(before);
    expect(after.compile('{{> greeting}}!')({ name: 'world' })).toBe('goodbye world!');
  });
});
