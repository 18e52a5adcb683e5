import type { IncomingMessage, ServerResponse } from 'node:http';

/** What a mock saw and answered, for tests to assert on. Secrets are replaced by REDACTED. */
export interface RecordedRequest {
  method: string;
  /** The path as received (before slash collapsing), without the query. */
  path: string;
  query: Record<string, string[]>;
  headers: Record<string, string>;
  /**
   * Bytes of body the handler read; `null` when it answered without reading the body
   * (the real servers do that for early rejections too). `content-length` is in `headers`.
   */
  bodyLength: number | null;
  /** Status answered; `null` while pending or when the mock hung up / reset the connection. */
  status: number | null;
  receivedAt: string;
}

export const REDACTED = 'REDACTED';

/** Header and query names whose values are credentials. */
const SECRET_HEADERS = new Set(['coder-session-token', 'authorization', 'proxy-authorization']);
const SECRET_COOKIE_OR_QUERY = 'coder_session_token';

/** Lets the body reader fill in `bodyLength` without every route threading the record through. */
const recordsByRequest = new WeakMap<IncomingMessage, RecordedRequest>();

export function noteBodyLength(req: IncomingMessage, length: number): void {
  const record = recordsByRequest.get(req);
  if (record !== undefined) record.bodyLength = length;
}

export function recordRequest(req: IncomingMessage): RecordedRequest {
  const record = newRecord(req);
  recordsByRequest.set(req, record);
  return record;
}

function newRecord(req: IncomingMessage): RecordedRequest {
  const { path, search } = splitTarget(req.url ?? '/');
  return {
    method: req.method ?? '',
    path,
    query: redactQuery(new URLSearchParams(search)),
    headers: redactHeaders(req),
    bodyLength: null,
    status: null,
    receivedAt: new Date().toISOString(),
  };
}

/** Splits a request target without URL parsing, which would normalise away what a fuzz test sent. */
export function splitTarget(target: string): { path: string; search: string } {
  const mark = target.indexOf('?');
  return mark === -1 ? { path: target, search: '' } : { path: target.slice(0, mark), search: target.slice(mark + 1) };
}

function redactHeaders(req: IncomingMessage): Record<string, string> {
  // Null prototype: a header or query key named `__proto__` must stay data, not become a prototype.
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(req.headersDistinct)) {
    if (value === undefined) continue;
    headers[name] = SECRET_HEADERS.has(name) ? REDACTED : name === 'cookie' ? value.map(redactCookie).join('; ') : value.join(', ');
  }
  return headers;
}

function redactCookie(cookie: string): string {
  return cookie
    .split(';')
    .map((pair) => (pair.trim().startsWith(`${SECRET_COOKIE_OR_QUERY}=`) ? `${pair.split('=')[0]}=${REDACTED}` : pair))
    .join(';');
}

function redactQuery(params: URLSearchParams): Record<string, string[]> {
  const query: Record<string, string[]> = Object.create(null);
  for (const [key, value] of params) (query[key] ??= []).push(key === SECRET_COOKIE_OR_QUERY ? REDACTED : value);
  return query;
}

/** Fills in the answered status once the response is fully handed to the socket (never, for hang/reset). */
export function trackAnswer(record: RecordedRequest, res: ServerResponse): void {
  res.once('finish', () => {
    record.status = res.statusCode;
  });
}
