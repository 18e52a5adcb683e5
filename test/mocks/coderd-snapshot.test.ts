import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CODERD_MESSAGES as M, type CreatedTask, type MockCoderd } from '../../src/mocks/coderd/index.ts';
import { call, useFreshCoderd, postSnapshot, snapshotBody, snapshotBodyOfSize, snapshotPath } from '../support/http.ts';

let coderd: MockCoderd;
let task: CreatedTask;

useFreshCoderd((fresh) => ({ coderd, task } = fresh));

const VALID = snapshotBody(['hello', 'world']);
const AGENT_NOT_AUTHORIZED_DETAIL =
  'The agent cannot authenticate until the workspace provision job has been completed. If the job is no longer running, this agent is invalid.';

describe('log-snapshot: agent authentication', () => {
  it('401 when no token is sent, with coderd\'s message', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { token: null });
    expect(answer.status).toBe(401);
    expect(answer.contentType).toBe('application/json; charset=utf-8');
    // httpmw/workspaceagent.go: a message naming only the cookie, and no detail.
    expect(answer.json).toEqual({ message: 'Cookie "coder_session_token" must be provided.' });
  });

  it('401 "Workspace agent token invalid." when the token is not a UUID', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { token: 'not-a-uuid' });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Workspace agent token invalid.', detail: 'An agent token must be a valid UUIDv4. (len 10)' });
  });

  it('401 "Workspace agent not authorized." for an unknown agent token', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { token: randomUUID() });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Workspace agent not authorized.', detail: AGENT_NOT_AUTHORIZED_DETAIL });
  });

  it('accepts the token in any form google/uuid parses (braces, urn:uuid:, no dashes, upper case)', async () => {
    const bare = task.agentToken.replaceAll('-', '');
    for (const token of [`{${task.agentToken}}`, `urn:uuid:${task.agentToken}`, bare, task.agentToken.toUpperCase()]) {
      expect((await postSnapshot(coderd, task, VALID, { token })).status).toBe(204);
    }
  });

  it('takes the token from the coder_session_token cookie too', async () => {
    const answer = await call(`${coderd.url}${snapshotPath(task.taskId)}`, {
      method: 'POST',
      headers: { cookie: `other=1; coder_session_token=${task.agentToken}` },
      body: VALID,
    });
    expect(answer.status).toBe(204);
  });

  it('takes a query-string token, which then fails the query check as an unknown parameter (as coderd does)', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { token: null, path: snapshotPath(task.taskId, `format=agentapi&coder_session_token=${task.agentToken}`) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ message: M.invalidQuery, validations: [{ field: 'coder_session_token' }] });
  });

  it('401 once the workspace is stopped, but a stopping workspace may still upload', async () => {
    coderd.setWorkspaceState(task.workspaceId, 'stopping');
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(204);
    coderd.setWorkspaceState(task.workspaceId, 'stopped');
    const answer = await postSnapshot(coderd, task, VALID);
    expect(answer.status).toBe(401);
    // The agent lookup finds no live build for the token: the same answer as an unknown token.
    expect(answer.json).toEqual({ message: M.agentNotAuthorized, detail: AGENT_NOT_AUTHORIZED_DETAIL });
  });

  it('401 (not 404) for a deleted task: its agent token is void', async () => {
    coderd.deleteTask(task.taskId);
    const answer = await postSnapshot(coderd, task, VALID);
    expect(answer.status).toBe(401);
    expect(answer.json).toMatchObject({ message: M.agentNotAuthorized });
  });

  it('checks the token before the method: GET without a token is 401, with one 405', async () => {
    expect((await call(`${coderd.url}${snapshotPath(task.taskId)}`)).status).toBe(401);
    const answer = await call(`${coderd.url}${snapshotPath(task.taskId)}`, { headers: { 'Coder-Session-Token': task.agentToken } });
    expect(answer.status).toBe(405);
    expect(answer.json).toEqual({ message: M.methodNotAllowed });
  });
});

