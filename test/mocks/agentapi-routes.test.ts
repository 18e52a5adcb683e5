import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConversationError,
  generateConversation,
  type MockAgentapi,
  PRESET_NAMES,
  presetConversation,
  startMockAgentapi,
} from '../../src/mocks/agentapi/index.ts';
import { call, FIXTURES } from '../support/http.ts';

let mock: MockAgentapi | undefined;
afterEach(async () => {
  await mock?.close();
  mock = undefined;
});

async function start(options: Parameters<typeof startMockAgentapi>[0] = {}): Promise<MockAgentapi> {
  mock = await startMockAgentapi(options);
  return mock;
}

describe('mock AgentAPI GET /messages', () => {
  it('answers exactly the AgentAPI bytes: $schema from Host, ids by position, trailing newline', async () => {
    const server = await start({ messages: [{ content: 'hi', role: 'user', time: '2025-01-01T00:00:00Z' }, { content: 'yo', role: 'agent', time: '2025-01-01T00:00:01Z' }] });
    const answer = await call(`${server.url}/messages`);
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    const host = new URL(server.url).host;
    expect(answer.text).toBe(
      `{"$schema":"http://${host}/schemas/MessagesResponseBody.json","messages":[` +
        '{"id":0,"content":"hi","role":"user","time":"2025-01-01T00:00:00Z"},' +
        '{"id":1,"content":"yo","role":"agent","time":"2025-01-01T00:00:01Z"}]}\n',
    );
  });

  it('leaves <>& alone, escapes control characters like Go, and always escapes U+2028/U+2029', async () => {
    const server = await start({ messages: [{ content: '<b>&</b> \u0001 \u001b[0m \t\n "q" \\ \u2028\u2029 東京 🚀', role: 'agent' }] });
    const { text } = await call(`${server.url}/messages`);
    expect(text).toContain('"content":"<b>&</b> \\u0001 \\u001b[0m \\t\\n \\"q\\" \\\\ \\u2028\\u2029 東京 🚀"');
  });

  it('turns lone surrogates into U+FFFD, as Go strings cannot hold them', async () => {
    const server = await start({ messages: [{ content: 'a\ud800b', role: 'agent' }] });
    const { json } = await call(`${server.url}/messages`);
    expect((json as { messages: Array<{ content: string }> }).messages[0]?.content).toBe('a\ufffdb');
  });

  it('serves an empty conversation as "messages": [] (never null)', async () => {
    const server = await start();
    expect((await call(`${server.url}/messages`)).json).toMatchObject({ messages: [] });
  });

  it('reflects setMessages and fills missing times one second apart', async () => {
    const server = await start({ preset: 'short' });
    server.setMessages([{ content: 'a', role: 'user' }, { content: 'b', role: 'agent' }]);
    const { json } = await call(`${server.url}/messages`);
    expect(json).toMatchObject({ messages: [{ id: 0, time: '2025-01-01T00:00:00Z' }, { id: 1, time: '2025-01-01T00:00:01Z' }] });
    expect(server.messages().map((message) => message.content)).toEqual(['a', 'b']);
  });
});

