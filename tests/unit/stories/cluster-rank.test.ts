import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rankTop, topEntries } from '../../../functions/core/stories/top-ranking.ts';

/** rankTop must give exactly the order of the plain sort it replaces: score descending, ties by key. */
function reference(scores: readonly number[], keys: readonly string[], n: number): number[] {
  const byKey = new Map(keys.map((k, i) => [k, i]));
  return topEntries(
    scores.map((s, i) => [keys[i]!, s] as const),
    n,
  ).map(([k]) => byKey.get(k)!);
}

const byKeys =
  (keys: readonly string[]) =>
  (a: number, b: number): number =>
    keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0;

describe('rankTop', () => {
  it('orders like a full sort by score then key, for any scores, ties and cut', () => {
    fc.assert(
      fc.property(
        // Few distinct values, so long runs of ties appear, some of them across the cut.
        fc.array(fc.oneof(fc.integer({ min: 0, max: 8 }), fc.double({ min: 0, max: 1e6, noNaN: true })), {
          maxLength: 400,
        }),
        fc.integer({ min: 0, max: 260 }),
        (scores, n) => {
          const keys = scores.map((_, i) => `k${(i * 7919) % 1009}-${i}`);
          const got = Array.from(rankTop(Float64Array.from(scores), scores.length, n, byKeys(keys)));
          expect(got).toEqual(reference(scores, keys, n));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('handles negative scores and negative zero (which do not sort by their bits)', () => {
    const scores = [-1, 0, -0, 2.5, -3, 2.5, 0];
    const keys = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    const got = Array.from(rankTop(Float64Array.from(scores), scores.length, 7, byKeys(keys)));
    expect(got).toEqual(reference(scores, keys, 7));
    expect(got).toEqual([3, 5, 1, 2, 6, 0, 4]);
  });

  it('ranks only the first `count` scores', () => {
    const scores = Float64Array.from([1, 5, 3, 99]);
    expect(Array.from(rankTop(scores, 3, 2, byKeys(['a', 'b', 'c', 'd'])))).toEqual([1, 2]);
  });
});
