/** The agentapi module's interface: variables, script inputs, outputs. cdktf-free, config-free. */
import { AGENTAPI_OUTPUTS } from './outputs.ts';
import { SHUTDOWN_INPUTS, START_INPUTS } from './script-inputs.ts';
import type { ModuleInterface } from './types.ts';
import { AGENTAPI_VARIABLES } from './variables.ts';

export const AGENTAPI_INTERFACE: ModuleInterface = Object.freeze({
  variables: AGENTAPI_VARIABLES,
  startInputs: START_INPUTS,
  shutdownInputs: SHUTDOWN_INPUTS,
  outputs: AGENTAPI_OUTPUTS,
});

export { AGENTAPI_VARIABLES, type AgentapiVariable } from './variables.ts';
export { inputLine, SHUTDOWN_INPUTS, START_INPUTS } from './script-inputs.ts';
export { MAX_TIMEOUT_SECONDS, SUBDOMAIN_FALSE_MIN_VERSION_EXPR } from './validations.ts';
export { declaredIn, defaultOf, describeVariable, isRequired } from './lookup.ts';
export { argsFedBy, scriptInputDocs } from './script-docs.ts';
export { inputsTable } from './inputs-table.ts';
export { moduleTemplateView, type ConfigFacts, type VariableView } from './template-view.ts';
export type * from './types.ts';
