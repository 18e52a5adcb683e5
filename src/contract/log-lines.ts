/**
 * The lines the rendered scripts print that people and tooling look for. The registry module's tests and Coder's tooling fix some of
 * them verbatim (existing tooling greps for them); the rest are ours. Lines go inside a
 * double-quoted shell word: no double quotes, backslashes, backticks or dollar signs of their own.
 * A line is written once here: templates render it with the `logLine` Handlebars helper (placeholders become shell expressions),
 * the harness matches it with `logLinePattern` (placeholders become wildcards). Rewording a line is
 * one change.
 */

/** `{name}` marks a value the script fills in at run time. */
export const LOG_LINES = {
  shuttingDown: 'Shutting down AgentAPI',
  snapshotDisabled: 'Log snapshot disabled, skipping',
  noTaskId: 'No task ID, skipping log snapshot',
  retrieved: 'Retrieved {count} messages for log snapshot',
  truncating: 'Payload over {limit} bytes with one message left, truncating final message content',
  posted: 'Log snapshot posted successfully',
  notSupported: 'Log snapshot endpoint not supported by this Coder version, skipping',
  routeMissing:
    "coderd answered 404 'Route not found.': this Coder has no log-snapshot route (it predates v2.30.0, or Coder Tasks are off, as by default in v2.37, or removed, from v2.38)",
  taskNotFound:
    "coderd has no task {taskId} for this workspace (HTTP 404 'Resource not found or you do not have access to this resource'): check the module's task_id, or the task was deleted; no log snapshot stored",
  retryAfterPastDeadline: 'coderd asked to retry after {seconds}s (HTTP 429), past the log snapshot deadline ({left}s left): giving up on the upload',
  captureFailed: 'Log snapshot capture failed, continuing shutdown',
  sigusr1: 'Sending SIGUSR1 to AgentAPI (pid {pid}) to save its state',
  sigterm: 'Sending SIGTERM to AgentAPI (pid {pid})',
  complete: 'Shutdown complete',
} as const satisfies Record<string, string>;

export type LogLineName = keyof typeof LOG_LINES;

const PLACEHOLDER = /\{([a-zA-Z]+)\}/g;

/** The names of a line's placeholders, in order. */
export function logLinePlaceholders(name: LogLineName): string[] {
  return [...LOG_LINES[name].matchAll(PLACEHOLDER)].map((match) => match[1]!);
}

/**
 * The line as text for a double-quoted shell word: each placeholder is replaced by the shell
 * expression given for it (e.g. `$_pid`). Throws when a placeholder has no value, so a template
 * cannot print a line with a hole in it.
 */
export function renderLogLine(name: LogLineName, values: Readonly<Record<string, string>>): string {
  return LOG_LINES[name].replace(PLACEHOLDER, (_match, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`log line ${name} needs a value for {${key}}`);
    return value;
  });
}

/** A pattern matching the line as the script prints it, any value standing in for a placeholder. */
export function logLinePattern(name: LogLineName): RegExp {
  const parts = LOG_LINES[name].split(PLACEHOLDER);
  // split() with a capture group alternates literal text and placeholder names.
  const source = parts.map((part, index) => (index % 2 === 0 ? escapeRegExp(part) : '\\S+')).join('');
  return new RegExp(source);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
