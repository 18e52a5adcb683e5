/**
 * Facts of the log-snapshot contract (coderd's upload route and the snapshot the module posts)
 * that the templates, the snapshot policy, the mocks and the harness all need. Written once here;
 * templates get them through the Handlebars context (`contract.*`), written into each script's
 * languages by the `shDouble`, `jqText`, `awkString` and `jsonText` helpers
 * (test/contract/contract-facts.test.ts renders them changed and runs the result).
 */

/** coderd's upload route; `{task}` is the task's UUID. */
export const SNAPSHOT_ROUTE = '/api/v2/workspaceagents/me/tasks/{task}/log-snapshot';

/** The route's parts before and after `{task}`, for templates that splice the ID in between. */
export const [SNAPSHOT_ROUTE_BEFORE_TASK, SNAPSHOT_ROUTE_AFTER_TASK] = SNAPSHOT_ROUTE.split('{task}') as [string, string];

/** How many of the newest messages the module keeps by default (the registry module's "last 10"). */
export const DEFAULT_SNAPSHOT_MESSAGE_COUNT = 10;

/** The only `format` query value coderd accepts. */
export const SNAPSHOT_FORMAT = 'agentapi';

/** coderd reads the upload through this limit; a larger body is a 400, not a 413. */
export const CODERD_BODY_LIMIT_BYTES = 65_536;

/** Truncated content starts with `[...content truncated, showing last N bytes]\n`, then the tail. */
export const TRUNCATION_MARKER_PREFIX = '[...content truncated, showing last ';
export const TRUNCATION_MARKER_SUFFIX = ' bytes]\n';

/** What tooling looks for: the start of the marker (the registry module's log lines and tests match on it). */
export const TRUNCATION_MARKER_START = '[...content truncated';

/** The marker put in front of a truncated content's tail of `tailBytes` bytes. */
export function truncationMarker(tailBytes: number): string {
  return `${TRUNCATION_MARKER_PREFIX}${tailBytes}${TRUNCATION_MARKER_SUFFIX}`;
}

/** The snapshot statuses the script's JSON engines report, and the number each one prints. */
export const ENGINE_STATUS_CODES = Object.freeze({
  ok: 0,
  empty: 1,
  'no-messages': 2,
  'not-array': 3,
  'too-large': 4,
  'not-json': 5,
} as const);

export type SnapshotStatus = keyof typeof ENGINE_STATUS_CODES;

/**
 * Printed only by the engines' window programs, never a snapshot result: the body's start and
 * last bytes cannot stand for the whole body (the last messages alone are larger than the
 * window, ids that do not count the messages, a member after messages), so the script runs the
 * whole-body program instead.
 */
export const ENGINE_WINDOW_FALLBACK_STATUS = 6;
