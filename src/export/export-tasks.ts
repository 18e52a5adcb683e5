import { isDeepStrictEqual } from 'node:util';
import pLimit from 'p-limit';
import { archivedTasks, ARCHIVE_FORMAT, exists, prepareArchive, readArchived, taskHtmlPath, taskJsonPath, TASKS_DIR, writePrivate, type ArchivedTask } from './archive.ts';
import { CoderdClient, coderdSaid, CoderdUnreachableError, type CoderdAnswer, type ListedTask } from './coderd-client.ts';
import type { CoderCredentials } from './credentials.ts';
import { indexPage, type IndexRow } from './index-page.ts';
import { transcriptPage } from './transcript-page.ts';

export interface ExportOptions {
  credentials: CoderCredentials;
  out: string;
  /** coderd's task search query (`q`), e.g. `owner:alice`; empty: every task the token can see. */
  query: string;
  /** Tasks fetched at once. */
  concurrency: number;
  /** Called once the list is in (with its length) and once per finished task. */
  onListed?: (count: number) => void;
  onTask?: (outcome: TaskOutcome, done: number, total: number) => void;
  /** The archive directory could be read by others (its mode), when it already existed so. */
  onWideDirectory?: (mode: number) => void;
  now?: () => string;
}

export type TaskResult = 'new' | 'updated' | 'unchanged' | 'failed';

export interface TaskOutcome {
  task: ListedTask;
  result: TaskResult;
  /** For a failure, why, in words; otherwise what was archived (`12 messages, snapshot of ...`). */
  detail: string;
}

export interface ExportSummary {
  total: number;
  counts: Record<TaskResult, number>;
  outcomes: TaskOutcome[];
  indexPath: string;
}

/** A failure of the whole export (the list could not be read): one sentence for the user. */
export class ExportError extends Error {
  override name = 'ExportError';
}

/**
 * Lists the tasks the token can see, fetches each one's logs (live or from the snapshot) a few at
 * a time, and archives coderd's answer with a static transcript; then rewrites the index. A task
 * that fails (a 409 while its workspace stops, say) is reported and keeps any earlier copy.
 */
export async function exportTasks(options: ExportOptions): Promise<ExportSummary> {
  const now = options.now ?? (() => new Date().toISOString());
  const client = new CoderdClient(options.credentials);
  const tasks = await listTasks(client, options.query);
  options.onListed?.(tasks.length);
  const prepared = await prepareArchive(options.out);
  if (prepared.widerThanOwner !== null) options.onWideDirectory?.(prepared.widerThanOwner);
  const limit = pLimit(options.concurrency);
  let done = 0;
  const outcomes = await Promise.all(
    tasks.map((task) =>
      limit(async () => {
        const outcome = await exportTask(client, options.credentials.url, options.out, task, now());
        done += 1;
        options.onTask?.(outcome, done, tasks.length);
        return outcome;
      }),
    ),
  );
  const indexPath = `${options.out}/index.html`;
  await writePrivate(indexPath, indexPage(await indexRows(options.out, outcomes), options.credentials.url, now()));
  const counts: Record<TaskResult, number> = { new: 0, updated: 0, unchanged: 0, failed: 0 };
  for (const outcome of outcomes) counts[outcome.result] += 1;
  return { total: tasks.length, counts, outcomes, indexPath };
}

async function listTasks(client: CoderdClient, query: string): Promise<ListedTask[]> {
  const answer = await askCoderd(() => client.listTasks(query));
  const where = client.urlOf('/api/v2/tasks');
  if (answer.status === 401 || answer.status === 403) {
    throw new ExportError(`coderd rejected CODER_SESSION_TOKEN (${answer.status}: ${coderdSaid(answer)}): the token is wrong, expired or not allowed to read tasks; make a new one with \`coder tokens create\``);
  }
  if (answer.status === 404) {
    throw new ExportError(
      `this Coder has no Tasks API: GET ${where} answered 404 (${coderdSaid(answer)}). Coder removed Tasks in v2.38 (off by default from v2.37): export from a deployment on v2.36 or earlier, or on the Tasks extended support release, before it is upgraded`,
    );
  }
  if (answer.status === 400) throw new ExportError(`coderd rejected the task query ${JSON.stringify(query)} (${coderdSaid(answer)}); see --help for --query`);
  if (answer.status !== 200) throw new ExportError(`listing tasks failed: GET ${where} answered ${answer.status} (${coderdSaid(answer)})`);
  return parseTaskList(answer.text, where);
}

function parseTaskList(text: string, where: string): ListedTask[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ExportError(`GET ${where} answered 200 with a body that is not JSON: is CODER_URL a Coder deployment?`);
  }
  const tasks = (body as { tasks?: unknown } | null)?.tasks;
  if (!Array.isArray(tasks) || !tasks.every(isListedTask)) throw new ExportError(`GET ${where} answered 200, but not with a list of tasks ({"tasks": [{"id", "owner_name", ...}]})`);
  return tasks;
}

