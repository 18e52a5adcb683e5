// The shutdown script end to end under dash: a local HTTP server plays AgentAPI (GET /messages)
// and coderd (POST log-snapshot, 204). For each conversation size: the script with the engine it
// picks itself ("auto") and forced to jq, gawk, mawk and BusyBox awk (whichever are installed),
// the download alone (curl into a file: what every script must pay), the processes the script
// spawns (strace -f, one traced run) and, given the registry's script (`--baseline PATH`), that
// script on the same mock in the same rounds (each round runs every contender once), so the
// comparison is a ratio of medians taken under the same load, not of times taken on different days. Then the stop phase: an AgentAPI that exits on SIGTERM, reaped at once
// or left a zombie by a parent that does not reap.
// Alone: `node --import tsx bench/shutdown.ts [--baseline PATH]`.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { findOnPath } from '../src/agent-simulation/shells.ts';
import { formatMs, median } from './stats.ts';

const SCRIPT = resolve(import.meta.dirname, '../modules/agentapi/scripts/agentapi-shutdown.sh');
const TASK = '0b9c7f3e-5a4d-4e21-9c1f-2d3e4f5a6b7c';
const TOKEN = '5f0e2a1c-8d7b-4c6a-9e3f-1a2b3c4d5e6f';
const POSTED = 'Log snapshot posted successfully';

export interface Row {
  scenario: string;
  /** `auto` (the script's pick), jq, or awk with its implementation: `gawk`, `mawk`, `busybox awk`. */
  engine: string;
  bodyBytes: number;
  payloadBytes: number;
  medianMs: number;
  /** Median of `curl -o FILE` on the same body: the download every script pays. */
  downloadMs: number;
  /**
   * CPU time (user + sys of the script and every process it waited for) minus the download's:
   * the work past the download, which a loaded machine does not inflate as it does wall time.
   * Null where bash (whose `times` reads it) is missing.
   */
  cpuBeyondDownloadMs: number | null;
  runs: number;
  /** Processes the script started (distinct PIDs under strace -f, minus the shell); null without strace. */
  processes: number | null;
  /** The registry's script on the same body, same run; null without --baseline. */
  baselineMs: number | null;
  /** Whether the registry's script posted a snapshot for this body. */
  baselinePosted: boolean;
}

export interface StopRow {
  case: string;
  /** The script's median with this AgentAPI minus its median with none: what stopping costs. */
  stopMs: number;
  runs: number;
  processes: number | null;
  log: string;
}

interface Scenario {
  name: string;
  contents: () => Generator<string>;
  runs: number;
}

/** A JSON engine as the script is made to use it: AGENTAPI_KIT_JSON_ENGINE, plus a PATH dir whose `awk` is a given implementation. */
interface Engine {
  label: string;
  engine?: 'jq' | 'awk';
  pathDir?: string;
}

/** Terminal-like text of exactly `bytes` UTF-8 bytes: box drawing, quotes, backslashes, newlines. */
function text(bytes: number, seed: number): string {
  const line = `${seed} ┌──┐ "quoted" \\ path/to/file.ts:42 ok\n`;
  let out = line.repeat(Math.ceil(bytes / Buffer.byteLength(line)) + 1);
  while (Buffer.byteLength(out) > bytes) out = out.slice(0, -1);
  return out.padEnd(out.length + (bytes - Buffer.byteLength(out)), 'x');
}

function* repeat(count: number, make: (index: number) => string): Generator<string> {
  for (let index = 0; index < count; index += 1) yield make(index);
}

const SCENARIOS: Scenario[] = [
  { name: '5 short messages', contents: () => repeat(5, (i) => `short message ${i}`), runs: 11 },
  { name: '10 × 20 KB', contents: () => repeat(10, (i) => text(20_000, i)), runs: 11 },
  { name: '9 short + one 100 KB', contents: () => repeat(10, (i) => (i < 9 ? `short message ${i}` : text(100_000, 9))), runs: 11 },
  { name: '200 × 10 KB (2 MB)', contents: () => repeat(200, (i) => text(10_000, i)), runs: 7 },
  { name: '2000 × 10 KB (20 MB)', contents: () => repeat(2000, (i) => text(10_000, i)), runs: 5 },
  { name: '20000 × 10 KB (200 MB)', contents: () => repeat(20_000, (i) => text(10_000, i % 2000)), runs: 3 },
];

