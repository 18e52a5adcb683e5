/**
 * The promises every run of every scenario must keep, whatever the scenario is about:
 * exit status 0, a measured time within what the module's inputs allow, no agent token in any
 * command's argv or in the output, no shell error, nothing left in TMPDIR, errors on stderr, and
 * SIGUSR1 only with state persistence on.
 */
import type { RecordedCommand } from '../agent-simulation/argv-shims.ts';
import { broke } from './promises.ts';
import type { ModuleFacts } from './module-facts.ts';
import type { ScenarioObservation } from './scenario-types.ts';

/**
 * Slack on top of the script's own worst case: process start-up, the last poll, the ~1 s an
 * attempt may start before the deadline's whole second runs out, and a loaded CI machine. Small
 * next to Docker's 10 s grace, big next to the scheduling noise of 8 runs on 2 cores (the
 * bounded-time test measures 7.5 s for a worst case of 8 s).
 */
export const TIME_MARGIN_MS = 3000;

/** How much longer than its bound a run may go on before the harness kills it (a hang, not a slow run). */
export const KILL_AFTER_BOUND_MS = 5000;

/**
 * The longest a run may take: state-save wait (only with persistence on) + snapshot deadline +
 * terminate wait, each the run's variable or else the module's default, plus TIME_MARGIN_MS.
 */
export function timeBoundMs(variables: Readonly<Record<string, unknown>>, facts: ModuleFacts): number {
  const seconds = (name: string, fallback: number) => {
    const value = Number(variables[name]);
    return variables[name] !== undefined && Number.isFinite(value) ? value : fallback;
  };
  const persistence = variables.enable_state_persistence === true || variables.enable_state_persistence === 'true';
  const save = persistence ? seconds('shutdown_state_save_wait', facts.timeouts.stateSaveWait) : 0;
  const deadline = seconds('shutdown_snapshot_deadline', facts.timeouts.snapshotDeadline);
  const terminate = seconds('shutdown_terminate_timeout', facts.timeouts.terminateWait);
  return (save + deadline + terminate) * 1000 + TIME_MARGIN_MS;
}

/**
 * What shells print for their own errors (checked by hand under dash, bash, BusyBox sh, mksh,
 * yash, zsh, ksh93 and posh): a missing command (`[[: not found`, `command not found`, yash's
 * `no such command`), parse errors, bad substitutions, `set -u` and `${x?}` failures, arithmetic
 * errors, and test(1) complaints.
 */
export const SHELL_ERROR_PATTERNS: readonly RegExp[] = Object.freeze([
  /not found/i,
  /no such command/,
  /syntax error/i,
  /parse error/,
  /bad substitution/i,
  /unexpected/,
  /parameter (?:null or )?not set/,
  /is not set(?: or has an empty value)?/,
  /unbound variable/,
  /bad math expression|arithmetic|more tokens expected|operand expected/,
  /illegal number|bad number/i,
  /unary operator expected|integer expression expected|too many arguments/,
  /can(?:no|')t open|cannot create/,
]);

/** Lines the script prints on purpose; a shell's own message never starts like this. */
const SCRIPT_LINE = /^(?:Error|Warning): /;

export function shellErrors(stderr: string): string[] {
  return stderr.split('\n').filter((line) => !SCRIPT_LINE.test(line) && SHELL_ERROR_PATTERNS.some((pattern) => pattern.test(line)));
}

/**
 * How a shell's own message starts: the name it runs as and a colon (`dash: 1: `, `bash: line 3: `,
 * `zsh:1: `, `E: mksh: `, `/bin/sh: 1: `, the script's $0).
 */
const SHELL_MESSAGE_START = /^[^\s:]+:/;

/**
 * Shell errors that went to stdout (a `2>&1`, or `exec 2>&1`): the Coder agent logs both streams
 * alike, so they show in the workspace's log all the same. Only lines that start as a shell's
 * message count here: the script's progress lines on stdout carry the user's folder and AgentAPI's
 * version word, which may hold any words.
 */
export function shellErrorsOnStdout(stdout: string): string[] {
  return shellErrors(stdout).filter((line) => SHELL_MESSAGE_START.test(line));
}

/**
 * BusyBox wget takes the token only in its argv; with ARG_ALLOW_TOKEN_IN_ARGV=true the script may
 * use it so (documented opt-in), and then timeout(1) starting that wget carries it too. Every
 * other command, and wget anywhere else, must not.
 */
function tokenAllowedIn(command: RecordedCommand, observed: ScenarioObservation): boolean {
  if (observed.env.ARG_ALLOW_TOKEN_IN_ARGV !== 'true' || observed.toolbox !== 'busybox') return false;
  return command.name === 'wget' || (command.name === 'timeout' && /^\S+ wget /.test(command.argv));
}

export function universalChecks(observed: ScenarioObservation, boundMs: number): string[] {
  const { run, token } = observed;
  const failures: string[] = [];
  if (run.exitCode !== 0) failures.push(broke('exit-status', `exit status ${run.exitCode ?? `none (killed by ${run.signal})`}, expected 0`));
  if (run.timedOut) failures.push(broke('time-bound', `still running after ${(run.durationMs / 1000).toFixed(1)} s and killed; the bound is ${boundMs / 1000} s`));
  else if (run.durationMs > boundMs) failures.push(broke('time-bound', `took ${(run.durationMs / 1000).toFixed(1)} s, over the bound of ${boundMs / 1000} s (state-save wait + snapshot deadline + terminate wait + ${TIME_MARGIN_MS / 1000} s)`));
  if (token !== '') {
    for (const command of run.commands) {
      if (command.argv.includes(token) && !tokenAllowedIn(command, observed)) {
        failures.push(broke('token-in-argv', `${command.name} was started with the agent token in its argv: ${JSON.stringify(command.argv.replaceAll(token, 'REDACTED').slice(0, 160))}`));
      }
    }
    if (run.output.includes(token)) failures.push(broke('token-in-output', 'the agent token appears in the output'));
  }
  const shown = (line: string) => JSON.stringify(line.length > 200 ? `${line.slice(0, 80)}…${line.slice(-120)}` : line);
  for (const line of shellErrors(run.stderr)) failures.push(broke('shell-error', `the shell printed ${shown(line)}`));
  for (const line of shellErrorsOnStdout(run.stdout)) failures.push(broke('shell-error', `the shell printed ${shown(line)} on stdout`));
  if (run.tmpLeftovers.length > 0) failures.push(broke('temp-leftover', `left in TMPDIR: ${run.tmpLeftovers.join(', ')}`));
  const misplaced = run.stdout.split('\n').find((line) => line.startsWith('Error: '));
  if (misplaced !== undefined) failures.push(broke('errors-on-stderr', `an error went to stdout, not stderr: ${JSON.stringify(misplaced)}`));
  const persistence = observed.variables.enable_state_persistence === true;
  if (!persistence && observed.signals.some((entry) => entry.signal === 'SIGUSR1')) {
    failures.push(broke('sigusr1-only-with-persistence', 'AgentAPI got SIGUSR1 with enable_state_persistence off'));
  }
  return failures;
}