describe('mock AgentAPI GET /status and POST /message', () => {
  it('reports status, agent type and transport; the status is configurable', async () => {
    const server = await start({ status: 'running' });
    const host = new URL(server.url).host;
    expect((await call(`${server.url}/status`)).text).toBe(
      `{"$schema":"http://${host}/schemas/StatusResponseBody.json","status":"running","agent_type":"claude","transport":"pty"}\n`,
    );
    server.setStatus('stable');
    expect((await call(`${server.url}/status`)).json).toMatchObject({ status: 'stable' });
  });

  it('appends a user message and answers ok', async () => {
    const server = await start({ preset: 'short' });
    const answer = await call(`${server.url}/message`, { method: 'POST', body: JSON.stringify({ content: 'next step', type: 'user' }) });
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ ok: true });
    const last = server.messages().at(-1);
    expect(last).toMatchObject({ id: 5, content: 'next step', role: 'user' });
  });

  it('keeps the conversation unchanged for raw keystrokes', async () => {
    const server = await start({ preset: 'short' });
    await call(`${server.url}/message`, { method: 'POST', body: JSON.stringify({ content: '\u0003', type: 'raw' }) });
    expect(server.messages()).toHaveLength(5);
  });

  it('rejects malformed JSON with a 400 problem', async () => {
    const server = await start();
    const answer = await call(`${server.url}/message`, { method: 'POST', body: '{"content":' });
    expect(answer.status).toBe(400);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.json).toMatchObject({ title: 'Bad Request', status: 400, detail: 'validation failed', errors: [{ location: 'body', value: '{"content":' }] });
    expect(server.messages()).toHaveLength(0);
  });

  it.each([
    ['a missing type', '{"content":"x"}', { message: 'expected required property type to be present', location: 'body' }],
    ['a wrong type value', '{"content":"x","type":"shout"}', { location: 'body.type' }],
    ['a non-string content', '{"content":5,"type":"user"}', { location: 'body.content' }],
    ['an unknown property', '{"content":"x","type":"user","agent":"claude"}', { message: 'unexpected property', location: 'body.agent' }],
  ])('rejects %s with a 422 problem, as huma does', async (_name, body, error) => {
    const server = await start();
    const answer = await call(`${server.url}/message`, { method: 'POST', body });
    expect(answer.status).toBe(422);
    expect(answer.contentType).toBe('application/problem+json');
    expect(answer.json).toMatchObject({ title: 'Unprocessable Entity', status: 422, detail: 'validation failed', errors: [error] });
    expect(server.messages()).toHaveLength(0);
  });

  it('answers a user message while the agent is busy with huma\'s opaque 500, the reason in errors[0].message', async () => {
    const server = await start({ status: 'running' });
    const answer = await call(`${server.url}/message`, { method: 'POST', body: JSON.stringify({ content: 'next', type: 'user' }) });
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({
      $schema: expect.stringMatching(/\/schemas\/ErrorModel\.json$/),
      title: 'Internal Server Error',
      status: 500,
      detail: 'unexpected error occurred',
      errors: [{ message: 'failed to send message: message can only be sent when the agent is waiting for user input' }],
    });
    expect(server.messages()).toHaveLength(0);
  });

  it('takes raw keystrokes while the agent is busy', async () => {
    const server = await start({ status: 'running' });
    expect((await call(`${server.url}/message`, { method: 'POST', body: JSON.stringify({ content: '\u0003', type: 'raw' }) })).status).toBe(200);
  });

  it.each([
    [' padded ', 'message must be trimmed of leading and trailing whitespace'],
    ['', 'message must not be empty'],
  ])('refuses the user message %j with a 500 naming why', async (content, reason) => {
    const server = await start();
    const answer = await call(`${server.url}/message`, { method: 'POST', body: JSON.stringify({ content, type: 'user' }) });
    expect(answer.status).toBe(500);
    expect(answer.json).toMatchObject({ detail: 'unexpected error occurred', errors: [{ message: `failed to send message: ${reason}` }] });
  });

  it('answers 413 to a body of exactly 1 MiB, and takes one a byte shorter', async () => {
    const server = await start();
    const frame = JSON.stringify({ content: '', type: 'raw' });
    const body = (bytes: number) => JSON.stringify({ content: 'x'.repeat(bytes - frame.length), type: 'raw' });
    expect(Buffer.byteLength(body(1024 * 1024))).toBe(1024 * 1024);
    expect((await call(`${server.url}/message`, { method: 'POST', body: body(1024 * 1024) })).status).toBe(413);
    expect((await call(`${server.url}/message`, { method: 'POST', body: body(1024 * 1024 - 1) })).status).toBe(200);
  });
});

describe('mock AgentAPI by release', () => {
  it.each([
    ['v0.10.0', ['$schema', 'status']],
    ['v0.10.1', ['$schema', 'status', 'agent_type']],
    ['v0.11.8', ['$schema', 'status', 'agent_type']],
    ['v0.12.0', ['$schema', 'status', 'agent_type', 'transport']],
  ])('%s answers GET /status with %j', async (release, keys) => {
    const server = await start({ release });
    expect(Object.keys((await call(`${server.url}/status`)).json as object)).toEqual(keys);
  });

  it('refuses a release that is not a version', async () => {
    await expect(startMockAgentapi({ release: 'latest' })).rejects.toThrow('AgentAPI release "latest" is not a version like v0.12.1');
  });
});

describe('mock AgentAPI GET /messages framing', () => {
  it('sends a small conversation with a Content-Length and a large one chunked, with none, as Go does', async () => {
    const server = await start({ preset: 'short' });
    const small = await fetch(`${server.url}/messages`);
    expect(small.headers.get('content-length')).toBe(String(Buffer.byteLength(await small.text())));
    server.setMessages(generateConversation({ count: 10, size: 1000, seed: 1 }));
    const large = await fetch(`${server.url}/messages`);
    expect(large.headers.get('content-length')).toBeNull();
    expect(large.headers.get('transfer-encoding')).toBe('chunked');
    expect(((await large.json()) as { messages: unknown[] }).messages).toHaveLength(10);
  });
});

