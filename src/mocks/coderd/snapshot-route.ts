import type { IncomingMessage, ServerResponse } from 'node:http';
import { CODERD_BODY_LIMIT_BYTES } from '../../contract/snapshot-api.ts';
import { readBodyLimited } from '../shared/read-body.ts';
import { authenticateAgent, sessionToken } from './auth.ts';
import type { CoderdContext } from './context.ts';
import { containsNul, decodeSnapshotBody } from './decode-snapshot.ts';
import { parseGoUuid } from './go-uuid.ts';
import { MESSAGES, writeMessage, writeNoContent } from './respond.ts';
import { validateSnapshotQuery } from './snapshot-query.ts';

/** coderd's taskSnapshotMaxSize: 64 KiB, enforced with http.MaxBytesReader (400, not 413). */
export const SNAPSHOT_LIMIT_BYTES = CODERD_BODY_LIMIT_BYTES;

/**
 * `POST /api/v2/workspaceagents/me/tasks/{task}/log-snapshot`, checks in coderd's order
 * (coderd/aitasks.go): agent auth, method, task ID, query, format, task ownership, body size
 * and JSON, payload structure, storable strings, then the upsert.
 */
export async function handleLogSnapshot(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: CoderdContext,
  taskSegment: string,
  query: Map<string, string[]>,
): Promise<void> {
  const auth = authenticateAgent(ctx.store, sessionToken(req, query));
  if (!auth.ok) return writeMessage(res, auth.status, auth.message, auth.detail === undefined ? {} : { detail: auth.detail });
  // chi runs the agent middleware of the route group before it finds the method unsupported.
  if (req.method !== 'POST') {
    res.setHeader('allow', 'POST');
    return writeMessage(res, 405, MESSAGES.methodNotAllowed);
  }
  const taskId = parseGoUuid(taskSegment);
  if (taskId === undefined) return writeMessage(res, 400, MESSAGES.invalidTaskId, { detail: uuidError(taskSegment) });
  const { format, validations } = validateSnapshotQuery(query);
  if (validations.length > 0) return writeMessage(res, 400, MESSAGES.invalidQuery, { validations });
  if (format !== 'agentapi') {
    return writeMessage(res, 400, MESSAGES.invalidFormat, { detail: `Only "agentapi" format is currently supported, got ${JSON.stringify(format)}.` });
  }
  const task = ctx.store.tasks.get(taskId);
  // Checked before reading the body, as coderd does, so big uploads for foreign tasks cost nothing.
  if (task === undefined || task.deletedAt !== null || task.workspaceId !== auth.value.id) return writeMessage(res, 404, MESSAGES.notFound);
  return storeBody(req, res, ctx, taskId);
}

async function storeBody(req: IncomingMessage, res: ServerResponse, ctx: CoderdContext, taskId: string): Promise<void> {
  let body;
  try {
    body = await readBodyLimited(req, res, SNAPSHOT_LIMIT_BYTES);
  } catch {
    return; // The client went away mid-upload: nobody to answer.
  }
  if (body.overLimit) {
    // Go's MaxBytesReader: the rest of the body is never read, so the server closes the connection.
    res.setHeader('connection', 'close');
    return writeMessage(res, 400, MESSAGES.decodeFailed, { detail: 'http: request body too large' });
  }
  const decoded = decodeSnapshotBody(body.bytes);
  if (!decoded.ok) {
    const message = decoded.problem === 'decode' ? MESSAGES.decodeFailed : MESSAGES.invalidStructure;
    return writeMessage(res, 400, message, { detail: decoded.detail });
  }
  if (containsNul(decoded.payload)) {
    return writeMessage(res, 500, MESSAGES.storeFailed, { detail: 'ERROR: unsupported Unicode escape sequence (SQLSTATE 22P05)' });
  }
  ctx.store.upsertSnapshot(taskId, decoded.payload, body.bytes.toString('utf8'));
  writeNoContent(res);
}

/** google/uuid's error text, which coderd passes on as the detail. */
function uuidError(text: string): string {
  const length = Buffer.byteLength(text);
  return [32, 36, 38, 45].includes(length) ? 'invalid UUID format' : `invalid UUID length: ${length}`;
}
