/**
 * Set-up for the boundary tests: the stand-ins of test/fixtures/boundary (coder, git, make, sudo,
 * id) first on PATH, ahead of a toolbox with the real ones hidden; boundary's release install script
 * served over HTTP; the boundary inputs as module variables once main.tf declares them, else as the
 * ARG_* assignments the body would carry; and starts that can share a HOME, so a second start can
 * follow a failed one.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestContext } from 'vitest';
import { DEFAULT_MODULE_DIR, EXAMPLE_REQUIRED_VARIABLES, SCRIPT_FILES } from '../../src/agent-simulation/coder-script.ts';
import { runStart, type RunResult, type ShellChoice, spawnCollect, toolboxPath, type Toolbox } from '../../src/agent-simulation/run-script.ts';
import { absoluteArgv, type ShellSpec } from '../../src/agent-simulation/shells.ts';
import { type AgentapiRecord, type DownloadServer, freePort, MODULE_DIR_NAME } from './start-script.ts';

export const BOUNDARY_FIXTURES = resolve(import.meta.dirname, '../fixtures/boundary');

/** Every stand-in a run may get; the real ones of these names are hidden from PATH. */
export const STAND_INS = ['coder', 'git', 'make', 'sudo', 'id'] as const;
export type StandIn = (typeof STAND_INS)[number];
const HIDDEN_TOOLS = ['coder', 'git', 'make', 'sudo', 'boundary'];

/** What a boundary-using start script looks like: AgentAPI itself runs through the wrapper, so the wrapper really runs. */
export const START_THROUGH_PREFIX = 'exec "$AGENTAPI_BOUNDARY_PREFIX" agentapi server --port "$AGENTAPI_PORT" -- claude';

export interface BoundarySettings {
  enable: boolean;
  version?: string;
  compile?: boolean;
  directly?: boolean;
}

/** Whether the generated main.tf has the boundary variables yet (their Terraform side). */
export function moduleHasBoundaryVariables(): boolean {
  return /variable "enable_boundary"/.test(readFileSync(join(DEFAULT_MODULE_DIR, 'main.tf'), 'utf8'));
}

/**
 * The settings as module variables when main.tf declares them; otherwise as the ARG_* the body
 * would assign (the environment stands in for the missing assignments, which would win over it).
 */
export function boundaryInputs(settings: BoundarySettings): { variables: Record<string, unknown>; env: Record<string, string> } {
  const values = {
    enable_boundary: settings.enable,
    boundary_version: settings.version ?? 'latest',
    compile_boundary_from_source: settings.compile ?? false,
    use_boundary_directly: settings.directly ?? false,
  };
  if (moduleHasBoundaryVariables()) return { variables: values, env: {} };
  return { variables: {}, env: boundaryArgs(settings) };
}

/** The settings as the ARG_* the start script reads. */
export function boundaryArgs(settings: BoundarySettings): Record<string, string> {
  return {
    ARG_ENABLE_BOUNDARY: String(settings.enable),
    ARG_BOUNDARY_VERSION: settings.version ?? 'latest',
    ARG_COMPILE_BOUNDARY_FROM_SOURCE: String(settings.compile ?? false),
    ARG_USE_BOUNDARY_DIRECTLY: String(settings.directly ?? false),
  };
}

export interface ScriptServer {
  /** The install script's URL; `missing` gives one that answers 404. */
  url(which?: 'ok' | 'missing'): string;
  close(): Promise<void>;
}

