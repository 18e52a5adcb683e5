/**
 * Shared set-up for the start script tests: a download server that hands out the fake AgentAPI
 * (test/fixtures/fake-agentapi), one temp HOME and free port per run, and cleanup of whatever the
 * script started (AgentAPI runs detached, so it outlives the script's process group).
 */
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { arch, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'vitest';
import { EXAMPLE_REQUIRED_VARIABLES } from '../../src/agent-simulation/coder-script.ts';
import { runStart, type RunResult, type ShellChoice, type Toolbox } from '../../src/agent-simulation/run-script.ts';
import { findOnPath, SYSTEM_PATH } from '../../src/agent-simulation/shells.ts';

export const FAKE_AGENTAPI_DIR = resolve(import.meta.dirname, '../fixtures/fake-agentapi');
const FAKE_PROGRAM = join(FAKE_AGENTAPI_DIR, 'agentapi.cjs');

/** The release asset the script must ask for on this machine. */
export const EXPECTED_BINARY = arch() === 'arm64' ? 'agentapi-linux-arm64' : 'agentapi-linux-amd64';

/** Versions the download server has; anything else is a 404, as on GitHub. */
const SERVED_VERSIONS = ['v0.10.0', 'v0.11.0', 'v0.12.1'];
/** What `latest` is, as on GitHub today. */
const LATEST_VERSION = 'v0.12.1';
const SERVED_BINARIES = ['agentapi-linux-amd64', 'agentapi-linux-arm64'];

/**
 * What the server hands out as the binary of VERSION: a sh wrapper with node's and the program's
 * absolute paths, so it runs whatever PATH (toolbox) the script was given, and the version baked in,
 * so the fake behaves as the release the module asked for. FAKE_AGENTAPI_VERSION in the
 * environment still wins: a test can stand for an image whose binary differs from agentapi_version.
 */
function fakeBinary(version: string): string {
  const bare = version.replace(/^v/, '');
  return `#!/bin/sh\nFAKE_AGENTAPI_VERSION=\${FAKE_AGENTAPI_VERSION:-${bare}}\nexport FAKE_AGENTAPI_VERSION\nexec '${process.execPath}' '${FAKE_PROGRAM}' "$@"\n`;
}

export interface DownloadServer {
  /** A base URL of its own for one run, so concurrent runs keep their request logs apart. */
  baseUrl(runId: string): string;
  /** Paths (after the run's prefix) the run requested, directly or through the server as a proxy. */
  requests(runId: string): string[];
  /** The server's origin (`http://127.0.0.1:PORT`), to name it as an HTTP proxy. */
  origin: string;
  /** The absolute URLs asked of the server as a proxy (by any run), in order. */
  proxied(): string[];
  /** The run's next requests get these statuses (and a short text body) before it is served normally. */
  failNext(runId: string, statuses: number[]): void;
  close(): Promise<void>;
}

/**
 * Serves `<run>/download/<version>/<binary>` and `<run>/latest/download/<binary>` like GitHub
 * releases, and redirects `<run>/moved/<rest>` to `<run>/<rest>` (GitHub sends release downloads
 * elsewhere with a 302). A request in absolute form (`GET http://host/<run>/...`) is one for a
 * proxy: it is logged as such and answered the same way, whatever the host.
 */
export async function startDownloadServer(): Promise<DownloadServer> {
  const log = new Map<string, string[]>();
  const failures = new Map<string, number[]>();
  const proxied: string[] = [];
  const server: Server = createServer((request, response) => {
    const target = request.url ?? '/';
    if (/^https?:\/\//.test(target)) proxied.push(target);
    const [, runId = '', ...rest] = new URL(target, 'http://origin.invalid').pathname.split('/');
    const path = `/${rest.join('/')}`;
    log.set(runId, [...(log.get(runId) ?? []), path]);
    const failure = failures.get(runId)?.shift();
    if (failure !== undefined) {
      response.writeHead(failure, { 'Content-Type': 'text/plain' });
      response.end(`status ${failure}\n`);
      return;
    }
    if (path.startsWith('/moved/')) {
      response.writeHead(302, { Location: `/${runId}${path.slice('/moved'.length)}` });
      response.end();
      return;
    }
    const tagged = /^\/download\/([^/]+)\/([^/]+)$/.exec(path);
    const latest = /^\/latest\/download\/([^/]+)$/.exec(path);
    const binary = tagged?.[2] ?? latest?.[1];
    const versionOk = latest !== null || SERVED_VERSIONS.includes(tagged?.[1] ?? '');
    if (request.method === 'GET' && binary !== undefined && SERVED_BINARIES.includes(binary) && versionOk) {
      response.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      response.end(fakeBinary(tagged?.[1] ?? LATEST_VERSION));
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('Not Found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('download server has no port');
  const origin = `http://127.0.0.1:${address.port}`;
  return {
    baseUrl: (runId) => `${origin}/${runId}`,
    requests: (runId) => log.get(runId) ?? [],
    origin,
    proxied: () => [...proxied],
    failNext: (runId, statuses) => void failures.set(runId, [...statuses]),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

/** A port nothing listens on right now (the OS does not hand it out again at once). */
export async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((done) => server.listen(0, done));
  const address = server.address();
  await new Promise((done) => server.close(done));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** What the fake AgentAPI wrote to FAKE_AGENTAPI_RECORD when it started. */
export interface AgentapiRecord {
  pid: number;
  /** The release it behaves as (FAKE_AGENTAPI_VERSION, or the one baked in by the download server). */
  version: string;
  argv: string[];
  port: number;
  cwd: string;
  env: Record<string, string>;
  extra: Record<string, string | null>;
}

export interface StartRun {
  result: RunResult;
  home: string;
  port: number;
  moduleDir: string;
  /** The fake's record, or undefined when no AgentAPI got as far as starting. */
  record: AgentapiRecord | undefined;
  /** Paths the run asked the download server for. */
  downloads: string[];
  /** ARG_AGENTAPI_DOWNLOAD_BASE_URL as the run had it. */
  downloadBase: string;
  read(path: string): Promise<string>;
}

export interface StartOptions {
  /** The running test's context: cleanup hooks must come from it when tests run concurrently. */
  ctx: Pick<TestContext, 'onTestFinished'>;
  shell: ShellChoice;
  server: DownloadServer;
  toolbox?: Toolbox;
  /** Module variables on top of the defaults below; a function gets HOME and the port. */
  variables?: Record<string, unknown> | ((home: string, port: number) => Record<string, unknown> | Promise<Record<string, unknown>>);
  /** Environment on top of the agent-like one (e.g. FAKE_AGENTAPI_VERSION, ARG_START_ATTEMPTS); a function gets HOME. */
  env?: Record<string, string> | ((home: string) => Record<string, string>);
  /**
   * A script file to run in place of the generated one, wrapped the same way. Defaults to
   * $AGENTAPI_KIT_START_SCRIPT_UNDER_TEST when set, so the suite can be pointed at a mutant or a
   * candidate script without editing generated files.
   */
  scriptPath?: string;
  /** Runs before the script, with the fresh HOME (e.g. to plant files). */
  prepare?: (home: string) => Promise<void>;
  /** Statuses the download server answers the run's first requests with (e.g. `[503]`). */
  failDownloads?: number[];
  /** ARG_AGENTAPI_DOWNLOAD_BASE_URL from the run's own base URL on the server (default: that URL). */
  downloadBase?: (runBase: string) => string;
}

export const MODULE_DIR_NAME = '.agentapi-module';
export const START_AGENT = 'agentapi server --port "$AGENTAPI_PORT" -- claude';

let runCounter = 0;

/**
 * Runs the start body once, in a fresh HOME, on a free port, with AgentAPI downloaded from the
 * test server; registers cleanup (kill the fake, remove HOME) for the end of the current test.
 */
export async function runStartScript(opts: StartOptions): Promise<StartRun> {
  const home = await mkdtemp(join(tmpdir(), 'agentapi-kit-start-'));
  const port = await freePort();
  const runId = `run${process.pid}-${(runCounter += 1)}`;
  const recordFile = join(home, 'agentapi-record.json');
  const moduleDir = join(home, MODULE_DIR_NAME);
  opts.ctx.onTestFinished(() => cleanup(home, moduleDir, recordFile));
  await opts.prepare?.(home);
  const extraEnv = typeof opts.env === 'function' ? opts.env(home) : opts.env;
  const extraVariables = typeof opts.variables === 'function' ? await opts.variables(home, port) : opts.variables;
  const runBase = opts.server.baseUrl(runId);
  const downloadBase = opts.downloadBase?.(runBase) ?? runBase;
  if (opts.failDownloads !== undefined) opts.server.failNext(runId, opts.failDownloads);
  const result = await runStart({
    shell: opts.shell,
    toolbox: opts.toolbox ?? 'full',
    home,
    scriptPath: opts.scriptPath ?? process.env.AGENTAPI_KIT_START_SCRIPT_UNDER_TEST,
    variables: {
      ...EXAMPLE_REQUIRED_VARIABLES,
      module_dir_name: MODULE_DIR_NAME,
      start_script: START_AGENT,
      install_agentapi: true,
      agentapi_version: 'v0.12.1',
      agentapi_port: port,
      folder: join(home, 'project'),
      ...extraVariables,
    },
    env: {
      ARG_AGENTAPI_DOWNLOAD_BASE_URL: downloadBase,
      FAKE_AGENTAPI_RECORD: recordFile,
      ...extraEnv,
    },
  });
  return {
    result,
    home,
    port,
    moduleDir,
    record: await readRecord(recordFile),
    downloads: opts.server.requests(runId),
    downloadBase,
    read: (path) => readFile(path, 'utf8'),
  };
}

async function readRecord(file: string): Promise<AgentapiRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as AgentapiRecord;
  } catch {
    return undefined;
  }
}

/** Kills every fake the run started (known from its record and PID files), then removes HOME. */
async function cleanup(home: string, moduleDir: string, recordFile: string): Promise<void> {
  const pids = new Set<number>();
  const record = await readRecord(recordFile);
  if (record !== undefined) pids.add(record.pid);
  for (const file of [join(moduleDir, 'agentapi.pid'), join(home, 'custom', 'agentapi.pid')]) {
    const pid = Number.parseInt(await readFile(file, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(pid) && pid > 1) pids.add(pid);
  }
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await rm(home, { recursive: true, force: true });
}

/** A directory with an executable `uname` that reports Linux on `machine`, to put first on PATH. */
export async function fakeUnameDir(home: string, machine: string): Promise<string> {
  const dir = join(home, 'fake-uname');
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'uname');
  await writeFile(file, `#!/bin/sh\ncase "$1" in\n-s) echo Linux ;;\n-m) echo ${machine} ;;\n*) echo Linux ;;\nesac\n`);
  await chmod(file, 0o755);
  return dir;
}

/**
 * A PATH directory with GNU wget and the basic tools the script calls, but no curl, so the wget
 * branches run with the real GNU wget (the busybox toolbox covers busybox's).
 */
export async function wgetOnlyPathDir(home: string): Promise<string> {
  const dir = join(home, 'wget-only-bin');
  await mkdir(dir, { recursive: true });
  const tools = ['sh', 'bash', 'base64', 'uname', 'mkdir', 'mktemp', 'chmod', 'mv', 'rm', 'tee', 'tail', 'sleep', 'timeout', 'setsid', 'env', 'wget', 'cat'];
  for (const tool of tools) {
    const target = findOnPath(tool, SYSTEM_PATH);
    if (target !== undefined) await symlink(target, join(dir, tool));
  }
  return dir;
}

/** Whether a process is alive (signal 0). */
/**
 * Whether the process has exited: gone, or a zombie its new parent (PID 1 here, after setsid and the
 * start script's exit) has not reaped yet, which the shutdown script also counts as exited. Polls a
 * little, since reaping is asynchronous.
 */
export async function hasExited(pid: number, waitMs = 3000): Promise<boolean> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    if (!isAlive(pid) || (await isZombie(pid))) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function isZombie(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The state follows the parenthesised command name, which may itself hold spaces or parentheses.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
