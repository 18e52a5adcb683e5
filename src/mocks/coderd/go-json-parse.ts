/**
 * A strict JSON parser that keeps what JSON.parse throws away and Go's decoder needs: the literal
 * text of numbers (Go rejects `1.0` or `1e2` for an int64 field and accepts integers beyond 2^53),
 * duplicate keys in order, and Go's treatment of lone `\uD800` escapes (U+FFFD). It is iterative,
 * so deep nesting cannot overflow the stack, and like Go it refuses nesting deeper than 10000.
 */
export type GoJsonValue =
  | { kind: 'null' }
  | { kind: 'bool'; value: boolean }
  | { kind: 'number'; raw: string }
  | { kind: 'string'; value: string }
  | { kind: 'array'; items: GoJsonValue[] }
  | { kind: 'object'; entries: Array<[string, GoJsonValue]> };

export class GoJsonSyntaxError extends Error {
  override name = 'GoJsonSyntaxError';
}

/**
 * The input ended inside a value. json.Unmarshal calls this "unexpected end of JSON input"; a
 * json.Decoder reading a body (what coderd uses) reports io.ErrUnexpectedEOF, "unexpected EOF".
 */
export class GoJsonEndError extends GoJsonSyntaxError {
  override name = 'GoJsonEndError';
  constructor() {
    super('unexpected end of JSON input');
  }
}

const MAX_DEPTH = 10_000;
const WHITESPACE = /[ \t\n\r]*/y;

type Frame = { value: Extract<GoJsonValue, { kind: 'array' | 'object' }>; key?: string };

/** Parses exactly one JSON value, optionally surrounded by whitespace. */
export function parseGoJson(text: string): GoJsonValue {
  return new Parser(text).document();
}

class Parser {
  #text: string;
  #at = 0;
  #stack: Frame[] = [];

  constructor(text: string) {
    this.#text = text;
  }

  /**
   * A loop over two states instead of recursion: either a value is expected, or (inside a
   * container) a separator or closing bracket. Each completed value is attached to its parent.
   */
  document(): GoJsonValue {
    let expectValue = true;
    for (;;) {
      const completed = expectValue ? this.#valueOrOpen() : this.#separatorOrClose();
      if (completed === undefined) {
        expectValue = true;
        continue;
      }
      const parent = this.#stack.at(-1);
      if (parent === undefined) return this.#end(completed);
      if (parent.value.kind === 'array') parent.value.items.push(completed);
      else parent.value.entries.push([parent.key as string, completed]);
      expectValue = false;
    }
  }

  #end(value: GoJsonValue): GoJsonValue {
    this.#skipWhitespace();
    if (this.#at < this.#text.length) this.#fail('after top-level value');
    return value;
  }

