import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import { conditionForStatus } from './task-status.ts';
import { AGENT_STATES, APP_HEALTHS, BUILD_TRANSITIONS, JOB_STATUSES, TASK_STATUSES, WORKSPACE_STATES } from './types.ts';
import type { StoreData } from './store.ts';

/** A state file that exists but cannot be used; the CLI reports it as `Error: ...` (exit 2). */
export class StateFileError extends Error {
  override name = 'StateFileError';
}

const storedMessage = z.object({ content: z.string(), id: z.number(), role: z.string(), time: z.string() });
const snapshotsSchema = z.array(
  z.object({
    taskId: z.string(),
    format: z.string(),
    data: z.object({ $schema: z.string().optional(), messages: z.array(storedMessage) }),
    created_at: z.string(),
    rawBody: z.string(),
  }),
);
const usersSchema = z.array(z.object({ id: z.string(), username: z.string(), token: z.string() }));
const workspaceIds = { id: z.string(), owner: z.string(), agentId: z.string(), agentToken: z.string(), deleted: z.boolean() };
const taskFields = { id: z.string(), workspaceId: z.string(), owner: z.string(), createdAt: z.string(), deletedAt: z.string().nullable() };

const stateSchemaV2 = z.object({
  version: z.literal(2),
  users: usersSchema,
  workspaces: z.array(
    z.object({
      ...workspaceIds,
      build: z.object({ transition: z.enum(BUILD_TRANSITIONS), jobStatus: z.enum(JOB_STATUSES) }).nullable(),
      agent: z.enum(AGENT_STATES),
      app: z.enum(APP_HEALTHS),
    }),
  ),
  tasks: z.array(z.object(taskFields)),
  snapshots: snapshotsSchema,
});

/** Version 1 kept a status per task (and a state per workspace); its status becomes the workspace's condition. */
const stateSchemaV1 = z.object({
  version: z.literal(1),
  users: usersSchema,
  workspaces: z.array(z.object({ ...workspaceIds, state: z.enum(WORKSPACE_STATES) })),
  tasks: z.array(z.object({ ...taskFields, status: z.enum(TASK_STATUSES) })),
  snapshots: snapshotsSchema,
});

const stateSchema = z.union([stateSchemaV2, stateSchemaV1]);

function upgradeV1(data: z.infer<typeof stateSchemaV1>): StoreData {
  const statusOf = new Map(data.tasks.map((task) => [task.workspaceId, task.status]));
  return {
    version: 2,
    users: data.users,
    workspaces: data.workspaces.map(({ state: _state, ...workspace }) => ({ ...workspace, ...conditionForStatus(statusOf.get(workspace.id) ?? 'active') })),
    tasks: data.tasks.map(({ status: _status, ...task }) => task),
    snapshots: data.snapshots,
  };
}

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
  return parsed.data.version === 1 ? upgradeV1(parsed.data) : (parsed.data as StoreData);
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
