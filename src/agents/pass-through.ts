/**
 * Reads the generated agentapi module's interface from its main.tf, the one owner of it: the
 * variable blocks (copied as written: type, default, description, validation), the locals their
 * validations use, the coder provider constraint and whether it reads data "coder_task".
 */
import { hclString } from '../generate/quote.ts';
import { textCache } from '../generate/text-cache.ts';
import { WRAPPER_SET_INPUTS } from './wrapper-inputs.ts';

export interface PassThroughVariable {
  name: string;
  /** The variable block's HCL, exactly as the agentapi module has it. */
  block: string;
  /** True when the agentapi module gives it no default: the agent module's users must set it. */
  required: boolean;
}

export interface AgentapiInterface {
  /** Variables an agent module declares again and passes through, in agentapi's order. */
  passThrough: PassThroughVariable[];
  /** `name = expression` lines for the locals the copied validations refer to. */
  locals: string[];
  /** The `coder/coder` version constraint, e.g. `>= 2.13`. */
  coderVersion: string;
  /** Whether agentapi takes the task from data "coder_task" (else from a task_id variable). */
  readsCoderTask: boolean;
}

interface ParsedMainTf {
  variable?: Record<string, Array<{ default?: unknown }>>;
  locals?: Array<Record<string, unknown>>;
  data?: Record<string, unknown>;
  terraform?: Array<{ required_providers?: Array<Record<string, { version?: string }>> }>;
}

export async function readAgentapiInterface(mainTf: string): Promise<AgentapiInterface> {
  const parsed = await parseMainTf(mainTf);
  const blocks = variableBlocks(mainTf);
  const passThrough: PassThroughVariable[] = [];
  for (const [name, block] of blocks) {
    if (WRAPPER_SET_INPUTS.has(name)) continue;
    const declared = parsed.variable?.[name]?.[0];
    passThrough.push({ name, block, required: declared === undefined || !Object.hasOwn(declared, 'default') });
  }
  const kept = new Set(passThrough.map((variable) => variable.name));
  for (const variable of passThrough) variable.block = dropValidationsReferencingOthers(variable.block, kept);
  return {
    passThrough,
    locals: referencedLocals(passThrough, parsed),
    coderVersion: parsed.terraform?.[0]?.required_providers?.[0]?.coder?.version ?? '>= 2.13',
    readsCoderTask: Object.hasOwn((parsed.data ?? {}) as object, 'coder_task'),
  };
}

const parseCache = textCache('hcl2json', '@cdktf/hcl2json');

/** HashiCorp's parser (WASM, about a third of a cold `generate`) only when agentapi's main.tf changed. */
async function parseMainTf(mainTf: string): Promise<ParsedMainTf> {
  const cached = parseCache.get('agentapi-main.tf', mainTf);
  if (cached !== undefined) return JSON.parse(cached) as ParsedMainTf;
  const { parse } = await import('@cdktf/hcl2json');
  const parsed = (await parse('main.tf', mainTf)) as ParsedMainTf;
  parseCache.set('agentapi-main.tf', mainTf, JSON.stringify(parsed));
  return parsed;
}

/** `variable "x" {` ... `}` blocks of a `terraform fmt`-formatted file, by name, in order. */
function variableBlocks(mainTf: string): Array<[string, string]> {
  const found: Array<[string, string]> = [];
  const pattern = /^variable "([a-z0-9_]+)" \{\n[\s\S]*?^\}$/gm;
  for (const match of mainTf.matchAll(pattern)) found.push([match[1]!, match[0]]);
  return found;
}

/**
 * A validation that reads a variable the agent module sets itself (not passed through) cannot be
 * declared there; the nested agentapi module still checks it.
 */
function dropValidationsReferencingOthers(block: string, kept: ReadonlySet<string>): string {
  return block.replace(/^ {2}validation \{\n[\s\S]*?^ {2}\}\n/gm, (validation) => {
    const references = [...validation.matchAll(/\bvar\.([a-z0-9_]+)/g)].map((match) => match[1]!);
    return references.every((name) => kept.has(name)) ? validation : '';
  });
}

function referencedLocals(variables: PassThroughVariable[], parsed: ParsedMainTf): string[] {
  const values: Record<string, unknown> = Object.assign({}, ...(parsed.locals ?? []));
  const names = new Set<string>();
  for (const variable of variables) for (const match of variable.block.matchAll(/\blocal\.([a-z0-9_]+)/g)) names.add(match[1]!);
  return [...names].sort().map((name) => {
    const value = values[name];
    if (typeof value !== 'string') throw new Error(`agentapi's local.${name} is not a string the agent module can copy`);
    return `${name} = ${localExpression(value)}`;
  });
}

/** hcl2json gives a literal string as its value and an expression as `${source}`. */
function localExpression(value: string): string {
  const expression = /^\$\{([\s\S]*)\}$/.exec(value);
  return expression !== null && !expression[1]!.includes('${') ? expression[1]! : hclString(value);
}
