/** The stand-in's whole schema: the Coder provider's own block, its resources and data sources. */
import { urlCheck } from './checks.ts';
import { CODER_DATA_SOURCES } from './coder-data-sources.ts';
import { CODER_RESOURCES } from './coder-resources.ts';
import type { ProviderEnv, ProviderSpec } from './schema-spec.ts';

export const CODER_PROVIDER: ProviderSpec = {
  provider: { attributes: { url: { type: 'string', kind: 'optional', check: urlCheck, description: 'The URL to access Coder.' } } },
  resources: CODER_RESOURCES,
  dataSources: CODER_DATA_SOURCES,
};

/** The provider's `url`: configured, else CODER_AGENT_URL, else the real provider's placeholder. */
export function accessUrl(configured: unknown, env: ProviderEnv): string {
  if (typeof configured === 'string' && configured !== '') return configured;
  return env.CODER_AGENT_URL || 'https://mydeployment.coder.com';
}
