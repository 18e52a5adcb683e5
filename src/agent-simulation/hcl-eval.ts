/**
 * A small, honest evaluator for the subset of HCL/Terraform expressions the agentapi module uses to
 * build its coder_script bodies. A terraform apply per scenario run costs seconds of CPU (each run
 * has its own ports and task ID), so the harness computes what Terraform would put into `script`
 * itself, held byte-identical to Terraform's by test/harness/terraform-bodies.test.ts; anything outside the subset throws
 * `Unsupported HCL expression: ...` instead of being guessed at.
 *
 * Input is what @cdktf/hcl2json gives: a top-level string is a template whose literal parts have
 * already had their escapes processed (`\"`, `\\`, `\n`, heredoc indentation) but still carry the
 * template escapes `$${` and `%%{`; the text inside `${ ... }` is raw HCL source, so nested quoted
 * strings there still need their escapes processed.
 */
import { readFileSync } from 'node:fs';

export type HclValue = string | number | boolean | null | HclValue[] | { [key: string]: HclValue };

/** Base of every evaluator error, so callers can tell them from bugs. */
export class HclError extends Error {
  override name = 'HclError';
}

/** Syntax or construct outside the supported subset; never swallowed by try()/can(). */
export class UnsupportedHclError extends HclError {
  override name = 'UnsupportedHclError';
  constructor(what: string) {
    super(`Unsupported HCL expression: ${what}`);
  }
}

/** A mistake Terraform reports before evaluating (undeclared reference, wrong arity); not caught by try(). */
export class HclStaticError extends HclError {
  override name = 'HclStaticError';
}

/** A dynamic evaluation error (bad type, null interpolation, regex without match): try()/can() catch these. */
export class HclEvalError extends HclError {
  override name = 'HclEvalError';
}

export type Node =
  | { kind: 'literal'; value: HclValue }
  | { kind: 'template'; parts: Array<string | Node> }
  | { kind: 'ref'; root: string; path: string[] }
  | { kind: 'call'; name: string; args: Node[] }
  | { kind: 'cond'; test: Node; then: Node; otherwise: Node }
  | { kind: 'binary'; op: BinaryOp; left: Node; right: Node }
  | { kind: 'not'; operand: Node };

type BinaryOp = '==' | '!=' | '||' | '&&' | '<' | '<=' | '>' | '>=';
const COMPARISONS: ReadonlySet<string> = new Set(['<', '<=', '>', '>=']);

/** What references resolve against; each resolver throws HclStaticError for an undeclared name. */
export interface EvalContext {
  variable(name: string): HclValue;
  local(name: string): HclValue;
  data(type: string, name: string): HclValue;
  pathModule: string;
  readFile?(path: string): string;
}

// ---------------------------------------------------------------------------------------------
// Parsing

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_-]/;
const DIGIT = /[0-9]/;

/** Operators recognised only to be rejected with a clear message. */
const UNSUPPORTED_OPERATORS = ['=>', '...', '+', '-', '*', '/', '%', '[', '{', '='];

type Token =
  | { type: 'ident'; value: string; start: number }
  | { type: 'number'; value: number; start: number }
  | { type: 'punct'; value: string; start: number }
  | { type: 'quote'; start: number }
  | { type: 'heredoc'; start: number }
  | { type: 'eof'; start: number };

class Parser {
  pos = 0;
  constructor(readonly src: string) {}

  // --- tokenizer: produces one token at the cursor; strings are scanned by the parser itself
  // because their contents are a template, not tokens.

