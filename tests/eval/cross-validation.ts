/**
 * K-fold cross-validation of the tunables chosen by looking at evaluation figures (functions/core/
 * tunables.ts). Tuning is re-enacted per fold: among the candidate settings (the production values,
 * and each tunable moved one step down and up with the others kept), the one scoring best on the
 * other folds is chosen, and its score on the held-out fold is what tuning would have reached on data
 * it never saw. Every candidate is run once over the whole set and scored on subsets, so k folds cost
 * no more runs than candidates.
 */
import type { Tunables } from '../../functions/core/tunables.ts';
import { seededRandom } from '../support/random.ts';

export const FOLDS = 5;
/** Fixed, so every run draws the same folds. */
const FOLD_SEED = 20;

export interface Candidate {
  /** "production", or "<tunable>=<value>". */
  readonly name: string;
  readonly overrides: Partial<Tunables>;
}

/** The production setting first, then each tunable at each of its other values, the rest unchanged. */
export function oneAtATime(grid: { readonly [K in keyof Tunables]?: readonly number[] }): Candidate[] {
  const out: Candidate[] = [{ name: 'production', overrides: {} }];
  for (const [key, values] of Object.entries(grid) as [keyof Tunables, readonly number[]][])
    for (const value of values) out.push({ name: `${key}=${value}`, overrides: { [key]: value } });
  return out;
}

/**
 * Fold of each item, drawn by group: every item of a group (an event's articles) lands in one fold,
 * so a held-out fold holds events the tuning never saw. Groups are shuffled with a fixed seed and
 * dealt round-robin.
 */
export function foldsByGroup(groups: readonly string[], k = FOLDS): number[] {
  const distinct = [...new Set(groups)].sort();
  const random = seededRandom(FOLD_SEED);
  for (let i = distinct.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [distinct[i], distinct[j]] = [distinct[j]!, distinct[i]!];
  }
  const foldOf = new Map(distinct.map((g, i) => [g, i % k]));
  return groups.map((g) => foldOf.get(g)!);
}

/** Scores one candidate's run on a subset of the items (their indices). */
export type SubsetScore = (indices: readonly number[]) => number;

export interface CrossValidation {
  readonly folds: number;
  readonly candidates: number;
  /** Production setting over every item: the figure the tunables were fitted on. */
  readonly fitted: number;
  /** Mean over folds of the chosen setting's score on the folds it was chosen on. */
  readonly fittedFoldMean: number;
  /** Mean over folds of the chosen setting's score on the held-out fold. */
  readonly heldOut: number;
  /** The lowest held-out fold. */
  readonly worstFold: number;
  /** The lowest fold under the production setting. */
  readonly productionWorstFold: number;
  /** Per fold: the setting chosen without it, its score on the other folds and on it. */
  readonly perFold: readonly { chosen: string; fitted: number; heldOut: number; items: number }[];
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

/** Runs the re-enacted tuning; `scores[c]` scores candidate c's run (candidate 0 is production). */
export function crossValidate(
  candidates: readonly Candidate[],
  scores: readonly SubsetScore[],
  foldOf: readonly number[],
  k = FOLDS,
): CrossValidation {
  const all = foldOf.map((_, i) => i);
  const perFold = Array.from({ length: k }, (_, fold) => {
    const test = all.filter((i) => foldOf[i] === fold);
    const train = all.filter((i) => foldOf[i] !== fold);
    let best = 0;
    let bestScore = scores[0]!(train);
    // Strictly better only: a tie keeps production (or the earlier candidate).
    for (let c = 1; c < scores.length; c++) {
      const s = scores[c]!(train);
      if (s > bestScore) {
        best = c;
        bestScore = s;
      }
    }
    return {
      chosen: candidates[best]!.name,
      fitted: round(bestScore),
      heldOut: round(scores[best]!(test)),
      production: scores[0]!(test),
      items: test.length,
    };
  });
  const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    folds: k,
    candidates: candidates.length,
    fitted: round(scores[0]!(all)),
    fittedFoldMean: round(mean(perFold.map((f) => f.fitted))),
    heldOut: round(mean(perFold.map((f) => f.heldOut))),
    worstFold: round(Math.min(...perFold.map((f) => f.heldOut))),
    productionWorstFold: round(Math.min(...perFold.map((f) => f.production))),
    perFold: perFold.map(({ chosen, fitted, heldOut, items }) => ({ chosen, fitted, heldOut, items })),
  };
}
