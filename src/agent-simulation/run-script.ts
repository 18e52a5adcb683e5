/**
 * Runs a coder_script body the way the Coder agent would: rendered from main.tf, started with a
 * clean environment (HOME, USER, LANG, PATH, the agent's CODER_* variables, plus what the caller
 * adds, such as CODER_AGENT_URL), under a chosen shell and a chosen set of tools on PATH.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { StringDecoder } from 'node:string_decoder';
import { join } from 'node:path';
import {
  type CoderScriptData,
  type CoderScriptResource,
  DEFAULT_MODULE_DIR,
  SCRIPT_FILES,
  SIMULATED_WORKSPACE_NAME,
} from './coder-script.ts';
import { handOffArgv } from '../contract/hand-off.ts';
import { ARGV_LOG_ENV, buildShimDir, readArgvLog, type RecordedCommand, type ShimTarget } from './argv-shims.ts';
import { coderScriptBody } from './script-bodies.ts';
import { absoluteArgv, findOnPath, LOGIN_SHELLS, loginShellByName, SHELLS, type ShellSpec, SYSTEM_PATH } from './shells.ts';

/** Which tools the script finds on PATH. */
export type Toolbox = 'full' | 'no-jq' | 'busybox';
export const TOOLBOXES: readonly Toolbox[] = Object.freeze(['full', 'no-jq', 'busybox']);

/** A matrix shell, or `login:<name>` for a login shell handed the whole body (`<shell> -c '<body>'`). */
export type ShellChoice = ShellSpec | `login:${string}`;

export interface RunCoderScriptOptions {
  resource: CoderScriptResource;
  variables: Record<string, unknown>;
  data?: CoderScriptData;
  shell: ShellChoice;
  toolbox: Toolbox;
  /** Added to the agent-like environment (e.g. CODER_AGENT_URL, CODER_AGENT_TOKEN); wins over the base, PATH included. */
  env?: Record<string, string>;
  /** Tool names left off the toolbox (e.g. `['curl', 'wget']`); a toolbox without them is built once per machine. */
  hideTools?: readonly string[];
  timeoutMs?: number;
  cwd?: string;
  /** HOME for the script; a fresh temp dir, removed afterwards, when omitted. */
  home?: string;
  moduleDir?: string;
  /** A script file to run instead of the module's, wrapped exactly the same way. */
  scriptPath?: string;
}

