/**
 * Story centroids: each story keeps the sum of its members' normalised term vectors and a profile,
 * its highest-weighted terms with their IDF-weighted sums, against which articles and other stories
 * are compared. Sums are in fixed point, so a member's removal leaves no residue.
 */
import type { PostingIndex } from './posting-index.ts';
import type { InternedVector, TermVocabulary } from './term-vocabulary.ts';
import { nthLargest } from './top-ranking.ts';

/** Terms of a story profile used in the cosine: bounds the comparison cost whatever the story size. */
export const PROFILE_TERMS = 200;
/**
 * A profile is fully re-ranked when the story's size reaches a power of two and then every this many
 * additions; in between only the profile and the new member's terms compete, exact but for IDF drift.
 */
export const PROFILE_REFRESH_EVERY = 16;
/** Terms a centroid keeps once it exceeds CENTROID_PRUNE_AT: its long tail never reaches the profile. */
export const CENTROID_KEEP_TERMS = 1000;
export const CENTROID_PRUNE_AT = 1500;
/** Fixed-point scale of centroid sums: additions and removals are exact integer arithmetic. */
export const CENTROID_SCALE = 2 ** 20;

export function quantise(w: number): number {
  return Math.round(w * CENTROID_SCALE);
}

export interface StoryCentroid {
  /** Sum of the members' L2-normalised raw term vectors by term id, in fixed point (IDF applied at comparison time). */
  readonly sum: Map<number, number>;
  size: number;
  /** Ids of the top terms by mean weight × IDF when last refreshed, best first. */
  profile: number[];
  /** The profile terms' weights (sum × IDF) and their L2 norm as of the story's last change, so a query recomputes no IDF. */
  weights: number[];
  norm: number;
}

export class StoryCentroids {
  readonly byStory = new Map<string, StoryCentroid>();

  constructor(
    private readonly vocabulary: TermVocabulary,
    private readonly postings: PostingIndex,
  ) {}

  get(storyId: string): StoryCentroid | undefined {
    return this.byStory.get(storyId);
  }

