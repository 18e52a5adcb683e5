/**
 * The shape of a module interface: what a Terraform variable, a script input and an output are.
 * Nothing here knows Terraform syntax beyond the strings it carries, cdktf, or the generator config.
 */

/** Terraform's primitive types; the module has no collection variables. */
export type TfType = 'string' | 'number' | 'bool';

/** The JavaScript value of a Terraform type. */
export type TsValue<T extends TfType> = T extends 'string' ? string : T extends 'number' ? number : boolean;

/** Values of other variables, by Terraform name, for validations that refer to them. */
export type OtherValues = Readonly<Record<string, unknown>>;

/**
 * One `validation` block, written once for both sides: `condition` is the Terraform expression,
 * `accepts` the same rule in TypeScript (a property test holds them together).
 */
export interface Validation {
  /** Terraform source of the condition; may span lines and carry `#` comments. */
  readonly condition: string;
  readonly errorMessage: string;
  /** Other variables the condition reads; `accepts` gets their values. */
  readonly references?: readonly string[];
  /** Comment lines put above the condition in main.tf (why the rule is what it is). */
  readonly comment?: readonly string[];
  readonly accepts: (value: never, others: OtherValues) => boolean;
}

/** Which generator config field gives a default: `config.<group>.<key>`. */
export interface ConfigDefault<T extends TfType = TfType> {
  readonly group: 'defaults' | 'timeouts';
  readonly key: string;
  /** The built-in value, the registry module's default. */
  readonly value: TsValue<T>;
}

/** What descriptions may depend on: facts of the generator config. */
export interface DescribeContext {
  readonly taskIdFromDataSource: boolean;
  readonly messageCount: number;
}

export type TaskIdMode = 'data-source' | 'variable';

export interface ModuleVariable<T extends TfType = TfType> {
  readonly name: string;
  readonly type: T;
  readonly description: string | ((context: DescribeContext) => string);
  /** No `default` key: required. `null`: Terraform `default = null` (the variable may be left out). */
  readonly default?: TsValue<T> | null;
  /** The default comes from the generator config (and `default`, if also set, is ignored). */
  readonly configDefault?: ConfigDefault<T>;
  /** Declared only in this task-ID mode; both when absent. */
  readonly onlyIn?: TaskIdMode;
  readonly validations?: readonly Validation[];
  /** Ours, not the registry module's (listed as an addition in the README). */
  readonly addition?: boolean;
}

/**
 * How a value reaches a script: `raw` for bools and numbers (`'${var.x}'`, Terraform prints them
 * without quotes), `quoted` for strings (`'${replace(var.x, "'", "'\\''")}'`, POSIX single-quoted).
 */
export type Quoting = 'raw' | 'quoted';

export interface ScriptInput {
  /** The shell variable the script reads, `ARG_*`. */
  readonly arg: string;
  /** A module variable (`var.<name>`) or a local value (`local.<name>`). */
  readonly from: { readonly variable: string } | { readonly local: string; readonly reads: readonly string[] };
  readonly quoting: Quoting;
}

export interface ModuleOutput {
  readonly name: string;
  /** Terraform expression of the value. */
  readonly value: string;
  readonly description: string;
}

export interface ModuleInterface {
  readonly variables: readonly ModuleVariable[];
  /** Assignments at the head of the start script, in order. */
  readonly startInputs: readonly ScriptInput[];
  /** Assignments at the head of the shutdown script, in order. */
  readonly shutdownInputs: readonly ScriptInput[];
  readonly outputs: readonly ModuleOutput[];
}
