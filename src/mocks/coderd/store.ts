import { randomBytes, randomUUID } from 'node:crypto';
import { nowRfc3339 } from '../shared/rfc3339.ts';
import type { StoredPayload } from './decode-snapshot.ts';
import { conditionForStatus, deriveTaskStatus, workspaceStateCondition } from './task-status.ts';
import { nowMicroseconds } from './timestamps.ts';
import type {
  CreatedTask,
  CreateTaskOptions,
  MockTask,
  MockTaskWithStatus,
  MockUser,
  MockWorkspace,
  SnapshotRecord,
  TaskStatus,
  WorkspaceCondition,
  WorkspaceState,
} from './types.ts';

export const DEFAULT_USER = 'mock-user';
const USERNAME = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,31})$/;

/** The JSON shape of the whole store, as the `--state` file holds it. */
export interface StoreData {
  version: 2;
  users: MockUser[];
  workspaces: MockWorkspace[];
  tasks: MockTask[];
  snapshots: SnapshotRecord[];
}

/**
 * coderd's data, reduced to what the snapshot and logs routes touch. Every mutation calls
 * `onChange`, which the server uses to persist the state file.
 */
export class CoderdStore {
  readonly users = new Map<string, MockUser>();
  readonly workspaces = new Map<string, MockWorkspace>();
  readonly tasks = new Map<string, MockTask>();
  readonly snapshots = new Map<string, SnapshotRecord>();
  onChange: () => void = () => {};

  static fromData(data: StoreData): CoderdStore {
    const store = new CoderdStore();
    for (const user of data.users) store.users.set(user.username, user);
    for (const workspace of data.workspaces) store.workspaces.set(workspace.id, workspace);
    for (const task of data.tasks) store.tasks.set(task.id, task);
    for (const snapshot of data.snapshots) store.snapshots.set(snapshot.taskId, snapshot);
    return store;
  }

  toData(): StoreData {
    return {
      version: 2,
      users: [...this.users.values()],
      workspaces: [...this.workspaces.values()],
      tasks: [...this.tasks.values()],
      snapshots: [...this.snapshots.values()],
    };
  }

  /** A new task in a new workspace (with its own agent and token), owned by `user`. */
  createTask(options: CreateTaskOptions = {}): CreatedTask {
    const user = this.#userNamed(options.user ?? DEFAULT_USER);
    const workspace: MockWorkspace = {
      id: randomUUID(),
      owner: user.username,
      agentId: randomUUID(),
      agentToken: randomUUID(),
      ...conditionForStatus(options.status ?? 'active'),
      deleted: false,
    };
    const id = randomUUID();
    const task: MockTask = {
      id,
      workspaceId: workspace.id,
      owner: user.username,
      createdAt: nowRfc3339(),
      deletedAt: null,
      name: options.name ?? `task-${id.slice(0, 8)}`,
      prompt: options.prompt ?? '',
    };
    this.workspaces.set(workspace.id, workspace);
    this.tasks.set(task.id, task);
    this.onChange();
    return describeTask(task, workspace, user);
  }

  /** The credentials of an existing task, for printing the default task after a restart. */
  describe(taskId: string): CreatedTask | undefined {
    const task = this.tasks.get(taskId);
    const workspace = task && this.workspaces.get(task.workspaceId);
    const user = task && this.users.get(task.owner);
    return task && workspace && user ? describeTask(task, workspace, user) : undefined;
  }

  /** First task not deleted, oldest first (Map keeps insertion order). */
  firstLiveTask(): MockTask | undefined {
    return [...this.tasks.values()].find((task) => task.deletedAt === null);
  }

  /**
   * Soft delete: the task stays (so it 404s), its snapshot goes, its workspace's agent token stops
   * working (401): coderd deletes the workspace with the task.
   */
  deleteTask(taskId: string): boolean {
    const task = this.tasks.get(taskId);
    if (task === undefined || task.deletedAt !== null) return false;
    task.deletedAt = nowRfc3339();
    this.snapshots.delete(taskId);
    const workspace = this.workspaces.get(task.workspaceId);
    if (workspace !== undefined) {
      workspace.deleted = true;
      workspace.build = { transition: 'delete', jobStatus: 'succeeded' };
    }
    this.onChange();
    return true;
  }

  /** The task's status, derived from its workspace as coderd does (undefined for an unknown task). */
  taskStatus(taskId: string): TaskStatus | undefined {
    const task = this.tasks.get(taskId);
    const workspace = task && this.workspaces.get(task.workspaceId);
    return workspace === undefined ? undefined : deriveTaskStatus(workspace);
  }

  /** Every task with its derived status. */
  tasksWithStatus(): MockTaskWithStatus[] {
    return [...this.tasks.values()].map((task) => ({ ...task, status: this.taskStatus(task.id) ?? 'pending' }));
  }

  /** A shortcut: puts the task's workspace in the condition that derives `status` (`conditionForStatus`). */
  setTaskStatus(taskId: string, status: TaskStatus): boolean {
    const task = this.tasks.get(taskId);
    if (task === undefined) return false;
    return this.setWorkspaceCondition(task.workspaceId, conditionForStatus(status));
  }

  /** A shortcut: `running`, `stopping` or `stopped` (`workspaceStateCondition`). */
  setWorkspaceState(workspaceId: string, state: WorkspaceState): boolean {
    return this.setWorkspaceCondition(workspaceId, workspaceStateCondition(state));
  }

  /** Sets any of the latest build, agent state and app health; the task's status follows. */
  setWorkspaceCondition(workspaceId: string, condition: Partial<WorkspaceCondition>): boolean {
    const workspace = this.workspaces.get(workspaceId);
    if (workspace === undefined) return false;
    if (condition.build !== undefined) workspace.build = condition.build === null ? null : { ...condition.build };
    if (condition.agent !== undefined) workspace.agent = condition.agent;
    if (condition.app !== undefined) workspace.app = condition.app;
    this.onChange();
    return true;
  }

  /** The workspace whose agent holds this token, whatever its state (the auth check decides). */
  workspaceByAgentToken(token: string): MockWorkspace | undefined {
    for (const workspace of this.workspaces.values()) if (workspace.agentToken === token) return workspace;
    return undefined;
  }

  /** The user whose API key has this ID (the part before the dash), as coderd looks keys up. */
  userByKeyId(keyId: string): MockUser | undefined {
    for (const user of this.users.values()) if (user.token.split('-')[0] === keyId) return user;
    return undefined;
  }

  upsertSnapshot(taskId: string, data: StoredPayload, rawBody: string, format = 'agentapi'): SnapshotRecord {
    const record: SnapshotRecord = { taskId, format, data, created_at: nowMicroseconds(), rawBody };
    this.snapshots.set(taskId, record);
    this.onChange();
    return record;
  }

  #userNamed(username: string): MockUser {
    if (!USERNAME.test(username)) throw new RangeError(`invalid username ${JSON.stringify(username)}: use 1-32 letters, digits, _ or -`);
    const existing = this.users.get(username);
    if (existing !== undefined) return existing;
    const user: MockUser = { id: randomUUID(), username, token: newApiKey() };
    this.users.set(username, user);
    return user;
  }
}

function describeTask(task: MockTask, workspace: MockWorkspace, user: MockUser): CreatedTask {
  return { taskId: task.id, agentToken: workspace.agentToken, workspaceId: workspace.id, user: user.username, userToken: user.token };
}

/** Coder API keys look like `<10 chars>-<22 chars>`; the mock mints the same shape. */
function newApiKey(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const pick = (length: number) => Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
  return `${pick(10)}-${pick(22)}`;
}