  private skipSpaceAndComments(): void {
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        this.pos += 1;
      } else if (ch === '#' || (ch === '/' && this.src[this.pos + 1] === '/')) {
        while (this.pos < this.src.length && this.src[this.pos] !== '\n') this.pos += 1;
      } else if (ch === '/' && this.src[this.pos + 1] === '*') {
        const end = this.src.indexOf('*/', this.pos + 2);
        if (end < 0) throw new HclStaticError(`unterminated comment in ${this.excerpt(this.pos)}`);
        this.pos = end + 2;
      } else {
        return;
      }
    }
  }

  peek(): Token {
    const saved = this.pos;
    const token = this.next();
    this.pos = saved;
    return token;
  }

  next(): Token {
    this.skipSpaceAndComments();
    const start = this.pos;
    const ch = this.src[start];
    if (ch === undefined) return { type: 'eof', start };
    if (ch === '"') {
      this.pos += 1;
      return { type: 'quote', start };
    }
    if (this.src.startsWith('<<', start)) return { type: 'heredoc', start };
    if (IDENT_START.test(ch)) {
      let end = start + 1;
      while (end < this.src.length && IDENT_PART.test(this.src[end] ?? '')) end += 1;
      this.pos = end;
      return { type: 'ident', value: this.src.slice(start, end), start };
    }
    if (DIGIT.test(ch)) {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.src.slice(start));
      const text = match?.[0] ?? ch;
      this.pos = start + text.length;
      return { type: 'number', value: Number(text), start };
    }
    // Two-character operators first, so "<=" is not read as "<" (a heredoc "<<" is taken above).
    for (const op of ['==', '!=', '||', '&&', '<=', '>=', '<', '>', '(', ')', ',', '.', '?', ':', '!', '}']) {
      if (this.src.startsWith(op, start)) {
        this.pos = start + op.length;
        return { type: 'punct', value: op, start };
      }
    }
    if (ch === '~') throw new UnsupportedHclError(`template strip marker "~}" in ${this.excerpt(start)}`);
    const unsupported = UNSUPPORTED_OPERATORS.find((op) => this.src.startsWith(op, start));
    if (unsupported !== undefined) throw new UnsupportedHclError(`operator or bracket "${unsupported}" in ${this.excerpt(start)}`);
    throw new UnsupportedHclError(`unexpected character ${JSON.stringify(ch)} in ${this.excerpt(start)}`);
  }

  expectPunct(value: string): void {
    const token = this.next();
    if (token.type !== 'punct' || token.value !== value) {
      throw new HclStaticError(`expected "${value}" at ${this.excerpt(token.start)}`);
    }
  }

  excerpt(at: number): string {
    const from = Math.max(0, at - 20);
    const text = this.src.slice(from, at + 30).replace(/\n/g, '\\n');
    return JSON.stringify(`${from > 0 ? '…' : ''}${text}`);
  }

  // --- templates

  /**
   * Scans template text from the cursor. `quoted`: a "..." string inside an expression (escape
   * sequences are processed, ends at the closing quote); otherwise the rest of a hcl2json string.
   */
  parseTemplateBody(quoted: boolean): Node {
    const parts: Array<string | Node> = [];
    let literal = '';
    for (;;) {
      const ch = this.src[this.pos];
      if (ch === undefined) {
        if (quoted) throw new HclStaticError(`unterminated string in ${this.excerpt(this.pos)}`);
        break;
      }
      if (quoted && ch === '"') {
        this.pos += 1;
        break;
      }
      if (quoted && ch === '\n') throw new HclStaticError(`newline inside a quoted string in ${this.excerpt(this.pos)}`);
      if (quoted && ch === '\\') {
        literal += this.readEscape();
        continue;
      }
      if (this.src.startsWith('$${', this.pos) || this.src.startsWith('%%{', this.pos)) {
        literal += this.src.slice(this.pos + 1, this.pos + 3);
        this.pos += 3;
        continue;
      }
      if (this.src.startsWith('${', this.pos)) {
        if (literal !== '') parts.push(literal);
        literal = '';
        this.pos += 2;
        if (this.src[this.pos] === '~') throw new UnsupportedHclError(`template strip marker "\${~" in ${this.excerpt(this.pos)}`);
        const expr = this.parseExpression();
        this.expectPunct('}');
        parts.push(expr);
        continue;
      }
      if (this.src.startsWith('%{', this.pos)) throw new UnsupportedHclError(`template directive "%{" in ${this.excerpt(this.pos)}`);
      literal += ch;
      this.pos += 1;
    }
    if (literal !== '' || parts.length === 0) parts.push(literal);
    return { kind: 'template', parts };
  }

  private readEscape(): string {
    const next = this.src[this.pos + 1];
    const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };
    if (next !== undefined && next in simple) {
      this.pos += 2;
      return simple[next] ?? '';
    }
    if (next === 'u' || next === 'U') {
      const width = next === 'u' ? 4 : 8;
      const hex = this.src.slice(this.pos + 2, this.pos + 2 + width);
      if (!new RegExp(`^[0-9A-Fa-f]{${width}}$`).test(hex)) throw new HclStaticError(`bad \\${next} escape in ${this.excerpt(this.pos)}`);
      this.pos += 2 + width;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    throw new HclStaticError(`invalid escape sequence "\\${next ?? ''}" in ${this.excerpt(this.pos)}`);
  }

  // --- expressions (precedence: ?: < || < && < == != < comparisons < ! < postfix)

  parseExpression(): Node {
    const test = this.parseOr();
    const token = this.peek();
    if (token.type === 'punct' && token.value === '?') {
      this.next();
      const then = this.parseExpression();
      this.expectPunct(':');
      const otherwise = this.parseExpression();
      return { kind: 'cond', test, then, otherwise };
    }
    return test;
  }

  private parseBinary(ops: BinaryOp[], operand: () => Node): Node {
    let left = operand();
    for (;;) {
      const token = this.peek();
      if (token.type !== 'punct' || !(ops as string[]).includes(token.value)) return left;
      this.next();
      left = { kind: 'binary', op: token.value as BinaryOp, left, right: operand() };
    }
  }

  private parseOr(): Node {
    return this.parseBinary(['||'], () => this.parseAnd());
  }

  private parseAnd(): Node {
    return this.parseBinary(['&&'], () => this.parseEquality());
  }

  private parseEquality(): Node {
    return this.parseBinary(['==', '!='], () => this.parseComparison());
  }

  private parseComparison(): Node {
    return this.parseBinary(['<', '<=', '>', '>='], () => this.parseUnary());
  }

  private parseUnary(): Node {
    const token = this.peek();
    if (token.type === 'punct' && token.value === '!') {
      this.next();
      return { kind: 'not', operand: this.parseUnary() };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): Node {
    const token = this.next();
    switch (token.type) {
      case 'number':
        return { kind: 'literal', value: token.value };
      case 'quote':
        return this.parseTemplateBody(true);
      case 'heredoc':
        throw new UnsupportedHclError(`heredoc inside an interpolation in ${this.excerpt(token.start)}`);
      case 'eof':
        throw new HclStaticError(`expression expected at end of ${this.excerpt(token.start)}`);
      case 'punct':
        if (token.value === '(') {
          const inner = this.parseExpression();
          this.expectPunct(')');
          return this.rejectPostfix(inner);
        }
        throw new HclStaticError(`unexpected "${token.value}" in ${this.excerpt(token.start)}`);
      case 'ident':
        return this.parseIdentifier(token.value);
    }
  }

  private parseIdentifier(name: string): Node {
    if (name === 'true' || name === 'false') return { kind: 'literal', value: name === 'true' };
    if (name === 'null') return { kind: 'literal', value: null };
    const after = this.peek();
    if (after.type === 'punct' && after.value === '(') {
      this.next();
      const args: Node[] = [];
      const close = this.peek();
      if (close.type === 'punct' && close.value === ')') {
        this.next();
      } else {
        for (;;) {
          args.push(this.parseExpression());
          const sep = this.next();
          if (sep.type === 'punct' && sep.value === ')') break;
          if (sep.type !== 'punct' || sep.value !== ',') throw new HclStaticError(`expected "," or ")" in ${this.excerpt(sep.start)}`);
          const trailing = this.peek();
          if (trailing.type === 'punct' && trailing.value === ')') {
            this.next();
            break;
          }
        }
      }
      return this.rejectPostfix({ kind: 'call', name, args });
    }
    const path: string[] = [];
    for (;;) {
      const dot = this.peek();
      if (dot.type !== 'punct' || dot.value !== '.') break;
      this.next();
      const attr = this.next();
      if (attr.type !== 'ident') throw new UnsupportedHclError(`attribute access other than ".name" in ${this.excerpt(attr.start)}`);
      path.push(attr.value);
    }
    return this.rejectPostfix({ kind: 'ref', root: name, path });
  }

  /** Index and attribute access on call results or parentheses are outside the subset. */
  private rejectPostfix(node: Node): Node {
    const token = this.peek();
    if (token.type === 'punct' && token.value === '.') {
      throw new UnsupportedHclError(`attribute access on a computed value in ${this.excerpt(token.start)}`);
    }
    return node;
  }
}

