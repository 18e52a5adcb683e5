/**
 * Quoting for the two languages the templates emit. Handlebars never HTML-escapes here, so these
 * helpers are the only thing standing between a config value and broken HCL or shell.
 */

const HCL_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** A double-quoted HCL string literal whose value is exactly `value` (no interpolation). */
export function hclString(value: string): string {
  let out = '';
  for (const char of value) out += escapeHclChar(char);
  // `${` and `%{` start template sequences even inside quotes; doubling the sigil makes them literal.
  return `"${out.replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`)}"`;
}

function escapeHclChar(char: string): string {
  const known = HCL_ESCAPES[char];
  if (known !== undefined) return known;
  const code = char.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `\\u${code.toString(16).padStart(4, '0')}`;
  return char;
}

/** A POSIX sh single-quoted word whose value is exactly `value`. */
export function shQuote(value: string): string {
  if (value.includes('\0')) throw new Error('a shell word cannot contain a NUL character');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
