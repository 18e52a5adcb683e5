/**
 * JSON text as Go's encoding/json writes it. JSON.stringify already matches Go for control
 * characters and leaves `<>&` alone; Go additionally always escapes U+2028/U+2029 and, when
 * HTML escaping is on (coderd's httpapi.Write), `<`, `>` and `&`. Lone surrogates cannot exist
 * in Go strings (they became U+FFFD), so they are normalised first.
 */
export function goJson(value: unknown, options: { escapeHtml?: boolean } = {}): string {
  const text = JSON.stringify(value, wellFormedStrings);
  const escaped = text.replace(/[\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
  if (!options.escapeHtml) return escaped;
  return escaped.replace(/[<>&]/g, (ch) => `\\u00${ch.charCodeAt(0).toString(16)}`);
}

function wellFormedStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? toWellFormed(value) : value;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** String.prototype.toWellFormed, which the ES2022 lib this project compiles against does not declare. */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD');
}
