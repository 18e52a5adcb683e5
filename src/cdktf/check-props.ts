/**
 * Props to module inputs, with the model's checks: the same validations Terraform runs at plan time
 * (test/module/validations.property.test.ts holds the two sides together), so a mistake is reported
 * while the stack is built. References (tokens) are Terraform's to check.
 */
import { Token } from 'cdktf';
import { AGENTAPI_INTERFACE, isRequired, type ModuleInterface, type ModuleVariable, type TfType, type Validation } from '../module/index.ts';
import { type AgentapiModuleProps, camelCase, DEFAULT_MODULE_SOURCE, OPTION_NAMES } from './props.ts';

/** A prop that cannot work; thrown while the construct is built, before anything is synthesized. */
export class AgentapiModulePropsError extends Error {
  override name = 'AgentapiModulePropsError';
}

export interface PropSpec {
  /** The module variable's name. */
  readonly variable: string;
  readonly type: TfType;
  /** True when the module variable has no default. */
  readonly required: boolean;
}

/** The props table of a model: camelCase prop -> variable, type, required. */
export function propTable(model: ModuleInterface = AGENTAPI_INTERFACE): Record<string, PropSpec> {
  return Object.fromEntries(
    model.variables.map((variable) => [camelCase(variable.name), { variable: variable.name, type: variable.type, required: isRequired(variable) }]),
  );
}

/** THE mapping from props to the agentapi module's variables, in main.tf's order. */
export const AGENTAPI_MODULE_VARIABLES: Readonly<Record<string, PropSpec>> = Object.freeze(propTable());

/**
 * The module block's inputs for `props`: snake_case names, undefined props left out so the module's
 * defaults apply. Throws AgentapiModulePropsError listing every problem at once. `model` is the
 * agentapi module's interface unless a test passes another.
 */
export function toModuleVariables(props: AgentapiModuleProps, model: ModuleInterface = AGENTAPI_INTERFACE): Record<string, unknown> {
  const given = props as unknown as Record<string, unknown>;
  const byProp = new Map(model.variables.map((variable) => [camelCase(variable.name), variable]));
  const problems: string[] = unknownProps(given, byProp);
  const known = knownValues(given, model);
  const variables: Record<string, unknown> = {};
  for (const [prop, variable] of byProp) {
    const value = given[prop];
    if (value === undefined) {
      if (isRequired(variable)) problems.push(`${prop} is required (module variable ${variable.name} has no default)`);
      continue;
    }
    const problem = checkValue(value, variable, known);
    if (problem === undefined) variables[variable.name] = value;
    else problems.push(`${prop} (${variable.name}) ${problem}`);
  }
  problems.push(...crossChecks(props));
  if (problems.length > 0) throw new AgentapiModulePropsError(`invalid AgentapiModule props:\n  - ${problems.join('\n  - ')}`);
  return variables;
}

function unknownProps(given: Record<string, unknown>, byProp: Map<string, ModuleVariable>): string[] {
  // TypeScript already rejects these; JavaScript callers and spread objects get the same message.
  return Object.keys(given)
    .filter((key) => !byProp.has(key) && !OPTION_NAMES.has(key))
    .map((key) => `${key} is not a prop of AgentapiModule (module variables are camelCase, like taskLogSnapshot)`);
}

/**
 * The value each variable will have where that is known here: a literal prop, or the variable's
 * default (for a config default, the generator's built-in value: the construct cannot know another
 * config). A token is unknown.
 */
function knownValues(given: Record<string, unknown>, model: ModuleInterface): Map<string, unknown> {
  const known = new Map<string, unknown>();
  for (const variable of model.variables) {
    const value = given[camelCase(variable.name)];
    if (value !== undefined) {
      if (!Token.isUnresolved(value)) known.set(variable.name, value);
    } else if (variable.configDefault !== undefined) {
      known.set(variable.name, variable.configDefault.value);
    } else if ('default' in variable) {
      known.set(variable.name, variable.default);
    }
  }
  return known;
}

function checkValue(value: unknown, variable: ModuleVariable, known: Map<string, unknown>): string | undefined {
  // A token is a reference Terraform resolves later (a variable, another resource's attribute).
  if (Token.isUnresolved(value)) return undefined;
  const typeProblem = checkType(value, variable.type);
  if (typeProblem !== undefined) return typeProblem;
  const failed = (variable.validations ?? []).find((rule) => rejects(rule, value, known));
  return failed === undefined ? undefined : `${failed.errorMessage} Got ${describe(value)}.`;
}

/** A rule whose other variables are not all known here is left to Terraform. */
function rejects(rule: Validation, value: unknown, known: Map<string, unknown>): boolean {
  const references = rule.references ?? [];
  if (!references.every((name) => known.has(name))) return false;
  const others = Object.fromEntries(references.map((name) => [name, known.get(name)]));
  return !(rule.accepts as (value: unknown, others: object) => boolean)(value, others);
}

function checkType(value: unknown, type: TfType): string | undefined {
  const ok =
    type === 'string'
      ? typeof value === 'string'
      : type === 'number'
        ? typeof value === 'number' && Number.isFinite(value)
        : typeof value === 'boolean';
  return ok ? undefined : `must be a ${type === 'bool' ? 'boolean' : type}, got ${describe(value)}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  return typeof value === 'string' ? JSON.stringify(value) : `${typeof value} ${String(value)}`;
}

/** Problems that involve the module block itself or the provider's rules, not one variable. */
function crossChecks(props: AgentapiModuleProps): string[] {
  const problems: string[] = [];
  const literal = (value: unknown) => value !== undefined && !Token.isUnresolved(value);
  // Coder rejects two apps with one slug on the same agent (a provider rule, not a variable's).
  if (props.cliApp === true && literal(props.webAppSlug) && props.webAppSlug === props.cliAppSlug) {
    problems.push(`webAppSlug and cliAppSlug are both "${props.webAppSlug}"; with cliApp the two apps need different slugs`);
  }
  const source = props.source ?? DEFAULT_MODULE_SOURCE;
  if (props.version !== undefined && isLocalSource(source)) {
    problems.push(`version "${props.version}" cannot be used with the local source "${source}" (Terraform only versions registry modules)`);
  }
  if (source.trim() === '') problems.push('source must not be empty');
  return problems;
}

function isLocalSource(source: string): boolean {
  return source.startsWith('./') || source.startsWith('../');
}
