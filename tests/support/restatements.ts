/**
 * "No two summary sentences say the same thing", checked independently of the summariser's own
 * redundancy code: for every ordered pair, the share of one sentence's content terms found in the
 * other stays below the summariser's containment bar.
 */
import { expect } from 'vitest';
import { contentTerms } from '../../functions/core/stories/stemming.ts';
import { REDUNDANCY_CONTAINMENT } from '../../functions/core/stories/summarise.ts';

export function expectNoRestatements(summary: readonly { readonly text: string }[]): void {
  const terms = summary.map((s) => new Set(contentTerms(s.text)));
  terms.forEach((part, i) => {
    terms.forEach((whole, j) => {
      if (i === j || part.size === 0) return;
      const shared = [...part].filter((t) => whole.has(t)).length;
      expect(shared / part.size, `${summary[i]?.text} ⊂ ${summary[j]?.text}`).toBeLessThan(
        REDUNDANCY_CONTAINMENT,
      );
    });
  });
}
