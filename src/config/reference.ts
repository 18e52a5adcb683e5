/**
 * The README's config reference rows for the fields that are module variable defaults, from the
 * model: field, built-in value, the variable it sets, the rule it must pass (Terraform's own).
 */
import { AGENTAPI_VARIABLES, type ModuleVariable } from '../module/index.ts';

export function variableDefaultRows(): string {
  const header = ['| field | default | sets variable | rule (the module\'s own validation) |', '|---|---|---|---|'];
  const rows = (AGENTAPI_VARIABLES as readonly ModuleVariable[]).flatMap((variable) => {
    const config = variable.configDefault;
    if (config === undefined) return [];
    const rules = (variable.validations ?? []).map((rule) => rule.errorMessage.replace(/\|/g, '\\|')).join(' ');
    return [`| \`${config.group}.${config.key}\` | \`${JSON.stringify(config.value)}\` | \`${variable.name}\` | ${rules} |`];
  });
  return [...header, ...rows].join('\n');
}
