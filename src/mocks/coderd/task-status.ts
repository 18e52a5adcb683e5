import type { MockBuild, TaskStatus, WorkspaceCondition, WorkspaceState } from './types.ts';

/**
 * A task's status as coderd derives it (the `tasks_with_status` view): from its workspace's latest
 * build, then the agent, then the task app. There is no status of its own: while a stop build runs
 * the task is `unknown`, after a failed build `error`, after a stop `paused`.
 */
export function deriveTaskStatus({ build, agent, app }: WorkspaceCondition): TaskStatus {
  if (build === null) return 'pending';
  if (build.jobStatus === 'failed') return 'error';
  if ((build.transition === 'stop' || build.transition === 'delete') && build.jobStatus === 'succeeded') return 'paused';
  if (build.transition !== 'start') return 'unknown';
  if (build.jobStatus === 'pending') return 'initializing';
  if (build.jobStatus !== 'running' && build.jobStatus !== 'succeeded') return 'unknown';
  if (agent === 'none' || agent === 'connecting') return 'initializing';
  if (agent !== 'connected') return 'unknown';
  if (app === 'unhealthy') return 'error';
  if (app === 'initializing') return 'initializing';
  return 'active';
}

/**
 * Whether the workspace's agent token authenticates (coderd's agent middleware): once its start
 * build has succeeded, and through a stop build until that job ends (stop scripts run then); not
 * before the start job completes, nor after a stop or a failed build.
 */
export function agentCanAuthenticate(build: MockBuild | null): boolean {
  if (build === null) return false;
  if (build.transition === 'start') return build.jobStatus === 'succeeded';
  return build.transition === 'stop' && (build.jobStatus === 'pending' || build.jobStatus === 'running');
}

const RUNNING: WorkspaceCondition = { build: { transition: 'start', jobStatus: 'succeeded' }, agent: 'connected', app: 'healthy' };

/** The condition each status is derived from in the mock's shortcuts (`createTask({status})`, `setTaskStatus`). */
export function conditionForStatus(status: TaskStatus): WorkspaceCondition {
  switch (status) {
    case 'pending':
      return { build: null, agent: 'none', app: 'initializing' };
    case 'initializing':
      return { build: { transition: 'start', jobStatus: 'pending' }, agent: 'none', app: 'initializing' };
    case 'active':
      return structuredClone(RUNNING);
    case 'paused':
      return workspaceStateCondition('stopped');
    case 'unknown':
      return workspaceStateCondition('stopping');
    case 'error':
      // a failed stop build: coderd still stored the snapshot the stop script sent
      return { build: { transition: 'stop', jobStatus: 'failed' }, agent: 'disconnected', app: 'healthy' };
  }
}

/** The condition each of the three workspace states stands for. */
export function workspaceStateCondition(state: WorkspaceState): WorkspaceCondition {
  switch (state) {
    case 'running':
      return structuredClone(RUNNING);
    case 'stopping':
      return { build: { transition: 'stop', jobStatus: 'running' }, agent: 'connected', app: 'healthy' };
    case 'stopped':
      return { build: { transition: 'stop', jobStatus: 'succeeded' }, agent: 'disconnected', app: 'healthy' };
  }
}
