/** What templates/agent/ sees: the spec plus everything derived from it and from agentapi. */
import { hclString, shQuote } from '../generate/quote.ts';
import type { RegistryCoordinates } from '../config/schema.ts';
import { argName } from './arg-name.ts';
import type { AgentapiInterface, PassThroughVariable } from './pass-through.ts';
import type { AgentSpec, AgentVariable } from './spec-schema.ts';
import { textParts } from './var-references.ts';

export const PROMPT_PLACEHOLDER = '{prompt}';

/** A spec that contradicts the agentapi module it wraps; `field` is the spec's field. */
export class AgentSpecConflict extends Error {
  override name = 'AgentSpecConflict';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/** `registry`: where the module is published (the config's `registry`), for the README's usage example. */
export function agentContext(spec: AgentSpec, agentapi: AgentapiInterface, registry: RegistryCoordinates | null = null) {
  const aliases = aliasedInputs(spec, agentapi);
  const passThrough = agentapi.passThrough.filter((variable) => !aliases.has(variable.name));
  checkNameClashes(spec, passThrough, agentapi.readsCoderTask);
  // The prompt variable reaches the start script as ARG_PROMPT (local.prompt), not twice.
  const scriptVariables = spec.variables.filter((variable) => !variable.sensitive && variable.agentapiInput === undefined && variable.name !== spec.start.promptVariable);
  return {
    ...spec,
    registry,
    /** The registry wants a README's icon in its own .icons/ directory, by the same file name. */
    registryIcon: `../../../../.icons/${iconFileName(spec.icon)}`,
    moduleDirName: `.${spec.slug}-module`,
    cliSlug: `${spec.slug}-cli`,
    cliDisplayName: `${spec.displayName} CLI`,
    webAppDisplayNameHcl: aliasOr(aliases, 'web_app_display_name', hclString(spec.displayName)),
    cliAppDisplayNameHcl: aliasOr(aliases, 'cli_app_display_name', hclString(`${spec.displayName} CLI`)),
    moduleSource: 'path' in spec.agentapi ? { local: true, path: spec.agentapi.path } : { local: false, ...spec.agentapi },
    agentVariables: spec.variables.map(variableContext),
    /** Non-sensitive variables the wrapper does not hand to agentapi reach the scripts as ARG_<NAME>. */
    scriptInputs: scriptVariables.map((variable) => ({ arg: argName(variable.name), name: variable.name, value: scriptValue(variable) })),
    /** Variables wired to agentapi inputs under another name, in the module call. */
    aliasInputs: [...aliases].map(([input, variable]) => ({ input, variable })).filter(({ input }) => !input.endsWith('_display_name')),
    aliasList: [...aliases].map(([input, variable]) => ({ input, variable })),
    passThrough,
    additions: registryAdditions(spec, passThrough),
    registryUsage: Object.entries(spec.replaces?.usage ?? {}).map(([name, value]) => ({ name, value: hclValue(value) })),
    passThroughLocals: agentapi.locals.filter((line) => passThrough.some((variable) => variable.block.includes(`local.${line.split(' ')[0]}`))),
    promptExpression: promptExpression(spec, agentapi.readsCoderTask),
    declaresAiPrompt: !agentapi.readsCoderTask && spec.start.promptVariable === undefined,
    env: Object.entries(spec.env)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => ({ name, resource: name.toLowerCase(), value: hclTemplate(value) })),
    files: spec.files.map((file) => ({ path: file.path, arg: argName(file.from), from: file.from })),
    install: spec.install.trimEnd(),
    hasInstall: spec.install.trim() !== '' || spec.files.length > 0,
    startCommand: spec.start.command.map(argvWord).join(' '),
    startOptions: spec.start.options.map((option) => ({
      arg: argName(option.variable),
      flag: shQuote(option.flag),
      isFlagOnly: spec.variables.find((variable) => variable.name === option.variable)?.type === 'bool',
    })),
    prepare: spec.start.prepare.trimEnd(),
    promptViaAgentapi: spec.start.promptVia === 'agentapi',
    promptArgs: spec.start.promptArgs.map((arg) => (arg === PROMPT_PLACEHOLDER ? '"$ARG_PROMPT"' : argvWord(arg))).join(' '),
    hasPromptArgs: spec.start.promptArgs.length > 0,
    commandLine: commandLine(spec.start),
    hasArgvInputs: [...spec.start.command, ...spec.start.promptArgs].some((arg) => textParts(arg).some((part) => 'variable' in part)),
    agentapi,
    validatesSubdomain: passThrough.some((variable) => variable.name === 'agentapi_subdomain' && variable.block.includes('validation {')),
    tagList: ['agent', 'ai', 'tasks', ...spec.tags.filter((tag) => !['agent', 'ai', 'tasks'].includes(tag))].join(', '),
  };
}

