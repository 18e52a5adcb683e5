import { z } from 'zod';

export const AGENTAPI_FAULT_KINDS = ['status', 'delay', 'hang', 'malformed', 'html', 'drip', 'reset', 'null-messages', 'missing-messages'] as const;
export type AgentapiFaultKind = (typeof AGENTAPI_FAULT_KINDS)[number];

/**
 * A misbehaviour the mock AgentAPI shows on demand, so clients' timeouts and error paths can be
 * exercised. By default it affects `GET /messages` only (what the shutdown script reads).
 */
export interface AgentapiFault {
  kind: AgentapiFaultKind;
  /** `status`: the code to answer (default 500), with a problem JSON body. */
  status?: number;
  /** Wait this long before answering. For `delay` the answer is then normal; for other kinds the fault follows. */
  delayMs?: number;
  /** `drip`: bytes per chunk (default 64). */
  chunkBytes?: number;
  /** `drip`: pause between chunks (default 50 ms). */
  intervalMs?: number;
  /** Apply to the next N matching requests only, then recover. Default: until cleared. */
  times?: number;
  /** `messages` (default): only `GET /messages`; `all`: `GET /status` and `POST /message` too. */
  scope?: 'messages' | 'all';
}

const nonNegative = z.number().int().min(0);

export const agentapiFaultSchema = z.strictObject({
  kind: z.enum(AGENTAPI_FAULT_KINDS),
  status: z.number().int().min(100).max(599).optional(),
  delayMs: nonNegative.optional(),
  chunkBytes: z.number().int().min(1).optional(),
  intervalMs: nonNegative.optional(),
  times: z.number().int().min(1).optional(),
  scope: z.enum(['messages', 'all']).optional(),
});

/** Throws a readable error for a fault object that came from outside TypeScript (CLI, admin API). */
export function validateAgentapiFault(fault: unknown): AgentapiFault {
  const parsed = agentapiFaultSchema.safeParse(fault);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new RangeError(`invalid fault: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(root)'}: ${issue.message}`}`);
}

/** Holds the current fault and counts down `times`, so "fail twice then recover" needs no test timing. */
export class FaultSlot {
  #fault: AgentapiFault | null = null;
  #remaining = Infinity;

  set(fault: AgentapiFault | null): void {
    this.#fault = fault === null ? null : validateAgentapiFault(fault);
    this.#remaining = fault?.times ?? Infinity;
  }

  get(): AgentapiFault | null {
    return this.#fault;
  }

  /** The fault to apply to this request, if any, consuming one of its `times`. */
  take(route: 'messages' | 'status' | 'message'): AgentapiFault | null {
    const fault = this.#fault;
    if (fault === null) return null;
    if (route !== 'messages' && fault.scope !== 'all') return null;
    this.#remaining -= 1;
    if (this.#remaining <= 0) this.#fault = null;
    return fault;
  }
}
