/**
 * The config groups that hold module variable defaults (`defaults`, `timeouts`), made from the
 * interface model: one field per variable with a config default, its type, its built-in value and
 * its own validations. The config accepts exactly what Terraform's validation accepts.
 */
import { z } from 'zod';
import { AGENTAPI_VARIABLES, type AgentapiVariable, type ModuleVariable, type TsValue, type Validation } from '../module/index.ts';

type WithConfigDefault = Extract<AgentapiVariable, { configDefault: object }>;
export type ConfigGroup = WithConfigDefault['configDefault']['group'];

/** The fields of one group, typed from the model (`defaults.agentapiPort: number`, ...). */
export type GroupValues<G extends ConfigGroup> = {
  -readonly [V in WithConfigDefault as V['configDefault']['group'] extends G ? V['configDefault']['key'] : never]: TsValue<V['type']>;
};

function baseSchema(variable: ModuleVariable): z.ZodType {
  if (variable.type === 'string') return z.string();
  if (variable.type === 'number') return z.number();
  return z.boolean();
}

/** Validations that read only the variable itself; the others run once the whole config is known. */
function ownRules(variable: ModuleVariable): readonly Validation[] {
  return (variable.validations ?? []).filter((rule) => (rule.references ?? []).length === 0);
}

function fieldSchema(variable: ModuleVariable): z.ZodType {
  let schema = baseSchema(variable);
  for (const rule of ownRules(variable)) {
    const accepts = rule.accepts as (value: unknown, others: object) => boolean;
    schema = schema.refine((value) => accepts(value, {}), { message: rule.errorMessage });
  }
  return schema.default(variable.configDefault?.value as never);
}

/** The zod object of one group, strict (an unknown key is a mistake), every field defaulted. */
export function groupSchema<G extends ConfigGroup>(group: G): z.ZodDefault<z.ZodType<GroupValues<G>, Partial<GroupValues<G>>>> {
  const shape: Record<string, z.ZodType> = {};
  for (const variable of AGENTAPI_VARIABLES as readonly ModuleVariable[]) {
    if (variable.configDefault?.group === group) shape[variable.configDefault.key] = fieldSchema(variable);
  }
  const object = z.object(shape).strict();
  // The shape is built at run time; its static type comes from the model's literal types.
  return object.default(() => object.parse({})) as unknown as z.ZodDefault<z.ZodType<GroupValues<G>, Partial<GroupValues<G>>>>;
}