  /** A primitive, an empty container, or `undefined` after opening a container whose first member is next. */
  #valueOrOpen(): GoJsonValue | undefined {
    this.#skipWhitespace();
    const ch = this.#text[this.#at];
    if (ch !== '{' && ch !== '[') return this.#primitive();
    this.#at += 1;
    if (this.#stack.length >= MAX_DEPTH) throw new GoJsonSyntaxError('exceeded max depth');
    const frame: Frame = { value: ch === '{' ? { kind: 'object', entries: [] } : { kind: 'array', items: [] } };
    this.#stack.push(frame);
    this.#skipWhitespace();
    if (this.#closes(frame)) return frame.value;
    if (frame.value.kind === 'object') frame.key = this.#key();
    return undefined;
  }

  /** After a member: the closing bracket completes the container; `,` means another member follows. */
  #separatorOrClose(): GoJsonValue | undefined {
    this.#skipWhitespace();
    const frame = this.#stack.at(-1) as Frame;
    if (this.#closes(frame)) return frame.value;
    if (this.#text[this.#at] !== ',') this.#fail(frame.value.kind === 'object' ? 'after object key:value pair' : 'after array element');
    this.#at += 1;
    if (frame.value.kind === 'object') {
      this.#skipWhitespace();
      frame.key = this.#key();
    }
    return undefined;
  }

  #closes(frame: Frame): boolean {
    if (this.#text[this.#at] !== (frame.value.kind === 'object' ? '}' : ']')) return false;
    this.#at += 1;
    this.#stack.pop();
    return true;
  }

  #key(): string {
    if (this.#text[this.#at] !== '"') this.#fail('looking for beginning of object key string');
    const key = this.#string();
    this.#skipWhitespace();
    if (this.#text[this.#at] !== ':') this.#fail('after object key');
    this.#at += 1;
    return key;
  }

  #primitive(): GoJsonValue {
    const ch = this.#text[this.#at];
    if (ch === '"') return { kind: 'string', value: this.#string() };
    if (ch === '-' || isDigit(ch)) return { kind: 'number', raw: this.#number() };
    const literal = LITERALS.find(([word]) => word[0] === ch);
    if (literal !== undefined) return this.#literal(...literal);
    return this.#fail('looking for beginning of value');
  }

  /** `true`, `false`, `null`, failing at the first wrong character the way Go's scanner words it. */
  #literal(word: string, value: GoJsonValue): GoJsonValue {
    for (let index = 1; index < word.length; index += 1) {
      if (this.#text[this.#at + index] !== word[index]) {
        this.#at += index;
        return this.#fail(`in literal ${word} (expecting '${word[index]}')`);
      }
    }
    this.#at += word.length;
    return value;
  }

  /** A number literal, with Go's scanner messages for a bad sign, decimal point or exponent. */
  #number(): string {
    const start = this.#at;
    if (this.#text[this.#at] === '-') {
      this.#at += 1;
      if (!isDigit(this.#text[this.#at])) return this.#fail('in numeric literal');
    }
    if (this.#text[this.#at] === '0') this.#at += 1;
    else this.#digits();
    if (this.#text[this.#at] === '.') {
      this.#at += 1;
      if (!isDigit(this.#text[this.#at])) return this.#fail('after decimal point in numeric literal');
      this.#digits();
    }
    if (this.#text[this.#at] === 'e' || this.#text[this.#at] === 'E') {
      this.#at += 1;
      if (this.#text[this.#at] === '+' || this.#text[this.#at] === '-') this.#at += 1;
      if (!isDigit(this.#text[this.#at])) return this.#fail('in exponent of numeric literal');
      this.#digits();
    }
    return this.#text.slice(start, this.#at);
  }

  #digits(): void {
    while (isDigit(this.#text[this.#at])) this.#at += 1;
  }

  #string(): string {
    this.#at += 1;
    let out = '';
    for (;;) {
      const ch = this.#text[this.#at];
      if (ch === undefined) throw new GoJsonEndError();
      if (ch === '"') {
        this.#at += 1;
        return out;
      }
      if (ch < ' ') this.#fail('in string literal');
      if (ch === '\\') {
        out += this.#escape();
        continue;
      }
      out += ch;
      this.#at += 1;
    }
  }

  #escape(): string {
    const ch = this.#text[this.#at + 1];
    this.#at += 2;
    const simple = ch === undefined ? undefined : SIMPLE_ESCAPES[ch];
    if (simple !== undefined) return simple;
    if (ch !== 'u') {
      this.#at -= 1;
      return this.#fail('in string escape code');
    }
    const unit = this.#hex4();
    if (unit < 0xd800 || unit > 0xdfff) return String.fromCharCode(unit);
    // Go pairs a high surrogate with an immediately following \uDC00-\uDFFF escape; anything else is U+FFFD.
    if (unit <= 0xdbff && this.#text.startsWith('\\u', this.#at)) {
      const saved = this.#at;
      this.#at += 2;
      const low = this.#hex4();
      if (low >= 0xdc00 && low <= 0xdfff) return String.fromCharCode(unit, low);
      this.#at = saved;
    }
    return '\uFFFD';
  }

  #hex4(): number {
    const start = this.#at;
    for (let index = 0; index < 4; index += 1) {
      // Go names the first character that is not a hex digit.
      if (!/^[0-9a-fA-F]$/.test(this.#text[this.#at] ?? '')) return this.#fail('in \\u hexadecimal character escape');
      this.#at += 1;
    }
    return Number.parseInt(this.#text.slice(start, this.#at), 16);
  }

  #skipWhitespace(): void {
    WHITESPACE.lastIndex = this.#at;
    WHITESPACE.exec(this.#text);
    this.#at = WHITESPACE.lastIndex;
  }

  #fail(context: string): never {
    const codePoint = this.#text.codePointAt(this.#at);
    if (codePoint === undefined) throw new GoJsonEndError();
    throw new GoJsonSyntaxError(`invalid character ${quoteChar(codePoint)} ${context}`);
  }
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

/**
 * encoding/json's quoteChar: Go's scanner works on bytes, so it shows the first byte of the
 * offending character, as strconv.Quote would inside single quotes (`'x'`, `'\''`, `'"'`, `'\n'`,
 * `'\x01'`; a multibyte character's lead byte shows as its Latin-1 letter, e.g. `'ï'` for a BOM).
 */
export function quoteChar(codePoint: number): string {
  const lead = Buffer.from(String.fromCodePoint(codePoint), 'utf8')[0] ?? 0;
  if (lead === 0x27) return `'\\''`;
  if (lead === 0x22) return `'"'`;
  if (lead >= 0x80) return `'${String.fromCharCode(lead)}'`;
  const short = GO_SHORT_ESCAPES[lead];
  if (short !== undefined) return `'${short}'`;
  if (lead < 0x20 || lead === 0x7f) return `'\\x${lead.toString(16).padStart(2, '0')}'`;
  return `'${String.fromCharCode(lead)}'`;
}

const GO_SHORT_ESCAPES: Record<number, string> = { 0x07: '\\a', 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0b: '\\v', 0x0c: '\\f', 0x0d: '\\r', 0x5c: '\\\\' };

const LITERALS: ReadonlyArray<[string, GoJsonValue]> = [
  ['true', { kind: 'bool', value: true }],
  ['false', { kind: 'bool', value: false }],
  ['null', { kind: 'null' }],
];

const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
