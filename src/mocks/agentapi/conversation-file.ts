import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { isRfc3339 } from '../shared/rfc3339.ts';
import type { MessageInput } from './types.ts';

/** A conversation file that cannot be used; the CLI turns it into `Error: ...` and exit 2. */
export class ConversationError extends Error {
  override name = 'ConversationError';
}

const role = z.enum(['user', 'agent']);
const time = z.string().refine(isRfc3339, 'must be an RFC 3339 timestamp');
const inputMessage = z.object({ content: z.string(), role, time: time.optional() });
const fullMessage = z.object({ id: z.number().int().optional(), content: z.string(), role, time });

const bareArray = z.array(inputMessage);
const messagesResponse = z.object({ $schema: z.string().optional(), messages: z.array(fullMessage) });

export async function loadConversationFile(path: string): Promise<MessageInput[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConversationError(`cannot read conversation file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  return parseConversationText(text, path);
}

export function parseConversationText(text: string, source = 'conversation'): MessageInput[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConversationError(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  return parseConversation(json, source);
}

/**
 * Either a bare array of {content, role, time?} or a whole `GET /messages` response. The shape is
 * chosen up front (rather than with a union) so the error names the field that is wrong.
 */
export function parseConversation(json: unknown, source = 'conversation'): MessageInput[] {
  const parsed = Array.isArray(json) ? bareArray.safeParse(json) : messagesResponse.safeParse(json);
  if (!parsed.success) throw new ConversationError(`${source} is not a conversation: ${describeIssue(parsed.error)}`);
  const messages = Array.isArray(parsed.data) ? parsed.data : parsed.data.messages;
  return messages.map(({ content, role: messageRole, time: messageTime }) => ({ content, role: messageRole, time: messageTime }));
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  return `${issue.path.join('.') || '(root)'}: ${issue.message}`;
}
