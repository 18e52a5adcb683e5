/**
 * Terraform's DynamicValue encoding: cty values as msgpack, where an unknown value is msgpack
 * extension type 0 (cty also decodes type 12, an unknown with refinements, which newer Terraform
 * may send). Values going back are shaped to the block's type first: Terraform rejects an object
 * that lacks one of its attributes.
 */
import { decode, encode, ExtensionCodec } from '@msgpack/msgpack';
import type { BlockSpec } from './schema-spec.ts';
import { type CtyType, isObject, isUnknown, type ObjectValue, UNKNOWN, type Value } from './values.ts';

const UNKNOWN_EXT = 0;
const REFINED_UNKNOWN_EXT = 12;

const extensionCodec = new ExtensionCodec();
extensionCodec.register({
  type: UNKNOWN_EXT,
  encode: (input: unknown) => (input === UNKNOWN ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
extensionCodec.register({ type: REFINED_UNKNOWN_EXT, encode: () => null, decode: () => UNKNOWN });

export interface DynamicValue {
  msgpack?: Uint8Array | Buffer;
  json?: Uint8Array | Buffer;
}

/** Decodes a DynamicValue (msgpack, or JSON when that is what Terraform sent). */
export function decodeDynamic(dynamic: DynamicValue | null | undefined): Value {
  if (dynamic?.msgpack !== undefined && dynamic.msgpack.length > 0) return decode(dynamic.msgpack, { extensionCodec }) as Value;
  if (dynamic?.json !== undefined && dynamic.json.length > 0) return JSON.parse(Buffer.from(dynamic.json).toString('utf8')) as Value;
  return null;
}

/** Encodes a value of the block's type, every attribute and nested block present. */
export function encodeDynamic(value: Value, block: BlockSpec): DynamicValue {
  return { msgpack: encode(conform(value, blockType(block)), { extensionCodec, ignoreUndefined: false }) };
}

/** The object type a block implies: its attributes plus one attribute per nested block. */
export function blockType(block: BlockSpec): CtyType {
  const fields: Record<string, CtyType> = {};
  for (const [name, attribute] of Object.entries(block.attributes)) fields[name] = attribute.type;
  for (const [name, nested] of Object.entries(block.blocks ?? {})) {
    const inner = blockType(nested.block);
    fields[name] = nested.nesting === 'single' ? inner : [nested.nesting, inner];
  }
  return ['object', fields];
}

/** Shapes a value to a type: objects get every attribute (missing ones null), numbers stay numbers. */
export function conform(value: Value | undefined, type: CtyType): Value {
  if (value === undefined || value === null) return null;
  if (isUnknown(value)) return UNKNOWN;
  if (typeof type === 'string') return conformPrimitive(value, type);
  const [kind, inner] = type;
  if (kind === 'object') {
    const source: ObjectValue = isObject(value) ? value : {};
    const out: ObjectValue = {};
    for (const [name, fieldType] of Object.entries(inner as Record<string, CtyType>)) out[name] = conform(source[name], fieldType);
    return out;
  }
  if (kind === 'map') {
    const out: ObjectValue = {};
    for (const [key, element] of Object.entries(isObject(value) ? value : {})) out[key] = conform(element, inner as CtyType);
    return out;
  }
  return (Array.isArray(value) ? value : []).map((element) => conform(element, inner as CtyType));
}

function conformPrimitive(value: Value, type: 'string' | 'number' | 'bool'): Value {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : String(value);
    case 'number':
      return typeof value === 'number' ? value : Number(value);
    case 'bool':
      return typeof value === 'boolean' ? value : value === 'true';
  }
}
