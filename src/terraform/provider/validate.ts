/**
 * What the real provider checks at `terraform validate`: each attribute's ValidateFunc on known
 * values, and ConflictsWith. Names, types and required attributes are Terraform's own checks
 * against the schema, so a wrong attribute name fails without the provider's help.
 */
import { attributePath, errorDiagnostic, type ProtoDiagnostic } from './diagnostics.ts';
import type { BlockSpec } from './schema-spec.ts';
import { isObject, isUnknown, type ObjectValue, type Value } from './values.ts';

export function validateBlock(block: BlockSpec, config: Value, path: Array<string | number> = []): ProtoDiagnostic[] {
  if (!isObject(config)) return [];
  return [...checkAttributes(block, config, path), ...checkConflicts(block, config, path), ...checkNested(block, config, path)];
}

function checkAttributes(block: BlockSpec, config: ObjectValue, path: Array<string | number>): ProtoDiagnostic[] {
  const out: ProtoDiagnostic[] = [];
  for (const [name, spec] of Object.entries(block.attributes)) {
    const value = config[name];
    if (spec.check === undefined || value === undefined || value === null || isUnknown(value)) continue;
    const problem = spec.check(value);
    if (problem !== undefined) out.push(errorDiagnostic(problem, '', attributePath(...path, name)));
  }
  return out;
}

function isSet(value: Value | undefined): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function checkConflicts(block: BlockSpec, config: ObjectValue, path: Array<string | number>): ProtoDiagnostic[] {
  const out: ProtoDiagnostic[] = [];
  const specs = [...Object.entries(block.attributes), ...Object.entries(block.blocks ?? {})];
  for (const [name, spec] of specs) {
    if (!isSet(config[name])) continue;
    for (const other of spec.conflictsWith ?? []) {
      if (isSet(config[other])) {
        out.push(errorDiagnostic('Conflicting configuration arguments', `"${name}": conflicts with ${other}`, attributePath(...path, name)));
      }
    }
  }
  return out;
}

function checkNested(block: BlockSpec, config: ObjectValue, path: Array<string | number>): ProtoDiagnostic[] {
  const out: ProtoDiagnostic[] = [];
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const value = config[name];
    if (nested.nesting === 'single') out.push(...validateBlock(nested.block, value ?? null, [...path, name]));
    else if (Array.isArray(value)) value.forEach((element, index) => out.push(...validateBlock(nested.block, element, [...path, name, index])));
  }
  return out;
}
