/**
 * Validations that read more than one variable (agentapi_subdomain reads agentapi_version), run on
 * the defaults a config gives: the module's own validation would reject them at `terraform plan`.
 */
import { AGENTAPI_VARIABLES, defaultOf, type ModuleVariable } from '../module/index.ts';

export interface CrossProblem {
  readonly path: [string, string];
  readonly message: string;
}

/** The default of every variable by Terraform name, as a config with these groups gives them. */
function defaultsByName(groups: Readonly<Record<string, Readonly<Record<string, unknown>>>>): Record<string, unknown> {
  const configValue = (group: string, key: string) => groups[group]?.[key];
  return Object.fromEntries((AGENTAPI_VARIABLES as readonly ModuleVariable[]).map((variable) => [variable.name, defaultOf(variable, configValue)]));
}

export function crossCheckDefaults(groups: Readonly<Record<string, Readonly<Record<string, unknown>>>>): CrossProblem[] {
  const values = defaultsByName(groups);
  const problems: CrossProblem[] = [];
  for (const variable of AGENTAPI_VARIABLES as readonly ModuleVariable[]) {
    if (variable.configDefault === undefined) continue;
    for (const rule of variable.validations ?? []) {
      if ((rule.references ?? []).length === 0) continue;
      const accepts = rule.accepts as (value: unknown, others: Record<string, unknown>) => boolean;
      if (accepts(values[variable.name], values)) continue;
      const shown = [variable.name, ...(rule.references ?? [])].map((name) => `${name} = ${JSON.stringify(values[name])}`).join(', ');
      problems.push({ path: [variable.configDefault.group, variable.configDefault.key], message: `${rule.errorMessage} (defaults: ${shown})` });
    }
  }
  return problems;
}
