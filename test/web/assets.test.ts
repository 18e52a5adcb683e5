import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { webAssetsDir } from '../../src/mocks/coderd/web/assets-dir.ts';
import { missingAssetMessage, readAsset, TASK_PAGE_FILE, WEB_ASSET_FILES } from '../../src/mocks/coderd/web/routes.ts';

const ASSETS = resolve(import.meta.dirname, '../../src/mocks/coderd/web/assets');

describe('the task page files (sources)', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'agentapi-kit-assets-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('the routes list exactly the files of assets/: a new file must be listed to be served', () => {
    expect([TASK_PAGE_FILE, ...WEB_ASSET_FILES].sort()).toEqual(readdirSync(ASSETS).sort());
  });

  it('are found from the package root wherever the code runs: the sources, dist/cli/, dist/lib/', () => {
    expect(webAssetsDir()).toBe(ASSETS);
    const root = resolve(import.meta.dirname, '../..');
    expect(webAssetsDir(pathToFileURL(join(root, 'dist/cli/chunk-X.js')).href)).toBe(ASSETS);
    expect(webAssetsDir(pathToFileURL(join(root, 'dist/lib/mocks/coderd/web/routes.js')).href)).toBe(ASSETS);
  });

  it('belong to the nearest package named agentapi-kit, not to another package around it', () => {
    const other = join(scratch, 'project');
    mkdirSync(join(other, 'node_modules/agentapi-kit/dist/cli'), { recursive: true });
    writeFileSync(join(other, 'package.json'), '{"name":"a-user-project"}');
    writeFileSync(join(other, 'node_modules/agentapi-kit/package.json'), '{"name":"agentapi-kit"}');
    const from = pathToFileURL(join(other, 'node_modules/agentapi-kit/dist/cli/main.js')).href;
    expect(webAssetsDir(from)).toBe(join(other, 'node_modules/agentapi-kit/src/mocks/coderd/web/assets'));
  });

  it('with no agentapi-kit package above, are looked for beside the code (the sources\' layout)', () => {
    mkdirSync(join(scratch, 'loose'), { recursive: true });
    expect(webAssetsDir(pathToFileURL(join(scratch, 'loose/routes.js')).href)).toBe(join(scratch, 'loose/assets'));
  });

  it('a file that is not there is reported by its path, and the message names it', () => {
    const dir = join(scratch, 'empty');
    mkdirSync(dir, { recursive: true });
    expect(readAsset('main.js', dir)).toEqual({ missing: join(dir, 'main.js') });
    expect(missingAssetMessage(join(dir, 'main.js'))).toMatch(new RegExp(`^The task page cannot be served: its file ${join(dir, 'main.js')} is missing`));
    expect(readAsset('main.js', ASSETS)).toHaveProperty('body');
  });
});
