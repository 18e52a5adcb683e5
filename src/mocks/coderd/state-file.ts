import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { TASK_STATUSES, WORKSPACE_STATES } from './types.ts';
import type { StoreData } from './store.ts';

/** A state file that exists but cannot be used; the CLI reports it as `Error: ...` (exit 2). */
export class StateFileError extends Error {
  override name = 'StateFileError';
}

const storedMessage = z.object({ content: z.string(), id: z.number(), role: z.string(), time: z.string() });
const stateSchema = z.object({
  version: z.literal(1),
  users: z.array(z.object({ id: z.string(), username: z.string(), token: z.string() })),
  workspaces: z.array(
    z.object({ id: z.string(), owner: z.string(), agentId: z.string(), agentToken: z.string(), state: z.enum(WORKSPACE_STATES), deleted: z.boolean() }),
  ),
  tasks: z.array(
    z.object({ id: z.string(), workspaceId: z.string(), owner: z.string(), status: z.enum(TASK_STATUSES), createdAt: z.string(), deletedAt: z.string().nullable() }),
  ),
  snapshots: z.array(
    z.object({
      taskId: z.string(),
      format: z.string(),
      data: z.object({ $schema: z.string().optional(), messages: z.array(storedMessage) }),
      created_at: z.string(),
      rawBody: z.string(),
    }),
  ),
});

/** Reads the state file; a missing file means a fresh start (undefined), anything unreadable is an error. */
export async function loadStateFile(path: string): Promise<StoreData | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new StateFileError(`cannot read state file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new StateFileError(`state file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = stateSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new StateFileError(`state file ${path} is not a mock coderd state: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data as StoreData;
}

/**
 * Saves snapshots of the store one after another (never two renames racing), each written to a
 * temporary file in the same directory and renamed over the target, so a crash or a reader never
 * sees a half-written file.
 */
export class StateFileWriter {
  #path: string;
  #queue: Promise<void> = Promise.resolve();
  #lastError: unknown;

  constructor(path: string) {
    this.#path = path;
  }

  save(data: StoreData): void {
    const text = `${JSON.stringify(data, null, 2)}\n`;
    this.#queue = this.#queue.then(() => this.#write(text)).catch((error: unknown) => {
      this.#lastError = error;
    });
  }

  /**
   * Writes `data` and waits for it, before the server listens: an unwritable path (missing or
   * read-only directory, a directory in the way) fails at start instead of after the ready line.
   */
  async writeNow(data: StoreData): Promise<void> {
    this.save(data);
    try {
      await this.flush();
    } catch (error) {
      throw new StateFileError(`cannot write state file ${this.#path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }

  /** Waits for pending writes; rethrows the last write error so tests and close() notice it. */
  async flush(): Promise<void> {
    await this.#queue;
    if (this.#lastError !== undefined) {
      const error = this.#lastError;
      this.#lastError = undefined;
      throw error;
    }
  }

  async #write(text: string): Promise<void> {
    const temp = join(dirname(this.#path), `.${basename(this.#path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await writeFile(temp, text, { mode: 0o600 });
      await rename(temp, this.#path);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
