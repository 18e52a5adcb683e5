import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { readBodyText } from '../shared/read-body.ts';
import { nowRfc3339 } from '../shared/rfc3339.ts';
import { answerWithFault, JSON_TYPE, PROBLEM_TYPE, type RouteBodies, send, sendLikeGo } from './apply-fault.ts';
import { messageAcceptedBody, messagesBody, missingMessagesBody, nullMessagesBody, type ProblemError, problemBody, schemaUrl, statusBody } from './encode.ts';
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
  sendLikeGo(res, 200, JSON_TYPE, bodies.ok());
}

function sendProblem(req: IncomingMessage, res: ServerResponse, state: AgentapiState, status: number, detail: string, errors?: readonly ProblemError[]): void {
  send(res, status, PROBLEM_TYPE, problemBody(schema(req, state, 'ErrorModel'), status, detail, errors));
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
  const { release } = state;
  return {
    ok: () => statusBody(url, state.status, release.statusHasAgentType ? state.agentType : undefined, release.statusHasTransport ? state.transport : undefined),
    problem: problemFor(req, state),
  };
}

// huma refuses request bodies of MaxBodyBytes (1 MiB) or more.
const MESSAGE_BODY_LIMIT = 1024 * 1024 - 1;

// huma's schemas forbid properties they do not name: strict.
const messageRequest = z.strictObject({ $schema: z.string().optional(), content: z.string(), type: z.enum(['user', 'raw']) });

/**
 * `POST /message`: a user message joins the conversation; raw keystrokes leave it unchanged.
 * Answers as AgentAPI does: 413 at 1 MiB, 400 for JSON that does not parse, 422 for one that
 * breaks the schema (unknown properties included), and a handler error (a user message while the
 * agent is busy, or one that is empty or not trimmed) is huma's opaque 500.
 */
async function postMessage(req: IncomingMessage, res: ServerResponse, state: AgentapiState): Promise<void> {
  const text = await readBodyText(req, res, MESSAGE_BODY_LIMIT);
  if (text === undefined) return sendProblem(req, res, state, 413, 'request body is too large');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return sendProblem(req, res, state, 400, 'validation failed', [{ message: (error as Error).message, location: 'body', value: text }]);
  }
  const parsed = messageRequest.safeParse(json, { reportInput: true });
  if (!parsed.success) return sendProblem(req, res, state, 422, 'validation failed', parsed.error.issues.map(schemaError));
  if (parsed.data.type === 'user') {
    const refusal = sendRefusal(parsed.data.content, state);
    if (refusal !== undefined) return sendProblem(req, res, state, 500, 'unexpected error occurred', [{ message: `failed to send message: ${refusal}` }]);
    state.messages.push({ id: state.messages.length, content: parsed.data.content, role: 'user', time: nowRfc3339() });
  }
  send(res, 200, JSON_TYPE, messageAcceptedBody(schema(req, state, 'MessageResponseBody')));
}

/** Why AgentAPI's conversation would refuse this user message, or undefined when it takes it. */
function sendRefusal(content: string, state: AgentapiState): string | undefined {
  if (content !== content.trim()) return 'message must be trimmed of leading and trailing whitespace';
  if (content === '') return 'message must not be empty';
  if (state.status !== 'stable') return 'message can only be sent when the agent is waiting for user input';
  return undefined;
}

function schemaError(issue: z.core.$ZodIssue): ProblemError {
  if (issue.code === 'unrecognized_keys') return { message: 'unexpected property', location: `body.${issue.keys[0] ?? ''}` };
  const location = ['body', ...issue.path.map(String)].join('.');
  if (issue.input === undefined && issue.path.length > 0) return { message: `expected required property ${String(issue.path.at(-1))} to be present`, location: 'body' };
  return { message: issue.message, location };
}

function schema(req: IncomingMessage, state: AgentapiState, name: string): string {
  return schemaUrl(req, state.fallbackHost, name);
}

function problemFor(req: IncomingMessage, state: AgentapiState): (status: number, detail: string) => string {
  return (status, detail) => problemBody(schema(req, state, 'ErrorModel'), status, detail);
}
