/**
 * How this repository writes a provider schema: attributes with their kind, default and
 * validation, nested blocks, and per-type behaviour. `to-proto-schema.ts` turns it into the
 * protocol's Schema messages; `validate.ts`, `plan.ts` and `read.ts` act on it.
 */
import type { CtyType, ObjectValue, Value } from './values.ts';

/** required / optional / computed (read-only) / optional+computed, as the Go SDK marks them. */
export type AttributeKind = 'required' | 'optional' | 'computed' | 'optional-computed';

/** Returns the error text for a bad value, or undefined when the value is fine. */
export type ValueCheck = (value: Value) => string | undefined;

export interface AttributeSpec {
  type: CtyType;
  kind: AttributeKind;
  description?: string;
  sensitive?: boolean;
  deprecated?: boolean;
  /** The Go SDK's `Default`: filled in at plan time when the configuration leaves it null. */
  default?: Value;
  /** Checked at validate time on known, non-null values (the Go SDK's ValidateFunc). */
  check?: ValueCheck;
  /** The Go SDK's ConflictsWith: other attributes or blocks of the same block. */
  conflictsWith?: string[];
}

export interface NestedBlockSpec {
  nesting: 'list' | 'set' | 'single';
  minItems?: number;
  maxItems?: number;
  block: BlockSpec;
  conflictsWith?: string[];
}

export interface BlockSpec {
  attributes: Record<string, AttributeSpec>;
  blocks?: Record<string, NestedBlockSpec>;
  description?: string;
  deprecated?: boolean;
}

/** Environment of the provider process: the provisioner's, where Coder passes workspace facts. */
export type ProviderEnv = Record<string, string | undefined>;

/** What a read or create can see: the environment and the configured provider's access URL. */
export interface ProviderContext {
  env: ProviderEnv;
  url: string;
}

export interface ResourceSpec {
  block: BlockSpec;
  /** Schema version recorded in state (the real provider's SchemaVersion). */
  version?: number;
  /**
   * Fills the computed attributes at apply (create) time; returns an error text to fail the apply
   * the way the real provider's CreateContext does. `id` is filled before this is called.
   */
  create?: (state: ObjectValue, ctx: ProviderContext) => string | undefined;
}

export interface DataSourceSpec {
  block: BlockSpec;
  version?: number;
  /** The data source's values, computed from the configuration and the environment. */
  read: (config: ObjectValue, ctx: ProviderContext) => ObjectValue | string;
}

export interface ProviderSpec {
  provider: BlockSpec;
  resources: Record<string, ResourceSpec>;
  dataSources: Record<string, DataSourceSpec>;
}
