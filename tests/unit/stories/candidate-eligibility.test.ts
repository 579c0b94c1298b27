import { describe, expect, it } from 'vitest';
import { ClusterIndex } from '../../../functions/core/stories/cluster.ts';
import { QUERY_TERMS } from '../../../functions/core/stories/posting-index.ts';

/**
 * Story i holds terms t0..ti, so the rarer a term the fewer stories hold it, and a query of every term
 * gives story i a rough score that grows with i: the ranking is known without reading the index.
 * Stories are added from the last, so each posting list starts with its best story.
 */
function laddered(stories: number): ClusterIndex {
  const index = new ClusterIndex();
  for (let i = stories - 1; i >= 0; i--) {
    const terms = new Map<string, number>();
    for (let j = 0; j <= i; j++) terms.set(`t${j}`, 1);
    const vec = index.intern(terms);
    index.addDocument(vec);
    index.addToStory(`s${i}`, vec);
  }
  return index;
}

function everyTerm(index: ClusterIndex, stories: number) {
  const terms = new Map<string, number>();
  for (let j = 0; j < stories; j++) terms.set(`t${j}`, 1);
  return index.intern(terms);
}

const numberOf = (storyId: string) => Number(storyId.slice(1));

describe('candidate stories and their eligibility', () => {
  it('returns the best eligible stories without asking about those ranked far below them', () => {
    const index = laddered(40);
    const asked = new Set<string>();
    const ranked = index.rank(everyTerm(index, 40), (id) => {
      asked.add(id);
      return numberOf(id) % 2 === 1;
    });
    // The twelve best odd stories: 39, 37, ..., 17.
    expect(ranked.map((r) => numberOf(r.storyId)).sort((a, b) => b - a)).toEqual(
      Array.from({ length: 12 }, (_, k) => 39 - 2 * k),
    );
    // Everything ranked below the twelfth eligible story is left alone.
    for (const id of asked) expect(numberOf(id)).toBeGreaterThanOrEqual(17);
  });

  it('gives the same candidates however deep the eligible ones lie', () => {
    const index = laddered(40);
    // Only the five worst-ranked of the stories the query meets are eligible: the walk must go to the end.
    const eligible = (id: string) => numberOf(id) < 15;
    const ranked = index.rank(everyTerm(index, 40), eligible);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked.every((r) => eligible(r.storyId))).toBe(true);
    const all = index.rank(everyTerm(index, 40), () => true).map((r) => r.storyId);
    expect(all.some((id) => !eligible(id))).toBe(true);
  });

  it('asks about the stories not read yet a window at a time, and never returns them', () => {
    const index = laddered(40);
    const asked = new Set<string>();
    const ranked = index.rank(everyTerm(index, 40), (id) => {
      asked.add(id);
      const n = numberOf(id);
      if (n >= 30) return null;
      return n % 2 === 1;
    });
    // The first window is the best 24 (39..16): its ten unknown stories are all asked at once, so one
    // more run (with them read) settles the query; the eligible ones known so far come back meanwhile.
    expect(ranked.map((r) => numberOf(r.storyId)).sort((a, b) => b - a)).toEqual([
      29, 27, 25, 23, 21, 19, 17,
    ]);
    for (let n = 30; n < 40; n++) expect(asked.has(`s${n}`)).toBe(true);
    for (const id of asked) expect(numberOf(id)).toBeGreaterThanOrEqual(16);
  });

  it('asks whether a term reaches an eligible story only down to the query terms it keeps', () => {
    // Story si's only term is ti, and the query weighs ti less the larger i.
    const index = new ClusterIndex();
    const terms = 2 * QUERY_TERMS;
    for (let i = 0; i < terms; i++) {
      const vec = index.intern(new Map([[`t${i}`, 1]]));
      index.addDocument(vec);
      index.addToStory(`s${i}`, vec);
    }
    const query = index.intern(new Map(Array.from({ length: terms }, (_, i) => [`t${i}`, terms - i])));
    const asked = new Set<string>();
    const ranked = index.rank(query, (id) => {
      asked.add(id);
      return id !== 's0';
    });
    // The best term reaches no eligible story, so the query is t1..t30, and its best twelve stories win.
    expect(ranked.map((r) => numberOf(r.storyId)).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 12 }, (_, k) => k + 1),
    );
    // The lists of terms below the thirtieth kept one are never walked: their stories would be read for it.
    for (const id of asked) expect(numberOf(id)).toBeLessThanOrEqual(QUERY_TERMS);
  });
});
