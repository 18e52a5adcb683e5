/**
 * UUID parsing as github.com/google/uuid's Parse does it, which coderd uses for both the agent
 * token and the `{task}` path parameter: besides the canonical 36-character form it accepts
 * `{...}` braces, a `urn:uuid:` prefix and 32 bare hex digits, in any letter case. The version
 * nibble is not checked. Returns the canonical lowercase form, or undefined.
 */
export function parseGoUuid(text: string): string | undefined {
  const body = stripWrapper(text);
  if (body === undefined) return undefined;
  const hex = body.length === 32 ? body : dashedHex(body);
  if (hex === undefined || !/^[0-9a-fA-F]{32}$/.test(hex)) return undefined;
  const lower = hex.toLowerCase();
  return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
}

function stripWrapper(text: string): string | undefined {
  if (text.length === 36 || text.length === 32) return text;
  if (text.length === 45) return text.slice(0, 9).toLowerCase() === 'urn:uuid:' ? text.slice(9) : undefined;
  if (text.length === 38) return text.startsWith('{') && text.endsWith('}') ? text.slice(1, 37) : undefined;
  return undefined;
}

function dashedHex(body: string): string | undefined {
  if (body.length !== 36) return undefined;
  if (body[8] !== '-' || body[13] !== '-' || body[18] !== '-' || body[23] !== '-') return undefined;
  return body.replaceAll('-', '');
}