/** Parses one expression (the text between `${` and `}`); trailing text is an error. */
export function parseExpression(src: string): Node {
  const parser = new Parser(src);
  const node = parser.parseExpression();
  const rest = parser.next();
  if (rest.type !== 'eof') throw new HclStaticError(`unexpected text after expression in ${parser.excerpt(rest.start)}`);
  return node;
}

/** Parses a string as hcl2json returns it: template text with `${...}` interpolations. */
export function parseTemplate(text: string): Node {
  return new Parser(text).parseTemplateBody(false);
}

// ---------------------------------------------------------------------------------------------
// Evaluation

/** Evaluates a value as hcl2json returns it: strings are templates, other JSON is literal. */
export function evaluateJson(value: unknown, ctx: EvalContext): HclValue {
  if (typeof value === 'string') return evaluate(parseTemplate(value), ctx);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value)) return value.map((item) => evaluateJson(item, ctx));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, evaluateJson(item, ctx)]));
  }
  throw new UnsupportedHclError(`JSON value of type ${typeof value}`);
}

export function evaluate(node: Node, ctx: EvalContext): HclValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'template':
      return evaluateTemplate(node.parts, ctx);
    case 'ref':
      return evaluateReference(node, ctx);
    case 'call':
      return callFunction(node.name, node.args, ctx);
    case 'cond':
      return toBool(evaluate(node.test, ctx), 'condition') ? evaluate(node.then, ctx) : evaluate(node.otherwise, ctx);
    case 'not':
      return !toBool(evaluate(node.operand, ctx), 'operand of "!"');
    case 'binary': {
      // Terraform evaluates both sides of || and && (no short-circuit), so errors on either side surface.
      const left = evaluate(node.left, ctx);
      const right = evaluate(node.right, ctx);
      if (node.op === '==') return valuesEqual(left, right);
      if (node.op === '!=') return !valuesEqual(left, right);
      if (COMPARISONS.has(node.op)) return compareNumbers(node.op, toNumber(left, `left operand of "${node.op}"`), toNumber(right, `right operand of "${node.op}"`));
      const a = toBool(left, `left operand of "${node.op}"`);
      const b = toBool(right, `right operand of "${node.op}"`);
      return node.op === '||' ? a || b : a && b;
    }
  }
}

