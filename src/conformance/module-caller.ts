/**
 * Who calls the agentapi module under test (types only, so the scenario types can name it without
 * importing the code that acts on it; see module-call.ts).
 */
export interface FixedCall {
  kind: 'fixed';
  /** Who calls, for reasons and notes, e.g. `template examples/x (module.agentapi)`. */
  caller: string;
  /** Values the call gives agentapi's variables (those the stop script reads, minus the harness's own). */
  inputs: Readonly<Record<string, unknown>>;
}

export interface WrapperCall {
  kind: 'wrapper';
  caller: string;
  /** The agent module's directory: its main.tf holds `module "agentapi"`. */
  wrapperDir: string;
  /** Values for the agent module's own variables (its required ones, --var). */
  variables: Readonly<Record<string, unknown>>;
}

export type ModuleCaller = FixedCall | WrapperCall;
