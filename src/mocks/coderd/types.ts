import type { StoredPayload } from './decode-snapshot.ts';

/** coderd's task statuses (codersdk.TaskStatus). */
export const TASK_STATUSES = ['pending', 'initializing', 'active', 'paused', 'unknown', 'error'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/**
 * The workspace's state in three words, as the CLI and admin routes set it: `running` (start build
 * succeeded, agent connected, app healthy), `stopping` (a stop build running), `stopped` (stop build
 * succeeded). Each stands for a build and agent state (`workspaceStateBuild`), from which the
 * task's status and agent auth are derived.
 */
export const WORKSPACE_STATES = ['running', 'stopping', 'stopped'] as const;
export type WorkspaceState = (typeof WORKSPACE_STATES)[number];

export const BUILD_TRANSITIONS = ['start', 'stop', 'delete'] as const;
export type BuildTransition = (typeof BUILD_TRANSITIONS)[number];
/** provisioner_jobs.job_status. */
export const JOB_STATUSES = ['pending', 'running', 'succeeded', 'canceling', 'canceled', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const AGENT_STATES = ['none', 'connecting', 'connected', 'disconnected'] as const;
export type AgentState = (typeof AGENT_STATES)[number];
/** The task app's health (workspace_apps.health). */
export const APP_HEALTHS = ['disabled', 'initializing', 'healthy', 'unhealthy'] as const;
export type AppHealth = (typeof APP_HEALTHS)[number];

/** The workspace's latest build; `null` before the first one (the task is `pending`). */
export interface MockBuild {
  transition: BuildTransition;
  jobStatus: JobStatus;
}

/** What a task's status is derived from: its workspace's latest build, agent and app. */
export interface WorkspaceCondition {
  build: MockBuild | null;
  agent: AgentState;
  app: AppHealth;
}

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
  build: MockBuild | null;
  agent: AgentState;
  app: AppHealth;
  /** Set when its task is deleted: the agent token is then void (401, not 404). */
  deleted: boolean;
}

export interface MockTask {
  id: string;
  workspaceId: string;
  owner: string;
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

/** A task as the mock reports it: its status derived from its workspace (coderd's tasks_with_status). */
export interface MockTaskWithStatus extends MockTask {
  status: TaskStatus;
}

export interface CreateTaskOptions {
  /** Start in the workspace condition that derives this status (`conditionForStatus`). Default `active`. */
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
