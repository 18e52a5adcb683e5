/**
 * Mutation testing of the conformance harness: each mutant is a small, named edit of the freshly
 * rendered shutdown script that breaks exactly one promise, the promise conformance must name,
 * and the few runs (scenario, shell, toolbox) that show it. Edits are exact text replacements
 * that must match exactly once, so a template change that moves the text makes the mutant fail
 * loudly ("update the mutant") instead of silently testing nothing. The rendered script is in
 * prettier's layout (2 spaces per level, `2> /dev/null`), so the edits are too.
 */
import type { PromiseName } from '../../../src/conformance/promises.ts';
import type { Toolbox } from '../../../src/agent-simulation/run-script.ts';

export interface Mutant {
  name: string;
  /** What the edit does, in words. */
  description: string;
  /** The promise conformance must name in a failure. */
  breaks: PromiseName;
  /** Text that failure must contain as well (when the promise alone is too broad, e.g. log-line). */
  mentions?: string;
  /** Replacements applied in order: [exact text, replacement]; each text must occur exactly once. */
  edits: Array<[string, string]>;
  scenarios: string[];
  shells: string[];
  toolboxes: Toolbox[];
}

const DASH_FULL = { shells: ['dash'], toolboxes: ['full'] as Toolbox[] };

export const MUTANTS: readonly Mutant[] = [
  {
    name: 'token-on-curl-argv',
    description: "curl gets the token as a -H argument instead of reading the header from stdin",
    breaks: 'token-in-argv',
    edits: [['-H @-', '-H "Coder-Session-Token: $CODER_AGENT_TOKEN"']],
    scenarios: ['happy-path'],
    ...DASH_FULL,
  },
  {
    name: 'token-on-gnu-wget-argv',
    description: 'GNU wget gets the token as a --header argument besides its config file',
    breaks: 'token-in-argv',
    edits: [['--config="$_tmp_dir/wgetrc"', '--header="Coder-Session-Token: $CODER_AGENT_TOKEN" --config="$_tmp_dir/wgetrc"']],
    scenarios: ['wget'],
    ...DASH_FULL,
  },
  {
    name: 'token-in-output',
    description: 'prints the agent token',
    breaks: 'token-in-output',
    edits: [['  install_traps\n', '  install_traps\n  echo "token: $CODER_AGENT_TOKEN"\n']],
    scenarios: ['snapshot-disabled'],
    ...DASH_FULL,
  },
  {
    name: 'sleeps-12s',
    description: "sleeps 12 s after stopping AgentAPI, past Docker's 10 s grace period",
    breaks: 'time-bound',
    edits: [['\n  stop_agentapi\n', '\n  stop_agentapi\n  sleep 12\n']],
    scenarios: ['snapshot-disabled'],
    ...DASH_FULL,
  },
  {
    name: 'ignores-deadlines',
    description: 'every deadline is an hour, so uploads to a hanging coderd go on for 5 attempts',
    breaks: 'time-bound',
    edits: [['_deadline_cs=$((_clock_cs + $1 * 100))', '_deadline_cs=$((_clock_cs + 3600 * 100))']],
    scenarios: ['coderd-hang'],
    ...DASH_FULL,
  },
  {
    name: 'bash-only-test',
    description: 'tests task_log_snapshot with `[[ ]]`, which dash and posh do not have',
    breaks: 'shell-error',
    edits: [['if [ "${ARG_TASK_LOG_SNAPSHOT:-true}" != true ]; then', 'if [[ "${ARG_TASK_LOG_SNAPSHOT:-true}" != true ]]; then']],
    scenarios: ['snapshot-disabled'],
    shells: ['dash', 'posh'],
    toolboxes: ['full'],
  },
  {
    name: 'shell-error-every-run',
    description: 'a syntax error in a subshell on every run (the script goes on)',
    breaks: 'shell-error',
    edits: [['  install_traps\n', "  install_traps\n  (eval 'if then fi')\n"]],
    scenarios: ['snapshot-disabled'],
    ...DASH_FULL,
  },
  {
    name: 'shell-error-on-stdout',
    description: "a missing command whose error is sent to stdout (2>&1): the agent's log shows it all the same",
    breaks: 'shell-error',
    mentions: 'on stdout',
    edits: [['  install_traps\n', '  install_traps\n  agentapi_kit_no_such_command 2>&1\n']],
    scenarios: ['snapshot-disabled'],
    shells: ['dash', 'posh'],
    toolboxes: ['full'],
  },
  {
    name: 'leaves-temp-files',
    description: 'never removes its private temp directory',
    breaks: 'temp-leftover',
    edits: [['rm -rf "$_tmp_dir"', ':']],
    scenarios: ['happy-path'],
    ...DASH_FULL,
  },
  {
    name: 'exits-non-zero',
    description: 'exits 3 after an otherwise correct shutdown',
    breaks: 'exit-status',
    edits: [['|| main "$@"', '|| { main "$@"; exit 3; }']],
    scenarios: ['snapshot-disabled'],
    ...DASH_FULL,
  },
  {
    name: 'error-on-stdout',
    description: 'log_error writes to stdout',
    breaks: 'errors-on-stderr',
    edits: [["printf 'Error: %s\\n' \"$*\" >&2", "printf 'Error: %s\\n' \"$*\""]],
    scenarios: ['bogus-task-id'],
    ...DASH_FULL,
  },
  {
    name: 'payload-over-limit',
    description: 'a payload limit of 128 KiB instead of the module\'s 64 KiB',
    breaks: 'payload-limit',
    edits: [['SNAPSHOT_LIMIT_BYTES=65536', 'SNAPSHOT_LIMIT_BYTES=131072']],
    scenarios: ['oversize-conversation'],
    ...DASH_FULL,
  },
  {
    name: 'keeps-11-messages',
    description: 'keeps the last 11 messages instead of the module\'s 10',
    breaks: 'last-n-messages',
    edits: [['SNAPSHOT_MESSAGE_COUNT=10', 'SNAPSHOT_MESSAGE_COUNT=11']],
    scenarios: ['happy-path'],
    ...DASH_FULL,
  },
  {
    name: 'no-sigterm',
    description: 'never sends SIGTERM (the SIGKILL after the wait still ends AgentAPI)',
    breaks: 'sigterm',
    edits: [['  kill -s TERM "$_agentapi_pid" 2> /dev/null || true\n  seconds_or', '  seconds_or']],
    scenarios: ['happy-path'],
    ...DASH_FULL,
  },
  {
    name: 'no-sigkill',
    description: 'never kills an AgentAPI that outlives SIGTERM',
    breaks: 'sigkill-after-wait',
    edits: [['  kill -s KILL "$_agentapi_pid" 2> /dev/null || true', '  :']],
    scenarios: ['agentapi-ignores-sigterm'],
    ...DASH_FULL,
  },
  {
    name: 'sigusr1-without-persistence',
    description: 'sends SIGUSR1 whether or not state persistence is on',
    breaks: 'sigusr1-only-with-persistence',
    edits: [['[ "${ARG_ENABLE_STATE_PERSISTENCE:-false}" = true ] || return 0', ':']],
    scenarios: ['state-persistence-off'],
    ...DASH_FULL,
  },
  {
    name: 'sigusr1-to-old-agentapi',
    description: 'sends SIGUSR1 to an AgentAPI too old to save state (it would die of it)',
    breaks: 'no-sigusr1',
    edits: [['if ! version_at_least "$_running_version" "$STATE_PERSISTENCE_MIN_VERSION"; then', 'if false; then']],
    scenarios: ['state-persistence-old-agentapi'],
    ...DASH_FULL,
  },
  {
    name: 'sigterm-before-snapshot',
    description: 'stops AgentAPI before reading its conversation',
    breaks: 'sigterm-after-snapshot',
    edits: [['  save_agentapi_state\n', '  save_agentapi_state\n  stop_agentapi\n']],
    scenarios: ['happy-path'],
    ...DASH_FULL,
  },
  {
    name: 'no-skip-outside-tasks',
    description: 'does not skip a workspace without a task: an Error line and a failed capture instead',
    breaks: 'log-line',
    mentions: 'No task ID',
    edits: [['if [ -z "${ARG_TASK_ID:-}" ]; then', 'if false; then']],
    scenarios: ['not-a-task'],
    ...DASH_FULL,
  },
  {
    name: 'retries-404',
    description: 'treats 404 (an old coderd) as retryable instead of "not supported"',
    breaks: 'no-needless-retry',
    edits: [
      ['      404)\n', '      4040)\n'],
      ['408 | 429 | 5?? | 000) ;;', '404 | 408 | 429 | 5?? | 000) ;;'],
    ],
    scenarios: ['coderd-route-missing'],
    ...DASH_FULL,
  },
  {
    name: 'conflates-404s',
    description: 'logs a 404 for a task coderd does not know as an old Coder ("not supported"), hiding a wrong task_id',
    breaks: 'log-line',
    edits: [["    'Resource not found'*)\n", "    'Resource not found, never'*)\n"]],
    scenarios: ['coderd-unknown-task'],
    ...DASH_FULL,
  },
  {
    name: 'ignores-retry-after',
    description: "retries a 429 on its own backoff although coderd's Retry-After is past the deadline",
    breaks: 'no-needless-retry',
    edits: [['if [ "$_http_status" = 429 ] && retry_after "$_headers_file"; then', 'if false; then']],
    scenarios: ['coderd-rate-limited'],
    ...DASH_FULL,
  },
  {
    name: 'no-retry-on-429',
    description: 'gives up on 429 and 5xx instead of retrying within the deadline',
    breaks: 'retries',
    edits: [['408 | 429 | 5?? | 000) ;;', '408 | 000) ;;']],
    scenarios: ['coderd-429-then-ok'],
    ...DASH_FULL,
  },
  {
    name: 'wrong-format-query',
    description: 'posts with ?format=json',
    breaks: 'snapshot-route',
    edits: [['log-snapshot?format=agentapi"', 'log-snapshot?format=json"']],
    scenarios: ['happy-path'],
    ...DASH_FULL,
  },
  {
    name: 'no-token-header',
    description: 'curl reads its extra header from /dev/null, so the upload carries no token',
    breaks: 'token-header',
    edits: [['-H @-', '-H @/dev/null']],
    scenarios: ['happy-path'],
    ...DASH_FULL,
  },
];

/** The script with the mutant's edits applied; throws when an edit's text is not there exactly once. */
export function applyMutant(script: string, mutant: Mutant): string {
  let text = script;
  for (const [from, to] of mutant.edits) {
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`mutant ${mutant.name}: ${JSON.stringify(from)} occurs ${count} times in the rendered script (expected once); update the mutant`);
    text = text.replace(from, () => to);
  }
  return text;
}
