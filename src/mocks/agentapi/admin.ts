import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { goJson } from '../shared/go-json-encode.ts';
import { readBodyText } from '../shared/read-body.ts';
import { send } from './apply-fault.ts';
import { parseConversation } from './conversation-file.ts';
import { toConversation } from './conversation.ts';
import { validateAgentapiFault } from './faults.ts';
import type { AgentapiState } from './state.ts';

/**
 * Test controls under `/__mock` (no auth), so a mock started by the CLI in another process can be
 * steered too: PUT /__mock/messages, PUT /__mock/status, POST|DELETE /__mock/fault, GET|DELETE /__mock/requests.
 */
export async function serveAdmin(path: string, req: IncomingMessage, res: ServerResponse, state: AgentapiState): Promise<void> {
  const key = `${req.method} ${path}`;
  switch (key) {
    case 'PUT /__mock/messages':
      return withJson(req, res, (json) => {
        state.messages = toConversation(parseConversation(json, 'body'));
      });
    case 'PUT /__mock/status':
      return withJson(req, res, (json) => {
        state.status = z.object({ status: z.enum(['running', 'stable']) }).parse(json).status;
      });
    case 'POST /__mock/fault':
      return withJson(req, res, (json) => state.fault.set(validateAgentapiFault(json)));
    case 'DELETE /__mock/fault':
      state.fault.set(null);
      return noContent(res);
    case 'GET /__mock/requests':
      return send(res, 200, 'application/json', `${goJson(state.requests)}\n`);
    case 'DELETE /__mock/requests':
      state.requests.length = 0;
      return noContent(res);
    default:
      return send(res, 404, 'application/json', `${goJson({ error: `no admin route ${key}` })}\n`);
  }
}

async function withJson(req: IncomingMessage, res: ServerResponse, apply: (json: unknown) => void): Promise<void> {
  const text = await readBodyText(req, res, 64 * 1024 * 1024);
  try {
    apply(JSON.parse(text ?? ''));
  } catch (error) {
    return send(res, 400, 'application/json', `${goJson({ error: (error as Error).message })}\n`);
  }
  noContent(res);
}

function noContent(res: ServerResponse): void {
  res.writeHead(204);
  res.end();
}
