/**
 * The construct's props, derived from the interface model (src/module/variables.ts): one camelCase
 * prop per module variable, required exactly when the variable has no default. A variable added to
 * the model is a prop here with no other edit.
 */
import type { IResolvable, ITerraformDependable, TerraformProvider } from 'cdktf';
import type { AgentapiVariable, TfType, TsValue } from '../module/index.ts';

/** `web_app_slug` -> `webAppSlug`. */
export type CamelCase<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<CamelCase<Tail>>}` : S;

/** A bool may be a reference (`IResolvable`); string and number tokens are encoded in the value itself. */
type PropValue<T extends TfType> = T extends 'bool' ? boolean | IResolvable : TsValue<T>;

type HasDefault<V> = V extends { default: unknown } | { configDefault: unknown } ? true : false;

/** One prop per variable of the generated module (`modules/agentapi/main.tf`); see the module README's inputs table. */
export type AgentapiModuleVariables = {
  readonly [V in AgentapiVariable as HasDefault<V> extends true ? never : CamelCase<V['name']>]: PropValue<V['type']>;
} & {
  readonly [V in AgentapiVariable as HasDefault<V> extends true ? CamelCase<V['name']> : never]?: PropValue<V['type']>;
};

/** How the module itself is referenced; these are not module variables. */
export interface AgentapiModuleOptions {
  /**
   * Module source (default `./modules/agentapi`). A relative source is written as given, and Terraform
   * resolves it from the directory it runs in (for `cdktf synth`, `cdktf.out/stacks/<stack>/`).
   */
  readonly source?: string;
  /** Module version; only for registry sources (Terraform rejects a version on a local path). */
  readonly version?: string;
  /**
   * Keep a relative `source` as written instead of copying the module into a cdktf asset (default true).
   * false needs the `cdktfRelativeModules` context, which the cdktf CLI provides.
   */
  readonly skipAssetCreationFromLocalModules?: boolean;
  readonly providers?: TerraformProvider[];
  readonly dependsOn?: ITerraformDependable[];
}

export interface AgentapiModuleProps extends AgentapiModuleVariables, AgentapiModuleOptions {}

export type AgentapiModulePropName = keyof AgentapiModuleVariables;

export const OPTION_NAMES: ReadonlySet<string> = new Set<keyof AgentapiModuleOptions>([
  'source',
  'version',
  'skipAssetCreationFromLocalModules',
  'providers',
  'dependsOn',
]);

export const DEFAULT_MODULE_SOURCE = './modules/agentapi';

/** `web_app_slug` -> `webAppSlug`, at run time. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_match, letter: string) => letter.toUpperCase());
}
