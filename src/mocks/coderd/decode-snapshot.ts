import { normalizeRfc3339 } from '../shared/rfc3339.ts';
import { GoJsonEndError, type GoJsonValue, GoJsonSyntaxError, parseGoJson } from './go-json-parse.ts';

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
 * Go type names as reflect prints them in decode errors: coderd decodes into
 * agentapisdk.GetMessagesResponse, an alias of the generated gen.MessagesResponseBody.
 */
const GO_TYPES = {
  root: 'gen.MessagesResponseBody',
  rootStruct: 'MessagesResponseBody',
  messages: '[]gen.Message',
  message: 'gen.Message',
  messageStruct: 'Message',
  role: 'gen.ConversationRole',
} as const;

/**
 * Decodes a snapshot body the way coderd's `json.NewDecoder(body).Decode(&GetMessagesResponse{})`
 * does: field names match case-insensitively, later duplicates win, `null` leaves a field at its
 * zero value, ids must be int64 literals, times strict RFC 3339, unknown fields are ignored.
 * Errors read like Go's: `EOF` for an empty body, `unexpected EOF` for a cut one, the scanner's
 * `invalid character ...`, and `json: cannot unmarshal ...` naming the struct field path.
 * Where Go's decoder would read one value and ignore trailing bytes, this is stricter: the
 * whole body must be one JSON value (see the report on fidelity).
 */
export function decodeSnapshotBody(bytes: Buffer): DecodeResult {
  const text = decodeUtf8(bytes);
  // json.Decoder returns io.EOF when the body holds nothing but whitespace.
  if (/^[ \t\n\r]*$/.test(text)) return { ok: false, problem: 'decode', detail: 'EOF' };
  let root: GoJsonValue;
  try {
    root = parseGoJson(text);
  } catch (error) {
    if (error instanceof GoJsonEndError) return { ok: false, problem: 'decode', detail: 'unexpected EOF' };
    if (error instanceof GoJsonSyntaxError) return { ok: false, problem: 'decode', detail: error.message };
    throw error;
  }
  const decoding = new Decoding();
  try {
    const messages = decoding.root(root);
    // Go keeps decoding after a type mismatch and reports the first one at the end.
    if (decoding.saved !== undefined) return { ok: false, problem: 'decode', detail: decoding.saved };
    if (messages.messages === undefined) return { ok: false, problem: 'structure', detail: 'Missing required "messages" field.' };
    return { ok: true, payload: messages as StoredPayload };
  } catch (error) {
    // An UnmarshalJSON error (time.Time) stops decoding at once, even after a saved mismatch.
    if (error instanceof UnmarshalerError) return { ok: false, problem: 'decode', detail: error.message };
    throw error;
  }
}

class UnmarshalerError extends Error {}

/** Go replaces invalid UTF-8 inside strings with U+FFFD; a BOM is not skipped (Go rejects it). */
function decodeUtf8(bytes: Buffer): string {
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
}

/** Where the decoder is, for error texts: the innermost struct and the JSON field names from the root. */
interface FieldContext {
  struct: string;
  fields: readonly string[];
}

/**
 * One decode run. Like encoding/json it saves the first UnmarshalTypeError and goes on (the
 * mismatched value is skipped), so `saved` is what Go's Decode would return.
 */
class Decoding {
  saved: string | undefined;

  root(root: GoJsonValue): Partial<StoredPayload> {
    const payload: Partial<StoredPayload> = {};
    if (root.kind === 'null') return payload;
    if (root.kind !== 'object') {
      this.#mismatch(root, GO_TYPES.root, undefined);
      return payload;
    }
    for (const [key, value] of root.entries) {
      const field = matchField(key, ['$schema', 'messages']);
      if (field === undefined) continue;
      const at: FieldContext = { struct: GO_TYPES.rootStruct, fields: [field] };
      if (field === '$schema') {
        if (value.kind === 'null') delete payload.$schema;
        else if (value.kind === 'string') payload.$schema = value.value;
        else this.#mismatch(value, 'string', at);
      } else if (value.kind === 'null') {
        delete payload.messages;
      } else if (value.kind === 'array') {
        payload.messages = value.items.map((item) => this.#message(item, at));
      } else {
        this.#mismatch(value, GO_TYPES.messages, at);
      }
    }
    return payload;
  }

  #message(value: GoJsonValue, at: FieldContext): StoredMessage {
    const message: StoredMessage = { content: '', id: 0, role: '', time: ZERO_TIME };
    if (value.kind === 'null') return message;
    if (value.kind !== 'object') {
      this.#mismatch(value, GO_TYPES.message, at);
      return message;
    }
    for (const [key, field] of value.entries) {
      const name = matchField(key, ['content', 'id', 'role', 'time']);
      if (name === undefined || field.kind === 'null') continue;
      const inner: FieldContext = { struct: GO_TYPES.messageStruct, fields: [...at.fields, name] };
      switch (name) {
        case 'content':
          if (field.kind === 'string') message.content = field.value;
          else this.#mismatch(field, 'string', inner);
          break;
        case 'role':
          if (field.kind === 'string') message.role = field.value;
          else this.#mismatch(field, GO_TYPES.role, inner);
          break;
        case 'id': {
          const id = int64Value(field);
          if (id === undefined) this.#mismatch(field, 'int64', inner, true);
          else message.id = id;
          break;
        }
        case 'time':
          message.time = timeValue(field);
          break;
      }
    }
    return message;
  }

  /**
   * encoding/json's UnmarshalTypeError text. The JSON value is named by kind; only a number that
   * does not fit an integer field is shown with its literal (`number 1.5`).
   */
  #mismatch(value: GoJsonValue, goType: string, at: FieldContext | undefined, showNumber = false): void {
    const shown = value.kind === 'number' && showNumber ? `number ${value.raw}` : value.kind;
    const target = at === undefined ? `Go value of type ${goType}` : `Go struct field ${at.struct}.${at.fields.join('.')} of type ${goType}`;
    this.saved ??= `json: cannot unmarshal ${shown} into ${target}`;
  }
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

/** An int64 from an integer literal (strconv.ParseInt), or undefined when Go would refuse it. */
function int64Value(value: GoJsonValue): number | undefined {
  if (value.kind !== 'number' || !/^-?\d+$/.test(value.raw)) return undefined;
  const big = BigInt(value.raw);
  if (big < INT64_MIN || big > INT64_MAX) return undefined;
  return Number(big);
}

/**
 * time.Time's UnmarshalJSON. Its non-string error is Go's verbatim; the parse error is shorter
 * than Go's time.ParseError text (which names the layout element that failed).
 */
function timeValue(value: GoJsonValue): string {
  if (value.kind !== 'string') throw new UnmarshalerError('Time.UnmarshalJSON: input is not a JSON string');
  const normalized = normalizeRfc3339(value.value);
  if (normalized === undefined) throw new UnmarshalerError(`parsing time ${JSON.stringify(value.value)} as RFC 3339: cannot parse`);
  return normalized;
}

/** PostgreSQL jsonb rejects U+0000 in any string, which is why coderd answers 500 for it. */
export function containsNul(payload: StoredPayload): boolean {
  if (payload.$schema?.includes('\u0000')) return true;
  return payload.messages.some((message) => message.content.includes('\u0000') || message.role.includes('\u0000'));
}
