// The fleet: N stop scripts at once (a coderd rollout or a database stall stops many workspaces
// together) against one mock coderd whose upload route serves at most K requests at a time, each
// taking a set latency, like a K-connection database pool; a request that finds every connection
// busy gets 503 at once (coderd answers 5xx when it cannot get a connection), which the script
// retries. Run with the script's full-jitter backoff and without (AGENTAPI_KIT_NO_JITTER=1, a
// benchmark hook). Reported: the share of snapshots stored within the deadline, the upload time
// (first request to the 204, for the stored ones) at p50 and p99, and the peak of upload requests
// arriving in any 100 ms. Everything listens on 127.0.0.1; N is bounded (at most 200 at once).
// Alone: `node --import tsx bench/fleet.ts`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';
import { findOnPath } from '../src/agent-simulation/shells.ts';
import { formatMs } from './stats.ts';

const SCRIPT = resolve(import.meta.dirname, '../modules/agentapi/scripts/agentapi-shutdown.sh');
const TOKEN = '5f0e2a1c-8d7b-4c6a-9e3f-1a2b3c4d5e6f';
const MAX_FLEET = 200;
const MESSAGES = JSON.stringify({
  $schema: 'https://127.0.0.1/schemas/MessagesResponseBody.json',
  messages: ['Fix the flaky test', 'Done: the retry now waits for the socket.'].map((content, id) => ({ id, content, role: id % 2 === 0 ? 'user' : 'agent', time: '2026-12-01T10:00:00Z' })),
});

export interface FleetOptions {
  sizes: number[];
  /** Upload requests served at once. */
  pool: number;
  /** How long each served upload holds its connection. */
  latencyMs: number;
  /** ARG_SNAPSHOT_DEADLINE of every script (the module's default is 5). */
  deadlineSeconds: number;
}

export interface FleetRow {
  scripts: number;
  jitter: boolean;
  storedShare: number;
  p50Ms: number | null;
  p99Ms: number | null;
  peakPer100Ms: number;
  requests: number;
  /** Scripts whose upload never reached coderd (out of time before it: this machine's CPU, not coderd). */
  neverPosted: number;
  wallMs: number;
}

interface Upload {
  task: string;
  at: number;
  status: number;
  doneAt: number;
}

/** AgentAPI's GET /messages and coderd's upload route with a K-connection pool, on one 127.0.0.1 port. */
async function startFleetServer(pool: number, latencyMs: number) {
  const uploads: Upload[] = [];
  let busy = 0;
  const upload = (req: IncomingMessage, res: ServerResponse, task: string) => {
    const record: Upload = { task, at: performance.now(), status: 0, doneAt: 0 };
    uploads.push(record);
    const answer = (status: number, body: string) => {
      record.status = status;
      record.doneAt = performance.now();
      res.writeHead(status, body === '' ? {} : { 'content-type': 'application/json' });
      res.end(body);
    };
    req.resume();
    req.on('end', () => {
      if (busy >= pool) return answer(503, '{"message":"Internal error storing snapshot.","detail":"failed to connect: too many clients"}\n');
      busy += 1;
      setTimeout(() => {
        busy -= 1;
        answer(204, '');
      }, latencyMs);
    });
  };
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/{2,}/g, '/');
    const snapshot = /^\/api\/v2\/workspaceagents\/me\/tasks\/([^/]+)\/log-snapshot$/.exec(path);
    if (snapshot !== null && req.method === 'POST') return upload(req, res, snapshot[1]!);
    if (path === '/messages') {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(`${MESSAGES}\n`) });
      return res.end(`${MESSAGES}\n`);
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end('{"message":"Route not found."}\n');
  });
  server.maxConnections = MAX_FLEET * 4;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', MAX_FLEET * 2, done));
  const { port } = server.address() as AddressInfo;
  return { port, uploads, close: () => new Promise<void>((done) => server.close(() => done())) };
}

