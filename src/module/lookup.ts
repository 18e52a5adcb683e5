/** Questions asked of a variable list by every renderer. */
import type { DescribeContext, ModuleVariable, TaskIdMode, TfType, TsValue } from './types.ts';

/** Required exactly when Terraform has no default to fall back on. */
export function isRequired(variable: ModuleVariable): boolean {
  return variable.configDefault === undefined && !('default' in variable);
}

/** Whether the module generated in `mode` declares the variable. */
export function declaredIn(variable: ModuleVariable, mode: TaskIdMode): boolean {
  return variable.onlyIn === undefined || variable.onlyIn === mode;
}

/**
 * The default main.tf gets: the config's value for a config default (looked up with `configValue`),
 * otherwise the literal; undefined for a required variable.
 */
export function defaultOf<T extends TfType>(
  variable: ModuleVariable<T>,
  configValue: (group: string, key: string) => unknown = () => undefined,
): TsValue<T> | null | undefined {
  if (variable.configDefault !== undefined) {
    const value = configValue(variable.configDefault.group, variable.configDefault.key);
    return value === undefined ? variable.configDefault.value : (value as TsValue<T>);
  }
  return variable.default;
}

export function describeVariable(variable: ModuleVariable, context: DescribeContext): string {
  return typeof variable.description === 'function' ? variable.description(context) : variable.description;
}