/** Serves the stand-in release install script as raw.githubusercontent.com would. */
export async function startInstallScriptServer(): Promise<ScriptServer> {
  const script = await readFile(join(BOUNDARY_FIXTURES, 'install.sh'));
  const server: Server = createServer((request, response) => {
    if (request.method === 'GET' && request.url === '/coder/boundary/main/install.sh') {
      response.writeHead(200, { 'Content-Type': 'text/plain' });
      response.end(script);
      return;
    }
    response.writeHead(404, { 'Content-Type': 'text/plain' });
    response.end('404: Not Found');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('install script server has no port');
  const base = `http://127.0.0.1:${address.port}`;
  return {
    url: (which = 'ok') => (which === 'ok' ? `${base}/coder/boundary/main/install.sh` : `${base}/coder/boundary/main/missing.sh`),
    close: () => new Promise((done) => server.close(() => done())),
  };
}

export interface BoundaryStartOptions {
  ctx: Pick<TestContext, 'onTestFinished'>;
  shell: ShellChoice;
  downloads: DownloadServer;
  scripts: ScriptServer;
  settings: BoundarySettings;
  /** A HOME from an earlier run, to start again in it. */
  home?: string;
  /** Stand-ins on PATH (default: all). */
  standIns?: readonly StandIn[];
  toolbox?: Toolbox;
  /** More tools taken off PATH (e.g. curl, so wget downloads). */
  hideTools?: readonly string[];
  startScript?: string;
  /** Stand-in switches (FAKE_MAKE, FAKE_SUDO, FAKE_UID...) and more environment. */
  env?: Record<string, string>;
  variables?: Record<string, unknown>;
}

export interface BoundaryRun {
  result: RunResult;
  home: string;
  port: number;
  moduleDir: string;
  installDir: string;
  wrapper: string;
  record: AgentapiRecord | undefined;
  /** The stand-ins' calls, one line each: `git [clone] [--quiet] [url] [dir]`. */
  calls(): Promise<string[]>;
  /** Names in the module directory. */
  moduleFiles(): Promise<string[]>;
}

let runCounter = 0;

/** Runs the start body with boundary settings; cleanup (the fake AgentAPI, HOME) at the end of the test. */
export async function runBoundaryStart(opts: BoundaryStartOptions): Promise<BoundaryRun> {
  const home = opts.home ?? (await newHome(opts.ctx));
  const port = await freePort();
  const moduleDir = join(home, MODULE_DIR_NAME);
  const recordFile = join(home, 'agentapi-record.json');
  const standInDir = await standInPath(home, opts.standIns ?? STAND_INS);
  const inputs = boundaryInputs(opts.settings);
  const baseToolbox = opts.toolbox ?? 'full';
  const result = await runStart({
    shell: opts.shell,
    toolbox: baseToolbox,
    home,
    scriptPath: process.env.AGENTAPI_KIT_START_SCRIPT_UNDER_TEST,
    variables: {
      ...EXAMPLE_REQUIRED_VARIABLES,
      module_dir_name: MODULE_DIR_NAME,
      start_script: opts.startScript ?? START_THROUGH_PREFIX,
      install_agentapi: true,
      agentapi_version: 'v0.12.1',
      agentapi_port: port,
      folder: join(home, 'project'),
      ...inputs.variables,
      ...opts.variables,
    },
    env: {
      ...standInEnv({ home, standInDir, toolbox: baseToolbox, scripts: opts.scripts, hide: opts.hideTools }),
      ARG_AGENTAPI_DOWNLOAD_BASE_URL: opts.downloads.baseUrl(`boundary${process.pid}-${(runCounter += 1)}`),
      FAKE_AGENTAPI_RECORD: recordFile,
      ...inputs.env,
      ...opts.env,
    },
  });
  return {
    result,
    home,
    port,
    moduleDir,
    installDir: join(home, INSTALL_DIR_NAME),
    wrapper: join(moduleDir, 'boundary-wrapper.sh'),
    record: await readRecord(recordFile),
    calls: () => readCalls(home),
    moduleFiles: () => listDir(moduleDir),
  };
}

const INSTALL_DIR_NAME = 'usr-local-bin';
const CALLS_LOG = 'boundary-calls.log';

/** What every run gets: the stand-ins first on PATH, where to install, where to log calls. */
function standInEnv(opts: { home: string; standInDir: string; toolbox: Toolbox; scripts: ScriptServer; hide?: readonly string[] }): Record<string, string> {
  return {
    PATH: `${opts.standInDir}:${toolboxPath(opts.toolbox, [...HIDDEN_TOOLS, ...(opts.hide ?? [])])}`,
    ARG_BOUNDARY_INSTALL_DIR: join(opts.home, INSTALL_DIR_NAME),
    ARG_BOUNDARY_INSTALL_SCRIPT_URL: opts.scripts.url(),
    ARG_BOUNDARY_REPO_URL: 'https://git.example.invalid/coder/boundary.git',
    FAKE_BOUNDARY_FIXTURES: BOUNDARY_FIXTURES,
    FAKE_BOUNDARY_LOG: join(opts.home, CALLS_LOG),
  };
}

async function readCalls(home: string): Promise<string[]> {
  return (await readFile(join(home, CALLS_LOG), 'utf8').catch(() => '')).split('\n').filter((line) => line !== '');
}

async function listDir(dir: string): Promise<string[]> {
  return (await readdir(dir).catch(() => [])).sort();
}

export interface BoundarySetupOptions {
  ctx: Pick<TestContext, 'onTestFinished'>;
  shell: ShellSpec;
  scripts: ScriptServer;
  settings: BoundarySettings;
  standIns?: readonly StandIn[];
  env?: Record<string, string>;
}

export interface BoundarySetupRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  moduleDir: string;
  calls(): Promise<string[]>;
  moduleFiles(): Promise<string[]>;
}

/**
 * Only the boundary step of a start: the generated start script sourced by the shell (main does
 * not run), then prepare_private_dir (the HTTP client's scratch directory, in HOME here),
 * boundary_inputs and setup_boundary, as main calls them. A fraction of a whole
 * start's cost, so every failure can run under every shell; `fail` exits as it does in a start.
 */
export async function runBoundarySetup(opts: BoundarySetupOptions): Promise<BoundarySetupRun> {
  const home = await newHome(opts.ctx);
  const moduleDir = join(home, MODULE_DIR_NAME);
  await mkdir(moduleDir, { recursive: true });
  const standInDir = await standInPath(home, opts.standIns ?? STAND_INS);
  const driver = 'AGENTAPI_KIT_SOURCE_ONLY=1\n. "$1"\nmodule_dir=$2\nprepare_private_dir\nboundary_inputs\nsetup_boundary\nprintf "prefix=[%s]\\n" "$AGENTAPI_BOUNDARY_PREFIX"';
  const script = process.env.AGENTAPI_KIT_START_SCRIPT_UNDER_TEST ?? join(DEFAULT_MODULE_DIR, SCRIPT_FILES.agentapi);
  const result = await spawnCollect([...absoluteArgv(opts.shell), '-c', driver, 'sh', script, moduleDir], {
    env: { HOME: home, TMPDIR: home, ...standInEnv({ home, standInDir, toolbox: 'full', scripts: opts.scripts }), ...boundaryArgs(opts.settings), ...opts.env },
    cwd: home,
    timeoutMs: 30_000,
  });
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, moduleDir, calls: () => readCalls(home), moduleFiles: () => listDir(moduleDir) };
}