function isListedTask(value: unknown): value is ListedTask {
  if (typeof value !== 'object' || value === null) return false;
  const task = value as Record<string, unknown>;
  return typeof task.id === 'string' && /^[0-9a-f-]{36}$/i.test(task.id) && typeof task.owner_name === 'string' && typeof task.name === 'string';
}

async function askCoderd(request: () => Promise<CoderdAnswer>): Promise<CoderdAnswer> {
  try {
    return await request();
  } catch (error) {
    if (error instanceof CoderdUnreachableError) throw new ExportError(error.message);
    throw error;
  }
}

async function exportTask(client: CoderdClient, source: string, out: string, task: ListedTask, exportedAt: string): Promise<TaskOutcome> {
  let answer: CoderdAnswer;
  try {
    answer = await client.taskLogs(task);
  } catch (error) {
    return { task, result: 'failed', detail: error instanceof Error ? error.message : String(error) };
  }
  if (answer.status !== 200) return { task, result: 'failed', detail: failureDetail(answer) };
  const record: ArchivedTask = { format: ARCHIVE_FORMAT, source, task, logs: { status: answer.status, body: parseOrText(answer.text) }, exported_at: exportedAt };
  const jsonPath = taskJsonPath(out, task.id);
  const htmlPath = taskHtmlPath(out, task.id);
  const before = await readArchived(jsonPath);
  const same = before !== undefined && isDeepStrictEqual(before.task, record.task) && isDeepStrictEqual(before.logs, record.logs) && (await exists(htmlPath));
  const detail = describeLogs(record.logs.body);
  if (same) return { task, result: 'unchanged', detail };
  await writePrivate(htmlPath, transcriptPage({ user: task.owner_name, taskId: task.id, title: titleOf(task), status: answer.status, body: answer.text, source, exportedAt }));
  await writePrivate(jsonPath, `${JSON.stringify(record, null, 2)}\n`);
  return { task, result: before === undefined ? 'new' : 'updated', detail };
}

function failureDetail(answer: CoderdAnswer): string {
  const said = coderdSaid(answer);
  switch (answer.status) {
    case 401:
    case 403:
      return `coderd answered ${answer.status} (${said}): the token may have expired during the export`;
    case 404:
      return `coderd answered 404 (${said}): the task was deleted while exporting`;
    case 409:
      return `coderd answered 409 (${said}): its workspace is stopping or its last build failed; run export again later`;
    default:
      return `coderd answered ${answer.status} (${said})`;
  }
}

function parseOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function describeLogs(body: unknown): string {
  const answer = body as { logs?: unknown[]; snapshot?: boolean; snapshot_at?: string };
  const count = Array.isArray(answer?.logs) ? answer.logs.length : 0;
  const messages = `${count} ${count === 1 ? 'message' : 'messages'}`;
  if (answer?.snapshot !== true) return `${messages}, live`;
  return typeof answer.snapshot_at === 'string' ? `${messages}, snapshot of ${answer.snapshot_at}` : 'no snapshot';
}

function titleOf(task: ListedTask): string {
  const display = typeof task.display_name === 'string' && task.display_name !== '' ? task.display_name : task.name;
  return display;
}

/** Every archived task (earlier runs included), plus this run's failures that have no copy yet. */
async function indexRows(out: string, outcomes: readonly TaskOutcome[]): Promise<IndexRow[]> {
  const failures = new Map(outcomes.filter((outcome) => outcome.result === 'failed').map((outcome) => [outcome.task.id, outcome]));
  const rows: IndexRow[] = [];
  for (const archived of await archivedTasks(out)) {
    const task = archived.task as ListedTask;
    const failure = failures.get(task.id);
    failures.delete(task.id);
    const logs = archived.logs.body as { logs?: unknown[] };
    rows.push({
      taskId: task.id,
      owner: task.owner_name,
      name: titleOf(task),
      status: String(task.status),
      source: describeLogs(archived.logs.body).replace(/^\d+ messages?, /, ''),
      messages: Array.isArray(logs?.logs) ? logs.logs.length : null,
      exportedAt: archived.exported_at,
      href: `${TASKS_DIR}/${encodeURIComponent(task.id)}.html`,
      problem: failure === undefined ? null : `last run: ${failure.detail} (this copy is from an earlier run)`,
    });
  }
  for (const failure of failures.values()) {
    rows.push({ taskId: failure.task.id, owner: failure.task.owner_name, name: titleOf(failure.task), status: String(failure.task.status), source: 'not exported', messages: null, exportedAt: null, href: null, problem: failure.detail });
  }
  return rows.sort((a, b) => a.owner.localeCompare(b.owner) || a.name.localeCompare(b.name) || a.taskId.localeCompare(b.taskId));
}
