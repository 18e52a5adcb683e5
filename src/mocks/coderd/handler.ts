import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordRequest, splitTarget, trackAnswer } from '../shared/request-log.ts';
import { serveCoderdAdmin } from './admin-routes.ts';
import type { CoderdContext } from './context.ts';
import { applyCoderdFault } from './faults.ts';
import { parseGoQuery } from './go-query.ts';
import { handleTaskLogs } from './logs-route.ts';
import { rateLimitKey } from './rate-limit.ts';
import { MESSAGES, writeMessage } from './respond.ts';
import { handleLogSnapshot } from './snapshot-route.ts';
import { handleTasksList } from './tasks-list-route.ts';
import { isWebPath, serveWeb } from './web/routes.ts';
import { SNAPSHOT_ROUTE as SNAPSHOT_ROUTE_TEMPLATE } from '../../contract/snapshot-api.ts';

/** The contract's route with `{task}` as a capture group: the one definition the script posts to. */
const SNAPSHOT_ROUTE = routePattern(SNAPSHOT_ROUTE_TEMPLATE);
const LOGS_ROUTE = /^\/api\/v2\/tasks\/([^/]+)\/([^/]+)\/logs$/;
const TASKS_LIST_ROUTE = '/api/v2/tasks';
const API_PREFIX = '/api/v2/';
const ADMIN_PREFIX = '/__mock/';

/**
 * Routes one request. Order for the API: injected fault (snapshot route only), rate limit (per
 * client IP and path), the routes this Coder version has (coder-versions.ts), then the route's
 * own checks. Unknown paths get 404 "Route not found.".
 * The admin API and the task page (web/) are served before anything is recorded.
 */
export function createCoderdHandler(ctx: CoderdContext): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const { path: rawPath, search } = splitTarget(req.url ?? '/');
    // CODER_AGENT_URL usually ends in "/", so clients produce "//api/v2/...": coderd collapses repeated slashes.
    const path = rawPath.replace(/\/{2,}/g, '/');
    if (path.startsWith(ADMIN_PREFIX)) return serveCoderdAdmin(path, req, res, ctx);
    if (isWebPath(path)) return serveWeb(path, req, res, ctx);
    const record = recordRequest(req);
    ctx.requests.push(record);
    trackAnswer(record, res);
    const query = parseGoQuery(search);
    const snapshot = SNAPSHOT_ROUTE.exec(path);
    if (snapshot !== null) {
      const fault = ctx.fault.take();
      if (fault !== null && (await applyCoderdFault(req, res, fault))) return;
    }
    if (path.startsWith(API_PREFIX) && ctx.rateLimiter.reject(res, rateLimitKey(req.socket.remoteAddress, path))) return;
    if (snapshot !== null) {
      if (ctx.settings.routeMissing) return writeMessage(res, 404, MESSAGES.routeNotFound);
      return handleLogSnapshot(req, res, ctx, decodeSegment(snapshot[1] as string), query);
    }
    if (path === TASKS_LIST_ROUTE && ctx.settings.tasksApi) return handleTasksList(req, res, ctx, query);
    const logs = LOGS_ROUTE.exec(path);
    if (logs !== null && ctx.settings.tasksApi) return handleTaskLogs(req, res, ctx, decodeSegment(logs[1] as string), decodeSegment(logs[2] as string), query);
    writeMessage(res, 404, MESSAGES.routeNotFound);
  };
}

/** Go hands handlers the %-decoded path; a bad escape stays as it was (and then fails the UUID check). */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function routePattern(template: string): RegExp {
  const [before, after] = template.split('{task}');
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`^${escape(before ?? '')}([^/]+)${escape(after ?? '')}$`);
}
