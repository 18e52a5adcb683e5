import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MockAgentapi, startMockAgentapi } from '../../src/mocks/agentapi/index.ts';
import { CODERD_MESSAGES, type CreatedTask, type MockCoderd, startMockCoderd } from '../../src/mocks/coderd/index.ts';
import { call, isWellFormedHttpResponse, rawExchange, snapshotBody } from '../support/http.ts';

/**
 * Bounded fuzzing (about 200 requests per mock): whatever arrives, each mock must answer with a
 * well-formed HTTP response and keep serving. Faults are off, so nothing may hang or reset.
 */

const HTTP_RUNS = 120;

/** The server errors the real servers answer on purpose, and the mocks with them. */
const INTENDED_5XX = [CODERD_MESSAGES.storeFailed, CODERD_MESSAGES.invalidSnapshotData, CODERD_MESSAGES.unsupportedSnapshotFormat];
const RAW_RUNS = 80;

interface FuzzRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** Sends with node:http, which allows any method token and raw paths; resolves with the status and body. */
function send(port: number, input: FuzzRequest): Promise<{ status: number; body: string }> {
  const body = input.method === 'GET' || input.method === 'HEAD' ? undefined : input.body;
  // Node's client frames a body for OPTIONS/DELETE only with an explicit length; unframed bytes
  // would be read as the next request on the kept-alive connection.
  const headers = body === undefined ? input.headers : { ...input.headers, 'content-length': String(Buffer.byteLength(body)) };
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: input.method, path: input.path, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(5_000, () => req.destroy(new Error(`no answer to ${input.method} ${input.path}`)));
    req.end(body);
  });
}

function requests(pieces: string[], tokens: string[]): fc.Arbitrary<FuzzRequest> {
  const segment = fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 12 }).map(encodeURIComponent));
  const path = fc
    .tuple(fc.array(segment, { maxLength: 8 }), fc.constantFrom('/', '//'), fc.array(fc.constantFrom(...QUERY_PIECES), { maxLength: 4 }))
    .map(([segments, separator, query]) => `/${segments.join(separator)}${query.length > 0 ? `?${query.join('&')}` : ''}`);
  const method = fc.oneof(fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'), fc.stringMatching(/^[A-Z]{1,8}$/).filter((m) => m !== 'CONNECT'));
  const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,40}$/).map((value) => value.trim());
  const headers = fc.record(
    {
      'coder-session-token': fc.oneof(fc.constantFrom(...tokens), headerValue),
      'content-type': fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x', ''),
      cookie: fc.constantFrom(`coder_session_token=${tokens[0]}`, 'a=b', 'coder_session_token='),
      'x-fuzz': headerValue,
    },
    { requiredKeys: [] },
  );
  const body = fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.json(),
    fc.array(fc.string({ maxLength: 50 }), { maxLength: 6 }).map((contents) => snapshotBody(contents)),
    fc.integer({ min: 60_000, max: 70_000 }).map((size) => `{"messages":[{"content":"${'x'.repeat(size)}"}]}`),
  );
  return fc.record({ method, path, headers, body });
}

const QUERY_PIECES = ['format=agentapi', 'format=', 'format=json', 'x=1', 'a;b', '%zz=1', 'coder_session_token=abc', '&&', '='];

const REQUEST_LINES = [
  'GET / HTTP/1.1',
  'GET /messages HTTP/1.0',
  'POST //api/v2/workspaceagents/me/tasks/x/log-snapshot HTTP/1.1',
  'GET * HTTP/1.1',
  'GET http://example.com/status HTTP/1.1',
  'G E T / HTTP/1.1',
  'get /status HTTP/1.1',
  'GET /%00%ff HTTP/1.1',
  'GET / HTTP/9.9',
  'GET / FOO/1.1',
  'GET /',
  ' / HTTP/1.1',
  '\x00\x01\x02',
  'GET /a b c HTTP/1.1',
  'BREW /pot HTCPCP/1.0',
];

const HEADER_LINES = [
  'Host: 127.0.0.1',
  'Host:',
  'No-Colon-Here',
  ': no-name',
  'Bad Name: x',
  'X-Ctl: a\x01b',
  'Content-Length: abc',
  'Content-Length: -1',
  'Content-Length: 1, 2',
  'Transfer-Encoding: gzip',
  'Coder-Session-Token: 00000000-0000-0000-0000-000000000000',
  ` folded-continuation`,
  `X-Long: ${'y'.repeat(20_000)}`,
  'Expect: 100-continue',
  'Connection: close',
];

