import { z } from 'zod';
import { CODERD_BODY_LIMIT_BYTES, DEFAULT_SNAPSHOT_MESSAGE_COUNT } from '../contract/snapshot-api.ts';
import { crossCheckDefaults } from './cross-checks.ts';
import { groupSchema } from './variable-defaults.ts';

const snapshot = z
  .object({
    messageCount: z.number().int().min(1).max(1000).default(DEFAULT_SNAPSHOT_MESSAGE_COUNT),
    // coderd reads the body through a 65536-byte limit; a larger client limit would only earn 400s.
    payloadLimitBytes: z.number().int().min(1024).max(CODERD_BODY_LIMIT_BYTES).default(CODERD_BODY_LIMIT_BYTES),
  })
  .strict();

/**
 * Where the generated modules are published, `registry.coder.com/<namespace>/<module>/coder` at
 * `version`: the READMEs' usage examples show that source and version, which the registry's README
 * check requires. Without it they show the modules' local paths (fine in a template's repository,
 * refused by the registry).
 */
export const registryCoordinatesSchema = z
  .object({
    namespace: z.string().regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, 'must be a registry namespace: lowercase letters, digits and -, starting and ending with a letter or digit'),
    version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be an exact module version such as 1.0.0'),
  })
  .strict();

export type RegistryCoordinates = z.output<typeof registryCoordinatesSchema>;

/**
 * The generator config. `defaults` and `timeouts` are the defaults of module variables: their fields,
 * types, built-in values and ranges come from the interface model (src/module/variables.ts).
 */
export const configSchema = z
  .object({
    outDir: z.string().min(1).default('modules/agentapi'),
    /** Agent specs (paths relative to the working directory), each rendered beside the agentapi module. */
    agents: z.array(z.string().min(1)).default([]),
    taskIdSource: z.enum(['data-source', 'variable']).default('data-source'),
    snapshot: snapshot.default(() => snapshot.parse({})),
    timeouts: groupSchema('timeouts'),
    defaults: groupSchema('defaults'),
    registry: registryCoordinatesSchema.optional(),
  })
  .strict()
  .superRefine((config, context) => {
    // The module's own validation would reject its defaults; say so now, not at `terraform plan`.
    for (const problem of crossCheckDefaults({ defaults: config.defaults, timeouts: config.timeouts })) context.addIssue({ code: 'custom', path: problem.path, message: problem.message });
  });

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;

export const defaultConfig: Config = configSchema.parse({});
