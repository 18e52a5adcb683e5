import { TRUNCATION_MARKER_START } from '../contract/snapshot-api.ts';

/** One entry of coderd's `GET /api/v2/tasks/{user}/{task}/logs` answer. */
export interface TaskLogEntry {
  id: number;
  content: string;
  type: 'input' | 'output';
  time: string;
}

export interface TaskLogs {
  logs: TaskLogEntry[];
  snapshot?: boolean;
  snapshot_at?: string;
}

export interface TranscriptOptions {
  color: boolean;
  /** Lines of a message shown before it is elided; terminal readers do not need 1400 lines of test output. */
  maxLinesPerMessage: number;
}

const STYLES = { bold: [1, 22], dim: [2, 22], cyan: [36, 39], green: [32, 39], yellow: [33, 39] } as const;
type Style = keyof typeof STYLES;

/** What the transcript highlights: the start of the contract's marker. */
export const TRUNCATION_MARKER = TRUNCATION_MARKER_START;

/** Renders the task's logs the way the Coder UI presents a paused task: who said what, and when. */
export function renderTranscript(logs: TaskLogs, options: TranscriptOptions): string {
  const paint = painter(options.color);
  const header = logs.snapshot
    ? `Task is paused: showing the log snapshot taken at ${logs.snapshot_at ?? '(never)'}`
    : 'Task is live: showing AgentAPI\'s conversation';
  const out = [paint('bold', header), paint('dim', `${logs.logs.length} message(s)`), ''];
  if (logs.logs.length === 0) out.push(paint('dim', '(no messages)'));
  for (const entry of logs.logs) out.push(...renderEntry(entry, options, paint), '');
  return out.join('\n');
}

function renderEntry(entry: TaskLogEntry, options: TranscriptOptions, paint: Painter): string[] {
  const who = entry.type === 'input' ? paint('cyan', 'You') : paint('green', 'Agent');
  const shown = elide(entry.content.split('\n'), options.maxLinesPerMessage).map((line) =>
    line === undefined ? undefined : `  ${highlightMarker(line, paint)}`,
  );
  const hidden = Math.max(0, entry.content.split('\n').length - options.maxLinesPerMessage);
  const body = shown.map((line) => line ?? paint('dim', `  … ${hidden} line(s) not shown`));
  return [`${paint('bold', who)} ${paint('dim', `· ${entry.time} · #${entry.id}`)}`, ...body];
}

/** Keeps the first line (the truncation marker, if any) and the end: a snapshot keeps tails. */
function elide(lines: string[], max: number): Array<string | undefined> {
  if (lines.length <= max) return lines;
  const tail = Math.max(1, max - 1);
  return [lines[0] ?? '', undefined, ...lines.slice(lines.length - tail)];
}

function highlightMarker(line: string, paint: Painter): string {
  return line.startsWith(TRUNCATION_MARKER) ? paint('yellow', line) : line;
}

type Painter = (style: Style, text: string) => string;

function painter(color: boolean): Painter {
  if (!color) return (_style, text) => text;
  return (style, text) => `\u001b[${STYLES[style][0]}m${text}\u001b[${STYLES[style][1]}m`;
}

/** NO_COLOR (any non-empty value) wins; otherwise colour only on a terminal. */
export function shouldUseColor(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTTY;
}
