/** Turns this repository's schema specs into the protocol's Schema messages (GetProviderSchema). */
import type { AttributeSpec, BlockSpec, NestedBlockSpec } from './schema-spec.ts';

const NESTING = { single: 'SINGLE', list: 'LIST', set: 'SET' } as const;

export interface ProtoSchema {
  version: number;
  block: ProtoBlock;
}

interface ProtoBlock {
  version: number;
  attributes: object[];
  block_types: object[];
  description: string;
  deprecated: boolean;
}

export function toProtoSchema(block: BlockSpec, version = 0): ProtoSchema {
  return { version, block: toProtoBlock(block, version) };
}

function toProtoBlock(block: BlockSpec, version: number): ProtoBlock {
  return {
    version,
    // Sorted like the Go SDK sends them, so schema dumps are stable.
    attributes: Object.entries(block.attributes)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, spec]) => toProtoAttribute(name, spec)),
    block_types: Object.entries(block.blocks ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, spec]) => toProtoNestedBlock(name, spec)),
    description: block.description ?? '',
    deprecated: block.deprecated ?? false,
  };
}

function toProtoAttribute(name: string, spec: AttributeSpec): object {
  return {
    name,
    type: Buffer.from(JSON.stringify(spec.type)),
    description: spec.description ?? '',
    required: spec.kind === 'required',
    optional: spec.kind === 'optional' || spec.kind === 'optional-computed',
    computed: spec.kind === 'computed' || spec.kind === 'optional-computed',
    sensitive: spec.sensitive ?? false,
    deprecated: spec.deprecated ?? false,
  };
}

function toProtoNestedBlock(name: string, spec: NestedBlockSpec): object {
  return {
    type_name: name,
    block: toProtoBlock(spec.block, 0),
    nesting: NESTING[spec.nesting],
    min_items: spec.minItems ?? 0,
    max_items: spec.maxItems ?? 0,
  };
}
