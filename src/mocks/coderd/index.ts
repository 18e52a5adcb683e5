export { startMockCoderd, type MockCoderd, type MockCoderdOptions } from './server.ts';
export { SNAPSHOT_LIMIT_BYTES } from './snapshot-route.ts';
export { MESSAGES as CODERD_MESSAGES, SIGNED_OUT_DETAILS as CODERD_SIGNED_OUT_DETAILS } from './respond.ts';
export { validateCoderdFault } from './faults.ts';
export { StateFileError } from './state-file.ts';
export { decodeSnapshotBody, type StoredMessage, type StoredPayload } from './decode-snapshot.ts';
export { coderRoutes, DEFAULT_CODER_VERSION, type CoderRouteSet } from './coder-versions.ts';
export { deriveTaskStatus } from './task-status.ts';
export {
  AGENT_STATES,
  APP_HEALTHS,
  BUILD_TRANSITIONS,
  JOB_STATUSES,
  TASK_STATUSES,
  WORKSPACE_STATES,
  type MockBuild,
  type MockTaskWithStatus,
  type WorkspaceCondition,
  type CoderdFault,
  type CreatedTask,
  type CreateTaskOptions,
  type MockTask,
  type RateLimitRule,
  type SnapshotRecord,
  type TaskStatus,
  type WorkspaceState,
} from './types.ts';
export { taskPageUrl } from './web/routes.ts';
