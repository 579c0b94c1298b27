/**
 * Online same-event clustering. Each story keeps a centroid (the sum of its members' normalised
 * term vectors) and a profile: its highest-weighted terms. A new article is compared with story
 * centroids, never with every article: candidate stories come from an inverted index over the
 * profiles' top terms, scored roughly by shared terms, and only the best few get an exact cosine.
 * IDF comes from the running document frequencies of the state, with add-one smoothing.
 */
import type { TermVector } from './terms.ts';

/** Terms of a story profile used in the cosine: bounds the comparison cost whatever the story size. */
export const PROFILE_TERMS = 200;
/** Profile terms entered into the inverted index: the story's most distinctive words. */
export const INDEX_TERMS = 60;
/** Article terms looked up in the inverted index. */
export const QUERY_TERMS = 30;
/**
 * Stories kept per index term (most recently touched first). Bounds lookup cost as the state grows:
 * a term shared by more than this many stories is too common to find an event by.
 */
export const MAX_POSTINGS_PER_TERM = 64;
/** Candidate stories that get an exact cosine after the rough shared-term score. */
export const MAX_EXACT_CANDIDATES = 12;
/**
 * A story's profile is fully re-ranked (over its whole centroid) when its size reaches a power of
 * two and then every this many additions; in between only the current profile and the new member's
 * terms compete, which is exact except for the slow drift of IDF, since only those sums grew.
 */
export const PROFILE_REFRESH_EVERY = 16;
/**
 * Terms a centroid keeps. A story's vocabulary grows with every member, but its long tail (words
 * one member used once) never reaches the profile; pruning it when the centroid exceeds
 * CENTROID_PRUNE_AT keeps memory and refresh cost per story bounded.
 */
export const CENTROID_KEEP_TERMS = 1000;
export const CENTROID_PRUNE_AT = 1500;

/**
 * Exponent applied to IDF. Above 1 it sharpens the contrast between event-specific words (names,
 * places, figures) and topic words shared by many stories; 1.5 separated same-event from
 * same-topic pairs best in our measurements without starving common-but-relevant words.
 */
export const IDF_POWER = 1.5;

/**
 * Centroid sums are kept in fixed point (weight × 2^20, rounded): additions and removals are then
 * exact integer arithmetic, so a member's removal leaves no residue, and the stored state is about
 * half as large as with full doubles. 2^-20 is far below any weight that matters (≥ 0.01).
 */
export const CENTROID_SCALE = 2 ** 20;

function quantise(w: number): number {
  return Math.round(w * CENTROID_SCALE);
}

export interface StoryCentroid {
  /** Sum of the members' L2-normalised raw term vectors, in fixed point (IDF applied at comparison time). */
  readonly sum: Map<string, number>;
  size: number;
  /** Top terms by mean weight × IDF when last refreshed, best first. */
  profile: string[];
  /**
   * The profile terms' centroid weights (sum × IDF) and their L2 norm, as of the story's last change:
   * a query then costs one lookup per profile term instead of recomputing IDF for every candidate.
   */
  weights: number[];
  norm: number;
}

export interface SerialisedClusterIndex {
  readonly docs: number;
  readonly df: [string, number][];
  /** [id, size, centroid terms, their fixed-point sums (parallel arrays: no tuple per term), profile, weights, norm] */
  readonly stories: [string, number, string[], number[], string[], number[], number][];
  readonly postings: [string, string[]][];
}

/** An article vector with IDF applied, and its L2 norm: computed once per query. */
interface WeighedVector {
  readonly w: Map<string, number>;
  readonly norm: number;
}

export interface ScoredStory {
  readonly storyId: string;
  readonly cosine: number;
}

export class ClusterIndex {
  private docs = 0;
  private readonly df = new Map<string, number>();
  private readonly stories = new Map<string, StoryCentroid>();
  private readonly postings = new Map<string, Set<string>>();
  /** IDF by document frequency for the current document count (a pure function of both, memoised). */
  private idfByDf: number[] = [];
  private idfDocs = -1;

