/**
 * The shutdown script's payload equals src/snapshot/policy.ts byte for byte, for both engines
 * (jq; awk as mawk, gawk --posix and BusyBox awk) under several shells, over random
 * conversations: empty, multibyte, emoji, control characters, quotes and backslashes, NUL,
 * several encodings of the same value (bodies of several MB: payload-big.test.ts). jq 1.6 is
 * looser than JSON in two ways AgentAPI never exercises (lone high surrogate escapes are
 * refused, leading zeros accepted): awk alone is held to the reference there.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SHELLS } from '../../src/agent-simulation/shells.ts';
import { buildSnapshotPayload, type SnapshotOptions } from '../../src/snapshot/policy.ts';
import { encode, engineVariants, expectedMeta, expectSame, PROPERTY_SHELLS, runBuildPayload, type Encoding } from '../support/shutdown-engines.ts';
import { propertyRuns } from '../support/tier.ts';

const variants = engineVariants();
const available = variants.filter((variant) => variant.available);
const shells = PROPERTY_SHELLS;

for (const variant of variants.filter((candidate) => !candidate.available)) {
  it.skip(`engine ${variant.name}: ${variant.needs} is not installed`, () => undefined);
}

// --- arbitraries

const SPECIAL = ['"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001', '\u001b', '\u001f', '\u007f', '\u0080', '\u07ff', '\u2028', '\u2029', '\ufffd', '\uffff', 'é', '你', '┌', '😀', '👩‍💻', '𐀀', ' '];

const contentUnit = fc.oneof(
  { weight: 6, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...SPECIAL) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);

const shortContent = fc.string({ unit: contentUnit, maxLength: 120 });
/** A short random piece repeated into a long content, so small limits force truncation. */
const longContent = fc.tuple(fc.string({ unit: contentUnit, minLength: 1, maxLength: 20 }), fc.integer({ min: 50, max: 600 })).map(([piece, times]) => piece.repeat(times));

interface Message {
  id: number;
  content: string;
  role: string;
  time: string;
  [extra: string]: unknown;
}

const conversation = fc
  .array(
    fc.record({
      content: fc.oneof({ weight: 4, arbitrary: shortContent }, { weight: 1, arbitrary: longContent }),
      extra: fc.option(fc.record({ nested: fc.array(fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), shortContent), { maxLength: 3 }) }), { freq: 6 }),
    }),
    { maxLength: 30 },
  )
  .map((items) =>
    items.map(({ content, extra }, id): Message => {
      const message: Message = { id, content, role: id % 2 === 0 ? 'user' : 'agent', time: `2025-06-01T10:00:${String(id % 60).padStart(2, '0')}Z` };
      if (extra !== null) message.extra = extra;
      return message;
    }),
  );

const snapshotCase = fc.record({
  messages: conversation,
  schema: fc.boolean(),
  after: fc.option(shortContent, { freq: 3 }),
  encoding: fc.constantFrom<Encoding>('compact', 'pretty', 'ascii-lower', 'ascii-upper', 'slash'),
  messageCount: fc.integer({ min: 1, max: 12 }),
  limitBytes: fc.oneof(fc.integer({ min: 200, max: 4000 }), fc.constant(65536)),
});

function bodyOf(testCase: { messages: Message[]; schema: boolean; after: string | null; encoding: Encoding }): string {
  const top: Record<string, unknown> = {};
  if (testCase.schema) top.$schema = 'http://localhost:3284/schemas/MessagesResponseBody.json';
  top.messages = testCase.messages;
  if (testCase.after !== null) top.after = testCase.after;
  return encode(top, testCase.encoding);
}

// --- properties

