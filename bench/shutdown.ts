// The shutdown script end to end under dash: a local HTTP server plays AgentAPI (GET /messages)
// and coderd (POST log-snapshot, 204); for each conversation size and JSON engine, the median
// wall time of the whole script and the processes it spawns (strace -f, one traced run). The awk
// engine runs as the machine's default `awk` (the row names which one it is) and, on the 2 MB
// and 20 MB conversations, also as mawk and BusyBox awk (Alpine's), whichever are installed.
// Alone: `node --import tsx bench/shutdown.ts`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { findOnPath } from '../src/harness/shells.ts';
import { formatMs, median } from './stats.ts';

const SCRIPT = resolve(import.meta.dirname, '../modules/agentapi/scripts/agentapi-shutdown.sh');
const TASK = '0b9c7f3e-5a4d-4e21-9c1f-2d3e4f5a6b7c';
const TOKEN = '5f0e2a1c-8d7b-4c6a-9e3f-1a2b3c4d5e6f';

export interface Row {
  scenario: string;
  /** jq, or awk with the implementation in brackets: `awk (mawk, default)`, `awk (busybox)`. */
  engine: string;
  bodyBytes: number;
  payloadBytes: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
  /** Processes the script started (distinct PIDs under strace -f, minus the shell); null without strace. */
  processes: number | null;
}

interface Scenario {
  name: string;
  contents: () => string[];
  runs: number;
  /** Also time the awk engine as mawk and BusyBox awk, not only as the default awk. */
  everyAwk?: boolean;
}

/** A JSON engine as the script is made to use it: AGENTAPI_KIT_JSON_ENGINE, plus a PATH dir whose `awk` is a given implementation. */
interface Engine {
  label: string;
  engine: 'jq' | 'awk';
  pathDir?: string;
}

/** Terminal-like text of exactly `bytes` UTF-8 bytes: box drawing, quotes, backslashes, newlines. */
function text(bytes: number, seed: number): string {
  const line = `${seed} ┌──┐ "quoted" \\ path/to/file.ts:42 ok\n`;
  let out = line.repeat(Math.ceil(bytes / Buffer.byteLength(line)) + 1);
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out.padEnd(out.length + (bytes - Buffer.byteLength(out)), 'x');
}

const SCENARIOS: Scenario[] = [
  { name: '5 short messages', contents: () => Array.from({ length: 5 }, (_, i) => `short message ${i}`), runs: 15 },
  { name: '10 × 20 KB', contents: () => Array.from({ length: 10 }, (_, i) => text(20_000, i)), runs: 15 },
  { name: '9 short + one 100 KB', contents: () => [...Array.from({ length: 9 }, (_, i) => `short message ${i}`), text(100_000, 9)], runs: 15 },
  { name: '200 × 10 KB (2 MB)', contents: () => Array.from({ length: 200 }, (_, i) => text(10_000, i)), runs: 9, everyAwk: true },
  { name: '2000 × 10 KB (20 MB)', contents: () => Array.from({ length: 2000 }, (_, i) => text(10_000, i)), runs: 5, everyAwk: true },
];

function body(contents: string[]): Buffer {
  const messages = contents.map((content, id) => ({ id, content, role: id % 2 === 0 ? 'user' : 'agent', time: '2025-06-01T10:00:00Z' }));
  return Buffer.from(`${JSON.stringify({ $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json', messages })}\n`);
}

interface Served {
  port: number;
  setBody(next: Buffer): void;
  lastPostBytes(): number;
  close(): Promise<void>;
}