  /** Smoothed IDF, ln((N+1)/(df+1)) + 1 raised to IDF_POWER: unseen terms are the most specific, no weight is zero. */
  idf(term: string): number {
    const df = this.df.get(term) ?? 0;
    if (this.idfDocs !== this.docs) {
      this.idfDocs = this.docs;
      this.idfByDf = [];
    }
    let v = this.idfByDf[df];
    if (v === undefined) {
      v = (Math.log((this.docs + 1) / (df + 1)) + 1) ** IDF_POWER;
      this.idfByDf[df] = v;
    }
    return v;
  }

  documentCount(): number {
    return this.docs;
  }

  addDocument(vec: TermVector): void {
    this.docs++;
    for (const t of vec.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
  }

  removeDocument(vec: TermVector): void {
    this.docs = Math.max(0, this.docs - 1);
    for (const t of vec.keys()) {
      const n = (this.df.get(t) ?? 0) - 1;
      if (n > 0) this.df.set(t, n);
      else this.df.delete(t);
    }
  }

  /** The article's most distinctive terms under the current IDF. */
  topTerms(vec: TermVector, n: number): string[] {
    return topByScore(
      [...vec.entries()].map(([t, w]) => [t, w * this.idf(t)] as const),
      n,
    );
  }

  /**
   * Stories worth an exact comparison, best rough score first. `eligible` applies time proximity.
   */
  candidates(vec: TermVector, eligible: (storyId: string) => boolean): string[] {
    return this.candidatesOf(this.weigh(vec), eligible);
  }

  /** `candidates` for an article vector already weighed (IDF applied once per query). */
  private candidatesOf(q: WeighedVector, eligible: (storyId: string) => boolean): string[] {
    const rough = new Map<string, number>();
    // Only terms some story is indexed under can find a candidate: rank among those, so a few
    // never-seen words (the most "specific" of all) cannot crowd out the shared ones.
    const indexed: (readonly [string, number])[] = [];
    for (const [t, w] of q.w) if (this.postings.has(t)) indexed.push([t, w]);
    for (const t of topByScore(indexed, QUERY_TERMS)) {
      const list = this.postings.get(t);
      if (!list) continue;
      // The article's TF-IDF weight times IDF again: a shared rare name counts far more than a shared common word.
      const w = (q.w.get(t) ?? 0) * this.idf(t);
      for (const id of list) rough.set(id, (rough.get(id) ?? 0) + w);
    }
    return topByScore(
      [...rough.entries()].filter(([id]) => eligible(id)),
      MAX_EXACT_CANDIDATES,
    );
  }

  /** Cosine between an article vector and a story centroid restricted to the story's profile terms. */
  cosine(vec: TermVector, storyId: string): number {
    return this.weightedCosine(this.weigh(vec), storyId);
  }

  private weigh(vec: TermVector): WeighedVector {
    const w = new Map<string, number>();
    let norm = 0;
    for (const [t, a] of vec) {
      const x = a * this.idf(t);
      w.set(t, x);
      norm += x * x;
    }
    return { w, norm: Math.sqrt(norm) };
  }

  private weightedCosine(q: WeighedVector, storyId: string): number {
    const story = this.stories.get(storyId);
    if (!story || story.size === 0 || story.norm === 0 || q.norm === 0) return 0;
    let dot = 0;
    const { profile, weights } = story;
    for (let i = 0; i < profile.length; i++) {
      const a = q.w.get(profile[i]!);
      if (a !== undefined) dot += a * weights[i]!;
    }
    return dot / (q.norm * story.norm);
  }

  /** Exact cosines for the candidates, best first. */
  rank(vec: TermVector, eligible: (storyId: string) => boolean): ScoredStory[] {
    const q = this.weigh(vec);
    return this.candidatesOf(q, eligible)
      .map((storyId) => ({ storyId, cosine: this.weightedCosine(q, storyId) }))
      .sort((a, b) => b.cosine - a.cosine || (a.storyId < b.storyId ? -1 : 1));
  }

  story(storyId: string): StoryCentroid | undefined {
    return this.stories.get(storyId);
  }

  addToStory(storyId: string, vec: TermVector): void {
    let story = this.stories.get(storyId);
    if (!story) {
      story = { sum: new Map(), size: 0, profile: [], weights: [], norm: 0 };
      this.stories.set(storyId, story);
    }
    for (const [t, w] of vec) story.sum.set(t, (story.sum.get(t) ?? 0) + quantise(w));
    story.size++;
    if (story.sum.size > CENTROID_PRUNE_AT) pruneCentroid(story.sum);
    if ((story.size & (story.size - 1)) === 0 || story.size % PROFILE_REFRESH_EVERY === 0) {
      this.refreshProfile(storyId, story);
    } else {
      this.refreshProfile(storyId, story, vec);
    }
  }

  removeFromStory(storyId: string, vec: TermVector): void {
    const story = this.stories.get(storyId);
    if (!story) return;
    for (const [t, w] of vec) {
      const v = (story.sum.get(t) ?? 0) - quantise(w);
      if (v > 0) story.sum.set(t, v);
      else story.sum.delete(t);
    }
    story.size--;
    if (story.size <= 0) {
      this.unindex(storyId, story.profile);
      this.stories.delete(storyId);
      return;
    }
    this.refreshProfile(storyId, story);
  }

  /**
   * Similarity of two stories' centroids over their profiles, from the cached profile weights (used
   * by the merge pass and threads across days): one pass over each profile, no IDF recomputed.
   */
  storyCosine(a: string, b: string): number {
    return this.storyCosines(a, [b])[0] ?? 0;
  }

  /** `storyCosine` of one story against several: its profile is indexed once, not once per pair. */
  storyCosines(a: string, others: readonly string[]): number[] {
    const sa = this.stories.get(a);
    if (!sa || sa.norm === 0) return others.map(() => 0);
    const weightsA = new Map<string, number>();
    for (let i = 0; i < sa.profile.length; i++) weightsA.set(sa.profile[i]!, sa.weights[i]!);
    return others.map((b) => {
      const sb = this.stories.get(b);
      if (!sb || sb.norm === 0) return 0;
      let dot = 0;
      for (let j = 0; j < sb.profile.length; j++) {
        const w = weightsA.get(sb.profile[j]!);
        if (w !== undefined) dot += w * sb.weights[j]!;
      }
      return dot / (sa.norm * sb.norm);
    });
  }

  /** Stories sharing index terms with a story (its own id excluded), best rough score first. */
  relatedStories(storyId: string, eligible: (storyId: string) => boolean): ScoredStory[] {
    const s = this.stories.get(storyId);
    if (!s) return [];
    const vec: TermVector = new Map();
    for (const t of s.profile) vec.set(t, (s.sum.get(t) ?? 0) / s.size);
    return this.rank(vec, (id) => id !== storyId && eligible(id));
  }

  /** Folds story `from` into story `into` (their centroids add up); `from` leaves the index. */
  mergeStories(into: string, from: string): void {
    const a = this.stories.get(into);
    const b = this.stories.get(from);
    if (!a || !b) return;
    for (const [t, w] of b.sum) a.sum.set(t, (a.sum.get(t) ?? 0) + w);
    a.size += b.size;
    if (a.sum.size > CENTROID_PRUNE_AT) pruneCentroid(a.sum);
    this.unindex(from, b.profile);
    this.stories.delete(from);
    this.refreshProfile(into, a);
  }

  /**
   * Re-ranks the profile over the whole centroid, or over the current profile plus `grown` (the
   * terms whose sums just grew), and recomputes the profile's weights (sum × IDF) and their norm.
   */
  private refreshProfile(storyId: string, story: StoryCentroid, grown?: TermVector): void {
    const scored: (readonly [string, number])[] = [];
    const score = (t: string): void => {
      const w = story.sum.get(t);
      if (w !== undefined) scored.push([t, w * this.idf(t)]);
    };
    if (grown) {
      const current = new Set(story.profile);
      for (const t of story.profile) score(t);
      for (const t of grown.keys()) if (!current.has(t)) score(t);
    } else {
      for (const t of story.sum.keys()) score(t);
    }
    const next = topEntries(scored, PROFILE_TERMS);
    this.unindex(storyId, story.profile);
    story.profile = next.map(([t]) => t);
    let norm = 0;
    story.weights = next.map(([, c]) => {
      norm += c * c;
      return c;
    });
    story.norm = Math.sqrt(norm);
    this.touch(storyId, story);
  }

  /** Re-enters the story at the most-recent end of its index terms' posting lists, evicting the oldest. */
  private touch(storyId: string, story: StoryCentroid): void {
    for (const t of story.profile.slice(0, INDEX_TERMS)) {
      let list = this.postings.get(t);
      if (!list) {
        list = new Set();
        this.postings.set(t, list);
      }
      list.delete(storyId);
      list.add(storyId);
      if (list.size > MAX_POSTINGS_PER_TERM) {
        const oldest = list.values().next().value;
        if (oldest !== undefined) list.delete(oldest);
      }
    }
  }

  private unindex(storyId: string, profile: readonly string[]): void {
    for (const t of profile.slice(0, INDEX_TERMS)) {
      const list = this.postings.get(t);
      if (!list) continue;
      list.delete(storyId);
      if (list.size === 0) this.postings.delete(t);
    }
  }

  toJSON(): SerialisedClusterIndex {
    return {
      docs: this.docs,
      df: [...this.df.entries()],
      stories: [...this.stories.entries()].map(([id, s]) => [
        id,
        s.size,
        [...s.sum.keys()],
        [...s.sum.values()],
        [...s.profile],
        [...s.weights],
        s.norm,
      ]),
      postings: [...this.postings.entries()].map(([t, ids]) => [t, [...ids]]),
    };
  }

  static fromJSON(data: SerialisedClusterIndex): ClusterIndex {
    const index = new ClusterIndex();
    index.docs = data.docs;
    for (const [t, n] of data.df) index.df.set(t, n);
    for (const [id, size, terms, sums, profile, weights, norm] of data.stories) {
      const sum = new Map<string, number>();
      for (let i = 0; i < terms.length; i++) sum.set(terms[i]!, sums[i]!);
      index.stories.set(id, { sum, size, profile: [...profile], weights: [...weights], norm });
    }
    for (const [t, ids] of data.postings) index.postings.set(t, new Set(ids));
    return index;
  }
}

/**
 * The keys of the `n` best-scored entries, best first (ties by key, so results are deterministic).
 * Partitions around a pivot first, so only the top of a long list is ever sorted.
 */
export function topByScore(entries: (readonly [string, number])[], n: number): string[] {
  return topEntries(entries, n).map(([t]) => t);
}

/** `topByScore` keeping each key's score. */
export function topEntries(entries: (readonly [string, number])[], n: number): (readonly [string, number])[] {
  const better = (a: readonly [string, number], b: readonly [string, number]): number =>
    b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
  let list = entries;
  if (list.length > n * 4 && n > 0) {
    // Keep only entries at least as good as the n-th best score (found by quickselect), then sort those.
    const scores = Float64Array.from(list, (e) => e[1]);
    const cut = nthLargest(scores, n - 1);
    list = list.filter((e) => e[1] >= cut);
  }
  return [...list].sort(better).slice(0, n);
}

/** The k-th largest value (0-based) of an array, by quickselect; reorders the array. */
function nthLargest(values: Float64Array, k: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >>> 1]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! > pivot) i++;
      while (values[j]! < pivot) j--;
      if (i <= j) {
        const t = values[i]!;
        values[i] = values[j]!;
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k]!;
}

/** Drops a centroid's weakest terms (by summed weight), keeping CENTROID_KEEP_TERMS. */
function pruneCentroid(sum: Map<string, number>): void {
  const keep = new Set(topByScore([...sum.entries()], CENTROID_KEEP_TERMS));
  for (const t of sum.keys()) if (!keep.has(t)) sum.delete(t);
}
