/**
 * The log snapshot payload policy: what the shutdown script posts to coderd for a given AgentAPI
 * `GET /messages` body. This is the reference; the script's jq and awk engines must produce the
 * same bytes (test/shutdown/payload-property.test.ts holds them to it).
 *
 * Rules, in order:
 * 1. Parse the body by the canonical rules of canonical-json.ts (which also replace U+0000 by
 *    U+FFFD: PostgreSQL jsonb, behind coderd, answers 500 on NUL). Not JSON: status `not-json`.
 * 2. The top level must be an object whose `messages` is present and not null (`no-messages`)
 *    and is an array (`not-array`). An empty array is status `empty`: nothing worth posting.
 * 3. Keep the last `messageCount` messages. Every other top-level member (e.g. `$schema`) stays,
 *    in its place. The payload is the canonical serialization of that object.
 * 4. While the payload is longer than `limitBytes` (UTF-8 bytes) and has more than one message,
 *    drop the oldest message.
 * 5. Still too long with one message left: that message must be an object with a string
 *    `content` (else `too-large`). Its content becomes MARKER(N) + TAIL, where
 *      - B = limitBytes minus the payload's length with that content set to "" (the bytes left for
 *        the escaped content), D = number of decimal digits of B;
 *      - MARKER(N) = "[...content truncated, showing last N bytes]\n", N = UTF-8 byte length of
 *        TAIL; the space reserved for it is its escaped length with a D-digit N (N <= B, so the
 *        real marker is never longer);
 *      - TAIL = the longest run of whole code points at the end of the content whose escaped
 *        length fits in B minus that reservation. Cutting on code points means the cut never
 *        splits a UTF-8 sequence or a JSON escape.
 *    If not even the marker fits: `too-large`.
 * The payload is then at most `limitBytes` bytes, always.
 */
import {
  ENGINE_STATUS_CODES,
  TRUNCATION_MARKER_PREFIX,
  TRUNCATION_MARKER_SUFFIX,
  truncationMarker,
  type SnapshotStatus,
} from '../contract/snapshot-api.ts';
import {
  escapedLength,
  escapeString,
  JsonSyntaxError,
  parseCanonical,
  serialize,
  utf8Length,
  type JsonObject,
  type JsonValue,
} from './canonical-json.ts';

export interface SnapshotOptions {
  /** How many of the newest messages to keep at most (config `snapshot.messageCount`). */
  messageCount: number;
  /** The payload's maximum size in bytes (config `snapshot.payloadLimitBytes`). */
  limitBytes: number;
}

export type { SnapshotStatus };

/** The numbers the script's engines print for each status (first element of their meta line). */
export const STATUS_CODES: Readonly<Record<SnapshotStatus, number>> = ENGINE_STATUS_CODES;

export interface SnapshotResult {
  status: SnapshotStatus;
  /** The canonical payload; empty unless status is `ok`. */
  payload: string;
  /** Messages in the response body (0 when there is no messages array). */
  total: number;
  /** Messages in the payload. */
  kept: number;
  /** Messages dropped to fit the size limit (not counting those beyond `messageCount`). */
  dropped: number;
  /** Whether the final message's content was cut. */
  truncated: boolean;
}

// The marker is a contract fact (src/contract/snapshot-api.ts); re-exported for the policy's users.
export { TRUNCATION_MARKER_PREFIX, TRUNCATION_MARKER_SUFFIX, truncationMarker };

export function buildSnapshotPayload(responseBodyText: string, options: SnapshotOptions): SnapshotResult {
  let top: JsonValue;
  try {
    top = parseCanonical(responseBodyText);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return failed('not-json', 0);
    throw error;
  }
  if (!(top instanceof Map)) return failed('no-messages', 0);
  const messages = top.get('messages');
  if (messages === undefined || messages === null) return failed('no-messages', 0);
  if (!Array.isArray(messages)) return failed('not-array', 0);
  const total = messages.length;
  if (total === 0) return failed('empty', 0);

  const [head, tail] = splitAroundMessages(top);
  const frame = utf8Length(head) + utf8Length(tail) + 2; // the brackets of the array
  const kept = messages.slice(-options.messageCount);
  const texts = kept.map(serialize);
  let size = frame + texts.reduce((sum, text) => sum + utf8Length(text), 0) + texts.length - 1;
  let first = 0;
  while (size > options.limitBytes && texts.length - first > 1) {
    size -= utf8Length(texts[first] ?? '') + 1;
    first += 1;
  }
  const dropped = first;
  if (size <= options.limitBytes) {
    return { status: 'ok', payload: `${head}[${texts.slice(first).join(',')}]${tail}`, total, kept: texts.length - first, dropped, truncated: false };
  }
  const last = kept[kept.length - 1];
  const cut = last === undefined ? undefined : truncateContent(last, options.limitBytes - frame);
  if (cut === undefined) return { ...failed('too-large', total), dropped };
  return { status: 'ok', payload: `${head}[${cut}]${tail}`, total, kept: 1, dropped, truncated: true };
}

function failed(status: SnapshotStatus, total: number): SnapshotResult {
  return { status, payload: '', total, kept: 0, dropped: 0, truncated: false };
}

/** The canonical top-level object as the text before and after the value of `messages`. */
function splitAroundMessages(top: JsonObject): [string, string] {
  let head = '{';
  let tail = '';
  let seen = false;
  let separator = '';
  for (const [key, value] of top) {
    const member = `${separator}"${escapeString(key)}":`;
    separator = ',';
    if (key === 'messages') {
      head += member;
      seen = true;
    } else if (seen) {
      tail += `${member}${serialize(value)}`;
    } else {
      head += `${member}${serialize(value)}`;
    }
  }
  return [head, `${tail}}`];
}

/** The message serialized with its content cut to fit `budget` bytes, or undefined if impossible. */
function truncateContent(message: JsonValue, budget: number): string | undefined {
  if (!(message instanceof Map)) return undefined;
  const content = message.get('content');
  if (typeof content !== 'string') return undefined;
  const emptied = new Map(message).set('content', '');
  const room = budget - utf8Length(serialize(emptied));
  if (room < 0) return undefined;
  const reserved = escapedMarkerLength(String(room).length);
  const available = room - reserved;
  if (available < 0) return undefined;
  const tail = longestTail(content, available);
  return serialize(new Map(message).set('content', truncationMarker(utf8Length(tail)) + tail));
}

function escapedMarkerLength(digits: number): number {
  return utf8Length(escapeString(TRUNCATION_MARKER_PREFIX + TRUNCATION_MARKER_SUFFIX)) + digits;
}

/** The longest suffix of whole code points whose escaped length is at most `available` bytes. */
export function longestTail(text: string, available: number): string {
  let used = 0;
  let start = text.length;
  while (start > 0) {
    let from = start - 1;
    const unit = text.charCodeAt(from);
    if (unit >= 0xdc00 && unit <= 0xdfff && from > 0) {
      const high = text.charCodeAt(from - 1);
      if (high >= 0xd800 && high <= 0xdbff) from -= 1;
    }
    const cost = escapedLength(text.codePointAt(from) ?? 0);
    if (used + cost > available) break;
    used += cost;
    start = from;
  }
  return text.slice(start);
}