export interface RunResult extends SpawnOutcome {
  /** The body that was run (what Terraform would put into `script`). */
  body: string;
  argv: string[];
  /** Every external command the script started through PATH, in order (argv-shims.ts). */
  commands: RecordedCommand[];
  /** What the script left in its own TMPDIR (names, relative to it). */
  tmpLeftovers: string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;

export async function runCoderScript(opts: RunCoderScriptOptions): Promise<RunResult> {
  const moduleDir = opts.moduleDir ?? DEFAULT_MODULE_DIR;
  const files = opts.scriptPath === undefined ? undefined : { [SCRIPT_FILES[opts.resource]]: await readFile(opts.scriptPath, 'utf8') };
  const body = await coderScriptBody({ moduleDir, resource: opts.resource, variables: opts.variables, data: opts.data, files });
  const argv = commandLine(body, opts.shell);
  const ownHome = opts.home === undefined ? await mkdtemp(join(tmpdir(), 'agentapi-kit-home-')) : undefined;
  const home = opts.home ?? (ownHome as string);
  const agentTmp = await mkdtemp(join(tmpdir(), 'agentapi-kit-agent-'));
  try {
    // A TMPDIR of its own per run, so whatever the script leaves behind is found (and is its own).
    const scriptTmp = join(agentTmp, 'tmp');
    const argvLog = join(agentTmp, 'argv.log');
    await mkdir(scriptTmp, { mode: 0o700 });
    const base = await agentEnvironment(home, agentTmp, toolboxPath(opts.toolbox, opts.hideTools));
    const env = { ...base, TMPDIR: scriptTmp, [ARGV_LOG_ENV]: argvLog, ...opts.env };
    const result = await spawnCollect(argv, { env, cwd: opts.cwd ?? home, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    const tmpLeftovers = await readdir(scriptTmp).catch(() => ['(TMPDIR itself was removed)']);
    return { ...result, body, argv, commands: readArgvLog(argvLog), tmpLeftovers };
  } finally {
    await rm(agentTmp, { recursive: true, force: true });
    if (ownHome !== undefined) await rm(ownHome, { recursive: true, force: true });
  }
}

/** What the harness names the workspace and agent in the environment (a template's usual agent name). */
export const AGENT_WORKSPACE_NAME = SIMULATED_WORKSPACE_NAME;
export const AGENT_NAME = 'main';

/**
 * The environment a Coder agent gives a coder_script, minus what the caller adds (CODER_AGENT_URL,
 * CODER_AGENT_TOKEN). From coder/coder: agent.go updateCommandEnv sets CODER=true,
 * CODER_WORKSPACE_NAME, CODER_WORKSPACE_AGENT_NAME, CS_DISABLE_GETTING_STARTED_OVERRIDE and puts
 * the script bin dir first on PATH; agentscripts.go adds CODER_SCRIPT_DATA_DIR
 * (`<data dir>/coder-script-data/<log source id>`) and CODER_SCRIPT_BIN_DIR
 * (`<data dir>/coder-script-data/bin`), both created before the script runs. The data dir lives
 * outside HOME, as the agent's does (its temp dir by default).
 */
async function agentEnvironment(home: string, agentTmp: string, toolPath: string): Promise<Record<string, string>> {
  const scriptData = join(agentTmp, 'coder-script-data');
  const dataDir = join(scriptData, randomUUID());
  const binDir = join(scriptData, 'bin');
  await Promise.all([mkdir(dataDir, { recursive: true, mode: 0o700 }), mkdir(binDir, { recursive: true, mode: 0o700 })]);
  return {
    HOME: home,
    USER: 'coder',
    LANG: 'C.UTF-8',
    PATH: `${binDir}:${toolPath}`,
    CODER: 'true',
    CODER_WORKSPACE_NAME: AGENT_WORKSPACE_NAME,
    CODER_WORKSPACE_AGENT_NAME: AGENT_NAME,
    CS_DISABLE_GETTING_STARTED_OVERRIDE: 'true',
    CODER_SCRIPT_DATA_DIR: dataDir,
    CODER_SCRIPT_BIN_DIR: binDir,
  };
}

export function runShutdown(opts: Omit<RunCoderScriptOptions, 'resource'>): Promise<RunResult> {
  return runCoderScript({ ...opts, resource: 'agentapi_shutdown' });
}

export function runStart(opts: Omit<RunCoderScriptOptions, 'resource'>): Promise<RunResult> {
  return runCoderScript({ ...opts, resource: 'agentapi' });
}

/**
 * A matrix shell replaces /bin/sh in the body's hand-off (same eval, same name and base64 arguments), so the
 * script runs as it would where /bin/sh is that shell. A login shell gets the body verbatim.
 */
export function commandLine(body: string, shell: ShellChoice): string[] {
  if (typeof shell === 'string') {
    if (!shell.startsWith('login:')) throw new Error(`shell must be a ShellSpec or "login:<name>", got "${shell}"`);
    return [...absoluteArgv(loginShellByName(shell.slice('login:'.length))), '-c', body];
  }
  return [...absoluteArgv(shell), ...handOffArgv(body)];
}

// ---------------------------------------------------------------------------------------------
// Toolboxes

/** Everything the scripts could reasonably call, except jq. */
const NO_JQ_TOOLS = [
  'awk', 'gawk', 'mawk', 'sed', 'grep', 'cut', 'tr', 'head', 'tail', 'od', 'hexdump', 'xxd', 'base64',
  'printf', 'echo', 'cat', 'date', 'mktemp', 'rm', 'rmdir', 'mv', 'cp', 'ln', 'mkdir', 'chmod', 'touch',
  'kill', 'sleep', 'timeout', 'env', 'expr', 'test', '[', 'true', 'false', 'wc', 'sort', 'uniq', 'tee',
  'dd', 'iconv', 'curl', 'wget', 'id', 'ps', 'pgrep', 'readlink', 'realpath', 'dirname', 'basename',
  'stat', 'uname', 'sh', 'cmp', 'seq', 'nohup', 'setsid', 'getconf', 'hostname', 'tac', 'paste', 'xargs',
  'find', 'ls', 'fold', 'split', 'sum', 'cksum', 'md5sum', 'sha256sum', 'nproc', 'whoami', 'pwd',
];

const toolboxDirs = new Map<string, string>();

/**
 * PATH for a toolbox: a dir of argv-recording shims (argv-shims.ts) for the toolbox's tools,
 * built once per machine; `full` stands for every executable on the system PATH (first one of
 * each name, as a lookup would find it). With `hide`, without those names.
 */
export function toolboxPath(toolbox: Toolbox, hide: readonly string[] = []): string {
  const key = `${toolbox}|${[...hide].sort().join(',')}`;
  let dir = toolboxDirs.get(key);
  if (dir === undefined) {
    const hidden = new Set(hide);
    const targets = toolboxTargets(toolbox).filter((target) => !hidden.has(target.name));
    dir = buildShimDir(hide.length === 0 ? toolbox : `${toolbox}-without-${[...hidden].sort().join('-')}`, targets);
    toolboxDirs.set(key, dir);
  }
  return dir;
}

function toolboxTargets(toolbox: Toolbox): ShimTarget[] {
  if (toolbox === 'busybox') return busyboxApplets();
  const links = toolbox === 'no-jq' ? noJqTools() : systemPathExecutables();
  return links.map(([name, path]) => ({ name, path }));
}

/** The tool names a toolbox offers (for reports and tests). */
export function toolboxTools(toolbox: Toolbox): string[] {
  return readdirSync(toolboxPath(toolbox)).sort();
}

/** Every executable the system PATH offers, the first of each name in PATH order. */
function systemPathExecutables(): Array<[string, string]> {
  const found = new Map<string, string>();
  for (const dir of SYSTEM_PATH.split(':')) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (found.has(name)) continue;
      const path = join(dir, name);
      if (isExecutableFile(path)) found.set(name, path);
    }
  }
  return [...found];
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function noJqTools(): Array<[string, string]> {
  const shells = [...SHELLS, ...LOGIN_SHELLS].map((shell) => shell.argv[0] as string);
  const names = [...new Set([...NO_JQ_TOOLS, ...shells])].filter((name) => name !== 'jq');
  return names.flatMap((name): Array<[string, string]> => {
    const path = findOnPath(name, SYSTEM_PATH);
    return path === undefined ? [] : [[name, path]];
  });
}

/** Only busybox applets: no curl, no jq, and the applet versions of everything else. */
function busyboxApplets(): ShimTarget[] {
  const busybox = findOnPath('busybox', SYSTEM_PATH);
  if (busybox === undefined) throw new Error('the busybox toolbox needs busybox, which is not installed');
  const list = spawnSync(busybox, ['--list'], { encoding: 'utf8' });
  if (list.status !== 0) throw new Error(`busybox --list failed: ${list.stderr}`);
  return list.stdout
    .split('\n')
    .filter((name) => name !== '' && !name.includes('/'))
    .map((name) => ({ name, path: busybox, prefix: [name] }));
}


// ---------------------------------------------------------------------------------------------
// Process

interface SpawnOutcome {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr in the order their chunks arrived. */
  output: string;
  durationMs: number;
  timedOut: boolean;
}

/**
 * Runs argv in its own process group so a timeout kills the script and everything it started
 * (curl, sleep), never anything else. Leftovers in the group are killed once the script exits.
 */
export function spawnCollect(argv: string[], opts: { env: Record<string, string>; cwd: string; timeoutMs: number }): Promise<SpawnOutcome> {
  const [command, ...args] = argv;
  if (command === undefined) throw new Error('empty command line');
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: opts.env, cwd: opts.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    // Each stream is decoded on its own so a multibyte character split across chunks stays intact.
    const outDecoder = new StringDecoder('utf8');
    const errDecoder = new StringDecoder('utf8');
    let stdout = '';
    let stderr = '';
    let output = '';
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const killGroup = (signal: NodeJS.Signals) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // The group is already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGKILL');
    }, opts.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = outDecoder.write(chunk);
      stdout += text;
      output += text;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      const text = errDecoder.write(chunk);
      stderr += text;
      output += text;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // A background child still holding stdout would keep 'close' from firing; the script is done.
      killGroup('SIGKILL');
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const outRest = outDecoder.end();
      const errRest = errDecoder.end();
      resolvePromise({
        exitCode: exit?.code ?? code,
        signal: exit?.signal ?? signal,
        stdout: stdout + outRest,
        stderr: stderr + errRest,
        output: output + outRest + errRest,
        durationMs: Math.round(performance.now() - started),
        timedOut,
      });
    });
  });
}
