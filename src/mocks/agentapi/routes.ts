import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBodyText } from '../shared/read-body.ts';
import { nowRfc3339 } from '../shared/rfc3339.ts';
import { answerWithFault, JSON_TYPE, PROBLEM_TYPE, type RouteBodies, send } from './apply-fault.ts';
import { messageAcceptedBody, messagesBody, missingMessagesBody, nullMessagesBody, problemBody, schemaUrl, statusBody } from './encode.ts';
import type { AgentapiState } from './state.ts';

type Route = 'messages' | 'status' | 'message';

/** The AgentAPI routes the mock serves, by path, with the one method each accepts. */
export const AGENTAPI_ROUTES: Record<string, { method: string; route: Route }> = {
  '/messages': { method: 'GET', route: 'messages' },
  '/status': { method: 'GET', route: 'status' },
  '/message': { method: 'POST', route: 'message' },
};

export async function serveRoute(route: Route, req: IncomingMessage, res: ServerResponse, state: AgentapiState): Promise<void> {
  const fault = state.fault.take(route);
  if (route === 'message') {
    if (fault !== null) return answerWithFault(res, fault, { ok: () => messageAcceptedBody(schema(req, state, 'MessageResponseBody')), problem: problemFor(req, state) });
    return postMessage(req, res, state);
  }
  const bodies = route === 'messages' ? messagesBodies(req, state) : statusBodies(req, state);
  if (fault !== null) return answerWithFault(res, fault, bodies);
  send(res, 200, JSON_TYPE, bodies.ok());
}

export function sendProblem(req: IncomingMessage, res: ServerResponse, state: AgentapiState, status: number, detail: string): void {
  send(res, status, PROBLEM_TYPE, problemFor(req, state)(status, detail));
}

function messagesBodies(req: IncomingMessage, state: AgentapiState): RouteBodies {
  const url = schema(req, state, 'MessagesResponseBody');
  return {
    ok: () => messagesBody(url, state.messages),
    problem: problemFor(req, state),
    nullMessages: () => nullMessagesBody(url),
    missingMessages: () => missingMessagesBody(url),
  };
}

function statusBodies(req: IncomingMessage, state: AgentapiState): RouteBodies {
  const url = schema(req, state, 'StatusResponseBody');
  return { ok: () => statusBody(url, state.status, state.agentType, state.transport), problem: problemFor(req, state) };
}

const messageRequest = z.object({ $schema: z.string().optional(), content: z.string(), type: z.enum(['user', 'raw']) });

/** `POST /message`: a user message joins the conversation; raw keystrokes leave it unchanged. */
async function postMessage(req: IncomingMessage, res: ServerResponse, state: AgentapiState): Promise<void> {
  const text = await readBodyText(req, res);
  if (text === undefined) return sendProblem(req, res, state, 413, 'request body is too large');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return sendProblem(req, res, state, 400, `unable to parse body: ${(error as Error).message}`);
  }
  const parsed = messageRequest.safeParse(json);
  if (!parsed.success) return sendProblem(req, res, state, 400, `validation failed: ${parsed.error.issues.map(describe).join('; ')}`);
  if (parsed.data.type === 'user') {
    state.messages.push({ id: state.messages.length, content: parsed.data.content, role: 'user', time: nowRfc3339() });
  }
  send(res, 200, JSON_TYPE, messageAcceptedBody(schema(req, state, 'MessageResponseBody')));
}

function describe(issue: z.core.$ZodIssue): string {
  return `body.${issue.path.join('.')}: ${issue.message}`;
}

function schema(req: IncomingMessage, state: AgentapiState, name: string): string {
  return schemaUrl(req, state.fallbackHost, name);
}

function problemFor(req: IncomingMessage, state: AgentapiState): (status: number, detail: string) => string {
  return (status, detail) => problemBody(schema(req, state, 'ErrorModel'), status, detail);
}
