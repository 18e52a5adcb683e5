import { parse } from '@cdktf/hcl2json';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readAgentapiInterface } from '../../src/agents/pass-through.ts';
import { packageRoot } from '../../src/generate/paths.ts';
import { textCache } from '../../src/generate/text-cache.ts';

const mainTf = readFileSync(join(packageRoot, 'modules/agentapi/main.tf'), 'utf8');

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

describe("the agent modules' parse of agentapi's main.tf", () => {
  const parseCache = textCache('hcl2json', '@cdktf/hcl2json');
  // A text no generate renders, so the planted entry cannot mislead a real run (afterAll removes it).
  const planted = `${mainTf}# planted\n`;
  afterAll(() => rmSync(parseCache.entryPath('agentapi-main.tf'), { force: true }));

  it('reads the same interface from the cache as from the parser', async () => {
    process.env.AGENTAPI_KIT_NO_FORMAT_CACHE = '1';
    let uncached;
    try {
      uncached = await readAgentapiInterface(mainTf);
    } finally {
      delete process.env.AGENTAPI_KIT_NO_FORMAT_CACHE;
    }
    await readAgentapiInterface(mainTf);
    expect(parseCache.get('agentapi-main.tf', mainTf)).toBeDefined();
    expect(await readAgentapiInterface(mainTf)).toEqual(uncached);
  });

  it('takes a hit from the cache without parsing again', async () => {
    const parsed = (await parse('main.tf', mainTf)) as { terraform: Array<{ required_providers: Array<{ coder: { version: string } }> }> };
    parsed.terraform[0]!.required_providers[0]!.coder.version = '>= 9.9';
    parseCache.set('agentapi-main.tf', planted, JSON.stringify(parsed));
    expect((await readAgentapiInterface(planted)).coderVersion).toBe('>= 9.9');
  });
});
