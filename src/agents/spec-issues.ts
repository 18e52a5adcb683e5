/**
 * Zod's issues about a spec, in the spec author's words: the field (with its line in the file), and
 * a problem that says what to do. "required" for a missing field (with the valid values when there
 * is a fixed set), "unknown field; did you mean ..." for a misspelt one. The known fields are read
 * from the schema itself, so a field added to the schema is covered without touching this file.
 */
import type { z } from 'zod';
import { closest } from './did-you-mean.ts';

type Path = ReadonlyArray<PropertyKey>;
type Issue = z.core.$ZodIssue;

export interface IssueSource {
  /** The parsed spec, before validation. */
  raw: unknown;
  schema: z.ZodType;
  /** The line in the file of the field at a path (or of its nearest existing parent), if known. */
  lineOf: (path: Path) => number | undefined;
}

/** One line per problem: `field (line N): problem`. */
export function describeIssues(issues: readonly Issue[], source: IssueSource): string[] {
  return issues.flatMap((issue) => describeIssue(issue, [], source));
}

function describeIssue(issue: Issue, prefix: Path, source: IssueSource): string[] {
  const path = [...prefix, ...issue.path];
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) => line([...path, key], unknownField(key, knownKeys(source.schema, path)), source));
    case 'invalid_union':
      return closestBranch(issue.errors).flatMap((inner) => describeIssue(inner, path, source));
    case 'invalid_value':
      return [line(path, isMissing(source.raw, path) ? `required; one of: ${issue.values.map(String).join(', ')}` : notOneOf(valueAt(source.raw, path), issue.values), source)];
    case 'invalid_type':
      return [line(path, wrongType(issue.expected, path, source), source)];
    case 'too_small':
      return [line(path, issue.origin === 'string' && Number(issue.minimum) === 1 ? 'must not be empty' : issue.message, source)];
    default:
      return [line(path, issue.message, source)];
  }
}

function line(path: Path, problem: string, source: IssueSource): string {
  const field = path.length === 0 ? '(top level)' : path.map(String).join('.');
  const at = source.lineOf(path);
  return `  ${field}${at === undefined ? '' : ` (line ${at})`}: ${problem}`;
}

function unknownField(key: string, known: readonly string[]): string {
  const near = closest(key, known);
  if (near !== undefined) return `unknown field; did you mean "${near}"?`;
  return known.length === 0 ? 'unknown field' : `unknown field; the fields here are ${known.join(', ')}`;
}

function notOneOf(value: unknown, values: readonly unknown[]): string {
  const near = typeof value === 'string' ? closest(value, values.map(String)) : undefined;
  const list = values.map(String).join(', ');
  return `${JSON.stringify(value)} is not one of ${list}${near === undefined ? '' : `; did you mean "${near}"?`}`;
}

function wrongType(expected: string, path: Path, source: IssueSource): string {
  // An empty file parses to null.
  if (path.length === 0 && (source.raw === null || source.raw === undefined)) return `the spec is empty; it needs the fields ${knownKeys(source.schema, []).join(', ')}`;
  if (isMissing(source.raw, path)) return 'required';
  const actual = kindOf(valueAt(source.raw, path));
  if (path.length === 0) return `must be a YAML mapping of the spec's fields (${knownKeys(source.schema, []).join(', ')}), got ${actual}`;
  const wanted: Record<string, string> = { object: 'a mapping', array: 'a list', boolean: 'true or false' };
  return `must be ${wanted[expected] ?? `a ${expected}`}, got ${actual}`;
}

/** A union's branch the author most likely meant: the one with the fewest problems. */
function closestBranch(branches: ReadonlyArray<readonly Issue[]>): readonly Issue[] {
  return branches.reduce((best, branch) => (branch.length < best.length ? branch : best), branches[0] ?? []);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a ${typeof value === 'boolean' ? 'bool' : typeof value} (${JSON.stringify(value)})`;
}

function valueAt(raw: unknown, path: Path): unknown {
  let value = raw;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

function isMissing(raw: unknown, path: Path): boolean {
  return valueAt(raw, path) === undefined;
}

interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  element?: SchemaNode;
  innerType?: SchemaNode;
  options?: SchemaNode[];
  valueType?: SchemaNode;
  in?: SchemaNode;
}
interface SchemaNode {
  _zod: { def: SchemaDef };
}

/** The field names of the mapping at `path` in the schema (for a union, of all its branches). */
function knownKeys(schema: z.ZodType, path: Path): string[] {
  let nodes: SchemaNode[] = [schema as unknown as SchemaNode];
  for (const key of path) nodes = nodes.flatMap((node) => child(node, key));
  const objects = nodes.flatMap(variants).filter((node) => node._zod.def.type === 'object');
  return [...new Set(objects.flatMap((node) => Object.keys(node._zod.def.shape ?? {})))];
}

/** Looks through defaults, optionals, pipes and unions to the schemas a value can have. */
function variants(node: SchemaNode): SchemaNode[] {
  const def = node._zod.def;
  if (def.innerType !== undefined) return variants(def.innerType);
  if (def.type === 'pipe' && def.in !== undefined) return variants(def.in);
  if (def.type === 'union' && def.options !== undefined) return def.options.flatMap(variants);
  return [node];
}

function child(node: SchemaNode, key: PropertyKey): SchemaNode[] {
  return variants(node).flatMap((variant) => {
    const def = variant._zod.def;
    if (def.type === 'object' && typeof key === 'string' && def.shape?.[key] !== undefined) return [def.shape[key] as SchemaNode];
    if (def.type === 'array' && typeof key === 'number' && def.element !== undefined) return [def.element];
    if (def.type === 'record' && def.valueType !== undefined) return [def.valueType];
    return [];
  });
}