describe('log-snapshot: task ID, query and format checks', () => {
  it('400 "Invalid task ID format." for a non-UUID task', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath('task-1') });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ message: M.invalidTaskId, detail: 'invalid UUID length: 6' });
  });

  it('accepts the task ID in the other UUID forms', async () => {
    const path = snapshotPath(`urn:uuid:${task.taskId.toUpperCase()}`);
    expect((await postSnapshot(coderd, task, VALID, { path })).status).toBe(204);
    expect(coderd.snapshot(task.taskId)).toBeDefined();
  });

  it.each([
    ['format missing', '', [{ field: 'format', detail: 'Query param "format" is required and cannot be empty' }]],
    ['format empty', 'format=', [{ field: 'format', detail: 'Query param "format" is required and cannot be empty' }]],
    ['format empty first', 'format=&format=agentapi', [{ field: 'format', detail: 'Query param "format" is required and cannot be empty' }]],
    [
      'format repeated',
      'format=agentapi&format=agentapi',
      [{ field: 'format', detail: 'Query param "format" provided more than once, found 2 times. Only provide 1 instance of this query param.' }],
    ],
    ['an unknown key', 'format=agentapi&limit=10', [{ field: 'limit', detail: '"limit" is not a valid query param' }]],
    [
      'several problems at once',
      'x=1&y',
      [
        { field: 'format', detail: 'Query param "format" is required and cannot be empty' },
        { field: 'x', detail: '"x" is not a valid query param' },
        { field: 'y', detail: '"y" is not a valid query param' },
      ],
    ],
  ])('400 "Invalid query parameters." with validations for %s', async (_name, query, validations) => {
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath(task.taskId, query) });
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ message: M.invalidQuery, validations });
  });

  it('parses the query like Go: "+" and %-escapes decode, pairs with ";" are dropped', async () => {
    expect((await postSnapshot(coderd, task, VALID, { path: snapshotPath(task.taskId, 'f%6Frmat=agent%61pi&a;b=1') })).status).toBe(204);
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath(task.taskId, 'format=agent+api') });
    expect(answer.json).toMatchObject({ message: M.invalidFormat, detail: 'Only "agentapi" format is currently supported, got "agent api".' });
  });

  it.each(['AgentAPI', 'json', 'agentapi '])('400 "Invalid format parameter." for format=%s', async (format) => {
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath(task.taskId, `format=${encodeURIComponent(format)}`) });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ message: M.invalidFormat });
  });
});

describe('log-snapshot: order of the checks', () => {
  it('a bad task ID wins over a bad query', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath('nope', 'x=1') });
    expect(answer.json).toMatchObject({ message: M.invalidTaskId });
  });

  it('a bad token wins over a bad task ID', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { token: 'bad', path: snapshotPath('nope', 'x=1') });
    expect(answer.status).toBe(401);
  });

  it('a bad query wins over a wrong format and an unknown task', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath(randomUUID(), 'format=json&x=1') });
    expect(answer.json).toMatchObject({ message: M.invalidQuery, validations: [{ field: 'x' }] });
  });

  it('a wrong format wins over an unknown task', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath(randomUUID(), 'format=json') });
    expect(answer.json).toMatchObject({ message: M.invalidFormat });
  });

  it('an unknown task wins over a bad body, and the body is never read', async () => {
    const answer = await postSnapshot(coderd, task, 'x'.repeat(200_000), { path: snapshotPath(randomUUID()) });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ message: M.notFound });
    expect(coderd.requests().at(-1)?.bodyLength).toBeNull();
  });

  it('an oversize body wins over its own (unreadable) JSON problems', async () => {
    const answer = await postSnapshot(coderd, task, `{"messages":null,"pad":"${'x'.repeat(70_000)}"}`);
    expect(answer.json).toMatchObject({ message: M.decodeFailed, detail: 'http: request body too large' });
  });
});

describe('log-snapshot: task lookup and ownership', () => {
  it('404 for an unknown task', async () => {
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath(randomUUID()) });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ message: M.notFound });
  });

  it('404 for a task in another workspace, even with a valid agent token', async () => {
    const other = coderd.createTask();
    const answer = await postSnapshot(coderd, task, VALID, { path: snapshotPath(other.taskId) });
    expect(answer.status).toBe(404);
    expect(coderd.snapshot(other.taskId)).toBeUndefined();
  });

  it('404 for a deleted task posted by another (live) agent', async () => {
    const other = coderd.createTask();
    coderd.deleteTask(other.taskId);
    expect((await postSnapshot(coderd, task, VALID, { path: snapshotPath(other.taskId) })).status).toBe(404);
  });
});