function iconFileName(icon: string): string {
  const path = icon.replace(/[?#].*$/, '');
  return path.slice(path.lastIndexOf('/') + 1);
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

/** agentapi input -> the spec variable that sets it; every input named must be one agentapi has. */
function aliasedInputs(spec: AgentSpec, agentapi: AgentapiInterface): Map<string, string> {
  const known = new Set([...agentapi.passThrough.map((variable) => variable.name), 'web_app_display_name', 'cli_app_display_name']);
  const aliases = new Map<string, string>();
  for (const [index, variable] of spec.variables.entries()) {
    if (variable.agentapiInput === undefined) continue;
    if (!known.has(variable.agentapiInput)) throw new AgentSpecConflict(`variables.${index}.agentapiInput`, `the agentapi module has no input ${variable.agentapiInput} a variable can set`);
    aliases.set(variable.agentapiInput, variable.name);
  }
  return aliases;
}

/** The spec's variables share main.tf with the pass-through and the template's own variables. */
function checkNameClashes(spec: AgentSpec, passThrough: PassThroughVariable[], readsCoderTask: boolean): void {
  const taken = new Map(passThrough.map((variable) => [variable.name, 'an agentapi input this module passes through']));
  taken.set('icon', "the module's own icon variable");
  if (!readsCoderTask && spec.start.promptVariable === undefined) taken.set('ai_prompt', "the module's own prompt variable");
  for (const [index, variable] of spec.variables.entries()) {
    const owner = taken.get(variable.name);
    if (owner !== undefined) throw new AgentSpecConflict(`variables.${index}.name`, `"${variable.name}" is already ${owner}; give it agentapiInput to take it over, or another name`);
  }
}

/** The pass-through inputs the replaced registry module does not have. */
function registryAdditions(spec: AgentSpec, passThrough: PassThroughVariable[]): string[] {
  const shared = spec.replaces?.passedThrough ?? [];
  const names = new Set(passThrough.map((variable) => variable.name));
  for (const [index, name] of shared.entries()) {
    if (!names.has(name)) throw new AgentSpecConflict(`replaces.passedThrough.${index}`, `${name} is not an agentapi input this module passes through`);
  }
  return passThrough.map((variable) => variable.name).filter((name) => !shared.includes(name));
}

function aliasOr(aliases: ReadonlyMap<string, string>, input: string, literal: string): string {
  const variable = aliases.get(input);
  return variable === undefined ? literal : `var.${variable}`;
}

/** The prompt the agent starts with: the prompt variable when set, else the task's. */
function promptExpression(spec: AgentSpec, readsCoderTask: boolean): string {
  const task = readsCoderTask ? 'try(data.coder_task.me.enabled ? data.coder_task.me.prompt : "", "")' : 'var.ai_prompt';
  const override = spec.start.promptVariable;
  if (override === undefined) return task;
  return readsCoderTask ? `var.${override} != "" ? var.${override} : ${task}` : `var.${override}`;
}

/** The HCL that renders a variable for a script: a null default becomes the empty string. */
function scriptValue(variable: AgentVariable): string {
  return variable.default === null ? `var.${variable.name} == null ? "" : tostring(var.${variable.name})` : `tostring(var.${variable.name})`;
}

function variableContext(variable: AgentVariable) {
  return {
    ...variable,
    hasDefault: variable.default !== undefined,
    defaultHcl: variable.default === undefined ? '' : hclValue(variable.default),
    // A chain of == rather than contains([...]): the test harness's HCL evaluator has no lists.
    oneOfHcl: variable.oneOf === undefined ? '' : variable.oneOf.values.map((value) => `var.${variable.name} == ${hclValue(value)}`).join(' || '),
    oneOfMessage: variable.oneOf === undefined ? '' : hclString(variable.oneOf.errorMessage),
    /** A value for the module's own Terraform test to give a required variable. */
    testValue: hclValue(variable.oneOf?.values[0] ?? { string: `test-${variable.name}`, bool: true, number: 1 }[variable.type]),
  };
}

function hclValue(value: string | number | boolean | null): string {
  if (value === null) return 'null';
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