describe('mock AgentAPI errors and request log', () => {
  it("answers unknown routes with chi's plain-text 404 and wrong methods with an empty 405, as AgentAPI's router does", async () => {
    const server = await start();
    const missing = await call(`${server.url}/nope`);
    expect(missing.status).toBe(404);
    expect(missing.contentType).toBe('text/plain; charset=utf-8');
    expect(missing.text).toBe('404 page not found\n');
    const wrong = await fetch(`${server.url}/messages`, { method: 'POST', body: '{}' });
    expect(wrong.status).toBe(405);
    expect(await wrong.text()).toBe('');
    expect(wrong.headers.get('allow')).toBe('GET');
  });

  it('records requests with their answered status', async () => {
    const server = await start();
    await call(`${server.url}/messages?x=1`);
    await call(`${server.url}/nope`);
    expect(server.requests().map(({ method, path, query, status }) => ({ method, path, query, status }))).toEqual([
      { method: 'GET', path: '/messages', query: { x: ['1'] }, status: 200 },
      { method: 'GET', path: '/nope', query: {}, status: 404 },
    ]);
  });

  it('can be steered over /__mock from another process', async () => {
    const server = await start();
    expect((await call(`${server.url}/__mock/messages`, { method: 'PUT', body: JSON.stringify([{ content: 'x', role: 'agent' }]) })).status).toBe(204);
    expect(server.messages()).toHaveLength(1);
    expect((await call(`${server.url}/__mock/fault`, { method: 'POST', body: JSON.stringify({ kind: 'status', status: 503 }) })).status).toBe(204);
    expect((await call(`${server.url}/messages`)).status).toBe(503);
    expect((await call(`${server.url}/__mock/fault`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(`${server.url}/messages`)).status).toBe(200);
    expect((await call(`${server.url}/__mock/fault`, { method: 'POST', body: JSON.stringify({ kind: 'explode' }) })).status).toBe(400);
  });
});

describe('mock AgentAPI conversation sources', () => {
  it('loads a full GET /messages response file, renumbering ids by position', async () => {
    const server = await start({ conversationFile: join(FIXTURES, 'messages-response.json') });
    const messages = server.messages();
    expect(messages.map((message) => message.id)).toEqual([0, 1, 2]);
    expect(messages[1]).toMatchObject({ role: 'agent', time: '2025-03-04T09:15:07+02:00' });
    expect(messages[2]?.content).toBe('Thanks <3 & "quotes" \\ backslash');
  });

  it('loads a bare array, filling missing times', async () => {
    const server = await start({ conversationFile: join(FIXTURES, 'bare-array.json') });
    expect(server.messages()).toEqual([
      { id: 0, content: 'hello', role: 'user', time: '2025-01-01T00:00:00Z' },
      { id: 1, content: 'héllo back 👋', role: 'agent', time: '2025-03-04T09:15:07Z' },
    ]);
  });

  it.each([
    ['invalid-role.json', /0\.role/],
    ['invalid-time.json', /messages\.0\.time: must be an RFC 3339 timestamp/],
    ['truncated.json', /is not valid JSON/],
    ['does-not-exist.json', /cannot read conversation file .*ENOENT/],
  ])('refuses %s with a ConversationError', async (file, message) => {
    const failure = startMockAgentapi({ conversationFile: join(FIXTURES, file) });
    await expect(failure).rejects.toBeInstanceOf(ConversationError);
    await expect(failure).rejects.toThrow(message);
  });

  it('has every preset the CLI documents, with the promised shapes', () => {
    expect(PRESET_NAMES).toEqual(['empty', 'short', 'multibyte', 'long', 'huge']);
    expect(presetConversation('empty')).toEqual([]);
    expect(presetConversation('short')).toHaveLength(5);
    const multibyte = presetConversation('multibyte').map((message) => message.content).join('');
    for (const sample of ['東京', '┌', '👨‍👩‍👧‍👦', '"double"', '\\', '\u0000', '\u001b']) expect(multibyte).toContain(sample);
    const long = presetConversation('long');
    const longest = Math.max(...long.map((message) => Buffer.byteLength(message.content)));
    expect(longest).toBeGreaterThanOrEqual(200 * 1024);
    expect(longest).toBeLessThan(210 * 1024);
    expect(presetConversation('huge', { count: 7, size: 33 })).toHaveLength(7);
  });
});

describe('generateConversation', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = generateConversation({ count: 20, size: 300, seed: 7 });
    expect(generateConversation({ count: 20, size: 300, seed: 7 })).toEqual(a);
    expect(generateConversation({ count: 20, size: 300, seed: 8 })).not.toEqual(a);
  });

  it('makes every content exactly `size` UTF-8 bytes, multibyte included, roles alternating', () => {
    for (const size of [0, 1, 2, 3, 4, 5, 81, 1000]) {
      const messages = generateConversation({ count: 6, size, seed: size });
      for (const message of messages) expect(Buffer.byteLength(message.content)).toBe(size);
      expect(messages.map((message) => message.role)).toEqual(['user', 'agent', 'user', 'agent', 'user', 'agent']);
    }
    const text = generateConversation({ count: 1, size: 5000 })[0]?.content ?? '';
    expect(Buffer.byteLength(text)).toBeGreaterThan(text.length);
  });

  it('rejects negative or fractional sizes', () => {
    expect(() => generateConversation({ count: -1, size: 1 })).toThrow(RangeError);
    expect(() => generateConversation({ count: 1, size: 1.5 })).toThrow(RangeError);
  });
});
