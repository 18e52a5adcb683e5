import { toWellFormed } from '../shared/go-json-encode.ts';
import type { AgentapiMessage, MessageInput } from './types.ts';

const DEFAULT_START = Date.parse('2025-01-01T00:00:00Z');

/**
 * Turns inputs into what AgentAPI serves: ids are positions (AgentAPI guarantees that), missing
 * times are filled one second apart, and lone surrogates become U+FFFD as Go strings would have them.
 */
export function toConversation(inputs: readonly MessageInput[]): AgentapiMessage[] {
  return inputs.map((input, id) => ({
    id,
    content: toWellFormed(input.content),
    role: input.role,
    time: input.time ?? new Date(DEFAULT_START + id * 1000).toISOString().replace('.000Z', 'Z'),
  }));
}
