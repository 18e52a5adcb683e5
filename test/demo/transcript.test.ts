import { describe, expect, it } from 'vitest';
import { demoConversation } from '../../src/demo/conversation.ts';
import { renderTranscript, shouldUseColor } from '../../src/demo/transcript.ts';

const logs = {
  snapshot: true,
  snapshot_at: '2026-11-20T09:10:00Z',
  logs: [
    { id: 0, type: 'input' as const, content: 'Fix 東京 please', time: '2026-11-20T09:00:00Z' },
    { id: 1, type: 'output' as const, content: '[...content truncated, showing last 10 bytes]\nline a\nline b\nline c', time: '2026-11-20T09:00:47Z' },
  ],
};

describe('renderTranscript', () => {
  it('shows who said what and when, and that the task is paused', () => {
    const text = renderTranscript(logs, { color: false, maxLinesPerMessage: 10 });
    expect(text).toContain('Task is paused: showing the log snapshot taken at 2026-11-20T09:10:00Z');
    expect(text).toContain('You · 2026-11-20T09:00:00Z · #0\n  Fix 東京 please');
    expect(text).toContain('Agent · 2026-11-20T09:00:47Z · #1\n  [...content truncated');
  });

  it('elides the middle of long messages, keeping the marker and the tail', () => {
    const text = renderTranscript(logs, { color: false, maxLinesPerMessage: 2 });
    expect(text).toContain('  [...content truncated, showing last 10 bytes]\n  … 2 line(s) not shown\n  line c');
    expect(text).not.toContain('line a');
  });

  it('paints only when colour is on, and highlights the truncation marker', () => {
    expect(renderTranscript(logs, { color: false, maxLinesPerMessage: 10 })).not.toContain('\u001b[');
    expect(renderTranscript(logs, { color: true, maxLinesPerMessage: 10 })).toContain('\u001b[33m[...content truncated');
  });

  it('says so when there is no snapshot', () => {
    expect(renderTranscript({ logs: [], snapshot: true }, { color: false, maxLinesPerMessage: 5 })).toContain('(no messages)');
  });
});

describe('shouldUseColor', () => {
  it('honours NO_COLOR and terminals', () => {
    expect(shouldUseColor({ NO_COLOR: '1' }, true)).toBe(false);
    expect(shouldUseColor({ NO_COLOR: '' }, true)).toBe(true);
    expect(shouldUseColor({}, false)).toBe(false);
  });
});

describe('demoConversation', () => {
  it('opens with short multibyte turns of both roles that fit the upload limit, then one reply larger than it', () => {
    const { opening, longReply } = demoConversation();
    expect(opening.some((message) => /[東┌👍]/u.test(message.content))).toBe(true);
    expect(new Set(opening.map((message) => message.role))).toEqual(new Set(['user', 'agent']));
    expect(Buffer.byteLength(JSON.stringify({ messages: opening }))).toBeLessThan(65536);
    expect(longReply.role).toBe('agent');
    expect(Buffer.byteLength(longReply.content)).toBeGreaterThan(65536);
  });
});
