import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * The archive on disk: `DIR/index.html`, and per task `DIR/tasks/<id>.json` (what coderd said) and
 * `DIR/tasks/<id>.html` (the transcript). Conversations hold whatever agents and users typed, so
 * every directory export creates is 0700 and every file 0600, written through a temporary file
 * and a rename so a crash never leaves half a file.
 */
export const TASKS_DIR = 'tasks';

export interface ArchivedTask {
  format: typeof ARCHIVE_FORMAT;
  source: string;
  /** codersdk.Task, as the list route returned it. */
  task: Record<string, unknown>;
  /** The logs route's answer: its status and its body (JSON as returned, or the text when not JSON). */
  logs: { status: number; body: unknown };
  exported_at: string;
}

export const ARCHIVE_FORMAT = 'agentapi-kit.export/v1';

export async function prepareArchive(dir: string): Promise<{ widerThanOwner: number | null }> {
  const existed = await isDirectory(dir);
  await mkdir(join(dir, TASKS_DIR), { recursive: true, mode: 0o700 });
  if (!existed) await chmod(dir, 0o700);
  const mode = (await stat(dir)).mode & 0o777;
  return { widerThanOwner: (mode & 0o077) === 0 ? null : mode };
}

export function taskJsonPath(dir: string, taskId: string): string {
  return join(dir, TASKS_DIR, `${taskId}.json`);
}

export function taskHtmlPath(dir: string, taskId: string): string {
  return join(dir, TASKS_DIR, `${taskId}.html`);
}

export async function readArchived(path: string): Promise<ArchivedTask | undefined> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as ArchivedTask;
    return parsed.format === ARCHIVE_FORMAT ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Every task the archive holds, from earlier runs too (a task deleted in coderd stays archived). */
export async function archivedTasks(dir: string): Promise<ArchivedTask[]> {
  const names = (await readdir(join(dir, TASKS_DIR))).filter((name) => name.endsWith('.json')).sort();
  const tasks = await Promise.all(names.map((name) => readArchived(join(dir, TASKS_DIR, name))));
  return tasks.filter((task): task is ArchivedTask => task !== undefined);
}

export async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/** Owner-only, atomic: a temporary sibling (0600 from its creation), then a rename over the target. */
export async function writePrivate(path: string, text: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temporary, text, { mode: 0o600, flag: 'wx' });
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw error;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
