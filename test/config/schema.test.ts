// The config's defaults and ranges are the model's: same built-in values, same rules as Terraform.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/config/errors.ts';
import { configSchema, defaultConfig } from '../../src/config/schema.ts';
import { AGENTAPI_VARIABLES, type ModuleVariable } from '../../src/module/index.ts';

const withConfigDefault = (AGENTAPI_VARIABLES as readonly ModuleVariable[]).filter((variable) => variable.configDefault !== undefined);

describe('generator config from the interface model', () => {
  it('has one field per variable with a config default, holding the model\'s built-in value', () => {
    for (const variable of withConfigDefault) {
      const { group, key, value } = variable.configDefault!;
      expect((defaultConfig as unknown as Record<string, Record<string, unknown>>)[group]?.[key], variable.name).toEqual(value);
    }
    const fields = (group: 'defaults' | 'timeouts') => Object.keys(defaultConfig[group]).sort();
    expect([...fields('defaults'), ...fields('timeouts')].sort()).toEqual(withConfigDefault.map((variable) => variable.configDefault!.key).sort());
  });

  it.each([0, 1, 60, 3600])('accepts a timeout of %s s, as Terraform does', (seconds) => {
    expect(configSchema.safeParse({ timeouts: { fetchSeconds: seconds } }).success).toBe(true);
  });

  it.each([-1, 1.5, 3601])('rejects a timeout of %s s with the module\'s message', (seconds) => {
    expect(() => parseConfig(JSON.stringify({ timeouts: { terminateWaitSeconds: seconds } }), 'c.json')).toThrow(
      'timeouts.terminateWaitSeconds: shutdown_terminate_timeout must be a whole number of seconds from 0 to 3600.',
    );
  });

  it('rejects a port Terraform would reject, and defaults the module would reject together', () => {
    expect(configSchema.safeParse({ defaults: { agentapiPort: 0 } }).success).toBe(false);
    expect(configSchema.safeParse({ defaults: { agentapiPort: 65535 } }).success).toBe(true);
    expect(configSchema.safeParse({ defaults: { agentapiSubdomain: false, agentapiVersion: 'v0.3.2' } }).success).toBe(false);
    expect(configSchema.safeParse({ defaults: { agentapiSubdomain: false, agentapiVersion: 'v0.3.3' } }).success).toBe(true);
  });

  it('throws its own ConfigError, not the CLI\'s', () => {
    expect(() => parseConfig('{ nope', 'c.json')).toThrow(ConfigError);
    expect(() => parseConfig('{"defaults":{"nope":1}}', 'c.json')).toThrow(ConfigError);
  });
});
