/**
 * What an agent module passes through to the agentapi module beside it, derived from the interface
 * model (src/module/), the one owner of agentapi's variables: every variable the agentapi module
 * declares, as its own main.tf declares it (rendered by the same partial), except those the
 * wrapper sets itself, with the locals their validations read.
 */
import { join } from 'node:path';
import { hclString } from '../generate/quote.ts';
import { templateCompiler } from '../generate/handlebars-env.ts';
import type { ModuleSpec } from '../generate/module-spec.ts';
import type { AgentapiTemplateContext } from '../generate/module-specs.ts';
import type { VariableView } from '../module/index.ts';
import { WRAPPER_SET_INPUTS } from './wrapper-inputs.ts';

export interface PassThroughVariable {
  name: string;
  /** The variable block's HCL, exactly as the agentapi module's main.tf has it. */
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

/** The agentapi module's spec: its context carries the model's view (`module`), its partials the block. */
export async function agentapiInterface(agentapi: Pick<ModuleSpec, 'templateDir' | 'context'>): Promise<AgentapiInterface> {
  const context = agentapi.context as AgentapiTemplateContext;
  const compiler = await templateCompiler(join(agentapi.templateDir, 'partials'));
  const renderBlock = compiler.compile('{{> tf-variable}}');
  const kept = context.module.declaredVariables.filter((view) => !WRAPPER_SET_INPUTS.has(view.name));
  const keptNames = new Set(kept.map((view) => view.name));
  const passThrough = kept.map((view) => {
    const copy = withoutForeignValidations(view, keptNames);
    return { name: view.name, block: renderBlock(copy).trimEnd(), required: !view.hasDefault };
  });
  return {
    passThrough,
    locals: referencedLocals(passThrough, context.module.validationLocals),
    coderVersion: context.module.coderProviderVersion,
    readsCoderTask: context.taskIdFromDataSource,
  };
}

/**
 * A validation that reads a variable the agent module sets itself (not passed through) cannot be
 * declared there; the nested agentapi module still checks it.
 */
function withoutForeignValidations(view: VariableView, kept: ReadonlySet<string>): VariableView {
  const validations = view.validations.filter((rule) => [...rule.condition.matchAll(/\bvar\.([a-z0-9_]+)/g)].every((match) => kept.has(match[1]!)));
  return { ...view, validations };
}

function referencedLocals(variables: PassThroughVariable[], values: Readonly<Record<string, string>>): string[] {
  const names = new Set<string>();
  for (const variable of variables) for (const match of variable.block.matchAll(/\blocal\.([a-z0-9_]+)/g)) names.add(match[1]!);
  return [...names].sort().map((name) => {
    const value = values[name];
    if (value === undefined) throw new Error(`a validation of the agentapi module reads local.${name}, which the interface model does not define (src/module/template-view.ts, validationLocals)`);
    return `${name} = ${hclString(value)}`;
  });
}
