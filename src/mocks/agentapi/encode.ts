import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import { goJson } from '../shared/go-json-encode.ts';
import type { AgentapiMessage, AgentStatus } from './types.ts';

/**
 * Bodies exactly as AgentAPI (huma on Go's encoding/json) writes them: `$schema` first, then the
 * fields in struct order, `<>&` not escaped, control characters escaped, a trailing newline.
 */

/** huma derives `$schema` from the request's Host header. */
export function schemaUrl(req: IncomingMessage, fallbackHost: string, name: string): string {
  return `http://${req.headers.host ?? fallbackHost}/schemas/${name}.json`;
}

export function messagesBody(schema: string, messages: readonly AgentapiMessage[]): string {
  return encode({ $schema: schema, messages: messages.map(({ id, content, role, time }) => ({ id, content, role, time })) });
}

/** `"messages": null`, which real AgentAPI never sends but a broken proxy or old build might. */
export function nullMessagesBody(schema: string): string {
  return encode({ $schema: schema, messages: null });
}

export function missingMessagesBody(schema: string): string {
  return encode({ $schema: schema });
}

/** `agentType`/`transport` undefined: the release has no such field, so it is left out. */
export function statusBody(schema: string, status: AgentStatus, agentType: string | undefined, transport: string | undefined): string {
  return encode({ $schema: schema, status, agent_type: agentType, transport });
}

export function messageAcceptedBody(schema: string): string {
  return encode({ $schema: schema, ok: true });
}

/** One entry of a problem's `errors`, as huma writes it. */
export interface ProblemError {
  message: string;
  location?: string;
  value?: unknown;
}

/** RFC 9457 problem details, huma's error model; `errors` only when there are any. */
export function problemBody(schema: string, status: number, detail: string, errors?: readonly ProblemError[]): string {
  return encode({ $schema: schema, title: STATUS_CODES[status] ?? 'Error', status, detail, errors: errors === undefined || errors.length === 0 ? undefined : errors });
}

function encode(value: unknown): string {
  return `${goJson(value)}\n`;
}
