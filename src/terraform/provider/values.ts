/**
 * Values as Terraform sends them to a provider (cty values decoded from msgpack), and the schema
 * types that describe them. One concept: what a value and its type look like in this provider.
 */

/** A value Terraform does not know yet (planned, computed by the provider at apply). */
export const UNKNOWN: unique symbol = Symbol('unknown');
export type Unknown = typeof UNKNOWN;

export type Value = null | Unknown | string | number | boolean | Value[] | { [name: string]: Value };
export type ObjectValue = { [name: string]: Value };

/** cty types in the JSON form the protocol carries in Schema.Attribute.type. */
export type CtyType =
  | 'string'
  | 'number'
  | 'bool'
  | ['list' | 'set' | 'map', CtyType]
  | ['object', Record<string, CtyType>];

export function isUnknown(value: Value | undefined): value is Unknown {
  return value === UNKNOWN;
}

export function isObject(value: Value | undefined): value is ObjectValue {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when the value and everything inside it is known (validation only looks at those). */
export function isWhollyKnown(value: Value): boolean {
  if (isUnknown(value)) return false;
  if (Array.isArray(value)) return value.every(isWhollyKnown);
  if (isObject(value)) return Object.values(value).every(isWhollyKnown);
  return true;
}