/** A template that is exactly one interpolation yields the value itself, unconverted (as in HCL). */
function evaluateTemplate(parts: Array<string | Node>, ctx: EvalContext): HclValue {
  const [only] = parts;
  if (parts.length === 1 && only !== undefined && typeof only !== 'string') return evaluate(only, ctx);
  let out = '';
  for (const part of parts) out += typeof part === 'string' ? part : toTemplateString(evaluate(part, ctx));
  return out.normalize('NFC');
}

function evaluateReference(node: Extract<Node, { kind: 'ref' }>, ctx: EvalContext): HclValue {
  const [first, second, third, ...rest] = node.path;
  const shown = [node.root, ...node.path].join('.');
  switch (node.root) {
    case 'var':
      if (first === undefined) throw new HclStaticError(`"var" needs a variable name`);
      return attributes(ctx.variable(first), node.path.slice(1), shown);
    case 'local':
      if (first === undefined) throw new HclStaticError(`"local" needs a local value name`);
      return attributes(ctx.local(first), node.path.slice(1), shown);
    case 'data':
      if (first === undefined || second === undefined || third === undefined) {
        throw new UnsupportedHclError(`reference "${shown}": a data source is used as data.TYPE.NAME.ATTRIBUTE`);
      }
      return attributes(ctx.data(first, second), [third, ...rest], shown);
    case 'path':
      if (first === 'module' && second === undefined) return ctx.pathModule;
      throw new UnsupportedHclError(`reference "${shown}" (only path.module is supported)`);
    default:
      throw new UnsupportedHclError(`reference "${shown}" (supported: var.*, local.*, data.TYPE.NAME.ATTR, path.module)`);
  }
}