describe('log-snapshot: body size limit (65536 bytes, 400 not 413)', () => {
  it('accepts exactly 65536 bytes', async () => {
    const body = snapshotBodyOfSize(65_536);
    const answer = await postSnapshot(coderd, task, body);
    expect(answer.status).toBe(204);
    expect(coderd.snapshot(task.taskId)?.rawBody).toBe(body);
  });

  it('refuses 65537 bytes with "Failed to decode request payload."', async () => {
    const answer = await postSnapshot(coderd, task, snapshotBodyOfSize(65_537));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ message: M.decodeFailed, detail: 'http: request body too large' });
    expect(coderd.snapshot(task.taskId)).toBeUndefined();
    expect(coderd.requests().at(-1)?.bodyLength).toBe(65_537);
  });

  it('counts bytes, not characters: 65536 bytes of multibyte text pass, one more byte fails', async () => {
    const base = Buffer.byteLength(snapshotBody(['']));
    const fill = (bytes: number) => `${'東'.repeat(Math.floor(bytes / 3))}${'x'.repeat(bytes % 3)}`;
    const fits = snapshotBody([fill(65_536 - base)]);
    expect(Buffer.byteLength(fits)).toBe(65_536);
    expect((await postSnapshot(coderd, task, fits)).status).toBe(204);
    expect((await postSnapshot(coderd, task, snapshotBody([fill(65_537 - base)]))).status).toBe(400);
  });

  it('stays usable after a multi-megabyte upload', async () => {
    expect((await postSnapshot(coderd, task, Buffer.alloc(4 * 1024 * 1024, 0x20))).status).toBe(400);
    expect((await postSnapshot(coderd, task, VALID)).status).toBe(204);
  });
});

