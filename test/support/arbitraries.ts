// Random values of a variable's type, near every validation's edges: shared by the property tests.
import fc from 'fast-check';
import type { HclValue } from '../../src/agent-simulation/hcl-eval.ts';
import { AGENTAPI_INTERFACE, type ModuleVariable, type TfType, type Validation } from '../../src/module/index.ts';

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

export function arbitraryOf(type: TfType, nullable: boolean): fc.Arbitrary<HclValue> {
  const base: fc.Arbitrary<HclValue> = type === 'string' ? stringValue : type === 'number' ? numberValue : fc.boolean();
  return nullable ? fc.oneof(base, fc.constant(null)) : base;
}

export const variables = new Map(AGENTAPI_INTERFACE.variables.map((variable) => [variable.name, variable]));
export const nullable = (variable: ModuleVariable) => 'default' in variable && variable.default === null;

export const rules: Array<[string, number, ModuleVariable, Validation]> = AGENTAPI_INTERFACE.variables.flatMap((variable) =>
  (variable.validations ?? []).map((rule, index): [string, number, ModuleVariable, Validation] => [variable.name, index, variable, rule]),
);