/** One stop script; resolves with whether it logged a stored snapshot (it always exits 0). */
function runScript(shell: string, port: number, task: string, home: string, deadlineSeconds: number, jitter: boolean): Promise<boolean> {
  return new Promise((done) => {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      LANG: 'C.UTF-8',
      ARG_TASK_ID: task,
      ARG_AGENTAPI_PORT: String(port),
      ARG_SNAPSHOT_DEADLINE: String(deadlineSeconds),
      ARG_PID_FILE_PATH: join(home, 'no-agentapi.pid'),
      CODER_AGENT_URL: `http://127.0.0.1:${port}/`,
      CODER_AGENT_TOKEN: TOKEN,
      ...(jitter ? {} : { AGENTAPI_KIT_NO_JITTER: '1' }),
    };
    const child = spawn(shell, [SCRIPT], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.on('close', () => done(out.includes('Log snapshot posted successfully')));
    child.on('error', () => done(false));
  });
}

function percentile(sorted: number[], share: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1)]!;
}

async function runFleet(shell: string, scripts: number, jitter: boolean, options: FleetOptions): Promise<FleetRow> {
  const server = await startFleetServer(options.pool, options.latencyMs);
  const home = mkdtempSync(join(tmpdir(), 'agentapi-kit-fleet-'));
  try {
    const tasks = Array.from({ length: scripts }, () => randomUUID());
    const start = performance.now();
    const stored = await Promise.all(tasks.map((task) => runScript(shell, server.port, task, home, options.deadlineSeconds, jitter)));
    const wallMs = performance.now() - start;
    const times: number[] = [];
    for (const task of tasks) {
      const mine = server.uploads.filter((upload) => upload.task === task);
      const ok = mine.find((upload) => upload.status === 204);
      if (ok !== undefined && mine[0] !== undefined) times.push(ok.doneAt - mine[0].at);
    }
    times.sort((a, b) => a - b);
    const bins = new Map<number, number>();
    for (const upload of server.uploads) bins.set(Math.floor(upload.at / 100), (bins.get(Math.floor(upload.at / 100)) ?? 0) + 1);
    return {
      scripts,
      jitter,
      storedShare: stored.filter(Boolean).length / scripts,
      p50Ms: percentile(times, 0.5),
      p99Ms: percentile(times, 0.99),
      peakPer100Ms: Math.max(0, ...bins.values()),
      requests: server.uploads.length,
      neverPosted: scripts - new Set(server.uploads.map((upload) => upload.task)).size,
      wallMs,
    };
  } finally {
    await server.close();
    rmSync(home, { recursive: true, force: true });
  }
}

export function formatFleetTable(rows: FleetRow[], options: FleetOptions, loadBefore: number): string {
  const load = loadBefore.toFixed(1);
  const lines = [
    `Load average before the first fleet: ${load} (2 cores, shared). Upload route: at most ${options.pool} requests at a time, ${options.latencyMs} ms each, 503 when all are busy; deadline ${options.deadlineSeconds} s; dash.`,
    '',
    '| scripts at once | backoff | stored within the deadline | upload p50 | upload p99 | peak requests / 100 ms | upload requests | scripts that never reached the upload | wall |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|',
  ];
  const ms = (value: number | null) => (value === null ? '-' : formatMs(value));
  for (const row of rows) {
    lines.push(
      `| ${row.scripts} | ${row.jitter ? 'full jitter' : 'fixed (no jitter)'} | ${(row.storedShare * 100).toFixed(0)} % | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ${row.peakPer100Ms} | ${row.requests} | ${row.neverPosted} | ${formatMs(row.wallMs)} |`,
    );
  }
  return lines.join('\n');
}

export const DEFAULT_FLEET: FleetOptions = { sizes: [50, 200], pool: 10, latencyMs: 100, deadlineSeconds: 5 };

/** The fleet table: each size with and without jitter, one after another (never two fleets at once). */
export async function fleetBenchTable(options: FleetOptions = DEFAULT_FLEET): Promise<string> {
  const shell = findOnPath('dash') ?? findOnPath('sh');
  if (shell === undefined) return 'No dash or sh on PATH: fleet not measured.';
  for (const size of options.sizes) if (!Number.isInteger(size) || size < 1 || size > MAX_FLEET) throw new RangeError(`fleet size must be 1 to ${MAX_FLEET}, got ${size}`);
  const loadBefore = loadavg()[0]!;
  const rows: FleetRow[] = [];
  for (const size of options.sizes) for (const jitter of [true, false]) rows.push(await runFleet(shell, size, jitter, options));
  return formatFleetTable(rows, options, loadBefore);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  fleetBenchTable()
    .then((table) => console.log(table))
    .catch((error: unknown) => {
      console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    });
}