function attributes(value: HclValue, path: string[], shown: string): HclValue {
  let current = value;
  for (const name of path) {
    if (current === null || typeof current !== 'object' || Array.isArray(current)) {
      throw new HclEvalError(`Unsupported attribute: "${shown}" has no attribute "${name}"`);
    }
    if (!Object.hasOwn(current, name)) throw new HclEvalError(`Unsupported attribute: "${shown}": this object has no attribute "${name}"`);
    current = current[name] as HclValue;
  }
  return current;
}

type Fn = (args: Node[], ctx: EvalContext) => HclValue;

const FUNCTIONS: Record<string, Fn> = {
  try: (args, ctx) => {
    if (args.length === 0) throw new HclStaticError('try() needs at least one argument');
    const errors: string[] = [];
    for (const arg of args) {
      try {
        return evaluate(arg, ctx);
      } catch (error) {
        if (!(error instanceof HclEvalError)) throw error;
        errors.push(error.message);
      }
    }
    throw new HclEvalError(`No try() argument succeeded: ${errors.join('; ')}`);
  },
  can: (args, ctx) => {
    arity('can', args, 1);
    try {
      evaluate(args[0] as Node, ctx);
      return true;
    } catch (error) {
      if (error instanceof HclEvalError) return false;
      throw error;
    }
  },
  length: (args, ctx) => {
    const [text = ''] = strings('length', args, 1, ctx);
    // Terraform counts a string's grapheme clusters; lists and maps the module never measures.
    // ASCII without CR (every body) is one cluster a character, and segmenting 100 KB takes seconds.
    if (/^[\x00-\x0c\x0e-\x7f]*$/.test(text)) return text.length;
    let clusters = 0;
    for (const _segment of new Intl.Segmenter('en', { granularity: 'grapheme' }).segment(text)) clusters += 1;
    return clusters;
  },
  base64encode: (args, ctx) => {
    const [text] = strings('base64encode', args, 1, ctx);
    return Buffer.from(text ?? '', 'utf8').toString('base64');
  },
  replace: (args, ctx) => {
    const [text = '', search = '', replacement = ''] = strings('replace', args, 3, ctx);
    // Terraform treats a search string wrapped in slashes as a regular expression; the module never does.
    if (search.length >= 2 && search.startsWith('/') && search.endsWith('/')) {
      throw new UnsupportedHclError(`replace() with a regular expression search string ${JSON.stringify(search)}`);
    }
    if (search === '') return text;
    return text.split(search).join(replacement);
  },
  trimsuffix: (args, ctx) => {
    const [text = '', suffix = ''] = strings('trimsuffix', args, 2, ctx);
    return suffix !== '' && text.endsWith(suffix) ? text.slice(0, text.length - suffix.length) : text;
  },
  file: (args, ctx) => {
    const [path = ''] = strings('file', args, 1, ctx);
    const read = ctx.readFile ?? ((p: string) => readFileSync(p, 'utf8'));
    try {
      return read(path).normalize('NFC');
    } catch (error) {
      throw new HclEvalError(`Invalid value for "path" parameter: no file exists at ${JSON.stringify(path)} (${(error as Error).message})`);
    }
  },
  floor: (args, ctx) => {
    arity('floor', args, 1);
    return Math.floor(toNumber(evaluate(args[0] as Node, ctx), 'floor() argument 1'));
  },
  tostring: (args, ctx) => {
    arity('tostring', args, 1);
    const value = evaluate(args[0] as Node, ctx);
    if (value === null) return null;
    return toTemplateString(value);
  },
  regex: (args, ctx) => {
    const [pattern = '', text = ''] = strings('regex', args, 2, ctx);
    const match = compileRegex(pattern).exec(text);
    if (match === null) throw new HclEvalError(`Error in function call: regex(${JSON.stringify(pattern)}) found no match in ${JSON.stringify(text)}`);
    if (match.groups !== undefined) return Object.fromEntries(Object.entries(match.groups).map(([key, value]) => [key, value ?? null]));
    if (match.length > 1) return match.slice(1).map((value) => value ?? null);
    return match[0];
  },
};