describe('log-snapshot: decoding like Go into agentapi-sdk-go GetMessagesResponse', () => {
  const field = (path: string, type: string, value: string) => `json: cannot unmarshal ${value} into Go struct field ${path} of type ${type}`;
  it.each([
    ['an empty body', '', 'EOF'],
    ['a body of only whitespace', ' \r\n\t', 'EOF'],
    ['a cut body', '{"messages":[', 'unexpected EOF'],
    ['a body cut inside a literal', '{"messages":[tru', 'unexpected EOF'],
    ['a top-level array', '[]', 'json: cannot unmarshal array into Go value of type gen.MessagesResponseBody'],
    ['messages as an object', '{"messages":{}}', field('MessagesResponseBody.messages', '[]gen.Message', 'object')],
    ['messages as a string', '{"messages":"[]"}', field('MessagesResponseBody.messages', '[]gen.Message', 'string')],
    ['a message that is a string', '{"messages":["hi"]}', field('MessagesResponseBody.messages', 'gen.Message', 'string')],
    ['a string id', '{"messages":[{"id":"1"}]}', field('Message.messages.id', 'int64', 'string')],
    ['a fractional id', '{"messages":[{"id":1.5}]}', field('Message.messages.id', 'int64', 'number 1.5')],
    ['an exponent id (valid JSON, not an int64 literal)', '{"messages":[{"id":1e2}]}', field('Message.messages.id', 'int64', 'number 1e2')],
    ['an id beyond int64', '{"messages":[{"id":9223372036854775808}]}', field('Message.messages.id', 'int64', 'number 9223372036854775808')],
    ['a number content', '{"messages":[{"content":5}]}', field('Message.messages.content', 'string', 'number')],
    ['a boolean role', '{"messages":[{"role":true}]}', field('Message.messages.role', 'gen.ConversationRole', 'bool')],
    ['a $schema of the wrong type', '{"$schema":1,"messages":[]}', field('MessagesResponseBody.$schema', 'string', 'number')],
    ['two mismatches (the first is reported)', '{"messages":[{"content":5,"id":"x"}]}', field('Message.messages.content', 'string', 'number')],
    ['a numeric time', '{"messages":[{"time":0}]}', 'Time.UnmarshalJSON: input is not a JSON string'],
    ['a bad time after a mismatch (UnmarshalJSON errors stop decoding)', '{"messages":[{"content":5},{"time":[]}]}', 'Time.UnmarshalJSON: input is not a JSON string'],
    ['a broken literal', '{"messages":[trux]}', "invalid character 'x' in literal true (expecting 'e')"],
    ['a bare decimal point', '{"messages":[1.]}', "invalid character ']' after decimal point in numeric literal"],
    ['an empty exponent', '{"messages":[1e]}', "invalid character ']' in exponent of numeric literal"],
    ['a raw newline in a string', '{"messages":"\n"}', "invalid character '\\n' in string literal"],
    ['a single-quoted key', "{'messages':[]}", "invalid character '\\'' looking for beginning of object key string"],
    ['a bad \\u escape', '{"messages":"\\u12x4"}', "invalid character 'x' in \\u hexadecimal character escape"],
    ['trailing bytes after the JSON value (stricter than Go)', '{"messages":[]} x', "invalid character 'x' after top-level value"],
    ['a byte-order mark (Go names its first byte)', '\ufeff{"messages":[]}', "invalid character 'ï' looking for beginning of value"],
  ])('400 "Failed to decode request payload." for %s, with Go\'s detail', async (_name, body, detail) => {
    const answer = await postSnapshot(coderd, task, body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ message: M.decodeFailed, detail });
  });

  it.each([
    ['a time that is not RFC 3339', '{"messages":[{"time":"2025-01-01 00:00:00"}]}'],
    ['an impossible date', '{"messages":[{"time":"2025-02-30T00:00:00Z"}]}'],
  ])('400 "Failed to decode request payload." for %s (detail names the time, shorter than Go\'s)', async (_name, body) => {
    const answer = await postSnapshot(coderd, task, body);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ message: M.decodeFailed, detail: expect.stringMatching(/^parsing time "2025-0/) });
  });

  it.each([
    ['no messages key', '{}'],
    ['messages null', '{"messages":null}'],
    ['a top-level null', 'null'],
    ['a later duplicate key nulling messages', '{"messages":[],"messages":null}'],
  ])('400 "Invalid agentapi payload structure." for %s', async (_name, body) => {
    const answer = await postSnapshot(coderd, task, body);
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ message: M.invalidStructure, detail: 'Missing required "messages" field.' });
  });

  it('accepts an empty messages array', async () => {
    expect((await postSnapshot(coderd, task, '{"messages":[]}')).status).toBe(204);
    expect(coderd.snapshot(task.taskId)?.data).toEqual({ messages: [] });
  });

  it('matches field names case-insensitively and ignores unknown fields, as encoding/json does', async () => {
    const body = '{"MESSAGES":[{"ID":7,"Content":"hi","ROLE":"agent","tImE":"2025-01-01T10:00:00Z","extra":true}],"other":{"deep":[1,2]}}';
    expect((await postSnapshot(coderd, task, body)).status).toBe(204);
    expect(coderd.snapshot(task.taskId)?.data).toEqual({ messages: [{ content: 'hi', id: 7, role: 'agent', time: '2025-01-01T10:00:00Z' }] });
  });

  it('leaves null and missing message fields at Go zero values', async () => {
    expect((await postSnapshot(coderd, task, '{"messages":[null,{"content":null,"id":null}]}')).status).toBe(204);
    const zero = { content: '', id: 0, role: '', time: '0001-01-01T00:00:00Z' };
    expect(coderd.snapshot(task.taskId)?.data.messages).toEqual([zero, zero]);
  });

  it('stores times as Go re-marshals them (RFC3339Nano, zero offset as Z, trailing zeros trimmed)', async () => {
    const times = ['2025-01-01T10:00:00.120000Z', '2025-01-01T10:00:00+00:00', '2025-01-01T10:00:00.5-07:30', '2025-01-01T10:00:00.1234567891Z'];
    const body = JSON.stringify({ messages: times.map((time, id) => ({ id, content: '', role: 'user', time })) });
    expect((await postSnapshot(coderd, task, body)).status).toBe(204);
    expect(coderd.snapshot(task.taskId)?.data.messages.map((message) => message.time)).toEqual([
      '2025-01-01T10:00:00.12Z',
      '2025-01-01T10:00:00Z',
      '2025-01-01T10:00:00.5-07:30',
      '2025-01-01T10:00:00.123456789Z',
    ]);
  });

  it('replaces lone surrogate escapes and invalid UTF-8 with U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"messages":[{"content":"\\ud800 '), Buffer.from([0xff]), Buffer.from('"}]}')]);
    expect((await postSnapshot(coderd, task, body)).status).toBe(204);
    expect(coderd.snapshot(task.taskId)?.data.messages[0]?.content).toBe('\ufffd \ufffd');
  });
});

