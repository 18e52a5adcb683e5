import { connect } from 'node:net';
import { resolve } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type CreatedTask, type MockCoderd, startMockCoderd } from '../../src/mocks/coderd/index.ts';

export const FIXTURES = resolve(import.meta.dirname, '../fixtures/conversations');

/** The upload URL as a client builds it from CODER_AGENT_URL (which usually ends in "/"). */
export function snapshotPath(taskId: string, query = 'format=agentapi'): string {
  return `/api/v2/workspaceagents/me/tasks/${taskId}/log-snapshot${query === '' ? '' : `?${query}`}`;
}

export interface Answer {
  status: number;
  contentType: string | null;
  text: string;
  json: unknown;
}

/** fetch, reduced to what the assertions need; `json` is undefined when the body is not JSON. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, contentType: response.headers.get('content-type'), text, json };
}

/** POSTs a snapshot body as the agent of `task` (or with the given token; `null` sends none). */
export function postSnapshot(
  coderd: MockCoderd,
  task: CreatedTask,
  body: string | Buffer,
  options: { token?: string | null; path?: string } = {},
): Promise<Answer> {
  const token = options.token === undefined ? task.agentToken : options.token;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['Coder-Session-Token'] = token;
  // A Uint8Array copy: @types/node's fetch typing does not take a Buffer over ArrayBufferLike.
  const payload = typeof body === 'string' ? body : new Uint8Array(body);
  return call(`${coderd.url}${options.path ?? snapshotPath(task.taskId)}`, { method: 'POST', headers, body: payload });
}

export function getLogs(coderd: MockCoderd, task: CreatedTask, options: { user?: string; token?: string } = {}): Promise<Answer> {
  return call(`${coderd.url}/api/v2/tasks/${options.user ?? task.user}/${task.taskId}/logs`, {
    headers: { 'Coder-Session-Token': options.token ?? task.userToken },
  });
}

/** A snapshot body: AgentAPI's /messages shape with the given contents. */
export function snapshotBody(contents: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    ...extra,
    messages: contents.map((content, id) => ({ id, content, role: id % 2 === 0 ? 'user' : 'agent', time: '2025-01-01T00:00:00Z' })),
  });
}

/** A valid snapshot body of exactly `bytes` bytes (padding goes into one message). */
export function snapshotBodyOfSize(bytes: number): string {
  const empty = snapshotBody(['']);
  const padding = bytes - Buffer.byteLength(empty);
  if (padding < 0) throw new RangeError(`cannot build a body as small as ${bytes} bytes`);
  const body = snapshotBody(['x'.repeat(padding)]);
  if (Buffer.byteLength(body) !== bytes) throw new Error('size arithmetic is off');
  return body;
}

/**
 * Sends raw bytes on a fresh TCP connection, half-closes, and collects everything until the
 * server closes (or `timeoutMs` passes). For request lines fetch refuses to send.
 */
export function rawExchange(port: number, request: Buffer | string, timeoutMs = 5_000): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolvePromise(Buffer.concat(chunks));
    }, timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // A reset after the answer was received still leaves a usable answer.
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') return;
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolvePromise(Buffer.concat(chunks));
    });
    socket.end(request);
  });
}

/** `HTTP/1.1 <3 digits> <reason>\r\n` then headers and a blank line: the minimum of a well-formed answer. */
export function isWellFormedHttpResponse(bytes: Buffer): boolean {
  const text = bytes.toString('latin1');
  return /^HTTP\/1\.[01] [1-5]\d\d [^\r\n]*\r\n(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+:[^\r\n]*\r\n)*\r\n/.test(text);
}

/** Each test of the calling file gets a fresh mock coderd with one task, closed after the test. */
export function useFreshCoderd(receive: (fresh: { coderd: MockCoderd; task: CreatedTask }) => void): void {
  let coderd: MockCoderd | undefined;
  beforeEach(async () => {
    coderd = await startMockCoderd();
    receive({ coderd, task: coderd.createTask() });
  });
  afterEach(async () => {
    await coderd?.close();
  });
}
