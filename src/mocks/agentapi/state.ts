import type { RecordedRequest } from '../shared/request-log.ts';
import type { FaultSlot } from './faults.ts';
import type { AgentapiRelease } from './release.ts';
import type { AgentapiMessage, AgentStatus } from './types.ts';

/** Everything the mock AgentAPI's routes read and change; owned by the server, shared with the handler. */
export interface AgentapiState {
  messages: AgentapiMessage[];
  status: AgentStatus;
  agentType: string;
  transport: string;
  /** The AgentAPI release whose answers the mock gives (`GET /status` fields). */
  release: AgentapiRelease;
  fault: FaultSlot;
  requests: RecordedRequest[];
  /** `127.0.0.1:<port>`, for `$schema` when a request has no Host header (HTTP/1.0). */
  fallbackHost: string;
}
