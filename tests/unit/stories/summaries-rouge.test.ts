/** The ROUGE port used by `npm run eval`: tokens and scores as Google's rouge-score package computes them. */
import { describe, expect, it } from 'vitest';
import { rougeL, rougeN, rougeTokens } from '../../eval/rouge.ts';

describe('rouge-score port', () => {
  it('splits on every character outside [a-z0-9], as rouge-score tokenize() does without a stemmer', () => {
    expect(rougeTokens("AOL's one-off profit of $1.13bn (£600m) at Café")).toEqual([
      'aol',
      's',
      'one',
      'off',
      'profit',
      'of',
      '1',
      '13bn',
      '600m',
      'at',
      'caf',
    ]);
  });

  it('scores clipped n-gram overlap F across sentence breaks, whatever joins the sentences', () => {
    // Candidate bigrams: the cat, cat sat, sat the, the cat (4); reference: the cat, cat ran (2); overlap 1 (clipped).
    const f = (2 * (1 / 4) * (1 / 2)) / (1 / 4 + 1 / 2);
    expect(rougeN('The cat sat.\nThe cat', 'the cat ran', 2)).toBeCloseTo(f, 12);
    expect(rougeN('The cat sat. The cat', 'the cat ran', 2)).toBeCloseTo(f, 12);
    expect(rougeN('', 'the cat ran', 2)).toBe(0);
  });

  it('scores ROUGE-L as the LCS over the whole token sequences', () => {
    // LCS of "a b c d" and "a c e d" is "a c d": P = R = 3/4.
    expect(rougeL('a b c d', 'a c e d')).toBeCloseTo(0.75, 12);
  });
});
