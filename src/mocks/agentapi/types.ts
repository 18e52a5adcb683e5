/** Shapes of the AgentAPI HTTP API (coder/agentapi openapi.json) that the mock serves. */

export type AgentapiRole = 'user' | 'agent';

/** One entry of `GET /messages`; `id` is the 0-based position in the conversation. */
export interface AgentapiMessage {
  id: number;
  content: string;
  role: AgentapiRole;
  /** RFC 3339. */
  time: string;
}

/** A message as tests and conversation files provide it: ids come from the position, time is optional. */
export interface MessageInput {
  content: string;
  role: AgentapiRole;
  time?: string;
}

export type AgentStatus = 'running' | 'stable';
