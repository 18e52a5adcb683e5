import type { IncomingMessage } from 'node:http';
import { parseGoUuid } from './go-uuid.ts';
import { MESSAGES, SIGNED_OUT_DETAILS } from './respond.ts';
import type { CoderdStore } from './store.ts';
import { agentCanAuthenticate } from './task-status.ts';
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

/**
 * Workspace-agent auth (coderd httpmw/workspaceagent.go): missing, not a UUID, or no agent row for
 * the token — all 401. The row lookup only finds agents of live builds, so an unknown token, a
 * deleted task's workspace, a workspace not yet started and a stopped one (or one whose stop
 * build failed) all get the same "not authorized" answer.
 */
export function authenticateAgent(store: CoderdStore, token: string): AuthResult<MockWorkspace> {
  if (token === '') return { ok: false, status: 401, message: MESSAGES.agentTokenMissing };
  const uuid = parseGoUuid(token);
  if (uuid === undefined) {
    return { ok: false, status: 401, message: MESSAGES.agentTokenInvalid, detail: `An agent token must be a valid UUIDv4. (len ${token.length})` };
  }
  const workspace = store.workspaceByAgentToken(uuid);
  if (workspace === undefined || workspace.deleted || !agentCanAuthenticate(workspace.build)) {
    return { ok: false, status: 401, message: MESSAGES.agentNotAuthorized, detail: AGENT_NOT_AUTHORIZED_DETAIL };
  }
  return { ok: true, value: workspace };
}

const AGENT_NOT_AUTHORIZED_DETAIL =
  'The agent cannot authenticate until the workspace provision job has been completed. If the job is no longer running, this agent is invalid.';

/**
 * User auth for the tasks API (coderd httpmw/apikey.go APIKeyFromRequest): every failure is 401
 * with the signed-out message; the detail tells a missing token, a malformed one, an unknown key
 * ID and a wrong secret apart.
 */
export function authenticateUser(store: CoderdStore, token: string): AuthResult<MockUser> {
  if (token === '') return signedOut(SIGNED_OUT_DETAILS.missing);
  const split = splitApiToken(token);
  if (typeof split === 'string') return signedOut(`${SIGNED_OUT_DETAILS.badFormatPrefix}${split}`);
  const user = store.userByKeyId(split.id);
  if (user === undefined) return signedOut(SIGNED_OUT_DETAILS.unknownKey);
  if (user.token !== token) return signedOut(SIGNED_OUT_DETAILS.wrongSecret);
  return { ok: true, value: user };
}

function signedOut(detail: string): AuthResult<never> {
  return { ok: false, status: 401, message: MESSAGES.signedOut, detail };
}

/**
 * coderd's SplitAPIToken: `<10-char id>-<22-char secret>`; returns its error text otherwise.
 * (Header values arrive latin1-decoded, one character per byte, so `length` is Go's `len`.)
 */
export function splitApiToken(token: string): { id: string; secret: string } | string {
  const parts = token.split('-');
  if (parts.length !== 2) return `incorrect amount of API key parts, expected 2 got ${parts.length}`;
  const [id = '', secret = ''] = parts;
  if (id.length !== 10) return `invalid API key ID length, expected 10 got ${id.length}`;
  if (secret.length !== 22) return `invalid API key secret length, expected 22 got ${secret.length}`;
  return { id, secret };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const [key, ...rest] = pair.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}
