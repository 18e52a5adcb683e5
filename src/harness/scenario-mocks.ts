/**
 * The seam between scenarios and the mock servers: a scenario describes what AgentAPI and coderd
 * do in its own small vocabulary, and this file turns that into running servers and reads back
 * what they saw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { type AgentapiFault, type MessageInput, startMockAgentapi } from '../mocks/agentapi/index.ts';
import type { ConversationMessage } from './scenario.ts';

/**
 * AgentAPI for a scenario: nothing listening (`down`), or the mock serving `messages`, optionally
 * misbehaving on `GET /messages` as `fault` says (the mock's own fault vocabulary).
 */
export type AgentapiSetup = { down: true } | { down?: false; messages: MessageInput[]; fault?: AgentapiFault };

export type CoderdSetup =
  | { kind: 'normal' }
  /** A Coder version without the route: 404 `Route not found.` */
  | { kind: 'route-missing' }
  /** Answers `status` to the first `times` uploads (or always), then behaves normally. */
  | { kind: 'fail'; status: number; times: number | 'always' }
  /** Accepts uploads, never answers. */
  | { kind: 'hang' };

export interface CoderdRequest {
  method: string;
  path: string;
  /** Raw query string without `?`. */
  query: string;
  status: number | undefined;
  sessionToken: string | undefined;
  bodyBytes: number;
  at: number;
}

export interface StoredSnapshot {
  format: string;
  data: unknown;
}

export interface ScenarioAgentapi {
  port: number;
  conversation: ConversationMessage[];
  requests(): Array<{ method: string; path: string; at: number }>;
  close(): Promise<void>;
}

export interface ScenarioCoderd {
  /** With a trailing slash, as the agent sets CODER_AGENT_URL. */
  url: string;
  snapshotPosts(): CoderdRequest[];
  storedSnapshot(taskId: string): StoredSnapshot | undefined;
  close(): Promise<void>;
}

export async function startScenarioAgentapi(setup: AgentapiSetup): Promise<ScenarioAgentapi> {
  if (setup.down === true) {
    const port = await unusedPort();
    return { port, conversation: [], requests: () => [], close: async () => undefined };
  }
  const mock = await startMockAgentapi({ messages: setup.messages, fault: setup.fault ?? null });
  return {
    port: mock.port,
    conversation: mock.messages(),
    requests: () => mock.requests().map((request) => ({ method: request.method, path: request.path, at: Date.parse(request.receivedAt) })),
    close: () => mock.close(),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROUTE = /^\/api\/v2\/workspaceagents\/me\/tasks\/([^/]+)\/log-snapshot$/;
const BODY_LIMIT = 65536;

export async function startScenarioCoderd(setup: CoderdSetup, opts: { token: string; taskId: string }): Promise<ScenarioCoderd> {
  const posts: CoderdRequest[] = [];
  const stored = new Map<string, StoredSnapshot>();
  let failuresLeft = setup.kind === 'fail' ? setup.times : 0;
  const { port, close } = await listen(async (req, res) => {
    const [rawPath = '', query = ''] = (req.url ?? '').split('?', 2);
    // coderd collapses repeated slashes (CODER_AGENT_URL usually ends in "/").
    const path = rawPath.replace(/\/{2,}/g, '/');
    const match = ROUTE.exec(path);
    const token = header(req, 'coder-session-token');
    const body = await readBody(req);
    if (match === null || req.method !== 'POST') return coderdJson(res, 404, { message: 'Route not found.' });
    const record: CoderdRequest = { method: req.method, path: rawPath, query, status: undefined, sessionToken: token, bodyBytes: body.length, at: Date.now() };
    posts.push(record);
    const answer = (status: number, payload?: object) => {
      record.status = status;
      if (payload === undefined) {
        res.writeHead(status).end();
      } else {
        coderdJson(res, status, payload);
      }
    };
    if (setup.kind === 'hang') return;
    if (setup.kind === 'route-missing') return answer(404, { message: 'Route not found.' });
    if (setup.kind === 'fail' && (failuresLeft === 'always' || failuresLeft > 0)) {
      if (failuresLeft !== 'always') failuresLeft -= 1;
      return answer(setup.status, { message: `Injected failure ${setup.status}.` });
    }
    if (token === undefined) return answer(401, { message: 'Missing session token.' });
    if (token !== opts.token) return answer(401, { message: 'Workspace agent not authorized.' });
    const taskId = match[1] ?? '';
    if (!UUID.test(taskId)) return answer(400, { message: 'Invalid task ID format.' });
    const params = new URLSearchParams(query);
    const keys = [...params.keys()];
    if (keys.some((key) => key !== 'format') || params.getAll('format').length !== 1 || params.get('format') === '') {
      return answer(400, { message: 'Invalid query parameters.' });
    }
    if (params.get('format') !== 'agentapi') return answer(400, { message: 'Invalid format parameter.' });
    if (taskId !== opts.taskId) return answer(404, { message: 'Resource not found or you do not have access to this resource' });
    if (body.length > BODY_LIMIT) return answer(400, { message: 'Failed to decode request payload.' });
    let decoded: unknown;
    try {
      decoded = JSON.parse(body.toString('utf8'));
    } catch {
      return answer(400, { message: 'Failed to decode request payload.' });
    }
    const messages = (decoded as { messages?: unknown } | null)?.messages;
    if (decoded === null || typeof decoded !== 'object' || messages === undefined || messages === null) {
      return answer(400, { message: 'Invalid agentapi payload structure.' });
    }
    if (!Array.isArray(messages)) return answer(400, { message: 'Failed to decode request payload.' });
    // PostgreSQL jsonb rejects \u0000 in strings.
    if (body.toString('utf8').includes('\\u0000')) return answer(500, { message: 'Internal error storing snapshot.' });
    stored.set(taskId, { format: 'agentapi', data: decoded });
    return answer(204);
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    snapshotPosts: () => posts.map((post) => ({ ...post })),
    storedSnapshot: (taskId) => stored.get(taskId),
    close,
  };
}

// --- small HTTP helpers

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    void Promise.resolve(handler(req, res)).catch(() => res.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { server, port, close };
}

/** A port that was free a moment ago; nothing listens on it afterwards. */
async function unusedPort(): Promise<number> {
  const { port, close } = await listen(() => undefined);
  await close();
  return port;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) }).end(body);
}

function problem(res: ServerResponse, status: number, title: string): void {
  send(res, status, 'application/problem+json', `${JSON.stringify({ title, status, detail: title })}\n`);
}

function coderdJson(res: ServerResponse, status: number, payload: object): void {
  send(res, status, 'application/json', `${JSON.stringify(payload)}\n`);
}
