/**
 * What a Coder release has of the routes the module talks to, so the mock can be started as any of
 * them. Sources (README, "What each Coder version gets"): the upload route (coder/coder #21644)
 * and the snapshot read side (#21771) merged in January 2026, first released in v2.30.0; Tasks
 * deprecated in v2.34 (the ESR, supported 12 months from June 2, 2026); in v2.37 Tasks and their
 * routes are registered only with `CODER_ENABLE_AI_TASKS=true` (#28008); v2.38 removed the Tasks
 * API and the log-snapshot route (#28789, #28750). A route a release does not register answers
 * chi's NotFound: 404 `{"message":"Route not found."}`.
 */
export interface CoderRouteSet {
  /** `POST /api/v2/workspaceagents/me/tasks/{task}/log-snapshot`. */
  snapshotUpload: boolean;
  /** The logs route answers paused, pending and initializing tasks from the stored snapshot. */
  snapshotRead: boolean;
  /** `/api/v2/tasks` at all (the task list and the logs route). */
  tasksApi: boolean;
}

export const FIRST_SNAPSHOT_MINOR = 30;
export const TASKS_OFF_BY_DEFAULT_MINOR = 37;
export const TASKS_REMOVED_MINOR = 38;

/** The version the mock is when none is given: one with every route. */
export const DEFAULT_CODER_VERSION = 'v2.36';

const VERSION = /^v?2\.(\d{1,3})(?:\.\d{1,4})?(?:-esr)?$/;

/** The minor of a `v2.N[.P]` version; throws RangeError (one sentence) for anything else. */
export function coderMinor(version: string): number {
  const match = VERSION.exec(version.trim());
  if (match === null) throw new RangeError(`invalid Coder version ${JSON.stringify(version)}: use v2.N or v2.N.P, e.g. v2.36 or v2.34.5`);
  return Number(match[1]);
}

/** The routes a Coder version registers; `enableAiTasks` is `CODER_ENABLE_AI_TASKS` (matters in v2.37 only). */
export function coderRoutes(version: string, enableAiTasks = false): CoderRouteSet {
  const minor = coderMinor(version);
  if (minor < FIRST_SNAPSHOT_MINOR) return { snapshotUpload: false, snapshotRead: false, tasksApi: true };
  if (minor < TASKS_OFF_BY_DEFAULT_MINOR) return { snapshotUpload: true, snapshotRead: true, tasksApi: true };
  if (minor < TASKS_REMOVED_MINOR) return { snapshotUpload: enableAiTasks, snapshotRead: enableAiTasks, tasksApi: enableAiTasks };
  return { snapshotUpload: false, snapshotRead: false, tasksApi: false };
}

/** The mock's route settings for a Coder version; `routeMissing` takes the upload route away on top. */
export function versionSettings(version: string, enableAiTasks = false, routeMissing = false): { routeMissing: boolean; snapshotRead: boolean; tasksApi: boolean } {
  const routes = coderRoutes(version, enableAiTasks);
  return { routeMissing: routeMissing || !routes.snapshotUpload, snapshotRead: routes.snapshotRead, tasksApi: routes.tasksApi };
}
