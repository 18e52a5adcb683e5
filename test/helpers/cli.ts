import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';

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
