// cdktf and constructs are optional peers: only src/cdktf (and the example and tests) may import them.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importedSpecifiers } from '../support/imports.ts';

const REPO = resolve(import.meta.dirname, '../..');

/** Module specifiers that need the optional peers: cdktf, constructs, provider bindings, or src/cdktf itself. */
const PEER = /^(cdktf|constructs|@cdktf\/provider-[^/]+)(\/.*)?$|(^|\/)cdktf(\/|\/index\.ts$|$)/;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile() && /\.(ts|mts|cts|js|mjs|cjs)$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('cdktf stays an optional peer', () => {
  it('the scanner sees every import form', () => {
    const sample = [
      "import { App } from 'cdktf';",
      'import type { Construct } from "constructs";',
      "export { x } from '@cdktf/provider-null/lib/resource/index.js';",
      "const m = await import('../cdktf/index.ts');",
      "const c = require('cdktf');",
      "import 'constructs';",
      "import { parse } from '@cdktf/hcl2json';",
    ].join('\n');
    const found = importedSpecifiers(sample);
    expect(found.filter((specifier) => PEER.test(specifier)).sort()).toEqual(
      ['cdktf', 'constructs', '@cdktf/provider-null/lib/resource/index.js', '../cdktf/index.ts', 'cdktf', 'constructs'].sort(),
    );
    expect(found).toContain('@cdktf/hcl2json');
  });

  it('nothing in src/ outside src/cdktf, nor bin/, imports cdktf, constructs or src/cdktf', async () => {
    const files = [...(await sourceFiles(join(REPO, 'src'))), ...(await sourceFiles(join(REPO, 'bin')))].filter(
      (file) => !relative(REPO, file).split('\\').join('/').startsWith('src/cdktf/'),
    );
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      for (const specifier of importedSpecifiers(await readFile(file, 'utf8'))) {
        if (PEER.test(specifier)) offenders.push(`${relative(REPO, file)} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('src/cdktf does import them (so the scan above is looking at real imports)', async () => {
    const text = await readFile(join(REPO, 'src/cdktf/agentapi-module.ts'), 'utf8');
    expect(importedSpecifiers(text).filter((specifier) => PEER.test(specifier)).sort()).toEqual(['cdktf', 'constructs']);
  });
});