async function serve(): Promise<Served> {
  let current: Buffer = Buffer.alloc(0);
  let lastPost = 0;
  const server = createServer((request, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => (bytes += chunk.length));
    request.on('end', () => {
      if (request.method === 'GET') {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': current.length }).end(current);
        return;
      }
      lastPost = bytes;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as AddressInfo).port,
    setBody: (next) => (current = next),
    lastPostBytes: () => lastPost,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function run(argv: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(argv[0]!, argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const straceWorks = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', 'true']).status === 0;

/** The name of the program `awk` resolves to on PATH (mawk, gawk, busybox ...). */
function defaultAwkName(): string {
  const awk = findOnPath('awk');
  if (awk === undefined) return 'none';
  const real = realpathSync(awk).split('/').pop() ?? 'awk';
  return real === 'busybox' ? 'busybox' : real;
}

/** The engines for a scenario: jq, the default awk, and with `everyAwk` mawk and BusyBox awk (each once). */
function enginesFor(scenario: Scenario, scratch: string): Engine[] {
  const defaultAwk = defaultAwkName();
  const engines: Engine[] = [
    { label: 'jq', engine: 'jq' },
    { label: `awk (${defaultAwk}, default)`, engine: 'awk' },
  ];
  if (!scenario.everyAwk) return engines;
  for (const name of ['mawk', 'busybox']) {
    const binary = findOnPath(name);
    if (binary === undefined || name === defaultAwk) continue;
    const dir = join(scratch, `awk-${name}`);
    mkdirSync(dir, { recursive: true });
    try {
      symlinkSync(binary, join(dir, 'awk'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    engines.push({ label: `awk (${name})`, engine: 'awk', pathDir: dir });
  }
  return engines;
}

export async function benchShutdown(): Promise<Row[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'agentapi-kit-bench-shutdown-'));
  const server = await serve();
  const rows: Row[] = [];
  try {
    const env = ({ engine, pathDir }: Engine): NodeJS.ProcessEnv => ({
      PATH: pathDir === undefined ? process.env.PATH : `${pathDir}:${process.env.PATH ?? ''}`,
      HOME: scratch,
      TMPDIR: scratch,
      ARG_TASK_ID: TASK,
      ARG_AGENTAPI_PORT: String(server.port),
      ARG_PID_FILE_PATH: join(scratch, 'no-agentapi.pid'),
      // generous deadlines: the bench measures the work, not the give-up path
      ARG_FETCH_TIMEOUT: '30',
      ARG_POST_TIMEOUT: '30',
      ARG_SNAPSHOT_DEADLINE: '60',
      CODER_AGENT_URL: `http://127.0.0.1:${server.port}/`,
      CODER_AGENT_TOKEN: TOKEN,
      AGENTAPI_KIT_JSON_ENGINE: engine,
      AGENTAPI_KIT_HTTP_CLIENT: 'curl',
    });
    for (const scenario of SCENARIOS) {
      const payload = body(scenario.contents());
      server.setBody(payload);
      for (const engine of enginesFor(scenario, scratch)) {
        const samples: number[] = [];
        await run(['dash', SCRIPT], env(engine)); // warm-up: page cache, dynamic loader
        for (let index = 0; index < scenario.runs; index += 1) {
          const start = performance.now();
          const result = await run(['dash', SCRIPT], env(engine));
          samples.push(performance.now() - start);
          if (result.code !== 0 || !result.stdout.includes('Log snapshot posted successfully')) {
            throw new Error(`${scenario.name} (${engine.label}) did not post: ${result.stdout}${result.stderr}`);
          }
        }
        rows.push({
          scenario: scenario.name,
          engine: engine.label,
          bodyBytes: payload.length,
          payloadBytes: server.lastPostBytes(),
          medianMs: median(samples),
          minMs: Math.min(...samples),
          maxMs: Math.max(...samples),
          runs: scenario.runs,
          processes: straceWorks ? await countProcesses(scratch, env(engine)) : null,
        });
      }
    }
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

async function countProcesses(scratch: string, env: NodeJS.ProcessEnv): Promise<number> {
  const trace = join(scratch, 'strace.out');
  const result = await run(['strace', '-f', '-qq', '-e', 'trace=execve,clone,clone3,fork,vfork', '-o', trace, 'dash', SCRIPT], env);
  if (result.code !== 0) throw new Error(`traced run failed: ${result.stderr}`);
  const pids = new Set(
    readFileSync(trace, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(/\s/, 1)[0]),
  );
  return pids.size - 1;
}

export async function shutdownBenchTable(): Promise<string> {
  const rows = await benchShutdown();
  const kb = (bytes: number) => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${(bytes / 1000).toFixed(1)} KB`);
  return [
    '| scenario (dash, curl) | engine | /messages body | payload | median | min | max | runs | processes |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.engine} | ${kb(row.bodyBytes)} | ${kb(row.payloadBytes)} | ${formatMs(row.medianMs)} | ${formatMs(row.minMs)} | ${formatMs(row.maxMs)} | ${row.runs} | ${row.processes ?? 'n/a (no strace)'} |`,
    ),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  shutdownBenchTable().then(
    (table) => console.log(table),
    (error: unknown) => {
      console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