async function newHome(ctx: Pick<TestContext, 'onTestFinished'>): Promise<string> {
  const home = await mkdtemp(join(tmpdir(), 'agentapi-kit-boundary-'));
  ctx.onTestFinished(() => cleanup(home));
  return home;
}

/** A PATH directory holding the chosen stand-ins (rebuilt per run: a second run may choose others). */
async function standInPath(home: string, names: readonly StandIn[]): Promise<string> {
  const dir = join(home, `stand-ins-${(runCounter += 1)}`);
  await mkdir(dir, { recursive: true });
  for (const name of names) await symlink(join(BOUNDARY_FIXTURES, name), join(dir, name));
  return dir;
}

async function readRecord(file: string): Promise<AgentapiRecord | undefined> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as AgentapiRecord;
  } catch {
    return undefined;
  }
}

/** Kills the fake AgentAPI the runs started (its record and PID file name it), then removes HOME. */
async function cleanup(home: string): Promise<void> {
  const pids = new Set<number>();
  const record = await readRecord(join(home, 'agentapi-record.json'));
  if (record !== undefined) pids.add(record.pid);
  const pid = Number.parseInt(await readFile(join(home, MODULE_DIR_NAME, 'agentapi.pid'), 'utf8').catch(() => ''), 10);
  if (Number.isInteger(pid) && pid > 1) pids.add(pid);
  for (const each of pids) {
    try {
      process.kill(each, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  await rm(home, { recursive: true, force: true });
}

/** The wrapper a way must write: the given command line, then `-- "$@"`. */
export function expectedWrapper(run: string): string {
  return `#!/bin/sh\n# Written by the agentapi module: runs the command it is given inside boundary.\nexec ${run} -- "$@"\n`;
}

/** Arguments no shell may split, glob, expand or drop on their way through the wrapper. */
export const AWKWARD_ARGS = ['two words', "it's", '', '"double"', '$HOME *', ' lead and trail ', 'back\\slash', '--', '-n'];

/** A command that prints its arguments as JSON (node with absolute paths: runs under any PATH). */
export const PRINT_ARGS = [process.execPath, join(BOUNDARY_FIXTURES, 'print-args.cjs')];
