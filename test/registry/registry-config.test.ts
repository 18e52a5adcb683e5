import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.ts';
import { agentapiModuleSpec } from '../../src/generate/module-specs.ts';
import { renderModule } from '../../src/generate/render-module.ts';
import { moduleReadmeProblems } from '../../src/registry/readme-rules.ts';

async function agentapiReadme(input: object): Promise<string> {
  const files = await renderModule(agentapiModuleSpec(configSchema.parse(input)));
  return files.find((file) => file.path === 'README.md')!.content;
}

describe('the config\'s registry coordinates', () => {
  it('put the registry source and version in the README\'s usage example, which the README rules accept', async () => {
    const readme = await agentapiReadme({ registry: { namespace: 'acme', version: '1.2.3' } });
    expect(readme).toContain('  source  = "registry.coder.com/acme/agentapi/coder"\n  version = "1.2.3"\n');
    expect(moduleReadmeProblems(readme)).toEqual([]);
  });

  it('left out, leave the local path and no version, which the README rules refuse', async () => {
    const readme = await agentapiReadme({});
    expect(readme).toContain('  source = "./modules/agentapi"\n');
    expect(moduleReadmeProblems(readme)).toEqual(['the usage example has no `version = ...` line']);
  });

  it.each([
    [{ namespace: 'Acme', version: '1.0.0' }, 'registry.namespace'],
    [{ namespace: 'acme', version: 'v1' }, 'registry.version'],
    [{ namespace: 'acme' }, 'registry.version'],
    [{ namespace: 'acme', version: '1.0.0', extra: true }, 'registry'],
  ])('refuse %j, naming %s', (registry, path) => {
    const result = configSchema.safeParse({ registry });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toContain(path);
  });
});
