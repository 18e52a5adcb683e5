/**
 * The windowed path (payload_for_file on a body larger than its window: the body's start and its
 * last bytes only) equals src/snapshot/policy.ts byte for byte, for jq and every awk. Windows of
 * a few bytes to more than the body, so every case is covered: the newest messages well inside
 * the window, the last messages alone larger than it (the whole body is read instead), a single
 * huge last message, contents that look like JSON structure (`{"id":1}`, `"},{"id":`, `]}`,
 * backslashes before quotes), whitespace between tokens, escapes and multibyte characters cut
 * at the window's first byte.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSnapshotPayload } from '../../src/snapshot/policy.ts';
import { encode, engineVariants, expectedMeta, expectSame, PROPERTY_SHELLS, runPayloadForFile, type Encoding } from '../support/shutdown-engines.ts';
import { propertyRuns } from '../support/tier.ts';

const variants = engineVariants();
const available = variants.filter((variant) => variant.available);
const shells = PROPERTY_SHELLS;

for (const variant of variants.filter((candidate) => !candidate.available)) {
  it.skip(`engine ${variant.name}: ${variant.needs} is not installed`, () => undefined);
}

/** Pieces of content that look like the JSON around them, or are awkward to cut. */
const LOOKALIKES = ['{"id":1,"content":"', '"},{"id":', '{"id":', ']}', '}]', '[', '\\', '\\"', '"', '\\\\"', ' ', '\n', '\t', '\u0000', '\u001b', '\u2028', 'é', '你', '😀', '👩‍💻'];

const contentUnit = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }) },
  { weight: 3, arbitrary: fc.constantFrom(...LOOKALIKES) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
);
const content = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: contentUnit, maxLength: 80 }) },
  { weight: 1, arbitrary: fc.tuple(fc.string({ unit: contentUnit, minLength: 1, maxLength: 12 }), fc.integer({ min: 20, max: 300 })).map(([piece, times]) => piece.repeat(times)) },
);

const windowCase = fc.record({
  contents: fc.array(content, { minLength: 1, maxLength: 40 }),
  /** A last message far larger than the others (and than most windows). */
  hugeLast: fc.option(fc.tuple(fc.string({ unit: contentUnit, minLength: 1, maxLength: 8 }), fc.integer({ min: 500, max: 3000 })).map(([piece, times]) => piece.repeat(times)), { freq: 5 }),
  schema: fc.boolean(),
  encoding: fc.constantFrom<Encoding>('compact', 'compact', 'compact', 'pretty', 'ascii-upper', 'slash'),
  messageCount: fc.integer({ min: 1, max: 12 }),
  limitBytes: fc.oneof(fc.integer({ min: 150, max: 3000 }), fc.constant(65536)),
  /** The window as a fraction of the body: below 1 the windowed path runs. */
  windowShare: fc.double({ min: 0.002, max: 1.2, noNaN: true }),
});

function bodyOf(testCase: typeof windowCase extends fc.Arbitrary<infer T> ? T : never): string {
  const contents = testCase.hugeLast === null ? testCase.contents : [...testCase.contents, testCase.hugeLast];
  const messages = contents.map((text, id) => ({ id, content: text, role: id % 2 === 0 ? 'user' : 'agent', time: '2025-06-01T10:00:00Z' }));
  return encode(testCase.schema ? { $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json', messages } : { messages }, testCase.encoding);
}

describe.skipIf(shells.length === 0)('payload_for_file (the windowed path) equals src/snapshot/policy.ts', () => {
  it('over random conversations, windows, limits and encodings, for every engine', () => {
    let runIndex = 0;
    fc.assert(
      fc.property(windowCase, (testCase) => {
        const body = bodyOf(testCase);
        const windowBytes = Math.max(16, Math.floor(Buffer.byteLength(body) * testCase.windowShare));
        const options = { messageCount: testCase.messageCount, limitBytes: testCase.limitBytes, windowBytes };
        runIndex += 1;
        for (const variant of available) expectSame(body, variant, shells[runIndex % shells.length]!, options);
      }),
      { numRuns: propertyRuns(8, 15) },
    );
  }, 300_000);

  it('reads only the start and the window: a corrupt middle goes unnoticed, a corrupt window or start does not', () => {
    const messages = Array.from({ length: 200 }, (_, id) => ({ id, content: `message ${id} "q" \\ é 😀 {"id":${id}}`, role: 'user', time: 't' }));
    const body = encode({ $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json', messages }, 'compact');
    const options = { messageCount: 10, limitBytes: 65536 };
    const reference = buildSnapshotPayload(body, options);
    const middle = body.indexOf('message 100 ');
    const start = body.indexOf('localhost'); // in $schema, before messages
    const corrupt = (at: number) => `${body.slice(0, at)}\u0001${body.slice(at + 1)}`; // a raw control character: not JSON
    const windowBytes = Buffer.byteLength(body.slice(body.indexOf('{"id":180')));
    for (const variant of available) {
      const shell = shells[0]!;
      const unread = runPayloadForFile(corrupt(middle), variant, shell, { ...options, windowBytes });
      expect(unread.payload, `${variant.name}: the middle is not read`).toBe(reference.payload);
      expect(unread.meta, variant.name).toBe(expectedMeta(reference));
      for (const at of [start, body.length - 40]) {
        const read = runPayloadForFile(corrupt(at), variant, shell, { ...options, windowBytes });
        expect(read.payload, `${variant.name}: byte ${at} is read`).toBe('');
      }
    }
  });

  it('on hand-written edge cases: a member after messages, ids that do not count, an empty list, no messages', () => {
    const many = (extra: string) => `{"messages":[${Array.from({ length: 30 }, (_, id) => `{"id":${id},"content":"${'x'.repeat(40)}"}`).join(',')}]${extra}}\n`;
    const cases = [
      many(''),
      many(',"after":"x"'),
      many(',"after":[1,{"id":2}]'),
      many('').replace('"id":29', '"id":31'),
      many('').replace('"id":25', '"id":"25"'),
      `{"$schema":"${'s'.repeat(500)}","messages":[]}\n`,
      `{"$schema":"${'s'.repeat(500)}","messages":null}\n`,
      `{"$schema":"${'s'.repeat(500)}"}\n`,
      `{"messages":[${Array.from({ length: 30 }, (_, id) => `{"id":${id},"content":"${'\\\\'.repeat(30)}"}`).join(',')}]}\n`,
      `{"messages":[${Array.from({ length: 30 }, (_, id) => `{"id":${id},"nested":{"id":${id},"content":"{\\"id\\":1}"},"content":"c"}`).join(',')}]}\n`,
      `{"messages":[${Array.from({ length: 30 }, (_, id) => `{"id":${id},"content":"${'x'.repeat(40)}"}`).join(',')}]} trailing\n`,
    ];
    cases.forEach((body, index) => {
      const windowBytes = [100, 400, 900][index % 3]!;
      for (const variant of available) expectSame(body, variant, shells[index % shells.length]!, { messageCount: 5, limitBytes: 65536, windowBytes });
    });
  }, 300_000);
});
