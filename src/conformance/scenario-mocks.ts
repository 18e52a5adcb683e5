/**
 * The seam between scenarios and the mock servers: a scenario describes what AgentAPI and coderd
 * do in its own small vocabulary, and this file turns that into running servers and reads back
 * what they saw.
 */
import { get as httpGet } from 'node:http';
import { type AddressInfo, connect, createServer } from 'node:net';
import { startMockAgentapi } from '../mocks/agentapi/index.ts';
import { startMockCoderd } from '../mocks/coderd/index.ts';
import { SNAPSHOT_ROUTE } from '../contract/snapshot-api.ts';
import type { AgentapiRequest, AgentapiSetup, CoderdRequest, CoderdSetup, ConversationMessage, StoredSnapshot } from './scenario-types.ts';

export interface ScenarioAgentapi {
  port: number;
  conversation: ConversationMessage[];
  requests(): AgentapiRequest[];
  /**
   * The exact `GET /messages` body a client asking for `http://localhost:<port>/messages` gets
   * (fault cleared), for comparing uploads with the payload policy. Call after the run: it clears
   * the fault and adds a request of its own. Undefined when AgentAPI is down.
   */
  servedBody(): Promise<string | undefined>;
  close(): Promise<void>;
}

export interface ScenarioCoderd {
  /** With a trailing slash, as the agent sets CODER_AGENT_URL. */
  url: string;
  /** The task coderd knows, and the agent token of its workspace. */
  taskId: string;
  token: string;
  /** Every request coderd received, in order (none when unreachable). */
  requests(): CoderdRequest[];
  /** The requests on the log-snapshot route. */
  snapshotPosts(): CoderdRequest[];
  storedSnapshot(taskId: string): StoredSnapshot | undefined;
  close(): Promise<void>;
}

export async function startScenarioAgentapi(setup: AgentapiSetup): Promise<ScenarioAgentapi> {
  if (setup.down === true) {
    const port = await unusedPort();
    return { port, conversation: [], requests: () => [], servedBody: async () => undefined, close: async () => undefined };
  }
  const mock = await startMockAgentapi({ messages: setup.messages, fault: setup.fault ?? null });
  return {
    port: mock.port,
    conversation: mock.messages(),
    requests: () => mock.requests().map((request) => ({ method: request.method, path: request.path, at: Date.parse(request.receivedAt) })),
    servedBody: async () => {
      mock.setFault(null);
      return getText(mock.port, '/messages', `localhost:${mock.port}`);
    },
    close: () => mock.close(),
  };
}

/** GET over 127.0.0.1 (the mock listens there only) with the Host header a script's request carries. */
function getText(port: number, path: string, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpGet({ host: '127.0.0.1', port, path, headers: { host }, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

/** The contract's route with any task in it. */
const SNAPSHOT_PATH = new RegExp(`${SNAPSHOT_ROUTE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace('\\{task\\}', '[^/]*')}$`);

export async function startScenarioCoderd(setup: CoderdSetup): Promise<ScenarioCoderd> {
  const mock = await startMockCoderd({
    coderVersion: setup.coderVersion,
    enableAiTasks: setup.enableAiTasks,
    routeMissing: setup.routeMissing ?? false,
    fault: setup.fault ?? null,
    rateLimit: setup.rateLimit ?? null,
  });
  const task = mock.createTask({ status: 'active' });
  if (setup.taskDeleted) mock.deleteTask(task.taskId);
  const url = setup.unreachable ? `http://127.0.0.1:${await unusedPort()}/` : `${mock.url}/`;
  const requests = (): CoderdRequest[] =>
    mock.requests().map((request) => ({
      method: request.method,
      path: request.path,
      query: { ...request.query },
      status: request.status,
      hasSessionToken: request.headers['coder-session-token'] !== undefined,
      bodyBytes: bodySize(request.headers['content-length'], request.bodyLength),
      at: Date.parse(request.receivedAt),
    }));
  return {
    url,
    taskId: task.taskId,
    token: task.agentToken,
    requests,
    snapshotPosts: () => requests().filter((request) => SNAPSHOT_PATH.test(request.path.replace(/\/{2,}/g, '/'))),
    storedSnapshot: (taskId) => {
      const record = mock.snapshot(taskId);
      return record === undefined ? undefined : { format: record.format, data: record.data, rawBody: record.rawBody };
    },
    close: () => mock.close(),
  };
}

function bodySize(contentLength: string | undefined, read: number | null): number | null {
  const declared = contentLength === undefined ? Number.NaN : Number(contentLength);
  if (Number.isInteger(declared)) return declared;
  return read;
}

/**
 * A port nothing listens on, so connecting is refused. Port 1 (tcpmux, privileged, unused in
 * practice) is stable; a kernel-chosen port that was free a moment ago could be handed to a mock
 * of another run in between, so it is only the fallback.
 */
async function unusedPort(): Promise<number> {
  if (await refused(1)) return 1;
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setTimeout(2000, () => socket.destroy());
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    socket.once('close', () => resolve(false));
  });
}
