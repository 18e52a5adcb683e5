/** Conversations the scenarios serve from the mock AgentAPI. */
import { generateConversation } from '../mocks/agentapi/index.ts';
import type { ConversationMessage } from './scenario-types.ts';

const BASE_TIME = Date.parse('2025-06-01T10:00:00Z');

/** A conversation as AgentAPI serves it: ids are positions, roles alternate user/agent. */
export function conversation(contents: string[]): ConversationMessage[] {
  return contents.map((content, id) => ({
    id,
    content,
    role: id % 2 === 0 ? 'user' : 'agent',
    // AgentAPI (Go, RFC 3339) writes no fraction for whole seconds.
    time: new Date(BASE_TIME + id * 1000).toISOString().replace('.000Z', 'Z'),
  }));
}

/** `count` short messages with HTML, quotes and backslashes in them. */
export function numbered(count: number): ConversationMessage[] {
  return conversation(Array.from({ length: count }, (_, index) => (index % 2 === 0 ? `Question ${index}: what next?` : `Answer ${index}: done <b>&amp;</b> "quoted" \\ back`)));
}

export const MULTIBYTE = conversation([
  'Box: ┌──┐ │ok│ └──┘ and CJK: 你好，世界 and emoji: 🚀🔥👩‍💻',
  'Combining: é (e + U+0301) and RTL: שלום and math: ∑∫√',
  'Tab\tnewline\nquote " backslash \\ dollar $HOME backtick ` single \'',
  '日本語のテキスト — with em dash and ellipsis…',
  '🎉'.repeat(50),
]);

/**
 * One big final message (~120 KB, twice coderd's limit): the payload must be cut to the limit,
 * keeping its tail. Not bigger: BusyBox awk's time grows with the square of this size, and the
 * matrix runs several scripts per core, so a bigger one would measure CPU contention, not
 * correctness (the bench, `npm run bench`, has the numbers).
 */
export function oversize(): ConversationMessage[] {
  const head = 'HEAD-of-the-huge-message ';
  const tail = ' TAIL-of-the-huge-message-✓';
  const huge = `${head}${'log line with some text ░▒▓ 12345\n'.repeat(3000)}${tail}`;
  return conversation([...Array.from({ length: 9 }, (_, index) => `message ${index}`), huge]);
}

/** 2000 messages of 1 KB of multibyte terminal text (over 2 MB). */
export function huge() {
  return generateConversation({ count: 2000, size: 1024, start: '2025-06-01T10:00:00Z' });
}
