/**
 * The agent spec: everything that makes one Tasks-ready agent module different from another. The
 * rest (the agentapi inputs passed through, the module call, the scripts' plumbing) is derived.
 */
import { z } from 'zod';
import { AGENT_TYPES } from './agent-types.ts';
import { checkReferences } from './spec-references.ts';
import { checkDropIn, configFile, dropInStartFields, dropInVariableFields, replacedModule } from './spec-dropin.ts';

const TERRAFORM_NAME = /^[a-z][a-z0-9_]*$/;
const SLUG = /^[a-z][a-z0-9-]*[a-z0-9]$/;

const agentVariable = z.strictObject({
  name: z.string().regex(TERRAFORM_NAME, 'must be a Terraform name: lowercase letters, digits and _, starting with a letter'),
  type: z.enum(['string', 'bool', 'number']),
  description: z.string().min(1, 'must say what the variable is for'),
  /** Omitted: the variable is required; null: Terraform's `default = null`. */
  default: z.union([z.string(), z.boolean(), z.number(), z.null()]).optional(),
  sensitive: z.boolean().default(false),
  ...dropInVariableFields,
});

const localModule = z.strictObject({
  /** Relative to the generated agent module's own directory, e.g. `../agentapi`. */
  path: z.string().regex(/^\.\.?\//, 'must be a relative path starting with ./ or ../'),
});

const registryModule = z.strictObject({
  source: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+$/, 'must be an exact module version such as 2.4.0'),
});

const start = z.strictObject({
  /** argv of the agent, run as `agentapi server -- <prefix> <command...>`; `${var.NAME}` is the variable's value. */
  command: z.array(z.string().min(1)).min(1, 'must name the agent program'),
  /** Arguments added when the task has a prompt; the element `{prompt}` becomes the prompt. */
  promptArgs: z.array(z.string()).default([]),
  ...dropInStartFields,
});

export const agentSpecSchema = z
  .strictObject({
    slug: z.string().regex(SLUG, 'must be lowercase letters, digits and -, e.g. "goose"'),
    displayName: z.string().min(1),
    description: z.string().min(1),
    icon: z.string().min(1),
    /** AgentAPI's `--type`: how it reads the agent's terminal. */
    agentType: z.enum(AGENT_TYPES),
    agentapi: z.union([localModule, registryModule]).default({ path: '../agentapi' }),
    variables: z.array(agentVariable).default([]),
    /** POSIX sh run at start before AgentAPI starts; non-sensitive variables arrive as ARG_<NAME>. */
    install: z.string().default(''),
    start,
    /** Environment for the agent (coder_env); values may reference variables as `${var.NAME}`. */
    env: z.record(z.string(), z.string()).default({}),
    tags: z.array(z.string().regex(/^[a-z0-9-]+$/, 'must be lowercase letters, digits and -')).default([]),
    /** Config files written at install from variables' values (spec-dropin.ts). */
    files: z.array(configFile).default([]),
    /** The registry module this one replaces (spec-dropin.ts). */
    replaces: replacedModule.optional(),
  })
  .superRefine((spec, context) => {
    checkDuplicates(spec.variables.map((variable) => variable.name), context);
    for (const [index, variable] of spec.variables.entries()) checkDefault(variable, index, context);
    checkPromptArgs(spec.start.promptArgs, context);
    checkReferences(spec, context);
    checkDropIn(spec, context);
  });

export type AgentSpecInput = z.input<typeof agentSpecSchema>;
export type AgentSpec = z.output<typeof agentSpecSchema>;
export type AgentVariable = AgentSpec['variables'][number];

function checkDuplicates(names: string[], context: z.RefinementCtx): void {
  const seen = new Set<string>();
  for (const [index, name] of names.entries()) {
    if (seen.has(name)) context.addIssue({ code: 'custom', path: ['variables', index, 'name'], message: `"${name}" is declared twice` });
    seen.add(name);
  }
}

function checkDefault(variable: AgentVariable, index: number, context: z.RefinementCtx): void {
  if (variable.default === undefined || variable.default === null) return;
  const actual = typeof variable.default === 'boolean' ? 'bool' : typeof variable.default;
  if (actual !== variable.type) {
    context.addIssue({ code: 'custom', path: ['variables', index, 'default'], message: `is a ${actual}, but the variable's type is ${variable.type}` });
  }
}

function checkPromptArgs(promptArgs: readonly string[], context: z.RefinementCtx): void {
  if (promptArgs.length > 0 && !promptArgs.includes('{prompt}')) {
    context.addIssue({ code: 'custom', path: ['start', 'promptArgs'], message: 'must contain the element "{prompt}"' });
  }
}