  add(storyId: string, vec: InternedVector): void {
    let story = this.byStory.get(storyId);
    if (!story) {
      story = { sum: new Map(), size: 0, profile: [], weights: [], norm: 0 };
      this.byStory.set(storyId, story);
    }
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      story.sum.set(id, (story.sum.get(id) ?? 0) + quantise(vec.weights[i]!));
    }
    story.size++;
    if (story.sum.size > CENTROID_PRUNE_AT) this.prune(story.sum);
    if ((story.size & (story.size - 1)) === 0 || story.size % PROFILE_REFRESH_EVERY === 0) {
      this.refreshProfile(storyId, story);
    } else {
      this.refreshProfile(storyId, story, vec.ids);
    }
  }

  remove(storyId: string, vec: InternedVector): void {
    const story = this.byStory.get(storyId);
    if (!story) return;
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      const v = (story.sum.get(id) ?? 0) - quantise(vec.weights[i]!);
      if (v > 0) story.sum.set(id, v);
      else story.sum.delete(id);
    }
    story.size--;
    if (story.size <= 0) {
      this.postings.unindex(storyId, story.profile);
      this.byStory.delete(storyId);
      return;
    }
    this.refreshProfile(storyId, story);
  }

  /** Folds story `from` into story `into` (their centroids add up); `from` leaves the index. */
  merge(into: string, from: string): void {
    const a = this.byStory.get(into);
    const b = this.byStory.get(from);
    if (!a || !b) return;
    b.sum.forEach((w, id) => {
      a.sum.set(id, (a.sum.get(id) ?? 0) + w);
    });
    a.size += b.size;
    if (a.sum.size > CENTROID_PRUNE_AT) this.prune(a.sum);
    this.postings.unindex(from, b.profile);
    this.byStory.delete(from);
    this.refreshProfile(into, a);
  }

  /** Cosine of the scratch vector (norm `norm`) with a story centroid, over the story's profile. */
  scratchCosine(norm: number, story: StoryCentroid | undefined): number {
    if (!story || story.size === 0 || story.norm === 0 || norm === 0) return 0;
    const scratch = this.vocabulary.scratch;
    let dot = 0;
    const { profile, weights, norm: storyNorm } = story;
    for (let i = 0; i < profile.length; i++) dot += scratch[profile[i]!]! * weights[i]!;
    return dot / (norm * storyNorm);
  }

  /** Similarity of one story's centroid to several others' over their profiles, from the cached profile weights. */
  storyCosines(a: string, others: readonly string[]): number[] {
    const sa = this.byStory.get(a);
    if (!sa || sa.norm === 0) return others.map(() => 0);
    const scratch = this.vocabulary.scratch;
    for (let i = 0; i < sa.profile.length; i++) scratch[sa.profile[i]!] = sa.weights[i]!;
    try {
      return others.map((b) => this.scratchCosine(sa.norm, this.byStory.get(b)));
    } finally {
      this.vocabulary.clearScratch(sa.profile);
    }
  }

  /**
   * How well a member fits the rest of its story: the cosine of its vector, weighed as an arriving
   * article is, with the story's centroid without it (leave-one-out) over the rest's PROFILE_TERMS
   * strongest terms, since a member's own terms inflate its cosine with a centroid that holds it.
   */
  cosineToRest(storyId: string, vec: InternedVector): number {
    const story = this.byStory.get(storyId);
    if (!story || story.size < 2) return 0;
    const vocabulary = this.vocabulary;
    const scratch = vocabulary.scratch;
    // The member's fixed-point shares, by term id, in the scratch array (zero elsewhere).
    let vecNorm = 0;
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      scratch[id] = quantise(vec.weights[i]!);
      const x = vec.weights[i]! * vocabulary.idfOf(id) * this.postings.topicDiscount(id);
      vecNorm += x * x;
    }
    try {
      const { ids, scores } = vocabulary.work(story.sum.size);
      let m = 0;
      story.sum.forEach((w, id) => {
        const rest = w - scratch[id]!;
        if (rest <= 0) return;
        ids[m] = id;
        scores[m++] = rest * vocabulary.idfOf(id);
      });
      // Only terms at least as strong as the PROFILE_TERMS-th count (linear quickselect, no sort).
      const cut =
        m > PROFILE_TERMS ? nthLargest(vocabulary.selectionCopy(scores, m), PROFILE_TERMS - 1, m) : 0;
      let dot = 0;
      let restNorm = 0;
      for (let i = 0; i < m; i++) {
        const c = scores[i]!;
        if (c < cut) continue;
        restNorm += c * c;
        const q = scratch[ids[i]!]!;
        if (q !== 0)
          dot += c * (q / CENTROID_SCALE) * vocabulary.idfOf(ids[i]!) * this.postings.topicDiscount(ids[i]!);
      }
      return restNorm === 0 || vecNorm === 0 ? 0 : dot / Math.sqrt(restNorm * vecNorm);
    } finally {
      vocabulary.clearScratch(vec.ids);
    }
  }

  /**
   * Re-ranks the profile over the whole centroid, or over the current profile plus `grownTerms` (the
   * terms whose sums just grew), recomputes its weights and norm, and re-enters it in the posting index.
   */
  private refreshProfile(storyId: string, story: StoryCentroid, grownTerms?: Int32Array): void {
    const vocabulary = this.vocabulary;
    const { ids, scores } = vocabulary.work(
      grownTerms ? story.profile.length + grownTerms.length : story.sum.size,
    );
    let m = 0;
    if (grownTerms) {
      const mark = ++vocabulary.markStamp;
      const marks = vocabulary.marks;
      for (const id of story.profile) {
        marks[id] = mark;
        ids[m] = id;
        scores[m++] = (story.sum.get(id) ?? 0) * vocabulary.idfOf(id);
      }
      for (const id of grownTerms) {
        if (marks[id] === mark) continue;
        const w = story.sum.get(id);
        if (w === undefined) continue;
        ids[m] = id;
        scores[m++] = w * vocabulary.idfOf(id);
      }
    } else {
      story.sum.forEach((w, id) => {
        ids[m] = id;
        scores[m++] = w * vocabulary.idfOf(id);
      });
    }
    const next = vocabulary.topTerms(ids, scores, m, PROFILE_TERMS);
    const previous = story.profile;
    const profile = new Array<number>(next.length);
    const weights = new Array<number>(next.length);
    let norm = 0;
    for (let i = 0; i < next.length; i++) {
      const p = next[i]!;
      const c = scores[p]!;
      profile[i] = ids[p]!;
      weights[i] = c;
      norm += c * c;
    }
    story.profile = profile;
    story.weights = weights;
    story.norm = Math.sqrt(norm);
    this.postings.reindex(storyId, previous, story.profile);
  }

  /** Drops a centroid's weakest terms (by summed weight), keeping CENTROID_KEEP_TERMS. */
  private prune(sum: Map<number, number>): void {
    const vocabulary = this.vocabulary;
    const ids = Int32Array.from(sum.keys());
    const weights = Float64Array.from(sum.values());
    const mark = ++vocabulary.markStamp;
    for (const p of vocabulary.topTerms(ids, weights, ids.length, CENTROID_KEEP_TERMS))
      vocabulary.marks[ids[p]!] = mark;
    for (const id of ids) if (vocabulary.marks[id] !== mark) sum.delete(id);
  }
}
