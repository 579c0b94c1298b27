/**
 * The stored cluster index. Terms are written once, in `terms`, and everything else names them by
 * their position there, so a centroid of a thousand terms costs a thousand small numbers.
 */
import type { StoryCentroids } from './centroids.ts';
import type { PostingIndex } from './posting-index.ts';
import type { TermVocabulary } from './term-vocabulary.ts';

export interface SerialisedClusterIndex {
  readonly docs: number;
  readonly terms: string[];
  /** Document frequency of each term, parallel to `terms`. */
  readonly df: number[];
  /** [id, size, centroid term positions, their fixed-point sums (parallel arrays), profile term positions, weights, norm] */
  readonly stories: [string, number, number[], number[], number[], number[], number][];
  /** [term position, story ids] */
  readonly postings: [number, string[]][];
}

/** The layout of state version 2, which named every term by its text; still read. */
export interface SerialisedClusterIndexV2 {
  readonly docs: number;
  readonly df: [string, number][];
  readonly stories: [string, number, string[], number[], string[], number[], number][];
  readonly postings: [string, string[]][];
}

export function serialiseIndex(
  vocabulary: TermVocabulary,
  centroids: StoryCentroids,
  postings: PostingIndex,
): SerialisedClusterIndex {
  // Positions in the stored term table, assigned in id order as terms are first referenced.
  const position = new Map<number, number>();
  const terms: string[] = [];
  const df: number[] = [];
  const at = (id: number): number => {
    let p = position.get(id);
    if (p === undefined) {
      p = terms.length;
      position.set(id, p);
      terms.push(vocabulary.terms[id]!);
      df.push(vocabulary.df[id] ?? 0);
    }
    return p;
  };
  for (let id = 0; id < vocabulary.df.length; id++) if ((vocabulary.df[id] ?? 0) > 0) at(id);
  const listed: number[] = [];
  for (let id = 0; id < postings.postings.length; id++)
    if (postings.postings[id] !== undefined) listed.push(id);
  listed.sort((a, b) => postings.postingOrder[a]! - postings.postingOrder[b]!);
  return {
    docs: vocabulary.docs,
    stories: [...centroids.byStory.entries()].map(([id, s]) => [
      id,
      s.size,
      Array.from(s.sum.keys(), at),
      [...s.sum.values()],
      s.profile.map(at),
      [...s.weights],
      s.norm,
    ]),
    postings: listed.map((id) => [at(id), postings.postings[id]!.map((h) => postings.storyIds[h]!)]),
    terms,
    df,
  };
}

/** Fills an empty vocabulary, centroid set and posting index from a stored index. */
export function restoreIndex(
  stored: SerialisedClusterIndex | SerialisedClusterIndexV2,
  vocabulary: TermVocabulary,
  centroids: StoryCentroids,
  postings: PostingIndex,
): void {
  const data = 'terms' in stored ? stored : upgradeV2(stored);
  vocabulary.docs = data.docs;
  const ids = data.terms.map((t) => vocabulary.idOf(t));
  const idAt = (p: number): number => {
    const id = ids[p];
    if (id === undefined) throw new RangeError(`term position ${p} is outside the stored term table`);
    return id;
  };
  for (let p = 0; p < ids.length; p++) vocabulary.df[ids[p]!] = data.df[p] ?? 0;
  for (const [id, size, terms, sums, profile, weights, norm] of data.stories) {
    const sum = new Map<number, number>();
    for (let i = 0; i < terms.length; i++) sum.set(idAt(terms[i]!), sums[i]!);
    centroids.byStory.set(id, { sum, size, profile: profile.map(idAt), weights: [...weights], norm });
  }
  // The stored lists are in entry order: their positions stand for the stamps, each list's after the last.
  for (const [p, storyIds] of data.postings) {
    const base = postings.clock;
    postings.restore(
      idAt(p),
      storyIds.map((s, i): [string, number] => [s, base + i + 1]),
    );
  }
}

/** Re-expresses a version-2 index (terms by text) in the current layout (terms by position). */
function upgradeV2(data: SerialisedClusterIndexV2): SerialisedClusterIndex {
  const position = new Map<string, number>();
  const terms: string[] = [];
  const df: number[] = [];
  const at = (term: string): number => {
    let p = position.get(term);
    if (p === undefined) {
      p = terms.length;
      position.set(term, p);
      terms.push(term);
      df.push(0);
    }
    return p;
  };
  for (const [term, n] of data.df) df[at(term)] = n;
  return {
    docs: data.docs,
    stories: data.stories.map(([id, size, storyTerms, sums, profile, weights, norm]) => [
      id,
      size,
      storyTerms.map(at),
      sums,
      profile.map(at),
      weights,
      norm,
    ]),
    postings: data.postings.map(([term, ids]) => [at(term), ids]),
    terms,
    df,
  };
}
