import type { ServerResponse } from 'node:http';
import { goJson } from '../shared/go-json-encode.ts';

/** codersdk.Response: the body of every coderd error. */
export interface CoderResponse {
  message: string;
  detail?: string;
  validations?: Array<{ field: string; detail: string }>;
}

/** Messages the real coderd sends, verbatim (clients and tests match on them). */
export const MESSAGES = {
  /** httpmw/workspaceagent.go, no token at all (no detail). */
  agentTokenMissing: 'Cookie "coder_session_token" must be provided.',
  agentTokenInvalid: 'Workspace agent token invalid.',
  agentNotAuthorized: 'Workspace agent not authorized.',
  /** httpmw/apikey.go's SignedOutErrorMessage: every user-token failure; the detail says which. */
  signedOut: 'You are signed out or your session has expired. Please sign in again to continue.',
  invalidTaskId: 'Invalid task ID format.',
  invalidQuery: 'Invalid query parameters.',
  invalidFormat: 'Invalid format parameter.',
  notFound: 'Resource not found or you do not have access to this resource',
  decodeFailed: 'Failed to decode request payload.',
  invalidStructure: 'Invalid agentapi payload structure.',
  storeFailed: 'Internal error storing snapshot.',
  invalidSnapshotData: 'Invalid snapshot data.',
  unsupportedSnapshotFormat: 'Unsupported task snapshot format.',
  logsConflict: 'Cannot fetch logs for task in current state.',
  /** coderd/aitasks.go tasksList, a `q` it cannot parse. */
  invalidTaskQuery: 'Invalid task search query.',
  routeNotFound: 'Route not found.',
  methodNotAllowed: 'Method not allowed.',
} as const;

/** The `detail` of the user-token 401s (httpmw/apikey.go APIKeyFromRequest), verbatim. */
export const SIGNED_OUT_DETAILS = {
  missing: 'Cookie "coder_session_token" or query parameter must be provided.',
  /** Followed by SplitAPIToken's error text. */
  badFormatPrefix: 'Invalid API key format: ',
  unknownKey: 'API key is invalid.',
  wrongSecret: 'API key secret is invalid.',
} as const;

/** Like coderd's httpapi.Write: JSON with HTML escaping, a trailing newline, `; charset=utf-8`. */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
  const text = `${goJson(body, { escapeHtml: true })}\n`;
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

export function writeMessage(res: ServerResponse, status: number, message: string, extra: Omit<CoderResponse, 'message'> = {}): void {
  writeJson(res, status, { message, ...extra });
}

export function writeNoContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
