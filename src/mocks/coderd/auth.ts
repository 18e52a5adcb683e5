import type { IncomingMessage } from 'node:http';
import { parseGoUuid } from './go-uuid.ts';
import { MESSAGES } from './respond.ts';
import type { CoderdStore } from './store.ts';
import type { MockUser, MockWorkspace } from './types.ts';

export type AuthResult<T> = { ok: true; value: T } | { ok: false; status: 401; message: string; detail?: string };

const SESSION_COOKIE = 'coder_session_token';
const SESSION_HEADER = 'coder-session-token';

/**
 * Where coderd's APITokenFromRequest looks, in its order: the `coder_session_token` cookie, the
 * `coder_session_token` query parameter, then the `Coder-Session-Token` header (first value).
 */
export function sessionToken(req: IncomingMessage, query: Map<string, string[]>): string {
  const cookie = cookieValue(req.headers.cookie, SESSION_COOKIE);
  if (cookie) return cookie;
  const fromQuery = query.get(SESSION_COOKIE)?.[0];
  if (fromQuery) return fromQuery;
  return req.headersDistinct[SESSION_HEADER]?.[0] ?? '';
}

/** Workspace-agent auth: missing, not a UUID, unknown or void, workspace not running/stopping — all 401. */
export function authenticateAgent(store: CoderdStore, token: string): AuthResult<MockWorkspace> {
  if (token === '') return { ok: false, status: 401, message: MESSAGES.tokenMissing };
  const uuid = parseGoUuid(token);
  if (uuid === undefined) {
    return { ok: false, status: 401, message: MESSAGES.agentTokenInvalid, detail: `An agent token must be a valid UUIDv4. (len ${token.length})` };
  }
  const workspace = store.workspaceByAgentToken(uuid);
  if (workspace === undefined || workspace.deleted) return notAuthorized('The agent cannot authenticate until the workspace provision job has been completed. If the job is no longer running, this agent is invalid.');
  if (workspace.state === 'stopped') return notAuthorized('The workspace is not running or stopping; its agent token is no longer valid.');
  return { ok: true, value: workspace };
}

/** User auth for the tasks API: missing 401, unknown 401. */
export function authenticateUser(store: CoderdStore, token: string): AuthResult<MockUser> {
  if (token === '') return { ok: false, status: 401, message: MESSAGES.tokenMissing };
  const user = store.userByToken(token);
  if (user === undefined) return { ok: false, status: 401, message: MESSAGES.apiKeyInvalid, detail: 'The API key is unknown or has expired.' };
  return { ok: true, value: user };
}

function notAuthorized(detail: string): AuthResult<never> {
  return { ok: false, status: 401, message: MESSAGES.agentNotAuthorized, detail };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