export const SUPPORTED_FUNCTIONS = Object.freeze(Object.keys(FUNCTIONS));

function callFunction(name: string, args: Node[], ctx: EvalContext): HclValue {
  const fn = FUNCTIONS[name];
  if (fn === undefined) throw new UnsupportedHclError(`function ${name}() (supported: ${SUPPORTED_FUNCTIONS.join(', ')})`);
  return fn(args, ctx);
}

function arity(name: string, args: Node[], count: number): void {
  if (args.length !== count) throw new HclStaticError(`${name}() takes ${count} argument(s), got ${args.length}`);
}

function strings(name: string, args: Node[], count: number, ctx: EvalContext): string[] {
  arity(name, args, count);
  return args.map((arg, index) => toStringArg(evaluate(arg, ctx), `${name}() argument ${index + 1}`));
}

function toStringArg(value: HclValue, what: string): string {
  if (value === null) throw new HclEvalError(`Invalid function argument: ${what} must not be null`);
  return toTemplateString(value, what);
}

/** RE2 (Terraform) to JavaScript: named groups `(?P<n>` become `(?<n>`; leading `(?flags)` become flags. */
function compileRegex(pattern: string): RegExp {
  let source = pattern.replace(/\(\?P</g, '(?<');
  let flags = 'u';
  const leading = /^\(\?([imsU]+)\)/.exec(source);
  if (leading !== null) {
    if (leading[1]?.includes('U')) throw new UnsupportedHclError(`regex flag U in ${JSON.stringify(pattern)}`);
    flags += leading[1] ?? '';
    source = source.slice(leading[0].length);
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new HclEvalError(`Invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Conversions

/** How Terraform renders a primitive inside a template: bools as true/false, numbers in decimal. */
export function toTemplateString(value: HclValue, what = 'template interpolation'): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return formatNumber(value);
  if (value === null) throw new HclEvalError(`Invalid ${what} value: the expression result is null`);
  throw new HclEvalError(`Invalid ${what} value: cannot include a ${Array.isArray(value) ? 'list' : 'object'} in a string`);
}

/** Decimal notation without exponent, as Terraform prints numbers (1e21 -> 1000000000000000000000). */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) throw new HclEvalError(`number ${value} cannot be rendered`);
  const text = String(value);
  const match = /^(-?)(\d+)(?:\.(\d+))?e([+-]\d+)$/.exec(text);
  if (match === null) return text;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  const digits = whole + fraction;
  const point = whole.length + Number(exponentText);
  if (point <= 0) return `${sign}0.${'0'.repeat(-point)}${digits}`.replace(/\.?0+$/, '');
  if (point >= digits.length) return `${sign}${digits}${'0'.repeat(point - digits.length)}`;
  return `${sign}${digits.slice(0, point)}.${digits.slice(point)}`;
}

/** Terraform converts "true"/"false" strings to bool where a bool is expected; anything else is an error. */
export function toBool(value: HclValue, what: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  if (value === null) throw new HclEvalError(`Invalid ${what}: the value is null, a bool is required`);
  throw new HclEvalError(`Invalid ${what}: a bool is required, got ${JSON.stringify(value)}`);
}

/** Terraform converts a numeric string where a number is expected ("5" > 3); null and other types are errors. */
export function toNumber(value: HclValue, what: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  if (value === null) throw new HclEvalError(`Invalid ${what}: the value is null, a number is required`);
  throw new HclEvalError(`Invalid ${what}: a number is required, got ${JSON.stringify(value)}`);
}

function compareNumbers(op: BinaryOp, a: number, b: number): boolean {
  if (op === '<') return a < b;
  if (op === '<=') return a <= b;
  if (op === '>') return a > b;
  return a >= b;
}

/** `==` in Terraform compares type and value; no conversion ("1" != 1). */
export function valuesEqual(a: HclValue, b: HclValue): boolean {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => valuesEqual(item, b[index] as HclValue));
  }
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && valuesEqual(a[key] as HclValue, b[key] as HclValue));
}
