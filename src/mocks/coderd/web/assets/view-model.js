// @ts-check
/**
 * What the task page shows for one answer of `GET /api/v2/tasks/{user}/{task}/logs`: no DOM here,
 * so Node tests can import it too. Served to the browser as is (plain ES module, no build step).
 */

/**
 * @typedef {{ id: number, content: string, type: string, time: string }} LogEntry
 * @typedef {{ line: string, bytesKept: number | null }} Marker
 * @typedef {{ id: number, who: 'user' | 'agent' | 'other', label: string, type: string,
 *   time: string, timeLabel: string, marker: Marker | null, body: string }} MessageView
 * @typedef {{ kind: 'live', messages: MessageView[] }
 *   | { kind: 'snapshot', messages: MessageView[], snapshotAt: string, snapshotAtLabel: string }
 *   | { kind: 'no-snapshot' }
 *   | { kind: 'problem', title: string, explanation: string, status: number, said: string }} View
 * @typedef {{ user: string, task: string, markerPrefix: string }} Where
 */

/** Truncated content starts with this (the registry module's marker), whatever the producer writes after it. */
export const ANY_MARKER = '[...content truncated';

/**
 * @param {number} status HTTP status, 0 when the request itself failed
 * @param {string} bodyText the answer's body
 * @param {Where} where
 * @returns {View}
 */
export function viewFromAnswer(status, bodyText, where) {
  /** @type {unknown} */
  let body;
  try {
    body = JSON.parse(bodyText);
  } catch {
    return problem(status, 'Not a coderd answer', `coderd answered ${status} with a body that is not JSON.`, bodyText.slice(0, 200));
  }
  if (status !== 200) return problemFromError(status, /** @type {{message?: unknown, detail?: unknown}} */ (body ?? {}), where);
  const answer = /** @type {{ logs?: unknown, snapshot?: unknown, snapshot_at?: unknown }} */ (body ?? {});
  if (!Array.isArray(answer.logs) || !answer.logs.every(isLogEntry)) {
    return problem(status, 'Unexpected answer', 'coderd answered 200, but not with a list of log entries ({id, content, type, time}).', bodyText.slice(0, 200));
  }
  const messages = answer.logs.map((entry) => messageView(entry, where.markerPrefix));
  if (answer.snapshot !== true) return { kind: 'live', messages };
  if (typeof answer.snapshot_at !== 'string') return messages.length === 0 ? { kind: 'no-snapshot' } : { kind: 'snapshot', messages, snapshotAt: '', snapshotAtLabel: 'at an unknown time' };
  return { kind: 'snapshot', messages, snapshotAt: answer.snapshot_at, snapshotAtLabel: dateTimeLabel(answer.snapshot_at) };
}

/**
 * Explains a coderd error in the words of someone looking at a task, keeping what coderd said.
 * @param {number} status
 * @param {{ message?: unknown, detail?: unknown }} body
 * @param {Where} where
 * @returns {View}
 */
function problemFromError(status, body, where) {
  const message = typeof body.message === 'string' ? body.message : '';
  const detail = typeof body.detail === 'string' ? body.detail : '';
  const said = [message, detail].filter(Boolean).join(' ');
  switch (status) {
    case 401:
      return problem(status, 'Not signed in', `coderd did not accept this browser's session. The mock signs you in as the user named in the address, and it has no user called "${where.user}".`, said);
    case 404:
      if (message === 'Route not found.') {
        return problem(status, 'No Tasks API', 'This Coder has no Tasks API: Tasks are off (the default in v2.37) or removed (v2.38 and later), so no task can be read, live or from its snapshot.', said);
      }
      return problem(status, 'Unknown task', `coderd has no task "${where.task}" for user "${where.user}": the address is wrong, or the task was deleted.`, said);
    case 409:
      return problem(status, 'No logs in this state', 'coderd serves logs only for a task that is active (read live from AgentAPI) or paused, pending or initializing (read from its snapshot). A task is "unknown" while its workspace stops, and "error" after a failed build, even when a snapshot is stored; the page keeps asking.', said);
    case 429:
      return problem(status, 'Rate limited', 'coderd is turning requests away for now; the page keeps asking.', said);
    case 502:
      return problem(status, 'Live conversation unavailable', "The task is running, but coderd could not read its conversation from AgentAPI.", said);
    case 500:
      if (message === 'Unsupported task snapshot format.') {
        return problem(status, 'Snapshot in an unknown format', 'coderd holds a snapshot for this task in a format it cannot read, so there is nothing to show. Only "agentapi" snapshots can be read.', said);
      }
      if (message === 'Invalid snapshot data.') {
        return problem(status, 'Snapshot cannot be read', 'The stored snapshot has a message whose role is neither "user" nor "agent", so coderd refuses the whole snapshot.', said);
      }
      return problem(status, 'coderd failed', 'coderd had an internal error reading the task\'s logs.', said);
    default:
      return problem(status, `coderd answered ${status}`, 'The logs request failed.', said);
  }
}

/**
 * @param {number} status
 * @param {string} title
 * @param {string} explanation
 * @param {string} said
 * @returns {View}
 */
export function problem(status, title, explanation, said) {
  return { kind: 'problem', title, explanation, status, said };
}

/**
 * @param {LogEntry} entry
 * @param {string} markerPrefix
 * @returns {MessageView}
 */
function messageView(entry, markerPrefix) {
  const who = entry.type === 'input' ? 'user' : entry.type === 'output' ? 'agent' : 'other';
  const label = who === 'user' ? 'User' : who === 'agent' ? 'Agent' : entry.type;
  const { marker, body } = splitMarker(entry.content, markerPrefix);
  return { id: entry.id, who, label, type: entry.type, time: entry.time, timeLabel: timeLabel(entry.time), marker, body };
}

/**
 * Separates the truncation marker line from the tail it introduces.
 * @param {string} content
 * @param {string} markerPrefix the full prefix the module writes, e.g. "[...content truncated, showing last "
 * @returns {{ marker: Marker | null, body: string }}
 */
export function splitMarker(content, markerPrefix) {
  if (!content.startsWith(ANY_MARKER)) return { marker: null, body: content };
  const newline = content.indexOf('\n');
  const line = newline === -1 ? content : content.slice(0, newline);
  const count = line.startsWith(markerPrefix) ? /^(\d+) bytes\]$/.exec(line.slice(markerPrefix.length)) : null;
  return { marker: { line, bytesKept: count === null ? null : Number(count[1]) }, body: newline === -1 ? '' : content.slice(newline + 1) };
}

/**
 * "65,012 bytes (63.5 KiB)".
 * @param {number} bytes
 */
export function bytesLabel(bytes) {
  const exact = `${bytes.toLocaleString('en-US')} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return bytes < 1024 ? exact : `${exact} (${(bytes / 1024).toFixed(1)} KiB)`;
}

/** @param {string} time RFC 3339 */
export function timeLabel(time) {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : `${date.toISOString().slice(11, 19)} UTC`;
}

/** @param {string} time RFC 3339 */
export function dateTimeLabel(time) {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : `${date.toISOString().slice(0, 10)} ${date.toISOString().slice(11, 19)} UTC`;
}

/**
 * @param {unknown} value
 * @returns {value is LogEntry}
 */
function isLogEntry(value) {
  if (typeof value !== 'object' || value === null) return false;
  const entry = /** @type {Record<string, unknown>} */ (value);
  return typeof entry.id === 'number' && typeof entry.content === 'string' && typeof entry.type === 'string' && typeof entry.time === 'string';
}