/** AgentAPI's body, built message by message so 200 MB needs no 200 MB string. */
function body(contents: Generator<string>): Buffer {
  const parts = [Buffer.from('{"$schema":"http://localhost:3284/schemas/MessagesResponseBody.json","messages":[')];
  let id = 0;
  for (const content of contents) {
    const message = { id, content, role: id % 2 === 0 ? 'user' : 'agent', time: '2025-06-01T10:00:00Z' };
    parts.push(Buffer.from(`${id === 0 ? '' : ','}${JSON.stringify(message)}`));
    id += 1;
  }
  parts.push(Buffer.from(']}\n'));
  return Buffer.concat(parts);
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

/** Median wall time of `runs` runs (after one warm-up); each must print `expect`. */
async function timeRuns(argv: string[], env: NodeJS.ProcessEnv, runs: number, expect: string, what: string): Promise<number> {
  const timed = await timeRounds([{ key: what, argv, env, expect, success: expect }], runs, what);
  return timed.get(what)!.medianMs;
}

interface Contender {
  key: string;
  argv: string[];
  env: NodeJS.ProcessEnv;
  /** Every run must print this. */
  expect: string;
  /** Whether the last run printed this is reported (the registry's script fails some bodies). */
  success: string;
}

/** One warm-up round, then `runs` rounds of every contender in turn; the median of each. */
async function timeRounds(contenders: Contender[], runs: number, what: string): Promise<Map<string, { medianMs: number; succeeded: boolean }>> {
  const samples = new Map(contenders.map((contender) => [contender.key, [] as number[]]));
  const succeeded = new Map<string, boolean>();
  for (let round = -1; round < runs; round += 1) {
    for (const contender of contenders) {
      const start = performance.now();
      const result = await run(contender.argv, contender.env);
      const elapsed = performance.now() - start;
      if (result.code !== 0 || !result.stdout.includes(contender.expect)) throw new Error(`${what} (${contender.key}) failed: ${result.stdout}${result.stderr}`);
      if (round >= 0) samples.get(contender.key)!.push(elapsed);
      succeeded.set(contender.key, result.stdout.includes(contender.success));
    }
  }
  return new Map(contenders.map((contender) => [contender.key, { medianMs: median(samples.get(contender.key)!), succeeded: succeeded.get(contender.key) ?? false }]));
}

const straceWorks = spawnSync('strace', ['-f', '-qq', '-e', 'trace=execve', 'true']).status === 0;
const hasBash = findOnPath('bash') !== undefined;

/** Median CPU time (user + sys, ms) of `argv` and every process it waited for, from bash's `times`, over `runs` runs. */
async function cpuTime(argv: string[], env: NodeJS.ProcessEnv, runs: number): Promise<number> {
  const samples: number[] = [];
  for (let index = 0; index < runs; index += 1) {
    const result = await run(['bash', '-c', '"$@" >/dev/null 2>&1; times', 'bench', ...argv], env);
    const children = result.stdout.trim().split('\n').at(-1) ?? '';
    const match = /^(\d+)m([\d.]+)s (\d+)m([\d.]+)s$/.exec(children);
    if (match === null) throw new Error(`bash times printed ${JSON.stringify(result.stdout)}`);
    samples.push((Number(match[1]) * 60 + Number(match[2]) + Number(match[3]) * 60 + Number(match[4])) * 1000);
  }
  return median(samples);
}

/** auto, jq, and every installed awk (gawk, mawk, BusyBox awk), each as `awk` on PATH. */
function engines(scratch: string): Engine[] {
  const list: Engine[] = [{ label: 'auto' }];
  if (findOnPath('jq') !== undefined) list.push({ label: 'jq', engine: 'jq' });
  for (const [label, name, argv] of [
    ['gawk', 'gawk', ''],
    ['mawk', 'mawk', ''],
    ['busybox awk', 'busybox', ' awk'],
  ] as const) {
    const binary = findOnPath(name);
    if (binary === undefined) continue;
    const dir = join(scratch, `awk-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'awk'), `#!/bin/sh\nexec '${binary}'${argv} "$@"\n`, { mode: 0o755 });
    list.push({ label, engine: 'awk', pathDir: dir });
  }
  return list;
}

/**
 * The registry's script, made runnable here: it sources the helpers its coder_script wrapper
 * writes to /tmp/agentapi-lib.sh; the copy sources the lib.sh next to PATH instead (or nothing:
 * the helpers only matter with state persistence on, which the bench leaves off).
 */
function prepareBaseline(path: string, scratch: string): string {
  if (!existsSync(path)) throw new Error(`--baseline ${path}: no such file`);
  const lib = join(dirname(path), 'lib.sh');
  const source = readFileSync(path, 'utf8').replace(/^source \/tmp\/agentapi-lib\.sh$/m, existsSync(lib) ? `source '${lib}'` : ':');
  const copy = join(scratch, 'baseline-shutdown.sh');
  writeFileSync(copy, source, { mode: 0o755 });
  return copy;
}

export interface BenchOptions {
  baseline?: string;
}

export async function benchShutdown(options: BenchOptions = {}): Promise<Row[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'agentapi-kit-bench-shutdown-'));
  const server = await serve();
  const rows: Row[] = [];
  try {
    const baseline = options.baseline === undefined ? undefined : prepareBaseline(options.baseline, scratch);
    const common: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: scratch,
      TMPDIR: scratch,
      ARG_TASK_ID: TASK,
      ARG_AGENTAPI_PORT: String(server.port),
      ARG_PID_FILE_PATH: join(scratch, 'no-agentapi.pid'),
      // generous deadlines: the bench measures the work, not the give-up path
      ARG_FETCH_TIMEOUT: '60',
      ARG_POST_TIMEOUT: '30',
      ARG_SNAPSHOT_DEADLINE: '120',
      CODER_AGENT_URL: `http://127.0.0.1:${server.port}/`,
      CODER_AGENT_TOKEN: TOKEN,
      AGENTAPI_KIT_HTTP_CLIENT: 'curl',
    };
    const envFor = ({ engine, pathDir }: Engine): NodeJS.ProcessEnv => ({
      ...common,
      PATH: pathDir === undefined ? process.env.PATH : `${pathDir}:${process.env.PATH ?? ''}`,
      ...(engine === undefined ? {} : { AGENTAPI_KIT_JSON_ENGINE: engine }),
    });
    const url = `http://127.0.0.1:${server.port}/messages`;
    const list = engines(scratch);
    for (const scenario of SCENARIOS) {
      const payload = body(scenario.contents());
      server.setBody(payload);
      // Round-robin: each round runs the download, the registry's script and every engine once,
      // so a machine whose load changes during the bench slows them all alike and the ratios hold.
      const contenders: Contender[] = [
        { key: 'download', argv: ['curl', '-sS', '-o', join(scratch, 'download'), '-w', 'ok', url], env: common, expect: 'ok', success: 'ok' },
        ...(baseline === undefined
          ? []
          : [
              // it always ends with "Shutdown complete"; it fails to post some bodies (it cuts characters, not bytes)
              { key: 'registry', argv: ['bash', baseline], env: { ...common, CODER_AGENT_URL: `http://127.0.0.1:${server.port}` }, expect: 'Shutdown complete', success: POSTED },
            ]),
        ...list.map((engine) => ({ key: engine.label, argv: ['dash', SCRIPT], env: envFor(engine), expect: POSTED, success: POSTED })),
      ];
      const timed = await timeRounds(contenders, scenario.runs, scenario.name);
      const payloadBytes = server.lastPostBytes();
      const registry = timed.get('registry');
      const cpuRuns = Math.min(scenario.runs, 5);
      const downloadCpu = hasBash ? await cpuTime(contenders[0]!.argv, common, cpuRuns) : null;
      for (const engine of list) {
        rows.push({
          scenario: scenario.name,
          engine: engine.label,
          bodyBytes: payload.length,
          payloadBytes,
          medianMs: timed.get(engine.label)!.medianMs,
          downloadMs: timed.get('download')!.medianMs,
          cpuBeyondDownloadMs: downloadCpu === null ? null : (await cpuTime(['dash', SCRIPT], envFor(engine), cpuRuns)) - downloadCpu,
          runs: scenario.runs,
          processes: straceWorks ? await countProcesses(scratch, ['dash', SCRIPT], envFor(engine)) : null,
          baselineMs: registry?.medianMs ?? null,
          baselinePosted: registry?.succeeded ?? false,
        });
      }
    }
  } finally {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

async function countProcesses(scratch: string, argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const trace = join(scratch, 'strace.out');
  const result = await run(['strace', '-f', '-qq', '-e', 'trace=execve,clone,clone3,fork,vfork', '-o', trace, ...argv], env);
  if (result.code !== 0) throw new Error(`traced run failed: ${result.stderr}`);
  const pids = new Set(
    readFileSync(trace, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => line.split(/\s/, 1)[0]),
  );
  return pids.size - 1;
}

// --- the stop phase

/**
 * An AgentAPI stand-in that exits on SIGTERM. `zombie`: its parent execs a `sleep` that never
 * waits for it, so after SIGTERM it stays a zombie (as under a PID 1 that does not reap);
 * otherwise its parent is a shell that reaps it at once. Returns its PID and the parent.
 */
async function startAgentapi(scratch: string, zombie: boolean): Promise<{ pid: number; parent: ChildProcess }> {
  const pidFile = join(scratch, `agentapi-${zombie ? 'zombie' : 'reaped'}.pid`);
  rmSync(pidFile, { force: true });
  const program = zombie ? 'sleep 300 & echo $! >"$1"; exec sleep 600' : 'sleep 300 & echo $! >"$1"; wait';
  const parent = spawn('sh', ['-c', program, 'sh', pidFile], { stdio: 'ignore' });
  for (let tries = 0; tries < 200 && !(existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== ''); tries += 1) {
    await new Promise((done) => setTimeout(done, 10));
  }
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  writeFileSync(join(scratch, 'agentapi.pid'), `${pid}\n`);
  return { pid, parent };
}

export async function benchStop(runs = 7): Promise<StopRow[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'agentapi-kit-bench-stop-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: scratch,
    TMPDIR: scratch,
    ARG_TASK_LOG_SNAPSHOT: 'false',
    ARG_TERMINATE_TIMEOUT: '2',
  };
  const rows: StopRow[] = [];
  try {
    const none = await timeRuns(['dash', SCRIPT], { ...env, ARG_PID_FILE_PATH: join(scratch, 'none.pid') }, runs, 'Shutdown complete', 'no AgentAPI');
    for (const zombie of [false, true]) {
      const samples: number[] = [];
      let log = '';
      for (let index = -1; index < runs; index += 1) {
        const { parent } = await startAgentapi(scratch, zombie);
        const start = performance.now();
        const result = await run(['dash', SCRIPT], { ...env, ARG_PID_FILE_PATH: join(scratch, 'agentapi.pid') });
        if (index >= 0) samples.push(performance.now() - start);
        log = result.stdout + result.stderr;
        parent.kill('SIGKILL');
        if (!log.includes(') exited')) throw new Error(`stop (${zombie ? 'zombie' : 'reaped'}) did not see AgentAPI exit: ${log}`);
      }
      const { parent } = await startAgentapi(scratch, zombie);
      const processes = straceWorks ? await countProcesses(scratch, ['dash', SCRIPT], { ...env, ARG_PID_FILE_PATH: join(scratch, 'agentapi.pid') }) : null;
      parent.kill('SIGKILL');
      rows.push({
        case: zombie ? 'exits on SIGTERM, left a zombie (parent does not reap)' : 'exits on SIGTERM, reaped at once',
        stopMs: median(samples) - none,
        runs,
        processes,
        log: log.includes('SIGKILL') ? 'SIGKILL sent' : 'no SIGKILL',
      });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return rows;
}

// --- tables

const size = (bytes: number) => (bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${(bytes / 1000).toFixed(1)} KB`);

export function shutdownTable(rows: Row[]): string {
  const withBaseline = rows.some((row) => row.baselineMs !== null);
  const header = ['scenario (dash, curl)', 'engine', '`/messages` body', 'payload', 'median', 'download', 'median − download', 'CPU − download CPU', 'processes'];
  if (withBaseline) header.push('registry (bash, jq)', 'ratio');
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map((row) => {
      const cells = [row.scenario, row.engine, size(row.bodyBytes), size(row.payloadBytes), formatMs(row.medianMs), formatMs(row.downloadMs), formatMs(row.medianMs - row.downloadMs), row.cpuBeyondDownloadMs === null ? 'n/a (no bash)' : formatMs(row.cpuBeyondDownloadMs), String(row.processes ?? 'n/a (no strace)')];
      if (withBaseline) {
        cells.push(row.baselineMs === null ? '' : `${formatMs(row.baselineMs)}${row.baselinePosted ? '' : ' (posted nothing)'}`);
        cells.push(row.baselineMs === null ? '' : (row.medianMs / row.baselineMs).toFixed(2));
      }
      return `| ${cells.join(' | ')} |`;
    }),
  ].join('\n');
}

export function stopTable(rows: StopRow[]): string {
  return [
    '| AgentAPI (terminate timeout 2 s) | stop phase, median | processes (whole script) | |',
    '|---|---|---|---|',
    ...rows.map((row) => `| ${row.case} | ${formatMs(row.stopMs)} | ${row.processes ?? 'n/a (no strace)'} | ${row.log} |`),
  ].join('\n');
}

export async function shutdownBenchTables(options: BenchOptions = {}): Promise<string> {
  const rows = await benchShutdown(options);
  const stops = await benchStop();
  return `${shutdownTable(rows)}\n\n${stopTable(stops)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const at = process.argv.indexOf('--baseline');
  shutdownBenchTables({ baseline: at === -1 ? undefined : process.argv[at + 1] }).then(
    (table) => console.log(table),
    (error: unknown) => {
      console.error(`Error: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
