/**
 * The value checks the real Coder provider runs (its ValidateFunc / ValidateDiagFunc), as small
 * reusable functions; each returns the error text or undefined.
 */
import type { ValueCheck } from './schema-spec.ts';
import type { Value } from './values.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

export const uuidCheck: ValueCheck = (value) => (typeof value === 'string' && isUuid(value) ? undefined : `expected to be a valid UUID, got ${String(value)}`);

export function matches(pattern: RegExp, message: (value: string) => string): ValueCheck {
  return (value) => (typeof value === 'string' && pattern.test(value) ? undefined : message(String(value)));
}

export function oneOf(allowed: string[], name: string): ValueCheck {
  return (value) => (typeof value === 'string' && allowed.includes(value) ? undefined : `expected ${name} to be one of ${JSON.stringify(allowed)}, got ${String(value)}`);
}

export function intAtLeast(min: number, name: string): ValueCheck {
  return (value) => (typeof value === 'number' && value >= min ? undefined : `expected ${name} to be at least (${min}), got ${String(value)}`);
}

export function intBetween(min: number, max: number, name: string): ValueCheck {
  return (value) => (typeof value === 'number' && value >= min && value <= max ? undefined : `expected ${name} to be in the range (${min} - ${max}), got ${String(value)}`);
}

export function maxLength(max: number, what: string): ValueCheck {
  return (value) => (typeof value === 'string' && [...value].length > max ? `${what} is too long (max ${max} characters)` : undefined);
}

/** Go's url.Parse accepts nearly anything; it rejects ASCII control characters and bad %-escapes. */
export const urlCheck: ValueCheck = (value: Value) => {
  if (typeof value !== 'string') return 'expected a string';
  if (/[\x00-\x1f\x7f]/.test(value)) return `parse ${JSON.stringify(value)}: net/url: invalid control character in URL`;
  if (/%(?![0-9a-fA-F]{2})/.test(value)) return `parse ${JSON.stringify(value)}: invalid URL escape`;
  return undefined;
};

/**
 * coder_script's cron: six fields, seconds first (robfig/cron with a seconds field), each field
 * numbers, ranges, steps, lists, `*` or `?`; or a descriptor such as @daily.
 */
export const cronCheck: ValueCheck = (value) => {
  if (typeof value !== 'string') return 'expected a string';
  if (value === '') return undefined;
  if (/^@(yearly|annually|monthly|weekly|daily|midnight|hourly|every \S+)$/.test(value)) return undefined;
  const fields = value.trim().split(/\s+/);
  if (fields.length !== 6) return `${value} is not a valid cron expression: expected exactly 6 fields, found ${fields.length}: [${value}]`;
  const field = /^(\*|\?|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?(,(\*|[0-9A-Za-z]+(-[0-9A-Za-z]+)?)(\/[0-9]+)?)*$/;
  const bad = fields.find((text) => !field.test(text));
  return bad === undefined ? undefined : `${value} is not a valid cron expression: failed to parse field ${JSON.stringify(bad)}`;
};
