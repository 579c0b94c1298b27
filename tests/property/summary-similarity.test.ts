/**
 * The similarity measures the summarisers use to keep repeats out of a summary behave as measures:
 * the weighted cosine is symmetric and bounded, containment is a share, and "restates" does not
 * depend on which sentence was picked first.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { weightedCosine } from '../../functions/core/stories/sentences.ts';
import { restates, termContainment } from '../../functions/core/stories/summarise.ts';

/** Term bags over a small vocabulary, so that bags often share terms. */
const bag = fc
  .dictionary(
    fc.constantFrom('talk', 'russia', 'ukrain', 'border', 'monday', 'peace', 'offici', '2022', 'é'),
    fc.integer({ min: 1, max: 4 }),
  )
  .map((record) => new Map(Object.entries(record)));

/** Any positive weight per term, as inverse sentence frequency gives. */
const weighting = fc
  .dictionary(fc.string({ maxLength: 8 }), fc.double({ min: 0.01, max: 20, noNaN: true }))
  .map((weights) => (term: string) => weights[term] ?? 1);

describe('summary similarity (fast-check)', () => {
  it('weightedCosine is symmetric and lies in [0, 1]', () => {
    fc.assert(
      fc.property(bag, bag, weighting, (a, b, weight) => {
        const ab = weightedCosine(a, b, weight);
        const ba = weightedCosine(b, a, weight);
        // Summed in each bag's own order, so equal up to rounding.
        expect(Math.abs(ab - ba)).toBeLessThanOrEqual(1e-12);
        expect(ab).toBeGreaterThanOrEqual(0);
        expect(ab).toBeLessThanOrEqual(1 + 1e-12);
      }),
      { numRuns: 2000 },
    );
  });

  it('weightedCosine of a non-empty bag with itself is 1', () => {
    fc.assert(
      fc.property(bag, weighting, (a, weight) => {
        fc.pre(a.size > 0);
        expect(weightedCosine(a, a, weight)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('termContainment is the share of one bag in the other, and restates is symmetric', () => {
    fc.assert(
      fc.property(bag, bag, fc.double({ min: 0, max: 1, noNaN: true }), (a, b, threshold) => {
        const share = termContainment(a, b);
        const shared = [...a.keys()].filter((t) => b.has(t)).length;
        expect(share).toBe(a.size === 0 ? 0 : shared / a.size);
        if (a.size > 0) expect(termContainment(a, a)).toBe(1);
        expect(restates(a, b, threshold)).toBe(restates(b, a, threshold));
      }),
      { numRuns: 2000 },
    );
  });
});
