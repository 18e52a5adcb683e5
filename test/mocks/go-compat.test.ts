import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GoJsonEndError, type GoJsonValue, GoJsonSyntaxError, parseGoJson, quoteChar } from '../../src/mocks/coderd/go-json-parse.ts';
import { parseGoQuery } from '../../src/mocks/coderd/go-query.ts';
import { parseGoUuid } from '../../src/mocks/coderd/go-uuid.ts';
import { goJson } from '../../src/mocks/shared/go-json-encode.ts';
import { normalizeRfc3339 } from '../../src/mocks/shared/rfc3339.ts';

/** Back to plain JS values, to compare with JSON.parse. */
function plain(value: GoJsonValue): unknown {
  switch (value.kind) {
    case 'null':
      return null;
    case 'bool':
    case 'string':
      return value.value;
    case 'number':
      return Number(value.raw);
    case 'array':
      return value.items.map(plain);
    case 'object':
      return Object.fromEntries(value.entries.map(([key, item]) => [key, plain(item)]));
  }
}

describe('parseGoJson', () => {
  it('agrees with JSON.parse on any JSON text', () => {
    fc.assert(
      fc.property(fc.json(), (text) => {
        expect(plain(parseGoJson(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 300 },
    );
  });

  it('rejects what JSON.parse rejects', () => {
    const broken = fc.oneof(fc.string(), fc.json().map((text) => text.slice(0, Math.max(0, text.length - 1))));
    fc.assert(
      fc.property(broken, (text) => {
        let jsOk = true;
        try {
          JSON.parse(text);
        } catch {
          jsOk = false;
        }
        // JSON.parse and Go accept the same grammar and the same four whitespace characters.
        if (jsOk) expect(() => parseGoJson(text)).not.toThrow();
        else expect(() => parseGoJson(text)).toThrow(GoJsonSyntaxError);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps number literals, duplicate keys in order, and maps lone surrogate escapes to U+FFFD', () => {
    expect(parseGoJson('1.50')).toEqual({ kind: 'number', raw: '1.50' });
    expect(parseGoJson('{"a":1,"a":2}')).toEqual({ kind: 'object', entries: [['a', { kind: 'number', raw: '1' }], ['a', { kind: 'number', raw: '2' }]] });
    expect(parseGoJson('"\\ud83d\\ude00 \\ud800x \\udc00"')).toEqual({ kind: 'string', value: '😀 \ufffdx \ufffd' });
  });

  it('words syntax errors like Go\'s scanner, quoting the offending byte as quoteChar does', () => {
    expect(() => parseGoJson('[1,]')).toThrow("invalid character ']' looking for beginning of value");
    expect(() => parseGoJson('{"a" 1}')).toThrow("invalid character '1' after object key");
    expect(() => parseGoJson('[1 2]')).toThrow("invalid character '2' after array element");
    expect(() => parseGoJson('-x')).toThrow("invalid character 'x' in numeric literal");
    expect(() => parseGoJson('nul!')).toThrow("invalid character '!' in literal null (expecting 'l')");
    expect(() => parseGoJson('"a')).toThrow(GoJsonEndError);
    expect([0x01, 0x7f, 0x5c, 0x27, 0x22, 0x09, 0x41, 0x00e9, 0x1f680].map(quoteChar)).toEqual(["'\\x01'", "'\\x7f'", "'\\\\'", "'\\''", `'"'`, "'\\t'", "'A'", "'Ã'", "'ð'"]);
  });

  it('handles deep nesting without recursion, and refuses more than 10000 levels like Go', () => {
    expect(() => parseGoJson(`${'['.repeat(10_000)}${']'.repeat(10_000)}`)).not.toThrow();
    expect(() => parseGoJson(`${'['.repeat(10_001)}${']'.repeat(10_001)}`)).toThrow(/exceeded max depth/);
  });
});

describe('parseGoUuid', () => {
  const canonical = '0a1b2c3d-4e5f-6789-abcd-ef0123456789';
  it.each([canonical, canonical.toUpperCase(), `{${canonical}}`, `urn:uuid:${canonical}`, `URN:UUID:${canonical}`, canonical.replaceAll('-', '')])(
    'accepts %s',
    (text) => {
      expect(parseGoUuid(text)).toBe(canonical);
    },
  );

  it.each(['', 'x', `${canonical}0`, canonical.replace('-', '_'), `{${canonical}`, `(${canonical})`, canonical.replace('a', 'g'), ` ${canonical}`.slice(0, 36)])(
    'refuses %j',
    (text) => {
      expect(parseGoUuid(text)).toBeUndefined();
    },
  );
});

describe('parseGoQuery', () => {
  it('follows url.ParseQuery', () => {
    const parsed = parseGoQuery('a=1&&b&a=2&c=x+y&d=%41&bad=%zz&semi;colon=1&=empty');
    expect([...parsed]).toEqual([
      ['a', ['1', '2']],
      ['b', ['']],
      ['c', ['x y']],
      ['d', ['A']],
      ['', ['empty']],
    ]);
  });
});

describe('normalizeRfc3339', () => {
  it.each([
    ['2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z'],
    ['2025-01-01T00:00:00.000Z', '2025-01-01T00:00:00Z'],
    ['2025-01-01T00:00:00.100-00:00', '2025-01-01T00:00:00.1Z'],
    ['2024-02-29T23:59:59+14:00', '2024-02-29T23:59:59+14:00'],
  ])('%s -> %s', (input, output) => {
    expect(normalizeRfc3339(input)).toBe(output);
  });

  it.each(['2025-01-01t00:00:00Z', '2025-01-01T00:00:00z', '2025-01-01T24:00:00Z', '2025-01-01T00:00:60Z', '2023-02-29T00:00:00Z', '2025-01-01T00:00:00', '2025-01-01T00:00:00.Z', '2025-01-01T00:00:00+2400'])(
    'refuses %s',
    (input) => {
      expect(normalizeRfc3339(input)).toBeUndefined();
    },
  );
});

describe('goJson', () => {
  it('matches JSON.stringify except for U+2028/U+2029 and optional HTML escaping', () => {
    expect(goJson({ a: '<&>\u2028\u0000' })).toBe('{"a":"<&>\\u2028\\u0000"}');
    expect(goJson({ a: '<&>' }, { escapeHtml: true })).toBe('{"a":"\\u003c\\u0026\\u003e"}');
  });
});
