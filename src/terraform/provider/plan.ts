/**
 * Plan and apply for managed resources, the way the Go SDK plans the Coder provider's resources:
 * defaults filled in, read-only attributes unknown until apply, and any change of configuration a
 * replacement (every argument of the Coder resources is ForceNew).
 */
import { randomUUID } from 'node:crypto';
import { attributePath, type PathStep } from './diagnostics.ts';
import type { BlockSpec, ProviderContext, ResourceSpec } from './schema-spec.ts';
import { type CtyType, isObject, isUnknown, type ObjectValue, UNKNOWN, type Value } from './values.ts';

export interface PlannedChange {
  planned: Value;
  requiresReplace: Array<{ steps: PathStep[] }>;
}

export function planResource(spec: ResourceSpec, prior: Value, proposed: Value): PlannedChange {
  if (!isObject(proposed)) return { planned: null, requiresReplace: [] };
  const withDefaults = fillBlock(spec.block, proposed, false);
  if (!isObject(prior)) return { planned: fillBlock(spec.block, proposed, true), requiresReplace: [] };
  const changed = changedArguments(spec.block, prior, withDefaults);
  if (changed.length === 0) return { planned: withDefaults, requiresReplace: [] };
  return {
    planned: fillBlock(spec.block, clearReadOnly(spec.block, proposed), true),
    requiresReplace: changed.map((name) => ({ steps: attributePath(name) })),
  };
}

/** Defaults for null optional arguments; with `unknownReadOnly`, null read-only attributes become unknown. */
function fillBlock(block: BlockSpec, value: ObjectValue, unknownReadOnly: boolean): ObjectValue {
  const out: ObjectValue = { ...value };
  for (const [name, spec] of Object.entries(block.attributes)) {
    const current = out[name] ?? null;
    if (current !== null) continue;
    if (spec.default !== undefined) out[name] = spec.default;
    else if (unknownReadOnly && (spec.kind === 'computed' || spec.kind === 'optional-computed')) out[name] = UNKNOWN;
  }
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const current = out[name];
    if (nested.nesting === 'single') {
      if (isObject(current)) out[name] = fillBlock(nested.block, current, unknownReadOnly);
    } else if (Array.isArray(current)) {
      out[name] = current.map((element) => (isObject(element) ? fillBlock(nested.block, element, unknownReadOnly) : element));
    }
  }
  return out;
}

function clearReadOnly(block: BlockSpec, value: ObjectValue): ObjectValue {
  const out: ObjectValue = { ...value };
  for (const [name, spec] of Object.entries(block.attributes)) if (spec.kind === 'computed') out[name] = null;
  return out;
}

function changedArguments(block: BlockSpec, prior: ObjectValue, next: ObjectValue): string[] {
  const argumentNames = [
    ...Object.entries(block.attributes)
      .filter(([, spec]) => spec.kind !== 'computed')
      .map(([name]) => name),
    ...Object.keys(block.blocks ?? {}),
  ];
  return argumentNames.filter((name) => !sameValue(prior[name] ?? null, next[name] ?? null));
}

function sameValue(a: Value, b: Value): boolean {
  if (isUnknown(a) || isUnknown(b)) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Apply: the planned value with its unknowns filled, as the resource's CreateContext would. */
export function applyResource(spec: ResourceSpec, planned: Value, ctx: ProviderContext): { state: Value; error?: string } {
  if (!isObject(planned)) return { state: null };
  if (!containsUnknown(planned)) return { state: planned };
  const state: ObjectValue = { ...planned, id: isUnknown(planned.id) || planned.id === null ? randomUUID() : (planned.id ?? null) };
  const error = spec.create?.(state, ctx);
  if (error !== undefined) return { state: null, error };
  return { state: zeroUnknowns(state, ['object', attributeTypes(spec.block)]) as ObjectValue };
}

function attributeTypes(block: BlockSpec): Record<string, CtyType> {
  return Object.fromEntries(Object.entries(block.attributes).map(([name, spec]) => [name, spec.type]));
}

function containsUnknown(value: Value): boolean {
  if (isUnknown(value)) return true;
  if (Array.isArray(value)) return value.some(containsUnknown);
  if (isObject(value)) return Object.values(value).some(containsUnknown);
  return false;
}

/** Read-only attributes a resource does not set come back as the Go SDK's zero values. */
function zeroUnknowns(value: Value, type: CtyType): Value {
  if (isUnknown(value)) return zeroValue(type);
  if (Array.isArray(value)) return value.map((element) => zeroUnknowns(element, Array.isArray(type) ? (type[1] as CtyType) : type));
  if (isObject(value) && Array.isArray(type) && type[0] === 'object') {
    const fields = type[1] as Record<string, CtyType>;
    return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, fields[name] === undefined ? zeroUnknownsLoose(field) : zeroUnknowns(field, fields[name])]));
  }
  return value;
}

function zeroUnknownsLoose(value: Value): Value {
  if (isUnknown(value)) return null;
  if (Array.isArray(value)) return value.map(zeroUnknownsLoose);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([name, field]) => [name, zeroUnknownsLoose(field)]));
  return value;
}

function zeroValue(type: CtyType): Value {
  if (type === 'string') return '';
  if (type === 'number') return 0;
  if (type === 'bool') return false;
  return type[0] === 'object' ? null : [];
}
