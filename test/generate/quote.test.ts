import { execFileSync } from 'node:child_process';
import { parse } from '@cdktf/hcl2json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hclString, shQuote } from '../../src/generate/quote.ts';
import { propertyRuns } from '../support/tier.ts';

// Strings that stress both quoting rules: quotes, escapes, template sigils, control and astral characters.
const nastyString = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('"', "'", '\\', '$', '{', '}', '%', '\n', '\r', '\t', '`', '!', 'a', 'é', '😀', '\u0001', '\u007f') }),
);

describe('hclString', () => {
  it('escapes quotes, backslashes, newlines and template sigils', () => {
    expect(hclString('a"b\\c\nd${x}%{y}')).toBe('"a\\"b\\\\c\\nd$${x}%%{y}"');
  });

  it('any string survives HashiCorp\'s HCL parser intact', async () => {
    await fc.assert(
      fc.asyncProperty(nastyString, async (value) => {
        const parsed = (await parse('q.tf', `locals {\n  v = ${hclString(value)}\n}\n`)) as { locals: Array<{ v: string }> };
        // hcl2json keeps escaped sigils escaped, and HCL normalises every string literal to NFC.
        const expected = value.normalize('NFC').replace(/([$%])\{/g, (_match, sigil: string) => `${sigil}${sigil}{`);
        expect(parsed.locals[0]?.v).toBe(expected);
      }),
      { numRuns: propertyRuns(60, 150) },
    );
  });
});

describe('shQuote', () => {
  it('wraps in single quotes and splices embedded single quotes', () => {
    expect(shQuote("it's")).toBe(`'it'\\''s'`);
  });

  it('refuses NUL, which no shell word can hold', () => {
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
  });

  it('any string without NUL prints back unchanged through dash', () => {
    fc.assert(
      fc.property(nastyString.filter((value) => !value.includes('\0')), (value) => {
        const out = execFileSync('dash', ['-c', `printf %s ${shQuote(value)}`], { encoding: 'buffer' });
        expect(out.equals(Buffer.from(value, 'utf8'))).toBe(true);
      }),
      { numRuns: propertyRuns(60, 150) },
    );
  });
});
