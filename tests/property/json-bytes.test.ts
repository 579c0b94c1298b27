import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonBytes, jsonLinesBytes } from '../../functions/adapters/json-bytes.ts';

describe('jsonBytes', () => {
  it('is byte-for-byte JSON.stringify for any JSON value, however large its arrays and objects', () => {
    // Large arrays and objects are what the encoder walks; small ones it stringifies whole.
    const leaf = fc.jsonValue({ maxDepth: 2 });
    const large = (member: fc.Arbitrary<unknown>) =>
      fc.oneof(
        fc.array(member, { minLength: 60, maxLength: 80 }),
        fc.dictionary(fc.string(), member, { minKeys: 60, maxKeys: 70 }),
      );
    const big = fc.oneof(leaf, large(leaf), large(fc.oneof(leaf, large(leaf))));
    fc.assert(
      fc.property(big, (value) => {
        expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
      }),
      { numRuns: 30 },
    );
  });

  it('encodes what JSON.stringify drops or nulls the same way: undefined, functions, toJSON', () => {
    const many = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? undefined : i % 3 === 1 ? () => i : i));
    const record: Record<string, unknown> = { when: new Date('2022-02-28T00:00:00Z'), gone: undefined };
    for (let i = 0; i < 70; i++) record[`k${i}`] = i % 2 === 0 ? undefined : `v${i}’`;
    const value = { many, record, text: 'Zelenskiy “said” — 4,500 ✓ \u2028' };
    expect(jsonBytes(value).toString('utf8')).toBe(JSON.stringify(value));
    expect(jsonBytes(undefined).toString('utf8')).toBe('null');
  });

  it('writes one JSON document per line, each line closed', () => {
    const items = [{ a: 1 }, 'two\nlines', null];
    expect(jsonLinesBytes(items).toString('utf8')).toBe('{"a":1}\n"two\\nlines"\nnull\n');
    expect(jsonLinesBytes([]).byteLength).toBe(0);
  });
});
