/** What templates/agent/ sees: the spec plus everything derived from it and from agentapi. */
import { hclString, shQuote } from '../generate/quote.ts';
import { argName } from './arg-name.ts';
import type { AgentapiInterface } from './pass-through.ts';
import type { AgentSpec, AgentVariable } from './spec-schema.ts';
import { textParts } from './var-references.ts';

export const PROMPT_PLACEHOLDER = '{prompt}';

export function agentContext(spec: AgentSpec, agentapi: AgentapiInterface) {
  return {
    ...spec,
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
    startCommand: spec.start.command.map(argvWord).join(' '),
    promptArgs: spec.start.promptArgs.map((arg) => (arg === PROMPT_PLACEHOLDER ? '"$ARG_PROMPT"' : argvWord(arg))).join(' '),
    hasPromptArgs: spec.start.promptArgs.length > 0,
    commandLine: commandLine(spec.start),
    hasArgvInputs: [...spec.start.command, ...spec.start.promptArgs].some((arg) => textParts(arg).some((part) => 'variable' in part)),
    agentapi,
    validatesSubdomain: agentapi.passThrough.some((variable) => variable.name === 'agentapi_subdomain' && variable.block.includes('validation {')),
    tagList: ['agent', 'ai', 'tasks', ...spec.tags.filter((tag) => !['agent', 'ai', 'tasks'].includes(tag))].join(', '),
  };
}

/** The agent's argv for people: inputs as `<name>`, the prompt arguments in brackets. */
function commandLine(start: AgentSpec['start']): string {
  const show = (arg: string) => textParts(arg).map((part) => ('literal' in part ? part.literal : `<${part.variable}>`)).join('');
  const prompt = start.promptArgs.map((arg) => (arg === PROMPT_PLACEHOLDER ? '<prompt>' : show(arg))).join(' ');
  return [...start.command.map(show), ...(prompt === '' ? [] : [`[${prompt}]`])].join(' ');
}

/**
 * One element of the agent's argv as one shell word: literal text single-quoted, each `${var.NAME}`
 * as the double-quoted `"$ARG_NAME"` the start script is given (no splitting, no globbing: the
 * value reaches the agent as one argument, exactly). The schema admits only non-sensitive,
 * declared variables here.
 */
function argvWord(arg: string): string {
  if (arg === '') return shQuote(arg);
  return textParts(arg)
    .map((part) => ('literal' in part ? shQuote(part.literal) : `"$${argName(part.variable)}"`))
    .join('');
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
  const body = textParts(value).map((part) => ('literal' in part ? hclString(part.literal).slice(1, -1) : `\${var.${part.variable}}`));
  return `"${body.join('')}"`;
}
