import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * The CLI as users get it: the bin, which runs dist/cli/. The test run builds a fresh dist/ and sets
 * AGENTAPI_KIT_REQUIRE_DIST=1 (test/support/setup/build-dist.ts), so these helpers never run the sources.
 */
export const CLI = resolve(import.meta.dirname, '../../bin/agentapi-kit.mjs');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, the way a user or CI runs it. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * The CLI under a wrapper command (e.g. `setpriv --reuid=nobody ...`), with TMPDIR=/tmp: the run's
 * own TMPDIR is private to the user running the tests.
 */
export function runCliAs(wrapper: string[], args: string[]): CliResult {
  const [command, ...rest] = wrapper;
  const result = spawnSync(command!, [...rest, process.execPath, CLI, ...args], {
    env: { ...process.env, NO_COLOR: '1', TMPDIR: '/tmp' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

export interface ServingCli {
  child: ChildProcess;
  /** The first stdout line, parsed: the commands that serve print one JSON object first. */
  first: Record<string, string>;
  /** Sends `signal`, waits for the exit; the exit code and everything printed on stderr. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; stderr: string }>;
}

/**
 * Starts a serving command (`mock coderd`, `demo --web`, ...) of the CLI at `bin` (this repository's
 * by default, or an installed package's) and waits for its first stdout line.
 */
export async function startServingCli(args: string[], options: { bin?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ServingCli> {
  const child = spawn(process.execPath, [options.bin ?? CLI, ...args], { cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...options.env } });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('close', (code) => resolveExit(code)));
  const line = once(createInterface({ input: child.stdout }), 'line') as Promise<[string]>;
  const first = await Promise.race([line.then(([text]) => text), exited.then((code) => Promise.reject(new Error(`agentapi-kit ${args.join(' ')} exited ${code} before printing a line: ${stderr}`)))]);
  return {
    child,
    first: JSON.parse(first) as Record<string, string>,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return { code: await exited, stderr };
    },
  };
}
