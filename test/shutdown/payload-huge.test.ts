/**
 * build_payload equals src/snapshot/policy.ts on random conversations of the sizes a long agent
 * session reaches: thousands of messages and 10 to 20 MB in every run, with multibyte characters,
 * emoji, quotes, backslashes, control characters and NUL sprinkled through ordinary terminal text.
 * Few runs: each body costs an engine seconds (BusyBox awk reads 1.5 to 5 MB/s, slowest on
 * quote-heavy text), so every run checks jq and one awk, the awks taking turns. The small end,
 * from the empty conversation up, is payload-property.test.ts; a fixed 20 MB body through every
 * engine is payload-big.test.ts. Apart from both so they run in parallel.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { SHELLS } from '../../src/agent-simulation/shells.ts';
import { encode, engineVariants, expectSame, type Encoding } from '../support/shutdown-engines.ts';
import { propertyRuns } from '../support/tier.ts';

const variants = engineVariants();
const available = variants.filter((variant) => variant.available);
const jq = available.filter((variant) => variant.engine === 'jq');
const awks = available.filter((variant) => variant.engine === 'awk');
const dash = SHELLS.find((shell) => shell.name === 'dash' && shell.available);

for (const variant of variants.filter((candidate) => !candidate.available)) {
  it.skip(`engine ${variant.name}: ${variant.needs} is not installed`, () => undefined);
}

// --- arbitraries

/** What a terminal agent prints: box drawing, paths, quotes, backslashes, CJK, emoji. */
const FILLERS = [
  'Build step ┌──┐ "quoted" \\ path/to/file.ts:42 ok\n',
  'plain ascii log line, nothing special in it at all\n',
  '日本語のテキスト — 😀 👩‍💻 emoji and é accents\t\n',
  '\u001b[32m✓\u001b[0m test passed in 12ms\r\n',
];

/** Rare, awkward characters: what the engines must escape, normalise or replace (NUL). */
const SPECIAL = ['"', '\\', '/', '\n', '\r', '\t', '\b', '\f', '\u0000', '\u0001', '\u001f', '\u007f', '\u2028', '\ufffd', '😀', '𐀀', 'é'];

const sprinkle = fc.string({
  unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...SPECIAL) }, { weight: 2, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) }),
  minLength: 1,
  maxLength: 12,
});

const hugeCase = fc.record({
  count: fc.integer({ min: 1000, max: 4000 }),
  /** Bytes of the ordinary messages, each. */
  smallBytes: fc.integer({ min: 0, max: 1000 }),
  /** How many messages are huge, and their bytes together. */
  huge: fc.integer({ min: 1, max: 4 }),
  hugeBytes: fc.integer({ min: 8_000_000, max: 15_000_000 }),
  /** Whether the final message is one of the huge ones (the truncation path). */
  hugeLast: fc.boolean(),
  fillers: fc.shuffledSubarray(FILLERS, { minLength: 1 }),
  sprinkles: fc.array(sprinkle, { minLength: 1, maxLength: 6 }),
  /** A sprinkle every this many fillers. */
  every: fc.integer({ min: 1, max: 40 }),
  encoding: fc.constantFrom<Encoding>('compact', 'pretty', 'slash'),
  messageCount: fc.integer({ min: 1, max: 12 }),
  limitBytes: fc.constantFrom(65536, 4096),
});

type HugeCase = typeof hugeCase extends fc.Arbitrary<infer T> ? T : never;

/** Content of about `bytes` UTF-8 bytes: fillers with a sprinkle every `every` of them. Whole strings are repeated, never sliced, so no surrogate pair is split. */
function content(testCase: HugeCase, seed: number, bytes: number): string {
  const filler = testCase.fillers[seed % testCase.fillers.length]!;
  const unit = filler.repeat(testCase.every) + testCase.sprinkles[seed % testCase.sprinkles.length]!;
  const times = Math.max(bytes > 0 ? 1 : 0, Math.round(bytes / Buffer.byteLength(unit)));
  // every message holds a NUL (U+FFFD in the payload), a quote, a backslash and an emoji
  return `#${seed} \u0000"\\😀 ${unit.repeat(times)}`;
}

function bodyOf(testCase: HugeCase): string {
  const { count, huge } = testCase;
  // Huge messages spread evenly; the last position is huge exactly when hugeLast says so.
  const hugeAt = new Set(Array.from({ length: huge }, (_, index) => Math.floor(((index + 1) * (count - 1)) / (huge + 1))));
  if (testCase.hugeLast) hugeAt.add(count - 1);
  else hugeAt.delete(count - 1);
  const messages = Array.from({ length: count }, (_, id) => ({
    id,
    content: content(testCase, id, hugeAt.has(id) ? Math.floor(testCase.hugeBytes / hugeAt.size) : testCase.smallBytes),
    role: id % 2 === 0 ? 'user' : 'agent',
    time: '2025-06-01T10:00:00Z',
  }));
  return encode({ $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json', messages }, testCase.encoding);
}

// --- property

describe.skipIf(dash === undefined || available.length === 0)('build_payload equals src/snapshot/policy.ts on conversations of thousands of messages and tens of MB', () => {
  it(
    `under dash: jq every run, the awks (${awks.map((variant) => variant.name).join(', ')}) in turn`,
    () => {
      let runIndex = 0;
      fc.assert(
        fc.property(hugeCase, (testCase) => {
          const body = bodyOf(testCase);
          const options = { messageCount: testCase.messageCount, limitBytes: testCase.limitBytes };
          const awk = awks[runIndex % Math.max(awks.length, 1)];
          runIndex += 1;
          for (const variant of awk === undefined ? jq : [...jq, awk]) expectSame(body, variant, dash!, options);
        }),
        // One run per awk in CI's full step, one in npm test (payload-big.test.ts puts 20 MB
        // through every awk there): each is a 10 to 20 MB body, seconds per engine. No shrinking
        // (endOnFailure): the failing case is reported as generated.
        { numRuns: propertyRuns(1, Math.max(awks.length, 1)), endOnFailure: true },
      );
    },
    // A hang guard, not a speed target: in CI's full step three 10-20 MB bodies go through jq and
    // an awk each while other files run beside them (267 s seen on a machine at load 11).
    600_000,
  );
});
