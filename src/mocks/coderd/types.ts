import type { StoredPayload } from './decode-snapshot.ts';

/** coderd's task statuses (codersdk.TaskStatus). */
export const TASK_STATUSES = ['pending', 'initializing', 'active', 'paused', 'unknown', 'error'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * Where the workspace's latest build stands, as far as agent auth cares: an agent token works
 * while the workspace is running or stopping (stop scripts run then), not once it is stopped.
 */
export const WORKSPACE_STATES = ['running', 'stopping', 'stopped'] as const;
export type WorkspaceState = (typeof WORKSPACE_STATES)[number];

export interface MockUser {
  id: string;
  username: string;
  /** Session token for the user-facing API (`GET /api/v2/tasks/...`). */
  token: string;
}

/** One workspace with exactly one agent, as a task workspace has. */
export interface MockWorkspace {
  id: string;
  owner: string;
  agentId: string;
  agentToken: string;
  state: WorkspaceState;
  /** Set when its task is deleted: the agent token is then void (401, not 404). */
  deleted: boolean;
}

export interface MockTask {
  id: string;
  workspaceId: string;
  owner: string;
  status: TaskStatus;
  createdAt: string;
  deletedAt: string | null;
  /** coderd's task name (the workspace is named after it); older state files have none. */
  name?: string;
  /** The task's initial prompt (`initial_prompt` in the Tasks API). */
  prompt?: string;
}

/** What coderd keeps per task (upsert, last write wins). */
export interface SnapshotRecord {
  taskId: string;
  /**
   * Always `agentapi` for an upload (the only format the route accepts); a state file or the
   * admin route can store another, to show what a reader does with a format it does not know.
   */
  format: string;
  /** The body as coderd re-marshals it: unknown fields dropped, `$schema` kept, times normalised. */
  data: StoredPayload;
  /** Server time of the upload (coderd's `log_snapshot_created_at`, served as `snapshot_at`). */
  created_at: string;
  /** The request body exactly as received (UTF-8), for assertions on what the client sent. */
  rawBody: string;
}

/** What a test needs to act as a task's agent and as its owner. */
export interface CreatedTask {
  taskId: string;
  agentToken: string;
  workspaceId: string;
  user: string;
  userToken: string;
}

export interface CreateTaskOptions {
  status?: TaskStatus;
  /** Owner's username; created on first use. Default `mock-user`. */
  user?: string;
  /** Task name; default `task-` and the first 8 characters of its ID. */
  name?: string;
  /** Initial prompt; default empty. */
  prompt?: string;
}

/** An injected failure for the log-snapshot route, applied before any check. */
export interface CoderdFault {
  /** Answer this status with `{"message": message}`. */
  status?: number;
  message?: string;
  /** Wait before answering (then apply the other fields, or handle the request normally). */
  delayMs?: number;
  /** Never answer (close() still ends it). */
  hang?: boolean;
  /** Destroy the connection without an answer. */
  reset?: boolean;
  /** Fail only the next N requests, then recover. Default: until cleared. */
  times?: number;
}

/** `limit` requests per `windowMs` (default 60 s) on /api/v2; `limit: 0` answers 429 always. */
export interface RateLimitRule {
  limit: number;
  windowMs?: number;
}
