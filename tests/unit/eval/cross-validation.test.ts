/** The evaluation's re-enacted tuning: folds keep groups whole, and choosing never sees the held-out fold. */
import { describe, expect, it } from 'vitest';
import { crossValidate, foldsByGroup, oneAtATime } from '../../eval/cross-validation.ts';

describe('foldsByGroup', () => {
  it('puts every item of a group in one fold and uses every fold', () => {
    const groups = Array.from({ length: 60 }, (_, i) => `event${i % 12}`);
    const folds = foldsByGroup(groups, 5);
    const foldOfGroup = new Map<string, number>();
    groups.forEach((g, i) => {
      expect(foldOfGroup.get(g) ?? folds[i]).toBe(folds[i]);
      foldOfGroup.set(g, folds[i]!);
    });
    expect(new Set(folds)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(foldsByGroup(groups, 5)).toEqual(folds);
  });
});

describe('crossValidate', () => {
  it('chooses on the other folds and reports the chosen setting on the held-out one', () => {
    // Two items per fold; candidate 1 is better on every item but those of fold 0.
    const foldOf = [0, 0, 1, 1, 2, 2];
    const production = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
    const other = [0.3, 0.3, 0.9, 0.9, 0.9, 0.9];
    const mean = (xs: number[]) => (idx: readonly number[]) =>
      idx.reduce((s, i) => s + xs[i]!, 0) / idx.length;
    const result = crossValidate(
      oneAtATime({ joinCosine: [0.2] }),
      [mean(production), mean(other)],
      foldOf,
      3,
    );
    expect(result.perFold.map((f) => f.chosen)).toEqual([
      'joinCosine=0.2',
      'joinCosine=0.2',
      'joinCosine=0.2',
    ]);
    expect(result.perFold.map((f) => f.heldOut)).toEqual([0.3, 0.9, 0.9]);
    expect(result.worstFold).toBe(0.3);
    expect(result.fitted).toBe(0.5);
    expect(result.productionWorstFold).toBe(0.5);
  });

  it('keeps production on a tie', () => {
    const same = () => 0.7;
    const result = crossValidate(oneAtATime({ joinCosine: [0.2] }), [same, same], [0, 1], 2);
    expect(result.perFold.every((f) => f.chosen === 'production')).toBe(true);
  });
});
