// The construct and Terraform accept exactly the same values. Each validation's TypeScript
// rule (what the construct and the config run) against its Terraform condition as rendered into
// main.tf, evaluated by the harness's HCL evaluator, on random values of the variable's type.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateJson, HclEvalError, type EvalContext, type HclValue } from '../../src/agent-simulation/hcl-eval.ts';
import { allLocals, parseMainTf } from '../support/module.ts';
import { arbitraryOf, nullable, rules, variables } from '../support/arbitraries.ts';

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
