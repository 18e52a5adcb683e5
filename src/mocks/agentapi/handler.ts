import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordRequest, splitTarget, trackAnswer } from '../shared/request-log.ts';
import { serveAdmin } from './admin.ts';
import { AGENTAPI_ROUTES, serveRoute } from './routes.ts';
import type { AgentapiState } from './state.ts';

const ADMIN_PREFIX = '/__mock/';

/** Routes one request: admin controls, the three AgentAPI routes, else chi's 404 and 405 (AgentAPI's router). */
export function createAgentapiHandler(state: AgentapiState): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const { path } = splitTarget(req.url ?? '/');
    if (path.startsWith(ADMIN_PREFIX)) return serveAdmin(path, req, res, state);
    const record = recordRequest(req);
    state.requests.push(record);
    trackAnswer(record, res);
    const known = AGENTAPI_ROUTES[path];
    if (known === undefined || !Object.hasOwn(AGENTAPI_ROUTES, path)) return notFound(res);
    if (req.method !== known.method) return methodNotAllowed(res, known.method);
    return serveRoute(known.route, req, res, state);
  };
}

/** Go's http.NotFound, which chi answers unknown paths with: plain text, not problem JSON. */
function notFound(res: ServerResponse): void {
  const body = '404 page not found\n';
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** chi's 405 for a known path: the allowed method in Allow, an empty body. */
function methodNotAllowed(res: ServerResponse, allowed: string): void {
  res.writeHead(405, { allow: allowed, 'content-length': 0 });
  res.end();
}
