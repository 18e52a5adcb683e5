import type { AgentapiMessage } from './types.ts';

export interface GenerateConversationOptions {
  count: number;
  /** UTF-8 bytes of each message's content (exact). */
  size: number;
  /** Same seed, same conversation; defaults to 1. */
  seed?: number;
  /** Time of the first message (RFC 3339); later ones follow one second apart. */
  start?: string;
}

const DEFAULT_START = '2025-01-01T00:00:00Z';
const LINE_WIDTH = 80;

/**
 * Pieces of terminal text with every UTF-8 width (1 to 4 bytes), so clients that count
 * characters instead of bytes, or cut inside a sequence, get caught.
 */
const PIECES: readonly string[] = ['a', 'e', 'o', 's', 't', ' ', ' ', '.', 'é', 'ß', 'ж', '─', '│', '┌', '東', '京', '語', '✓', '😀', '🚀', '𝄞'];

/** Deterministic conversation of `count` messages of exactly `size` bytes, alternating user/agent. */
export function generateConversation(options: GenerateConversationOptions): AgentapiMessage[] {
  assertNonNegativeInteger('count', options.count);
  assertNonNegativeInteger('size', options.size);
  const random = mulberry32(options.seed ?? 1);
  const start = Date.parse(options.start ?? DEFAULT_START);
  const messages: AgentapiMessage[] = [];
  for (let id = 0; id < options.count; id += 1) {
    messages.push({
      id,
      content: generateContent(options.size, random),
      role: id % 2 === 0 ? 'user' : 'agent',
      time: new Date(start + id * 1000).toISOString().replace('.000Z', 'Z'),
    });
  }
  return messages;
}

/** Fills exactly `size` bytes: a random piece when it fits, ASCII padding at the end, a newline every line. */
function generateContent(size: number, random: () => number): string {
  const parts: string[] = [];
  let bytes = 0;
  let column = 0;
  while (bytes < size) {
    const remaining = size - bytes;
    let piece = column >= LINE_WIDTH ? '\n' : (PIECES[Math.floor(random() * PIECES.length)] as string);
    if (Buffer.byteLength(piece) > remaining) piece = 'x';
    parts.push(piece);
    bytes += Buffer.byteLength(piece);
    column = piece === '\n' ? 0 : column + 1;
  }
  return parts.join('');
}

/** A tiny, well-known 32-bit PRNG: enough for reproducible fixtures, no dependency. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function assertNonNegativeInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}
