import { normalizeRfc3339 } from '../shared/rfc3339.ts';
import { type GoJsonValue, GoJsonSyntaxError, parseGoJson } from './go-json-parse.ts';

/** A message as coderd re-marshals it (agentapi-sdk-go Message): every field present, in struct order. */
export interface StoredMessage {
  content: string;
  id: number;
  role: string;
  time: string;
}

/** What coderd stores as `data`: unknown fields gone, `$schema` kept when it was a string. */
export interface StoredPayload {
  $schema?: string;
  messages: StoredMessage[];
}

export type DecodeResult =
  | { ok: true; payload: StoredPayload }
  /** `decode`: 400 "Failed to decode request payload."; `structure`: 400 "Invalid agentapi payload structure." */
  | { ok: false; problem: 'decode' | 'structure'; detail: string };

const ZERO_TIME = '0001-01-01T00:00:00Z';
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Decodes a snapshot body the way coderd's `json.NewDecoder(body).Decode(&GetMessagesResponse{})`
 * does: field names match case-insensitively, later duplicates win, `null` leaves a field at its
 * zero value, ids must be int64 literals, times strict RFC 3339, unknown fields are ignored.
 * Where Go's decoder would read one value and ignore trailing bytes, this is stricter: the
 * whole body must be one JSON value (see the report on fidelity).
 */
export function decodeSnapshotBody(bytes: Buffer): DecodeResult {
  let root: GoJsonValue;
  try {
    root = parseGoJson(decodeUtf8(bytes));
  } catch (error) {
    if (error instanceof GoJsonSyntaxError) return { ok: false, problem: 'decode', detail: error.message };
    throw error;
  }
  try {
    const messages = decodeRoot(root);
    if (messages.messages === undefined) return { ok: false, problem: 'structure', detail: 'Missing required "messages" field.' };
    return { ok: true, payload: messages as StoredPayload };
  } catch (error) {
    if (error instanceof TypeMismatch) return { ok: false, problem: 'decode', detail: error.message };
    throw error;
  }
}

class TypeMismatch extends Error {}

/** Go replaces invalid UTF-8 inside strings with U+FFFD; a BOM is not skipped (Go rejects it). */
function decodeUtf8(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}

function decodeRoot(root: GoJsonValue): Partial<StoredPayload> {
  if (root.kind === 'null') return {};
  const entries = objectEntries(root, 'agentapisdk.GetMessagesResponse');
  const payload: Partial<StoredPayload> = {};
  for (const [key, value] of entries) {
    const field = matchField(key, ['$schema', 'messages']);
    if (field === '$schema') {
      if (value.kind === 'null') delete payload.$schema;
      else payload.$schema = stringValue(value, 'GetMessagesResponse.$schema');
    } else if (field === 'messages') {
      if (value.kind === 'null') delete payload.messages;
      else payload.messages = arrayItems(value, 'GetMessagesResponse.messages').map(decodeMessage);
    }
  }
  return payload;
}

function decodeMessage(value: GoJsonValue): StoredMessage {
  const message: StoredMessage = { content: '', id: 0, role: '', time: ZERO_TIME };
  if (value.kind === 'null') return message;
  for (const [key, field] of objectEntries(value, 'agentapisdk.Message')) {
    if (field.kind === 'null') continue;
    switch (matchField(key, ['content', 'id', 'role', 'time'])) {
      case 'content':
        message.content = stringValue(field, 'Message.content');
        break;
      case 'id':
        message.id = int64Value(field);
        break;
      case 'role':
        message.role = stringValue(field, 'Message.role');
        break;
      case 'time':
        message.time = timeValue(field);
        break;
    }
  }
  return message;
}

/**
 * Go's encoding/json matches a key to a field exactly, else case-insensitively with simple
 * Unicode folding (so "MESSAGES" or "Messages" fill `messages`).
 */
function matchField<T extends string>(key: string, fields: readonly T[]): T | undefined {
  const exact = fields.find((field) => field === key);
  if (exact !== undefined) return exact;
  const folded = foldKey(key);
  return fields.find((field) => foldKey(field) === folded);
}

function foldKey(key: string): string {
  return Array.from(key, (ch) => {
    const upper = ch.toLowerCase().toUpperCase();
    return upper.length === ch.length ? upper : ch;
  }).join('');
}

function objectEntries(value: GoJsonValue, goType: string): Array<[string, GoJsonValue]> {
  if (value.kind !== 'object') throw mismatch(value, goType);
  return value.entries;
}

function arrayItems(value: GoJsonValue, field: string): GoJsonValue[] {
  if (value.kind !== 'array') throw mismatch(value, `[]agentapisdk.Message (field ${field})`);
  return value.items;
}

function stringValue(value: GoJsonValue, field: string): string {
  if (value.kind !== 'string') throw mismatch(value, `string (field ${field})`);
  return value.value;
}

function int64Value(value: GoJsonValue): number {
  if (value.kind !== 'number' || !/^-?\d+$/.test(value.raw)) throw mismatch(value, 'int64 (field Message.id)');
  const big = BigInt(value.raw);
  if (big < INT64_MIN || big > INT64_MAX) throw mismatch(value, 'int64 (field Message.id)');
  return Number(big);
}

function timeValue(value: GoJsonValue): string {
  if (value.kind !== 'string') throw new TypeMismatch('Time.UnmarshalJSON: input is not a JSON string');
  const normalized = normalizeRfc3339(value.value);
  if (normalized === undefined) throw new TypeMismatch(`parsing time ${JSON.stringify(value.value)} as RFC 3339: cannot parse`);
  return normalized;
}

function mismatch(value: GoJsonValue, goType: string): TypeMismatch {
  const shown = value.kind === 'number' ? `number ${value.raw}` : value.kind;
  return new TypeMismatch(`json: cannot unmarshal ${shown} into Go value of type ${goType}`);
}

/** PostgreSQL jsonb rejects U+0000 in any string, which is why coderd answers 500 for it. */
export function containsNul(payload: StoredPayload): boolean {
  if (payload.$schema?.includes('\u0000')) return true;
  return payload.messages.some((message) => message.content.includes('\u0000') || message.role.includes('\u0000'));
}
