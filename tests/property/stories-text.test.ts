/**
 * The fast primitives the story engine relies on agree with their plain definitions.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topByScore } from '../../functions/core/stories/top-ranking.ts';
import { tokenize } from '../../functions/core/text.ts';

/** The regular-expression definition tokenize() implements by hand. */
function referenceTokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .normalize('NFKC')
      .replace(/[’‘]/g, "'")
      .match(/[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)*/gu) ?? []
  );
}

const tricky = fc.constantFrom(
  "'",
  '’',
  '‘',
  '-',
  ' ',
  '.',
  'ﬁ',
  'İ',
  'ℌ',
  'Ａ',
  '𝐀',
  '\ud835',
  '\udc00',
  'é',
  'e\u0301',
  '٣',
  '日本',
  'ß',
  'Σ',
  '4,500',
  "O'Brien",
  'al-Assad',
);
const text = fc
  .array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ maxLength: 6 }), tricky), {
    maxLength: 30,
  })
  .map((parts) => parts.join(''));

describe('text primitives (fast-check)', () => {
  it('tokenize equals its regular-expression definition on any text', () => {
    fc.assert(
      fc.property(text, (t) => {
        expect(tokenize(t)).toEqual(referenceTokenize(t));
      }),
      { numRuns: 2000 },
    );
  });

  it('topByScore returns the n best entries, best first, ties by key', () => {
    const entries = fc.uniqueArray(
      fc.tuple(
        fc.string({ maxLength: 4 }),
        fc.integer({ min: 0, max: 20 }).map((x) => x / 4),
      ),
      { selector: (e) => e[0], maxLength: 300 },
    );
    fc.assert(
      fc.property(entries, fc.integer({ min: 0, max: 60 }), (list, n) => {
        const expected = [...list]
          .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
          .slice(0, n)
          .map(([k]) => k);
        expect(topByScore(list, n)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});
