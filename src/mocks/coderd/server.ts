import { listenLocal } from '../shared/listen.ts';
import type { RecordedRequest } from '../shared/request-log.ts';
import type { CoderdContext } from './context.ts';
import { CoderdFaultSlot } from './faults.ts';
import { createCoderdHandler } from './handler.ts';
import { RateLimiter } from './rate-limit.ts';
import { CoderdStore } from './store.ts';
import { loadStateFile, StateFileWriter } from './state-file.ts';
import { DEFAULT_CODER_VERSION, versionSettings } from './coder-versions.ts';
import type {
  CoderdFault,
  CreatedTask,
  CreateTaskOptions,
  MockTaskWithStatus,
  RateLimitRule,
  SnapshotRecord,
  TaskStatus,
  WorkspaceCondition,
  WorkspaceState,
} from './types.ts';

export interface MockCoderdOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Persist tasks and snapshots here (atomic writes) and load them at start. */
  stateFile?: string;
  /** Ensure a task exists at start (reusing the first live one from the state file); see `defaultTask`. */
  createDefaultTask?: boolean;
  /**
   * The Coder release to act as (`v2.N` or `v2.N.P`; default v2.36): before v2.30 no log-snapshot
   * route and no snapshot read side, v2.37 neither unless `enableAiTasks`, v2.38+ no Tasks API at all.
   */
  coderVersion?: string;
  /** `CODER_ENABLE_AI_TASKS=true` (v2.37 only). */
  enableAiTasks?: boolean;
  /** No log-snapshot route, whatever the version. */
  routeMissing?: boolean;
  rateLimit?: RateLimitRule | null;
  fault?: CoderdFault | null;
  /** AgentAPI base URL that active tasks' logs are read from (e.g. a mock AgentAPI's `url`). */
  liveAgentapiUrl?: string | null;
}

export interface MockCoderd {
  url: string;
  port: number;
  /** Stops the server, ends hung requests and waits for the state file to be written. */
  close(): Promise<void>;
  /** The task created (or reloaded) at start when `createDefaultTask` is set. */
  defaultTask: CreatedTask | undefined;
  createTask(options?: CreateTaskOptions): CreatedTask;
  deleteTask(taskId: string): boolean;
  /** A shortcut: puts the task's workspace in a condition that derives `status` (there is no status of its own). */
  setTaskStatus(taskId: string, status: TaskStatus): boolean;
  setWorkspaceState(workspaceId: string, state: WorkspaceState): boolean;
  /** The latest build (`{transition, jobStatus}` or null), agent state and app health, any of them. */
  setWorkspaceCondition(workspaceId: string, condition: Partial<WorkspaceCondition>): boolean;
  /** Every task with its derived status. */
  tasks(): MockTaskWithStatus[];
  /** Every non-admin request so far, oldest first, token values REDACTED. */
  requests(): RecordedRequest[];
  clearRequests(): void;
  snapshots(): SnapshotRecord[];
  snapshot(taskId: string): SnapshotRecord | undefined;
  setFault(fault: CoderdFault | null): void;
  setRateLimit(rule: RateLimitRule | null): void;
  setRouteMissing(missing: boolean): void;
  /** Act as another Coder release from now on (see `coderVersion`). */
  setCoderVersion(version: string, enableAiTasks?: boolean): void;
  setLiveAgentapiUrl(url: string | null): void;
  /** Resolves once every state change so far is on disk (no-op without a state file). */
  flush(): Promise<void>;
}

/** Starts a faithful coderd double on 127.0.0.1 (src/mocks/README.md says where it differs). */
export async function startMockCoderd(options: MockCoderdOptions = {}): Promise<MockCoderd> {
  const store = await openStore(options.stateFile);
  const writer = options.stateFile === undefined ? undefined : new StateFileWriter(options.stateFile);
  if (writer !== undefined) store.onChange = () => writer.save(store.toData());
  const ctx = createContext(store, options);
  const defaultTask = options.createDefaultTask ? ensureDefaultTask(store) : undefined;
  await writer?.writeNow(store.toData());
  const local = await listenLocal(createCoderdHandler(ctx), options.port ?? 0);
  const copy = <T>(value: T): T => structuredClone(value);
  return {
    url: local.url,
    port: local.port,
    defaultTask,
    close: async () => {
      await local.close();
      await writer?.flush();
    },
    createTask: (taskOptions) => store.createTask(taskOptions),
    deleteTask: (taskId) => store.deleteTask(taskId),
    setTaskStatus: (taskId, status) => store.setTaskStatus(taskId, status),
    setWorkspaceState: (workspaceId, state) => store.setWorkspaceState(workspaceId, state),
    setWorkspaceCondition: (workspaceId, condition) => store.setWorkspaceCondition(workspaceId, condition),
    tasks: () => copy(store.tasksWithStatus()),
    requests: () => copy(ctx.requests),
    clearRequests: () => {
      ctx.requests.length = 0;
    },
    snapshots: () => copy([...store.snapshots.values()]),
    snapshot: (taskId) => copy(store.snapshots.get(taskId)),
    setFault: (fault) => ctx.fault.set(fault),
    setRateLimit: (rule) => ctx.rateLimiter.set(rule),
    setRouteMissing: (missing) => {
      ctx.settings.routeMissing = missing;
    },
    setCoderVersion: (version, enableAiTasks) => Object.assign(ctx.settings, versionSettings(version, enableAiTasks, false)),
    setLiveAgentapiUrl: (url) => {
      ctx.settings.liveAgentapiUrl = url;
    },
    flush: async () => writer?.flush(),
  };
}

async function openStore(stateFile: string | undefined): Promise<CoderdStore> {
  const data = stateFile === undefined ? undefined : await loadStateFile(stateFile);
  return data === undefined ? new CoderdStore() : CoderdStore.fromData(data);
}

function createContext(store: CoderdStore, options: MockCoderdOptions): CoderdContext {
  const fault = new CoderdFaultSlot();
  fault.set(options.fault ?? null);
  const rateLimiter = new RateLimiter();
  rateLimiter.set(options.rateLimit ?? null);
  return {
    store,
    fault,
    rateLimiter,
    settings: {
      ...versionSettings(options.coderVersion ?? DEFAULT_CODER_VERSION, options.enableAiTasks, options.routeMissing ?? false),
      liveAgentapiUrl: options.liveAgentapiUrl ?? null,
    },
    requests: [],
  };
}

/** Reuses the first live task of a reloaded state, so restarting with `--state` keeps the same credentials. */
function ensureDefaultTask(store: CoderdStore): CreatedTask {
  const existing = store.firstLiveTask();
  const described = existing === undefined ? undefined : store.describe(existing.id);
  return described ?? store.createTask();
}
