import { z } from 'zod';

const seconds = (fallback: number) => z.number().int().min(1).max(60).default(fallback);

/** Default values of the generated module's variables, as the registry module has them. */
const variableDefaults = z
  .object({
    taskLogSnapshot: z.boolean().default(true),
    folder: z.string().min(1).default('/home/coder'),
    installAgentapi: z.boolean().default(true),
    agentapiVersion: z.string().min(1).default('v0.10.0'),
    agentapiPort: z.number().int().min(1).max(65535).default(3284),
    agentapiSubdomain: z.boolean().default(true),
    webApp: z.boolean().default(true),
    cliApp: z.boolean().default(false),
    cliAppIcon: z.string().default('/icon/claude.svg'),
    installScript: z.string().default(''),
    enableStatePersistence: z.boolean().default(false),
  })
  .strict();

const timeouts = z
  .object({
    fetchSeconds: seconds(2),
    postSeconds: seconds(2),
    snapshotDeadlineSeconds: seconds(5),
    stateSaveWaitSeconds: seconds(1),
    terminateWaitSeconds: seconds(2),
  })
  .strict();

const snapshot = z
  .object({
    messageCount: z.number().int().min(1).max(1000).default(10),
    // coderd reads the body through a 65536-byte limit; a larger client limit would only earn 400s.
    payloadLimitBytes: z.number().int().min(1024).max(65536).default(65536),
  })
  .strict();

/** AgentAPI reads its chat base path from the environment from this release on (agentapi_subdomain = false). */
const SUBDOMAIN_FALSE_MIN_VERSION = [0, 3, 3] as const;

export const configSchema = z
  .object({
    outDir: z.string().min(1).default('modules/agentapi'),
    /** Agent specs (paths relative to the working directory), each rendered beside the agentapi module. */
    agents: z.array(z.string().min(1)).default([]),
    taskIdSource: z.enum(['data-source', 'variable']).default('data-source'),
    snapshot: snapshot.default(() => snapshot.parse({})),
    timeouts: timeouts.default(() => timeouts.parse({})),
    defaults: variableDefaults.default(() => variableDefaults.parse({})),
  })
  .strict()
  .superRefine((config, context) => {
    // The module's own validation would reject its defaults; say so now, not at `terraform plan`.
    if (!config.defaults.agentapiSubdomain && isSemverBelow(config.defaults.agentapiVersion, SUBDOMAIN_FALSE_MIN_VERSION)) {
      context.addIssue({
        code: 'custom',
        path: ['defaults', 'agentapiVersion'],
        message: `agentapiSubdomain false needs AgentAPI >= v${SUBDOMAIN_FALSE_MIN_VERSION.join('.')}, got ${config.defaults.agentapiVersion}`,
      });
    }
  });

/** True for a `vX.Y.Z` version below `minimum`; a version that is not semantic (a branch, `latest`) is never below. */
function isSemverBelow(version: string, minimum: readonly [number, number, number]): boolean {
  const match = /^v(\d+)\.(\d+)\.(\d+)$/.exec(version);
  if (match === null) return false;
  const parts = match.slice(1).map(Number);
  for (let i = 0; i < 3; i += 1) if (parts[i] !== minimum[i]) return parts[i]! < minimum[i]!;
  return false;
}

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

export const defaultConfig: Config = configSchema.parse({});
