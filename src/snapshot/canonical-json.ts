/**
 * The canonical JSON the shutdown script posts, defined once here and reproduced byte for byte by
 * the script's two engines (jq, and a POSIX awk program for machines without jq).
 *
 * Parsing (RFC 8259, strict: one value, optional surrounding whitespace, no raw control
 * characters inside strings, only the escapes \" \\ \/ \b \f \n \r \t \uXXXX):
 * - `\uXXXX` escapes are decoded; a high surrogate escape immediately followed by a low surrogate
 *   escape is one code point; any other surrogate escape becomes U+FFFD.
 * - U+0000 becomes U+FFFD, in keys and values (coderd stores `jsonb`, which rejects NUL).
 * - Objects keep the order in which keys first appear; a repeated key keeps its first position
 *   and takes the value of its last occurrence (what jq and Go both do).
 * - Numbers keep their literal spelling. AgentAPI only sends integers (`id`); jq 1.6 re-spells
 *   fractions, exponents and integers beyond 2^53, so the byte-identity promise covers integers
 *   within +-(2^53 - 1) only.
 *
 * Serialization is compact (no whitespace at all). In strings, `"` and `\` are escaped as `\"`
 * and `\\`; U+0008, U+0009, U+000A, U+000C and U+000D as `\b`, `\t`, `\n`, `\f`, `\r`; every
 * other U+0001..U+001F and U+007F as `\u00xx` with lowercase hex; everything else, including
 * `/`, U+2028/U+2029 and all non-ASCII, is written as raw UTF-8. That is exactly `jq -c`.
 */

export class JsonNumber {
  constructor(readonly literal: string) {}
}

export type JsonValue = string | JsonNumber | boolean | null | JsonValue[] | JsonObject;
/** Insertion-ordered; `set` on an existing key keeps its position, as the rules above require. */
export type JsonObject = Map<string, JsonValue>;

export class JsonSyntaxError extends Error {}

const REPLACEMENT = '\uFFFD';
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?/y;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses JSON text by the rules above; throws JsonSyntaxError on anything that is not JSON. */
export function parseCanonical(text: string): JsonValue {
  const parser = new Parser(text);
  parser.skipWhitespace();
  const value = parser.value();
  parser.skipWhitespace();
  if (!parser.atEnd()) parser.fail('unexpected text after the JSON value');
  return value;
}

class Parser {
  private pos = 0;
  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  fail(why: string): never {
    throw new JsonSyntaxError(`${why} at offset ${this.pos}`);
  }

  skipWhitespace(): void {
    while (this.pos < this.text.length) {
      const char = this.text[this.pos];
      if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return;
      this.pos += 1;
    }
  }

  value(): JsonValue {
    const char = this.text[this.pos];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail('expected a JSON value');
    this.pos += match[0].length;
    return new JsonNumber(match[0]);
  }

  private object(): JsonObject {
    const object: JsonObject = new Map();
    this.pos += 1;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos += 1;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.pos] !== '"') this.fail('expected a key');
      const key = this.string();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') this.fail('expected ":"');
      this.pos += 1;
      this.skipWhitespace();
      object.set(key, this.value());
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos += 1;
      if (next === '}') return object;
      if (next !== ',') this.fail('expected "," or "}"');
    }
  }

  private array(): JsonValue[] {
    const array: JsonValue[] = [];
    this.pos += 1;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos += 1;
      return array;
    }
    for (;;) {
      this.skipWhitespace();
      array.push(this.value());
      this.skipWhitespace();
      const next = this.text[this.pos];
      this.pos += 1;
      if (next === ']') return array;
      if (next !== ',') this.fail('expected "," or "]"');
    }
  }

  /** A string token; decodes escapes into UTF-16 units, then applies the NUL and surrogate rules. */
  private string(): string {
    const text = this.text;
    let pos = this.pos + 1;
    let out = '';
    let chunkStart = pos;
    for (;;) {
      const code = text.charCodeAt(pos);
      if (Number.isNaN(code)) this.fail('unterminated string');
      if (code === 0x22) break;
      if (code < 0x20) {
        this.pos = pos;
        this.fail('raw control character in a string');
      }
      if (code !== 0x5c) {
        pos += 1;
        continue;
      }
      out += text.slice(chunkStart, pos);
      const escape = text[pos + 1] ?? '';
      if (escape === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
          this.pos = pos;
          this.fail('bad \\u escape');
        }
        out += decodeUnit(Number.parseInt(hex, 16), text, pos + 6);
        pos += 6;
      } else {
        const simple = SIMPLE_ESCAPES[escape];
        if (simple === undefined) {
          this.pos = pos;
          this.fail('bad escape');
        }
        out += simple;
        pos += 2;
      }
      chunkStart = pos;
    }
    out += text.slice(chunkStart, pos);
    this.pos = pos + 1;
    return out;
  }
}

/**
 * One `\uXXXX` unit as text. A high surrogate stays only when the next six characters are a low
 * surrogate escape (the pair is then completed by that escape); every other surrogate unit and
 * U+0000 become U+FFFD.
 */
function decodeUnit(unit: number, text: string, after: number): string {
  if (unit === 0) return REPLACEMENT;
  if (unit >= 0xd800 && unit <= 0xdbff) {
    const next = /^\\u[dD][c-fC-F][0-9a-fA-F]{2}/.test(text.slice(after, after + 6));
    return next ? String.fromCharCode(unit) : REPLACEMENT;
  }
  if (unit >= 0xdc00 && unit <= 0xdfff) {
    const prev = text.slice(after - 12, after - 6);
    const pairedHigh = /^\\u[dD][89abAB][0-9a-fA-F]{2}$/.test(prev) && !escapedBackslashBefore(text, after - 12);
    return pairedHigh ? String.fromCharCode(unit) : REPLACEMENT;
  }
  return String.fromCharCode(unit);
}

/** Whether the backslash at `index` is itself the second half of a `\\` escape. */
function escapedBackslashBefore(text: string, index: number): boolean {
  let run = 0;
  for (let at = index - 1; at >= 0 && text[at] === '\\'; at -= 1) run += 1;
  return run % 2 === 1;
}

const ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r' };
// eslint-disable-next-line no-control-regex
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u007f]/g;

/** The inside of a canonical string literal (no surrounding quotes). */
export function escapeString(text: string): string {
  return text.replace(NEEDS_ESCAPE, (char) => ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Compact canonical serialization. */
export function serialize(value: JsonValue): string {
  if (typeof value === 'string') return `"${escapeString(value)}"`;
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof JsonNumber) return value.literal;
  if (Array.isArray(value)) return `[${value.map(serialize).join(',')}]`;
  const members: string[] = [];
  for (const [key, member] of value) members.push(`"${escapeString(key)}":${serialize(member)}`);
  return `{${members.join(',')}}`;
}

/** Bytes of the UTF-8 encoding. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Bytes a single code point takes inside a canonical string literal. */
export function escapedLength(codePoint: number): number {
  if (codePoint === 0x22 || codePoint === 0x5c) return 2;
  if (codePoint === 0x08 || codePoint === 0x09 || codePoint === 0x0a || codePoint === 0x0c || codePoint === 0x0d) return 2;
  if (codePoint < 0x20 || codePoint === 0x7f) return 6;
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}
