import type { IncomingMessage, ServerResponse } from 'node:http';
import { authenticateUser, sessionToken } from './auth.ts';
import type { CoderdContext } from './context.ts';
import { parseGoUuid } from './go-uuid.ts';
import { MESSAGES, writeJson, writeMessage } from './respond.ts';
import { TASK_STATUSES, type MockTask, type MockUser, type MockWorkspace, type TaskStatus } from './types.ts';

/** The mock has one organization and one task template; their IDs are fixed so answers are stable. */
const ORGANIZATION_ID = '00000000-0000-4000-8000-000000000001';
const TEMPLATE_ID = '00000000-0000-4000-8000-000000000002';
const TEMPLATE_VERSION_ID = '00000000-0000-4000-8000-000000000003';

/** The search keys coderd's task filter accepts (searchquery.Tasks): owner, organization, status. */
const FILTER_KEYS = ['owner', 'organization', 'status'] as const;

interface TaskFilter {
  owner?: string;
  status?: TaskStatus;
}

/**
 * `GET /api/v2/tasks?q=...` (codersdk.TasksListResponse): every task the caller may read, with no
 * pagination, as coderd answers. The mock has no admins, so a caller reads only its own tasks; a
 * filter naming another owner answers an empty list, as coderd's authorization filter does.
 */
export function handleTasksList(req: IncomingMessage, res: ServerResponse, ctx: CoderdContext, query: Map<string, string[]>): void {
  const auth = authenticateUser(ctx.store, sessionToken(req, query));
  if (!auth.ok) return writeMessage(res, auth.status, auth.message, auth.detail === undefined ? {} : { detail: auth.detail });
  if (req.method !== 'GET') {
    res.setHeader('allow', 'GET');
    return writeMessage(res, 405, MESSAGES.methodNotAllowed);
  }
  const filter = parseTaskFilter(query.get('q')?.[0] ?? '');
  if ('validations' in filter) return writeMessage(res, 400, MESSAGES.invalidTaskQuery, { validations: filter.validations });
  const tasks = [...ctx.store.tasks.values()]
    .filter((task) => task.deletedAt === null && task.owner === auth.value.username)
    .map((task) => ({ task, status: ctx.store.taskStatus(task.id) ?? 'pending' }))
    .filter(({ status }) => filter.status === undefined || status === filter.status)
    .filter(() => matchesOwner(filter, auth.value))
    .map(({ task, status }) => taskJson(task, status, ctx.store.workspaces.get(task.workspaceId), auth.value));
  writeJson(res, 200, { tasks, count: tasks.length });
}

/** `owner:me status:paused` style terms; a quoted value (`owner:"me"`, as codersdk sends) is unquoted. */
function parseTaskFilter(q: string): TaskFilter | { validations: Array<{ field: string; detail: string }> } {
  const filter: TaskFilter = {};
  const validations: Array<{ field: string; detail: string }> = [];
  for (const term of q.split(/\s+/).filter(Boolean)) {
    const colon = term.indexOf(':');
    const key = colon === -1 ? '' : term.slice(0, colon);
    const value = term.slice(colon + 1).replace(/^"(.*)"$/, '$1');
    if (!(FILTER_KEYS as readonly string[]).includes(key)) {
      validations.push({ field: key || term, detail: `Query param "${key || term}" is not a valid query param` });
    } else if (key === 'status') {
      if ((TASK_STATUSES as readonly string[]).includes(value)) filter.status = value as TaskStatus;
      else validations.push({ field: 'status', detail: `Query param "status" has invalid value: "${value}" is not a valid task status` });
    } else if (key === 'owner') {
      filter.owner = value;
    }
  }
  return validations.length > 0 ? { validations } : filter;
}

function matchesOwner(filter: TaskFilter, caller: MockUser): boolean {
  if (filter.owner === undefined) return true;
  return filter.owner === 'me' || filter.owner === caller.username || parseGoUuid(filter.owner) === caller.id;
}

/** codersdk.Task, with the fields the mock knows and coderd's zero values for the rest. */
function taskJson(task: MockTask, status: TaskStatus, workspace: MockWorkspace | undefined, owner: MockUser): Record<string, unknown> {
  const name = task.name ?? `task-${task.id.slice(0, 8)}`;
  return {
    id: task.id,
    organization_id: ORGANIZATION_ID,
    owner_id: owner.id,
    owner_name: owner.username,
    name,
    display_name: name,
    template_id: TEMPLATE_ID,
    template_version_id: TEMPLATE_VERSION_ID,
    template_name: 'mock-task-template',
    template_display_name: 'Mock task template',
    template_icon: '',
    workspace_id: task.workspaceId,
    workspace_name: name,
    workspace_status: workspaceStatus(workspace),
    workspace_agent_id: workspace?.agentId ?? null,
    workspace_agent_lifecycle: null,
    workspace_agent_health: null,
    workspace_app_id: null,
    initial_prompt: task.prompt ?? '',
    status,
    current_state: null,
    created_at: task.createdAt,
    updated_at: task.createdAt,
  };
}

/** codersdk.WorkspaceStatus of the latest build: what the transition and its job make of it. */
function workspaceStatus(workspace: MockWorkspace | undefined): string {
  const build = workspace?.build;
  if (workspace === undefined || build === null || build === undefined) return 'pending';
  const ongoing = { start: 'starting', stop: 'stopping', delete: 'deleting' }[build.transition];
  const done = { start: 'running', stop: 'stopped', delete: 'deleted' }[build.transition];
  switch (build.jobStatus) {
    case 'pending':
      return 'pending';
    case 'running':
      return ongoing;
    case 'succeeded':
      return done;
    case 'failed':
      return 'failed';
    default:
      return build.jobStatus === 'canceled' ? 'canceled' : 'canceling';
  }
}