describe.skipIf(shells.length === 0)('build_payload equals src/snapshot/policy.ts', () => {
  it('over random conversations, limits and encodings, for every engine', () => {
    let runIndex = 0;
    fc.assert(
      fc.property(snapshotCase, (testCase) => {
        const body = bodyOf(testCase);
        const options = { messageCount: testCase.messageCount, limitBytes: testCase.limitBytes };
        runIndex += 1;
        for (const variant of available) expectSame(body, variant, shells[runIndex % shells.length]!, options);
      }),
      { numRuns: propertyRuns(30, 60) },
    );
  });

  it('on payloads that must be truncated, always within the limit, for every engine', () => {
    let runIndex = 0;
    fc.assert(
      fc.property(longContent, fc.integer({ min: 150, max: 3000 }), fc.constantFrom<Encoding>('compact', 'ascii-upper'), (content, limitBytes, encoding) => {
        const body = encode({ $schema: 'x', messages: [{ id: 0, content, role: 'agent', time: 't' }] }, encoding);
        const options = { messageCount: 10, limitBytes };
        const reference = buildSnapshotPayload(body, options);
        if (reference.status === 'ok') expect(Buffer.byteLength(reference.payload)).toBeLessThanOrEqual(limitBytes);
        runIndex += 1;
        for (const variant of available) expectSame(body, variant, shells[runIndex % shells.length]!, options);
      }),
      { numRuns: propertyRuns(20, 40) },
    );
  });

  it('on hand-written edge cases', () => {
    const cases: Array<[string, SnapshotOptions]> = [
      ['{"messages":[]}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":null}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":"x"}', { messageCount: 10, limitBytes: 65536 }],
      ['[{"messages":[1]}]', { messageCount: 10, limitBytes: 65536 }],
      ['{"a":1,"messages":[1,2],"a":{"b":[]},"messages":[3,{"content":"x"}]}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[{"content":"\\u0000\\u0000","k\\u0000":"v"}]}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[{"content":"\\\\u0041 \\\\\\" \\\\\\\\n"}]}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[{"content":"\\uD83D\\uDE00\\uDbff\\uDfFf\\u00E9\\u005C\\u0022\\u0041\\u007F\\u0008"}]}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[{"id":1,"content":"only a long content here"}],"$schema":"' + 's'.repeat(300) + '"}', { messageCount: 10, limitBytes: 200 }],
      ['{"messages":[{"id":1,"body":"no content field"}]}', { messageCount: 10, limitBytes: 20 }],
      [' \n\t{ "messages" : [ { "content" : "spaced" } ] } \r\n', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[{"content":"' + '\\"'.repeat(5000) + '"}]}', { messageCount: 10, limitBytes: 1024 }],
      ['{"messages":[{"content":"' + '\\\\'.repeat(5000) + '"}]}', { messageCount: 10, limitBytes: 1024 }],
      ['{"messages":[{"content":"' + '\\u001b'.repeat(3000) + '"}]}', { messageCount: 10, limitBytes: 1031 }],
      ['{"messages":[{"content":"' + '😀'.repeat(3000) + '"}]}', { messageCount: 10, limitBytes: 1033 }],
      ['{"messages":[{"content":"x"}]} trailing', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[{"content":"raw\ttab"}]}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[{"content":"bad \\x escape"}]}', { messageCount: 10, limitBytes: 65536 }],
      ['{"messages":[1,]}', { messageCount: 10, limitBytes: 65536 }],
      ['<html><body>502 Bad Gateway</body></html>\n', { messageCount: 10, limitBytes: 65536 }],
      ['', { messageCount: 10, limitBytes: 65536 }],
    ];
    cases.forEach(([body, options], index) => {
      for (const variant of available) expectSame(body, variant, shells[index % shells.length]!, options);
    });
  });

  // jq 1.6 rejects a lone high surrogate escape and reads 01 as 1; AgentAPI (Go) sends neither.
  it('awk matches the reference where jq 1.6 is not strict JSON: lone surrogates, leading zeros', () => {
    const body = '{"messages":[{"content":"a\\ud800b\\udc00c\\ud83d\\u0041\\ud800"}]}';
    const options = { messageCount: 10, limitBytes: 65536 };
    const reference = buildSnapshotPayload(body, options);
    expect(reference.payload).toContain('a\uFFFDb\uFFFDc\uFFFDA\uFFFD');
    expect(buildSnapshotPayload('{"messages":[01]}', options).status).toBe('not-json');
    for (const variant of available.filter((candidate) => candidate.engine === 'awk')) {
      expectSame(body, variant, shells[0]!, options);
      expectSame('{"messages":[01]}', variant, shells[0]!, options);
    }
  });
});

describe('every installed shell runs every engine', () => {
  const fixtures = join(import.meta.dirname, 'fixtures');
  const pretty = readFileSync(join(fixtures, 'pretty.json'), 'utf8');
  const oversize = encode({ messages: [{ id: 0, content: 'HEAD ' + 'line ░▒▓ "q" \\ x\n'.repeat(2000) + ' TAIL ✓' }] }, 'compact');
  for (const shell of SHELLS) {
    it.skipIf(!shell.available)(`${shell.name}${shell.available ? '' : `: ${shell.argv[0]} is not installed`}`, () => {
      for (const variant of available) {
        for (const [body, options] of [
          [pretty, { messageCount: 10, limitBytes: 65536 }],
          [pretty, { messageCount: 4, limitBytes: 700 }],
          [oversize, { messageCount: 10, limitBytes: 4096 }],
        ] as const) {
          const reference = buildSnapshotPayload(body, options);
          const run = runBuildPayload(body, variant, shell, options);
          expect(run.payload, `${variant.name} under ${shell.name}`).toBe(reference.payload);
          expect(run.meta, `${variant.name} under ${shell.name}`).toBe(expectedMeta(reference));
        }
      }
    });
  }
});
