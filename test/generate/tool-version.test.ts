import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolVersion } from '../../src/generate/text-cache.ts';

const ROOT = resolve(import.meta.dirname, '../..');

describe('toolVersion: the cache key names the tool version Node would load (sources)', () => {
  it('reads the installed version of a scoped tool through Node\'s resolution paths', () => {
    const installed = JSON.parse(readFileSync(resolve(ROOT, 'node_modules/@cdktf/hcl-tools/package.json'), 'utf8')).version as string;
    expect(toolVersion('@cdktf/hcl-tools')).toBe(installed);
  });

  it('is "unknown" for a tool that is not installed anywhere above', () => {
    expect(toolVersion('@agentapi-kit/no-such-tool')).toBe('unknown');
  });
});
