/**
 * What templates/agentapi sees of the interface (`module` in the Handlebars context): variable
 * blocks ready for partials/hcl/tf-variable.hbs, the ARG heredoc lines, the README's inputs table.
 */
import { inputsTable } from './inputs-table.ts';
import { declaredIn, defaultOf, describeVariable, isRequired } from './lookup.ts';
import { inputLine } from './script-inputs.ts';
import type { ModuleInterface, ModuleVariable, TaskIdMode } from './types.ts';
import { SUBDOMAIN_FALSE_MIN_VERSION_EXPR } from './validations.ts';

/** The generator config facts the interface depends on (src/config fills them in). */
export interface ConfigFacts {
  readonly taskIdSource: TaskIdMode;
  readonly messageCount: number;
  /** The config's value of `config.<group>.<key>`, or undefined. */
  readonly configValue: (group: string, key: string) => unknown;
}

export interface VariableView {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly hasDefault: boolean;
  readonly defaultIsString: boolean;
  /** A string default (for the `hcl` helper) or the HCL text of any other default. */
  readonly default: string;
  readonly validations: ReadonlyArray<{ condition: string; errorMessage: string; comment: readonly string[] }>;
}

/**
 * main.tf interleaves variables with other blocks; a variable goes before the data sources, before
 * the version local, or after it. These are the first variables of the second and third runs.
 */
const AFTER_DATA_SOURCES_FROM = 'web_app_order';
const AFTER_VERSION_LOCAL_FROM = 'agentapi_subdomain';

function variableView(variable: ModuleVariable, facts: ConfigFacts): VariableView {
  const value = defaultOf(variable, facts.configValue);
  return {
    name: variable.name,
    type: variable.type,
    description: describeVariable(variable, { taskIdFromDataSource: facts.taskIdSource === 'data-source', messageCount: facts.messageCount }),
    hasDefault: !isRequired(variable),
    defaultIsString: typeof value === 'string',
    default: typeof value === 'string' ? value : value === null || value === undefined ? 'null' : String(value),
    validations: (variable.validations ?? []).map((rule) => ({
      condition: rule.condition,
      errorMessage: rule.errorMessage,
      comment: rule.comment ?? [],
    })),
  };
}

/** Splits the declared variables into main.tf's three runs. */
function runs(views: VariableView[]): [VariableView[], VariableView[], VariableView[]] {
  const index = (name: string) => {
    const at = views.findIndex((view) => view.name === name);
    return at < 0 ? views.length : at;
  };
  const second = Math.min(index(AFTER_DATA_SOURCES_FROM), index(AFTER_VERSION_LOCAL_FROM));
  const third = index(AFTER_VERSION_LOCAL_FROM);
  return [views.slice(0, second), views.slice(second, third), views.slice(third)];
}

export function moduleTemplateView(model: ModuleInterface, facts: ConfigFacts) {
  const views = model.variables.filter((variable) => declaredIn(variable, facts.taskIdSource)).map((variable) => variableView(variable, facts));
  const [variablesBeforeDataSources, variablesBeforeVersionLocal, variablesAfterVersionLocal] = runs(views);
  return {
    variablesBeforeDataSources,
    variablesBeforeVersionLocal,
    variablesAfterVersionLocal,
    startInputLines: model.startInputs.map(inputLine),
    shutdownInputLines: model.shutdownInputs.map(inputLine),
    outputs: model.outputs,
    subdomainFalseMinVersionExpr: SUBDOMAIN_FALSE_MIN_VERSION_EXPR,
    /** The locals validations read, by name: a module that copies a validation copies these too. */
    validationLocals: { agentapi_subdomain_false_min_version_expr: SUBDOMAIN_FALSE_MIN_VERSION_EXPR } as Readonly<Record<string, string>>,
    /** The `coder/coder` constraint: `data "coder_task"` needs 2.13; a `task_id` variable works from 2.5. */
    coderProviderVersion: facts.taskIdSource === 'data-source' ? '>= 2.13' : '>= 2.5',
    /** Every variable main.tf declares, in its order: what an agent module passes through. */
    declaredVariables: views,
    inputsTable: inputsTable(model, {
      mode: facts.taskIdSource,
      taskIdFromDataSource: facts.taskIdSource === 'data-source',
      messageCount: facts.messageCount,
      configValue: facts.configValue,
    }),
  };
}
