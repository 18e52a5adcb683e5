/**
 * Query-string parsing with the rules of Go's url.ParseQuery (as `r.URL.Query()` uses it), so the
 * mock flags the same parameters coderd does: pairs split on `&` only, empty pairs skipped, a pair
 * containing `;` or a bad %-escape silently dropped, `+` is a space, a key without `=` has value "".
 * Keys keep first-appearance order (Go's map order is random; tests want a stable order).
 */
export function parseGoQuery(rawQuery: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const equals = pair.indexOf('=');
    const key = unescapeQuery(equals === -1 ? pair : pair.slice(0, equals));
    const value = unescapeQuery(equals === -1 ? '' : pair.slice(equals + 1));
    if (key === undefined || value === undefined) continue;
    const list = values.get(key);
    if (list === undefined) values.set(key, [value]);
    else list.push(value);
  }
  return values;
}

/** Go's QueryUnescape: `%XX` must be two hex digits; the bytes are taken as they are (invalid UTF-8 becomes U+FFFD here). */
function unescapeQuery(text: string): string | undefined {
  if (!/^(?:[^%]|%[0-9a-fA-F]{2})*$/.test(text)) return undefined;
  const bytes: number[] = [];
  const plain = Buffer.from(text.replaceAll('+', ' '), 'utf8');
  for (let index = 0; index < plain.length; index += 1) {
    const byte = plain[index] as number;
    if (byte === 0x25) {
      bytes.push(Number.parseInt(plain.subarray(index + 1, index + 3).toString('latin1'), 16));
      index += 2;
    } else {
      bytes.push(byte);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
