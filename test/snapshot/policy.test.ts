/**
 * The payload policy reference (src/snapshot/policy.ts) and its canonical JSON
 * (src/snapshot/canonical-json.ts), which the shutdown script's engines copy byte for byte.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeString, JsonSyntaxError, parseCanonical, serialize } from '../../src/snapshot/canonical-json.ts';
import { buildSnapshotPayload, longestTail, TRUNCATION_MARKER_PREFIX, truncationMarker } from '../../src/snapshot/policy.ts';

const canonical = (text: string) => serialize(parseCanonical(text));
const DEFAULTS = { messageCount: 10, limitBytes: 65536 };

function conversationBody(contents: string[], extra: Record<string, unknown> = {}): string {
  const messages = contents.map((content, id) => ({ id, content, role: id % 2 === 0 ? 'user' : 'agent', time: '2025-06-01T10:00:00Z' }));
  return `${JSON.stringify({ $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json', messages, ...extra })}\n`;
}

function contentsOf(payload: string): string[] {
  return (JSON.parse(payload) as { messages: Array<{ content: string }> }).messages.map((message) => message.content);
}

describe('canonical JSON', () => {
  it('escapes exactly like jq -c: short forms, \\u00xx lowercase for other controls and DEL, the rest raw', () => {
    expect(escapeString('"\\\b\t\n\f\r\u0001\u001f\u007f/é\u2028😀')).toBe('\\"\\\\\\b\\t\\n\\f\\r\\u0001\\u001f\\u007f/é\u2028😀');
  });

  it('normalises escapes a server may send: \\/ \\u00E9 \\u0041 and surrogate pairs', () => {
    expect(canonical('"\\/ \\u00E9 \\u0041 \\ud83d\\ude00 \\u005C \\u0022"')).toBe('"/ é A 😀 \\\\ \\""');
  });

  it('turns NUL and lone surrogate escapes into U+FFFD, in keys as in values', () => {
    expect(canonical('{"k\\u0000":"a\\u0000b \\ud800 \\udc00 \\ud800\\u0041"}')).toBe('{"k\uFFFD":"a\uFFFDb \uFFFD \uFFFD \uFFFDA"}');
    // an escaped backslash before "ud800" is text, not a surrogate escape
    expect(canonical('"\\\\ud800\\udc00"')).toBe('"\\\\ud800\uFFFD"');
  });

  it('keeps key order, integer-like keys included; a repeated key keeps its place and its last value', () => {
    expect(canonical('{"b":1,"1":2,"a":3,"b":4}')).toBe('{"b":4,"1":2,"a":3}');
  });

  it('keeps number literals as written and drops all whitespace', () => {
    expect(canonical(' [ 1 , -0 , 1.50 , 2E+3 , 12345678901234567890 , true , null ] ')).toBe('[1,-0,1.50,2E+3,12345678901234567890,true,null]');
  });

  it.each(['', '{', '{"a":1,}', '[1,]', '[01]', '"\t"', '"\\x"', '"\\u12"', '{"a":1} x', "{'a':1}", 'NaN', '"abc'])('rejects %j', (text) => {
    expect(() => parseCanonical(text)).toThrow(JsonSyntaxError);
  });

  it('agrees with JSON.parse on the value of any JSON.stringify output', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonical(JSON.stringify(value));
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 200 },
    );
  });
});

describe('buildSnapshotPayload', () => {
  it('keeps the last messageCount messages and the other top-level members in their places', () => {
    const body = conversationBody(Array.from({ length: 25 }, (_, index) => `message ${index}`), { after: 'tail' });
    const result = buildSnapshotPayload(body, DEFAULTS);
    expect(result).toMatchObject({ status: 'ok', total: 25, kept: 10, dropped: 0, truncated: false });
    expect(result.payload.startsWith('{"$schema":"http://localhost:3284/schemas/MessagesResponseBody.json","messages":[{"id":15,')).toBe(true);
    expect(result.payload.endsWith('],"after":"tail"}')).toBe(true);
    expect(contentsOf(result.payload)).toEqual(Array.from({ length: 10 }, (_, index) => `message ${index + 15}`));
  });

  it('replaces NUL so coderd (PostgreSQL jsonb) can store it', () => {
    const result = buildSnapshotPayload(conversationBody(['a\u0000b']), DEFAULTS);
    expect(contentsOf(result.payload)).toEqual(['a\uFFFDb']);
    expect(result.payload).not.toContain('\\u0000');
  });

  it.each([
    ['<html>502</html>', 'not-json'],
    ['', 'not-json'],
    ['{"$schema":"x"}', 'no-messages'],
    ['{"messages":null}', 'no-messages'],
    ['[]', 'no-messages'],
    ['{"messages":{}}', 'not-array'],
    ['{"messages":[]}', 'empty'],
  ] as const)('%j has status %s and no payload', (body, status) => {
    expect(buildSnapshotPayload(body, DEFAULTS)).toMatchObject({ status, payload: '', kept: 0 });
  });

  it('drops the oldest messages first while over the limit', () => {
    const contents = Array.from({ length: 10 }, (_, index) => `${index}`.repeat(100));
    const result = buildSnapshotPayload(conversationBody(contents), { messageCount: 10, limitBytes: 1000 });
    expect(result.status).toBe('ok');
    expect(result.truncated).toBe(false);
    expect(result.dropped).toBeGreaterThan(0);
    expect(contentsOf(result.payload)).toEqual(contents.slice(result.dropped));
    // one more message would not have fitted
    const withOneMore = buildSnapshotPayload(conversationBody(contents.slice(result.dropped - 1)), { messageCount: 10, limitBytes: 1000 });
    expect(withOneMore.dropped).toBe(1);
  });

  it('cuts the last message to its tail behind the marker, within the limit', () => {
    const content = `HEAD ${'line ░▒▓ "q" \\ 12345\n'.repeat(6000)} TAIL ✓`;
    const result = buildSnapshotPayload(conversationBody(['first', content]), DEFAULTS);
    expect(result).toMatchObject({ status: 'ok', total: 2, kept: 1, dropped: 1, truncated: true });
    expect(Buffer.byteLength(result.payload)).toBeLessThanOrEqual(65536);
    const [cut] = contentsOf(result.payload);
    const match = /^\[\.\.\.content truncated, showing last (\d+) bytes\]\n/.exec(cut ?? '');
    expect(match).not.toBeNull();
    const tail = (cut ?? '').slice(match![0].length);
    expect(Buffer.byteLength(tail)).toBe(Number(match![1]));
    expect(content.endsWith(tail)).toBe(true);
    expect(tail.endsWith(' TAIL ✓')).toBe(true);
  });

  it('the marker reserves as many digits as the room has, so the cut is the longest that fits', () => {
    const content = 'x'.repeat(5000);
    const limitBytes = 2000;
    const result = buildSnapshotPayload(conversationBody([content]), { messageCount: 10, limitBytes });
    const [cut] = contentsOf(result.payload);
    const tail = (cut ?? '').slice((cut ?? '').indexOf('\n') + 1);
    // ASCII text: the payload is exactly at the limit, or short of it by the digits N did not need
    const slack = limitBytes - Buffer.byteLength(result.payload);
    expect(slack).toBeGreaterThanOrEqual(0);
    expect(slack).toBeLessThanOrEqual(String(limitBytes).length - String(tail.length).length);
    expect(cut).toBe(truncationMarker(tail.length) + tail);
  });

  it('never splits a character or an escape: every truncation parses back to a suffix of the content', () => {
    const unit = fc.constantFrom('a', '"', '\\', '\n', '\u0001', '\u007f', 'é', '你', '😀', '👩‍💻', '\u0000');
    fc.assert(
      fc.property(fc.string({ unit, minLength: 200, maxLength: 3000 }), fc.integer({ min: 250, max: 2500 }), (content, limitBytes) => {
        const result = buildSnapshotPayload(conversationBody([content]), { messageCount: 10, limitBytes });
        if (result.status !== 'ok') {
          expect(result.status).toBe('too-large');
          return;
        }
        expect(Buffer.byteLength(result.payload)).toBeLessThanOrEqual(limitBytes);
        const [stored] = contentsOf(result.payload);
        const fixed = content.replace(/\u0000/g, '\uFFFD');
        if (!result.truncated) {
          expect(stored).toBe(fixed);
          return;
        }
        expect(stored?.startsWith(TRUNCATION_MARKER_PREFIX)).toBe(true);
        const tail = (stored ?? '').slice((stored ?? '').indexOf(']\n') + 2);
        expect(fixed.endsWith(tail)).toBe(true);
        expect(tail).not.toMatch(/^[\uDC00-\uDFFF]/);
      }),
      { numRuns: 300 },
    );
  });

  it('is too-large when the final message has no string content or the rest alone is over the limit', () => {
    expect(buildSnapshotPayload('{"messages":[{"id":1,"body":"' + 'x'.repeat(500) + '"}]}', { messageCount: 10, limitBytes: 100 }).status).toBe('too-large');
    expect(buildSnapshotPayload(conversationBody(['short'], { pad: 'p'.repeat(2000) }), { messageCount: 10, limitBytes: 1024 }).status).toBe('too-large');
  });

  it('longestTail counts escaped bytes and keeps surrogate pairs whole', () => {
    expect(longestTail('ab"c', 3)).toBe('"c');
    expect(longestTail('ab"c', 2)).toBe('c');
    expect(longestTail('x😀', 3)).toBe('');
    expect(longestTail('x😀', 4)).toBe('😀');
    expect(longestTail('\u0001a', 6)).toBe('a');
    expect(longestTail('\u0001a', 7)).toBe('\u0001a');
  });
});

describe('fixtures', () => {
  it('test/shutdown/fixtures/pretty.expected.json is what the reference makes of pretty.json', () => {
    const dir = join(import.meta.dirname, '../shutdown/fixtures');
    const result = buildSnapshotPayload(readFileSync(join(dir, 'pretty.json'), 'utf8'), DEFAULTS);
    expect(result.payload).toBe(readFileSync(join(dir, 'pretty.expected.json'), 'utf8'));
  });
});
