// The same agreement as validations.property.test.ts, judged by real Terraform instead of the
// harness's evaluator: each condition, with sampled values put in for its variables, is evaluated
// by one `terraform console` run (no provider needed), and must agree with the TypeScript rule.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { HclValue } from '../../src/agent-simulation/hcl-eval.ts';
import { SUBDOMAIN_FALSE_MIN_VERSION_EXPR } from '../../src/module/index.ts';
import { arbitraryOf, nullable, rules, variables } from '../support/arbitraries.ts';

const hasTerraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
const SAMPLES_PER_RULE = 40;

/** An HCL literal of a value; strings with the escapes HCL has, template sigils doubled. */
function hclLiteral(value: HclValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '0' : String(value);
  const escaped = [...String(value)]
    .map((char) => {
      const code = char.codePointAt(0)!;
      if (char === '"' || char === '\\') return `\\${char}`;
      if (code < 0x20 || code === 0x7f) return `\\u${code.toString(16).padStart(4, '0')}`;
      return char;
    })
    .join('');
  return `"${escaped.replace(/([$%])\{/g, '$1$1{')}"`;
}

function substitute(condition: string, values: Record<string, HclValue>): string {
  return condition
    // The console reads one line: comments out, lines joined.
    .replace(/^\s*#.*$/gm, '')
    .replace(/\n/g, ' ')
    .replace(/\blocal\.agentapi_subdomain_false_min_version_expr\b/g, hclLiteral(SUBDOMAIN_FALSE_MIN_VERSION_EXPR))
    .replace(/\bvar\.([a-z_]+)\b/g, (_match, name: string) => {
      if (!(name in values)) throw new Error(`condition reads var.${name}, which the model does not list in references`);
      return hclLiteral(values[name] as HclValue);
    });
}

describe('every validation: TypeScript rule == real Terraform', () => {
  it.skipIf(!hasTerraform)('agrees on sampled values of every rule (needs terraform)', () => {
    const cases = rules.flatMap(([name, index, variable, rule]) => {
      const references = rule.references ?? [];
      const record = fc.record({
        value: arbitraryOf(variable.type, nullable(variable)),
        others: fc.record(Object.fromEntries(references.map((other) => [other, arbitraryOf(variables.get(other)!.type, false)]))),
      });
      return fc.sample(record, { numRuns: SAMPLES_PER_RULE, seed: 11 }).map(({ value, others }) => ({
        label: `${name}[${index}] = ${JSON.stringify(value)} with ${JSON.stringify(others)}`,
        expression: substitute(rule.condition, { [name]: value, ...others }),
        typeScript: (rule.accepts as (value: unknown, others: object) => boolean)(value, others),
      }));
    });
    // One expression, one process: a condition that errors fails the plan, so it counts as "no".
    const list = cases.map((entry) => `try((${entry.expression}) ? "yes" : "no", "error")`).join(', ');
    const dir = mkdtempSync(join(tmpdir(), 'agentapi-kit-console-'));
    try {
      const run = spawnSync('terraform', ['console'], { cwd: dir, input: `[${list}]\n`, encoding: 'utf8', timeout: 120_000 });
      expect(run.status, run.stderr).toBe(0);
      const answers = [...run.stdout.matchAll(/"(yes|no|error)"/g)].map((match) => match[1] === 'yes');
      expect(answers).toHaveLength(cases.length);
      const disagreements = cases.filter((entry, at) => entry.typeScript !== answers[at]).map((entry) => entry.label);
      expect(disagreements).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