describe('log-snapshot: NUL characters (PostgreSQL jsonb refuses them)', () => {
  it.each([
    ['content', snapshotBody(['fine', 'bad \u0000 byte'])],
    ['role', '{"messages":[{"role":"agent\\u0000"}]}'],
    ['$schema', '{"$schema":"x\\u0000","messages":[]}'],
  ])('500 "Internal error storing snapshot." for a NUL in %s, storing nothing', async (_field, body) => {
    const answer = await postSnapshot(coderd, task, body);
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ message: M.storeFailed });
    expect(coderd.snapshot(task.taskId)).toBeUndefined();
  });

  it('ignores a NUL inside a dropped unknown field', async () => {
    expect((await postSnapshot(coderd, task, '{"junk":"\\u0000","messages":[]}')).status).toBe(204);
  });
});

describe('log-snapshot: success and storage', () => {
  it('204 with an empty body and no content type; stores format, data without unknown fields, server time', async () => {
    const before = Date.now();
    const body = snapshotBody(['<hi> & "bye"'], { $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json', extra: 1 });
    const response = await fetch(`${coderd.url}${snapshotPath(task.taskId)}`, { method: 'POST', headers: { 'Coder-Session-Token': task.agentToken }, body });
    expect(response.status).toBe(204);
    expect(response.headers.get('content-type')).toBeNull();
    expect(await response.text()).toBe('');
    const stored = coderd.snapshot(task.taskId);
    expect(stored).toMatchObject({
      taskId: task.taskId,
      format: 'agentapi',
      data: {
        $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json',
        messages: [{ id: 0, content: '<hi> & "bye"', role: 'user', time: '2025-01-01T00:00:00Z' }],
      },
      rawBody: body,
    });
    expect(Object.keys(stored?.data ?? {})).toEqual(['$schema', 'messages']);
    expect(Date.parse(stored?.created_at ?? '')).toBeGreaterThanOrEqual(before - 1000);
  });

  it('upserts: the last write wins, per task', async () => {
    const other = coderd.createTask();
    await postSnapshot(coderd, task, snapshotBody(['first']));
    await postSnapshot(coderd, other, snapshotBody(['other']));
    await postSnapshot(coderd, task, snapshotBody(['second', 'third']));
    expect(coderd.snapshot(task.taskId)?.data.messages.map((message) => message.content)).toEqual(['second', 'third']);
    expect(coderd.snapshot(other.taskId)?.data.messages.map((message) => message.content)).toEqual(['other']);
    expect(coderd.snapshots()).toHaveLength(2);
  });

  it('collapses repeated slashes before routing (CODER_AGENT_URL ends in "/")', async () => {
    const path = `//api//v2///workspaceagents/me/tasks/${task.taskId}//log-snapshot?format=agentapi`;
    expect((await postSnapshot(coderd, task, VALID, { path })).status).toBe(204);
    expect(coderd.requests().at(-1)?.path).toBe(`//api//v2///workspaceagents/me/tasks/${task.taskId}//log-snapshot`);
  });

  it('answers unknown routes with 404 "Route not found."', async () => {
    for (const path of ['/api/v2/workspaceagents/me/tasks/x', '/api/v2/buildinfo', `${snapshotPath(task.taskId, '').slice(0, -1)}/`]) {
      const answer = await call(`${coderd.url}${path}`, { method: 'POST' });
      expect(answer.status).toBe(404);
      expect(answer.json).toEqual({ message: M.routeNotFound });
    }
  });

  it('records requests with the token REDACTED, body length and status', async () => {
    await postSnapshot(coderd, task, VALID);
    const [record] = coderd.requests();
    expect(record).toMatchObject({ method: 'POST', query: { format: ['agentapi'] }, bodyLength: Buffer.byteLength(VALID), status: 204 });
    expect(record?.headers['coder-session-token']).toBe('REDACTED');
    expect(JSON.stringify(coderd.requests())).not.toContain(task.agentToken);
  });
});

describe('log-snapshot: Expect: 100-continue, like Go', () => {
  /** Sends only the headers, then reports the first status line the server sends back. */
  function firstStatusLine(token: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = connect(coderd.port, '127.0.0.1');
      socket.on('error', reject);
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk.toString('latin1').split('\r\n')[0] ?? '');
        socket.destroy();
      });
      socket.write(
        `POST ${snapshotPath(task.taskId)} HTTP/1.1\r\nHost: x\r\nCoder-Session-Token: ${token}\r\nContent-Length: ${VALID.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
    });
  }

  it('rejects a bad token without inviting the body, and invites it when the request gets that far', async () => {
    expect(await firstStatusLine(randomUUID())).toBe('HTTP/1.1 401 Unauthorized');
    expect(await firstStatusLine(task.agentToken)).toBe('HTTP/1.1 100 Continue');
  });
});
