/** What templates/agent/ sees: the spec plus everything derived from it and from agentapi. */
import { hclString, shQuote } from '../generate/quote.ts';
import type { RegistryCoordinates } from '../config/schema.ts';
import type { AgentapiInterface } from './pass-through.ts';
import type { AgentSpec, AgentVariable } from './spec-schema.ts';

export const PROMPT_PLACEHOLDER = '{prompt}';

/** `registry`: where the module is published (the config's `registry`), for the README's usage example. */
export function agentContext(spec: AgentSpec, agentapi: AgentapiInterface, registry: RegistryCoordinates | null = null) {
  return {
    ...spec,
    registry,
    /** The registry wants a README's icon in its own .icons/ directory, by the same file name. */
    registryIcon: `../../../../.icons/${iconFileName(spec.icon)}`,
    moduleDirName: `.${spec.slug}-module`,
    cliSlug: `${spec.slug}-cli`,
    cliDisplayName: `${spec.displayName} CLI`,
    moduleSource: 'path' in spec.agentapi ? { local: true, path: spec.agentapi.path } : { local: false, ...spec.agentapi },
    agentVariables: spec.variables.map(variableContext),
    /** Non-sensitive variables reach the scripts as ARG_<NAME>; sensitive ones only through env. */
    scriptInputs: spec.variables.filter((variable) => !variable.sensitive).map((variable) => ({ arg: argName(variable.name), name: variable.name })),
    env: Object.entries(spec.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, resource: name.toLowerCase(), value: hclTemplate(value) })),
    install: spec.install.trimEnd(),
    hasInstall: spec.install.trim() !== '',
    startCommand: spec.start.command.map(shQuote).join(' '),
    promptArgs: spec.start.promptArgs.map((arg) => (arg === PROMPT_PLACEHOLDER ? '"$ARG_PROMPT"' : shQuote(arg))).join(' '),
    hasPromptArgs: spec.start.promptArgs.length > 0,
    agentapi,
    validatesSubdomain: agentapi.passThrough.some((variable) => variable.name === 'agentapi_subdomain' && variable.block.includes('validation {')),
    tagList: ['agent', 'ai', 'tasks', ...spec.tags.filter((tag) => !['agent', 'ai', 'tasks'].includes(tag))].join(', '),
  };
}

function iconFileName(icon: string): string {
  const path = icon.replace(/[?#].*$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
}

export function argName(variableName: string): string {
  return `ARG_${variableName.toUpperCase()}`;
}

function variableContext(variable: AgentVariable) {
  return {
    ...variable,
    hasDefault: variable.default !== undefined,
    defaultHcl: variable.default === undefined ? '' : hclValue(variable.default),
    /** A value for the module's own Terraform test to give a required variable. */
    testValue: hclValue({ string: `test-${variable.name}`, bool: true, number: 1 }[variable.type]),
  };
}

function hclValue(value: string | number | boolean): string {
  return typeof value === 'string' ? hclString(value) : String(value);
}

/**
 * An env value is a Terraform template whose only interpolations are `${var.NAME}` (the schema
 * checks that): everything else is escaped as a literal.
 */
function hclTemplate(value: string): string {
  // `terraform fmt` writes a lone interpolation as the bare expression.
  const lone = /^\$\{\s*(var\.[a-z][a-z0-9_]*)\s*\}$/.exec(value);
  if (lone !== null) return lone[1]!;
  const parts = value.split(/(\$\{\s*var\.[a-z][a-z0-9_]*\s*\})/);
  const body = parts.map((part, index) => (index % 2 === 1 ? part : hclString(part).slice(1, -1))).join('');
  return `"${body}"`;
}
