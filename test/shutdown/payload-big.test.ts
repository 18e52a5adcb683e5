/**
 * build_payload on big bodies (20 MB in 1400 messages, 5000 messages, one 3.6 MB message full of escapes) equals
 * src/snapshot/policy.ts for every engine, and so does payload_for_file's windowed path on the 20 MB
 * one. Apart from payload-property.test.ts so the two run in parallel.
 */
import { describe, expect, it } from 'vitest';
import { encode, engineVariants, expectSame, PROPERTY_SHELLS } from '../support/shutdown-engines.ts';

const variants = engineVariants();
const shells = PROPERTY_SHELLS;

describe.skipIf(shells.length === 0)('big bodies', () => {
  const message = (id: number, content: string) => ({ id, content, role: id % 2 === 0 ? 'user' : 'agent', time: '2025-06-01T10:00:00Z' });
  const twentyMegabytes = encode(
    { $schema: 'http://localhost:3284/schemas/MessagesResponseBody.json', messages: Array.from({ length: 1400 }, (_, id) => message(id, `message ${id} ┌─┐ "q" \\ é 😀\n`.repeat(400).slice(0, 10_000))) },
    'compact',
  );
  const thousands = encode({ messages: Array.from({ length: 5000 }, (_, id) => message(id, `short ${id}`)) }, 'compact');
  const oneHuge = encode({ messages: [message(0, 'start\n' + 'é\t"\\😀 '.repeat(300_000) + '\nend')] }, 'compact');
  for (const variant of variants) {
    it.skipIf(!variant.available)(`${variant.name}${variant.available ? '' : `: ${variant.needs} is not installed`}: 1400 messages of 10 KB (20 MB), 5000 short ones, one 3.6 MB message`, () => {
      const options = { messageCount: 10, limitBytes: 65536 };
      expect(Buffer.byteLength(twentyMegabytes)).toBeGreaterThanOrEqual(20_000_000);
      expectSame(twentyMegabytes, variant, shells[0]!, options);
      // the production path: past the default window (2 × 64 KiB + 16 KiB) only the start and the end are read
      expectSame(twentyMegabytes, variant, shells[0]!, { ...options, windowBytes: 2 * 65536 + 16384 });
      expectSame(thousands, variant, shells[1 % shells.length]!, options);
      expectSame(oneHuge, variant, shells[2 % shells.length]!, options);
    });
  }
});
