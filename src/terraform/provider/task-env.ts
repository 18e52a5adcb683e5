/**
 * How the real provider tells a task from a workspace: CODER_TASK_ID, empty or the nil UUID
 * outside a task (then the ID is a fresh random UUID), a UUID inside one, anything else an error.
 */
import { randomUUID } from 'node:crypto';
import { isUuid } from './checks.ts';
import type { ProviderEnv } from './schema-spec.ts';

const NIL_UUID = '00000000-0000-0000-0000-000000000000';

export interface TaskFacts {
  id: string;
  enabled: boolean;
  prompt: string;
}

/** The task facts, or an error text for a CODER_TASK_ID that is not a UUID. */
export function taskFromEnv(env: ProviderEnv): TaskFacts | string {
  const id = env.CODER_TASK_ID ?? '';
  const prompt = env.CODER_TASK_PROMPT ?? '';
  if (id === '' || id === NIL_UUID) return { id: randomUUID(), enabled: false, prompt };
  if (!isUuid(id)) return `invalid UUID length: ${id.length}`;
  return { id, enabled: true, prompt };
}
