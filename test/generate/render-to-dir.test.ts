import { readdir, rm, stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { configSchema, defaultConfig } from '../../src/config/schema.ts';
import { agentapiModuleSpec } from '../../src/generate/module-specs.ts';
import { renderModule } from '../../src/generate/render-module.ts';
import { renderModuleToTempDir, sharedRenderedModuleDir } from '../../src/generate/render-to-dir.ts';

describe('rendering a module into a temporary directory', () => {
  it('renderModuleToTempDir writes the rendered files and cleanup removes the directory', async () => {
    const module = await renderModuleToTempDir(defaultConfig, 'test');
    const files = await renderModule(agentapiModuleSpec(defaultConfig));
    expect((await readdir(module.dir, { recursive: true })).filter((path) => path.includes('.')).sort()).toEqual(files.map((file) => file.path).sort());
    await module.cleanup();
    await expect(stat(module.dir)).rejects.toThrow();
  });

  it('sharedRenderedModuleDir gives one directory per distinct rendering', async () => {
    const variable = configSchema.parse({ taskIdSource: 'variable' });
    const [a, b, c] = [await sharedRenderedModuleDir(variable, 'test-shared'), await sharedRenderedModuleDir(variable, 'test-shared'), await sharedRenderedModuleDir(defaultConfig, 'test-shared')];
    try {
      expect(a).toBe(b);
      expect(c).not.toBe(a);
    } finally {
      await Promise.all([a, c].map((dir) => rm(dir, { recursive: true, force: true })));
    }
  });
});
