// Issue 11: the construct and Terraform accept exactly the same values. Each validation's TypeScript
// rule (what the construct and the config run) against its Terraform condition as rendered into
// main.tf, evaluated by the harness's HCL evaluator, on random values of the variable's type.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateJson, HclEvalError, type EvalContext, type HclValue } from '../../src/harness/hcl-eval.ts';
import { AGENTAPI_INTERFACE, type ModuleVariable, type TfType, type Validation } from '../../src/module/index.ts';
import { allLocals, parseMainTf } from '../helpers/module.ts';

/** Strings near every rule's edges (slugs, UUIDs, versions, blanks) plus arbitrary text. */
const EDGE_STRINGS = [
  '', ' ', '\t', '\n', '\r', '\u00a0', '\u000b', 'a', ' a ', 'claude', 'claude-cli', 'cli--app', '-a', 'a-', 'Claude', 'a_b',
  '0e7b4a39-5a1c-4a43-9a0f-3a1c8f0d2b11', '0E7B4A39-5A1C-4A43-9A0F-3A1C8F0D2B11', '0e7b4a39-5a1c-4a43-9a0f-3a1c8f0d2b1',
  'v0.3.2', 'v0.3.3', 'v0.3.10', 'v0.4.0', 'v1.0.0', 'v00.3.3', 'v0.03.5', 'v0.3.03', 'v10.0.0', 'latest', 'main', 'v0.3', '0.3.3',
];

const stringValue = fc.oneof(fc.constantFrom(...EDGE_STRINGS), fc.string(), fc.stringMatching(/^v\d{1,2}\.\d{1,2}\.\d{1,2}$/), fc.stringMatching(/^[a-z0-9-]{1,6}$/));
const numberValue = fc.oneof(
  fc.constantFrom(-1, 0, 1, 0.5, 1.5, 3599, 3600, 3601, 65535, 65536, 1e21, -0),
  fc.integer({ min: -100, max: 70_000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

function arbitraryOf(type: TfType, nullable: boolean): fc.Arbitrary<HclValue> {
  const base: fc.Arbitrary<HclValue> = type === 'string' ? stringValue : type === 'number' ? numberValue : fc.boolean();
  return nullable ? fc.oneof(base, fc.constant(null)) : base;
}

const variables = new Map(AGENTAPI_INTERFACE.variables.map((variable) => [variable.name, variable]));
const nullable = (variable: ModuleVariable) => 'default' in variable && variable.default === null;

const rules: Array<[string, number, ModuleVariable, Validation]> = AGENTAPI_INTERFACE.variables.flatMap((variable) =>
  (variable.validations ?? []).map((rule, index): [string, number, ModuleVariable, Validation] => [variable.name, index, variable, rule]),
);

describe('every validation: TypeScript rule == Terraform condition', async () => {
  // Variable mode declares every variable (task_id too).
  const parsed = await parseMainTf({ taskIdSource: 'variable' });
  const locals = allLocals(parsed);

  function terraformAccepts(name: string, index: number, values: Record<string, HclValue>): boolean {
    const condition = (parsed.variable[name]?.[0]?.validation?.[index] as { condition: string } | undefined)?.condition;
    if (condition === undefined) throw new Error(`main.tf has no validation ${index} on ${name}`);
    const ctx: EvalContext = {
      variable: (wanted) => {
        if (!(wanted in values)) throw new Error(`the condition of ${name} reads var.${wanted}, which the model does not list in references`);
        return values[wanted] as HclValue;
      },
      local: (wanted) => evaluateJson(locals[wanted], ctx),
      data: (type) => {
        throw new Error(`the condition of ${name} reads data.${type}`);
      },
      pathModule: '.',
    };
    try {
      // A condition that errors fails the plan: the value is rejected.
      return evaluateJson(condition, ctx) === true;
    } catch (error) {
      if (error instanceof HclEvalError) return false;
      throw error;
    }
  }

  it('has rules to check', () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rules.map(([name, index, variable, rule]) => [`${name}[${index}]`, name, index, variable, rule] as const))(
    '%s',
    (_label, name, index, variable, rule) => {
      const references = rule.references ?? [];
      const others = fc.record(
        Object.fromEntries(
          references.map((other) => {
            const declared = variables.get(other);
            if (declared === undefined) throw new Error(`${name} references unknown variable ${other}`);
            return [other, arbitraryOf(declared.type, false)];
          }),
        ),
      );
      fc.assert(
        fc.property(arbitraryOf(variable.type, nullable(variable)), others, (value, otherValues) => {
          const typeScript = (rule.accepts as (value: unknown, others: object) => boolean)(value, otherValues);
          expect(typeScript, `value ${JSON.stringify(value)}, others ${JSON.stringify(otherValues)}`).toBe(
            terraformAccepts(name, index, { [name]: value, ...otherValues }),
          );
        }),
        { numRuns: 300 },
      );
    },
  );
});
