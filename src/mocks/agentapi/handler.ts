import type { IncomingMessage, ServerResponse } from 'node:http';
import { recordRequest, splitTarget, trackAnswer } from '../shared/request-log.ts';
import { serveAdmin } from './admin.ts';
import { AGENTAPI_ROUTES, sendProblem, serveRoute } from './routes.ts';
import type { AgentapiState } from './state.ts';

const ADMIN_PREFIX = '/__mock/';

/** Routes one request: admin controls, the three AgentAPI routes, else problem JSON 404/405. */
export function createAgentapiHandler(state: AgentapiState): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const { path } = splitTarget(req.url ?? '/');
    if (path.startsWith(ADMIN_PREFIX)) return serveAdmin(path, req, res, state);
    const record = recordRequest(req);
    state.requests.push(record);
    trackAnswer(record, res);
    const known = AGENTAPI_ROUTES[path];
    if (known === undefined || !Object.hasOwn(AGENTAPI_ROUTES, path)) return sendProblem(req, res, state, 404, `no route for ${req.method} ${path}`);
    if (req.method !== known.method) {
      res.setHeader('allow', known.method);
      return sendProblem(req, res, state, 405, `method ${req.method} not allowed for ${path}`);
    }
    return serveRoute(known.route, req, res, state);
  };
}