/** Request-line and header soup, framed so a complete request is on the wire (no body left pending). */
const rawRequests = fc.oneof(
  fc
    .tuple(
      fc.oneof(fc.constantFrom(...REQUEST_LINES), fc.string({ maxLength: 40 }).map((line) => line.replace(/[\r\n]/g, ''))),
      fc.array(fc.oneof(fc.constantFrom(...HEADER_LINES), fc.string({ maxLength: 30 }).map((line) => line.replace(/[\r\n]/g, ''))), { maxLength: 5 }),
    )
    .map(([line, headers]) => `${[line, ...headers].join('\r\n')}\r\n\r\n`),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => Buffer.concat([Buffer.from(bytes), Buffer.from('\r\n\r\n')])),
).filter(
  // Bare empty lines are not a request (RFC 9112 lets servers skip them), so silence is right there.
  (raw) => !/^[\r\n]*$/.test(raw.toString()),
);

async function fuzzHttp(port: number, arbitrary: fc.Arbitrary<FuzzRequest>): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arbitrary, async (input) => {
      const { status, body } = await send(port, input);
      expect(status).toBeGreaterThanOrEqual(100);
      // A 5xx is a crash unless it is an answer the real server gives on purpose (a NUL in a
      // message is coderd's 500 "Internal error storing snapshot.").
      if (status >= 500) expect(INTENDED_5XX.some((message) => body.includes(message)), `${status} to ${input.method} ${input.path}: ${body.slice(0, 200)}`).toBe(true);
    }),
    { numRuns: HTTP_RUNS },
  );
}

async function fuzzRaw(port: number): Promise<void> {
  await fc.assert(
    fc.asyncProperty(rawRequests, async (raw) => {
      const answer = await rawExchange(port, raw);
      expect(isWellFormedHttpResponse(answer), JSON.stringify(answer.toString('latin1').slice(0, 200))).toBe(true);
    }),
    { numRuns: RAW_RUNS },
  );
}

describe('fuzzing the mock coderd', () => {
  let coderd: MockCoderd;
  let task: CreatedTask;
  beforeAll(async () => {
    coderd = await startMockCoderd();
    task = coderd.createTask();
  });
  afterAll(async () => {
    await coderd.close();
  });

  it('answers random requests well-formed and keeps serving', async () => {
    const pieces = ['api', 'v2', 'workspaceagents', 'me', 'tasks', task.taskId, randomUUID(), 'log-snapshot', 'logs', task.user, '', '%2F', '..', '.'];
    await fuzzHttp(coderd.port, requests(pieces, [task.agentToken, task.userToken, randomUUID(), '']));
    const answer = await call(`${coderd.url}/api/v2/workspaceagents/me/tasks/${task.taskId}/log-snapshot?format=agentapi`, {
      method: 'POST',
      headers: { 'Coder-Session-Token': task.agentToken },
      body: snapshotBody(['still alive']),
    });
    expect(answer.status).toBe(204);
  });

  it('answers malformed raw requests with a well-formed HTTP response', async () => {
    await fuzzRaw(coderd.port);
    expect((await call(`${coderd.url}/api/v2/nothing`)).status).toBe(404);
  });
});

describe('fuzzing the mock AgentAPI', () => {
  let agentapi: MockAgentapi;
  beforeAll(async () => {
    agentapi = await startMockAgentapi({ preset: 'short' });
  });
  afterAll(async () => {
    await agentapi.close();
  });

  it('answers random requests well-formed and keeps serving', async () => {
    await fuzzHttp(agentapi.port, requests(['messages', 'status', 'message', 'events', '', '%2F', '..', 'schemas'], ['x']));
    const answer = await call(`${agentapi.url}/messages`);
    expect(answer.status).toBe(200);
    expect((answer.json as { messages: unknown[] }).messages.length).toBeGreaterThanOrEqual(5);
  });

  it('answers malformed raw requests with a well-formed HTTP response', async () => {
    await fuzzRaw(agentapi.port);
    expect((await call(`${agentapi.url}/status`)).status).toBe(200);
  });
});
