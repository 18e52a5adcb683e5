/**
 * The promises the shutdown script makes, by the names failures carry: every failure the harness
 * reports reads `<promise>: <what happened>`, so a report (and the mutation test) can say which
 * promise a script broke. The first group is checked on every run of every scenario.
 */
export const UNIVERSAL_PROMISES = {
  'exit-status': 'exits 0, whatever happened to the snapshot',
  'time-bound': 'finishes within state-save wait + snapshot deadline + terminate wait (the module inputs of the run) plus a stated margin',
  'token-in-argv': 'the agent token never appears in the argv of a command the script starts',
  'token-in-output': 'the agent token never appears in the output',
  'shell-error': 'the shell prints no error of its own, on stderr or stdout (not found, syntax error, bad substitution, ...)',
  'temp-leftover': 'nothing is left in TMPDIR',
  'errors-on-stderr': '`Error: ...` lines go to stderr',
  'sigusr1-only-with-persistence': 'SIGUSR1 is sent only with enable_state_persistence on',
} as const;

export const SCENARIO_PROMISES = {
  'log-line': 'prints the log lines the scenario calls for (src/contract/log-lines.ts), and not the ones it rules out',
  'error-line': 'says why on stderr (`Error: ...`) when the snapshot cannot be taken',
  'upload-count': 'posts the snapshot as often as the situation calls for',
  retries: 'retries 408, 429, 5xx and no answer within the snapshot deadline',
  'no-needless-retry': 'does not retry what retrying cannot fix (400, 401, 404)',
  'snapshot-stored': 'coderd stores the snapshot when one is due, and none otherwise',
  'last-n-messages': 'keeps the last snapshot.messageCount messages, unchanged',
  'payload-limit': 'never posts more than snapshot.payloadLimitBytes',
  'payload-policy': 'posts byte for byte what src/snapshot/policy.ts makes of the conversation',
  truncation: 'cuts an oversized final message to its tail behind the truncation marker',
  'nul-removed': 'removes NUL, keeps the rest of the text',
  'upload-status': 'ends on the status the scenario expects',
  'token-header': 'sends the agent token in a Coder-Session-Token header',
  'snapshot-route': 'posts to the log-snapshot route of its task with ?format=agentapi',
  'no-needless-fetch': 'asks AgentAPI for nothing when nothing could be posted',
  sigterm: 'sends AgentAPI SIGTERM and it is gone when the script ends',
  'sigkill-after-wait': 'kills AgentAPI that outlives the terminate wait',
  'sigusr1-order': 'with persistence on: SIGUSR1 first, then the snapshot, then SIGTERM',
  'no-sigusr1': 'no SIGUSR1 to an AgentAPI too old for state persistence',
  'sigterm-after-snapshot': 'SIGTERM only after the snapshot was read and posted',
  'no-injection': 'var.task_id stays data, never shell code',
  harness: 'the harness itself could not run the scenario',
} as const;

export type PromiseName = keyof typeof UNIVERSAL_PROMISES | keyof typeof SCENARIO_PROMISES;

/** A failure naming the promise it breaks. */
export function broke(promise: PromiseName, what: string): string {
  return `${promise}: ${what}`;
}

/** The promise a failure names (the text before its first `: `). */
export function promiseOf(failure: string): string {
  const at = failure.indexOf(': ');
  return at < 0 ? failure : failure.slice(0, at);
}
