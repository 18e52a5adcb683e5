import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { responseClosedSignal, sleep } from '../shared/abortable.ts';
import { writeMessage } from './respond.ts';
import type { CoderdFault } from './types.ts';

export const coderdFaultSchema = z.strictObject({
  status: z.number().int().min(100).max(599).optional(),
  message: z.string().optional(),
  delayMs: z.number().int().min(0).optional(),
  hang: z.boolean().optional(),
  reset: z.boolean().optional(),
  times: z.number().int().min(1).optional(),
});

export function validateCoderdFault(fault: unknown): CoderdFault {
  const parsed = coderdFaultSchema.safeParse(fault);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new RangeError(`invalid fault: ${issue === undefined ? 'invalid' : `${issue.path.join('.') || '(root)'}: ${issue.message}`}`);
}

/** The current snapshot-route fault, counting down `times` so "fail K then recover" is deterministic. */
export class CoderdFaultSlot {
  #fault: CoderdFault | null = null;
  #remaining = Infinity;

  set(fault: CoderdFault | null): void {
    this.#fault = fault === null ? null : validateCoderdFault(fault);
    this.#remaining = fault?.times ?? Infinity;
  }

  get(): CoderdFault | null {
    return this.#fault;
  }

  take(): CoderdFault | null {
    const fault = this.#fault;
    if (fault === null) return null;
    this.#remaining -= 1;
    if (this.#remaining <= 0) this.#fault = null;
    return fault;
  }
}

/**
 * Applies a fault. Returns true when the request has been dealt with (answered, hung or reset);
 * false when it was only delayed and normal handling should go on.
 */
export async function applyCoderdFault(req: IncomingMessage, res: ServerResponse, fault: CoderdFault): Promise<boolean> {
  if (fault.delayMs !== undefined && fault.delayMs > 0 && !(await sleep(fault.delayMs, responseClosedSignal(res)))) return true;
  if (fault.hang) return true;
  if (fault.reset) {
    req.socket.resetAndDestroy();
    return true;
  }
  if (fault.status !== undefined) {
    writeMessage(res, fault.status, fault.message ?? 'Injected fault (mock coderd).');
    return true;
  }
  return false;
}
