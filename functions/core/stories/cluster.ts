/**
 * Online same-event clustering. A new article is compared with story centroids (centroids.ts),
 * never with every article: candidate stories come from the posting index over the profiles' top
 * terms (posting-index.ts), and only the best few get an exact cosine. IDF comes from the running
 * document frequencies (term-vocabulary.ts); terms are interned ids throughout and named by their
 * text only in the stored index (cluster-serialisation.ts).
 */
import { StoryCentroids } from './centroids.ts';
import {
  restoreIndex,
  type SerialisedClusterIndex,
  type SerialisedClusterIndexV2,
  serialiseIndex,
} from './cluster-serialisation.ts';
import { type Eligibility, PostingIndex } from './posting-index.ts';
import type { NumberedTermVector, PackedTermVector } from './term-numbering.ts';
import { type InternedVector, TermVocabulary } from './term-vocabulary.ts';
import type { TermVector } from './terms.ts';

export type { SerialisedClusterIndex, SerialisedClusterIndexV2 } from './cluster-serialisation.ts';
export type { InternedVector } from './term-vocabulary.ts';

/** One term's stored statistics: its document frequency and the stories indexed under it, with their entry stamps. */
export interface TermEntry {
  readonly df: number;
  /** [story id, entry stamp], earliest entered first. */
  readonly postings: readonly (readonly [string, number])[];
}

/** One story's stored centroid, its terms named by text. */
export interface CentroidEntry {
  readonly size: number;
  readonly terms: readonly string[];
  readonly sums: readonly number[];
  readonly profile: readonly string[];
  readonly weights: readonly number[];
  readonly norm: number;
}

export interface ScoredStory {
  readonly storyId: string;
  readonly cosine: number;
}

export class ClusterIndex {
  private readonly vocabulary: TermVocabulary;
  private readonly postings: PostingIndex;
  private readonly centroids: StoryCentroids;

  /** `onNewTerm` is told of each term before it first gets an id (a working set checks it was read). */
  constructor(onNewTerm?: (term: string) => void, wasRead?: (term: string) => boolean) {
    this.vocabulary = new TermVocabulary(onNewTerm, wasRead);
    this.postings = new PostingIndex(this.vocabulary);
    this.centroids = new StoryCentroids(this.vocabulary, this.postings);
  }

  internNumbered(vec: NumberedTermVector): InternedVector {
    return this.vocabulary.internNumbered(vec);
  }

  internPacked(vec: PackedTermVector): InternedVector {
    return this.vocabulary.internPacked(vec);
  }

  /** Interns an article's term vector: once per article, before any other call that takes it. */
  intern(vec: TermVector): InternedVector {
    return this.vocabulary.intern(vec);
  }

  addDocument(vec: InternedVector): void {
    this.vocabulary.addDocument(vec);
  }

  removeDocument(vec: InternedVector): void {
    this.vocabulary.removeDocument(vec);
  }

  /** Writes the vector's IDF-weighted, topic-discounted terms into the scratch array; returns their norm. */
  private weigh(vec: InternedVector): number {
    const vocabulary = this.vocabulary;
    const scratch = vocabulary.scratch;
    let norm = 0;
    for (let i = 0; i < vec.ids.length; i++) {
      const id = vec.ids[i]!;
      const x = vec.weights[i]! * vocabulary.idfOf(id) * this.postings.topicDiscount(id);
      scratch[id] = x;
      norm += x * x;
    }
    return Math.sqrt(norm);
  }

  /** Exact cosines for the candidates `eligible` accepts, best first. */
  rank(vec: InternedVector, eligible: Eligibility): ScoredStory[] {
    const norm = this.weigh(vec);
    try {
      return this.postings
        .candidatesOf(vec.ids, eligible)
        .map((storyId) => ({
          storyId,
          cosine: this.centroids.scratchCosine(norm, this.centroids.get(storyId)),
        }))
        .sort((a, b) => b.cosine - a.cosine || (a.storyId < b.storyId ? -1 : 1));
    } finally {
      this.vocabulary.clearScratch(vec.ids);
    }
  }

  addToStory(storyId: string, vec: InternedVector): void {
    this.centroids.add(storyId, vec);
  }

  removeFromStory(storyId: string, vec: InternedVector): void {
    this.centroids.remove(storyId, vec);
  }

  /** Similarity of one story's centroid to several others' (the merge pass). */
  storyCosines(a: string, others: readonly string[]): number[] {
    return this.centroids.storyCosines(a, others);
  }

  /** Stories sharing index terms with a story (its own id excluded), best first (follow-up links). */
  relatedStories(storyId: string, eligible: Eligibility): ScoredStory[] {
    const s = this.centroids.get(storyId);
    if (!s) return [];
    const ids = Int32Array.from(s.profile);
    const weights = Float64Array.from(s.profile, (id) => (s.sum.get(id) ?? 0) / s.size);
    return this.rank({ ids, weights }, (id) => id !== storyId && eligible(id));
  }

  /** How well a member fits the rest of its story (centroids.ts cosineToRest). */
  cosineToRest(storyId: string, vec: InternedVector): number {
    return this.centroids.cosineToRest(storyId, vec);
  }

  /** Folds story `from` into story `into`; `from` leaves the index. */
  mergeStories(into: string, from: string): void {
    this.centroids.merge(into, from);
  }

  /** Documents counted in the term statistics. */
  get documentCount(): number {
    return this.vocabulary.docs;
  }

  set documentCount(docs: number) {
    this.vocabulary.docs = docs;
  }

  /** Every term with a document frequency or a posting list, in id order. */
  heldTerms(): string[] {
    const out: string[] = [];
    const { terms, df } = this.vocabulary;
    for (let id = 0; id < terms.length; id++)
      if ((df[id] ?? 0) > 0 || this.postings.postings[id] !== undefined) out.push(terms[id]!);
    return out;
  }

  /** A term's document frequency and posting list. */
  termEntry(term: string): TermEntry {
    const id = this.vocabulary.idOf(term);
    const list = this.postings.postings[id];
    const stamps = this.postings.stamps[id];
    return {
      df: this.vocabulary.df[id] ?? 0,
      postings: list
        ? list.map((h, i): [string, number] => [this.postings.storyIds[h]!, stamps?.[i] ?? 0])
        : [],
    };
  }

  /** The last posting entry stamp given (the store's corpus counter keeps it between batches). */
  get postingClock(): number {
    return this.postings.clock;
  }

  set postingClock(clock: number) {
    if (clock > this.postings.clock) this.postings.clock = clock;
  }

  /** Restores a term's document frequency. */
  restoreDf(term: string, df: number): void {
    this.vocabulary.df[this.vocabulary.idOf(term)] = df;
  }

  /** Restores a term's posting list from its entries as termEntry gave them, in any order. */
  restorePostings(term: string, postings: readonly (readonly [string, number])[]): void {
    this.postings.restore(this.vocabulary.idOf(term), postings);
  }

  /** A story's centroid with its terms named by text (sum in insertion order), or null when it has none. */
  centroidEntry(storyId: string): CentroidEntry | null {
    const s = this.centroids.get(storyId);
    if (!s) return null;
    const terms = this.vocabulary.terms;
    return {
      size: s.size,
      terms: Array.from(s.sum.keys(), (id) => terms[id]!),
      sums: [...s.sum.values()],
      profile: s.profile.map((id) => terms[id]!),
      weights: [...s.weights],
      norm: s.norm,
    };
  }

  /** Restores a story's centroid as centroidEntry gave it. */
  restoreCentroid(storyId: string, entry: CentroidEntry): void {
    const sum = new Map<number, number>();
    for (let i = 0; i < entry.terms.length; i++)
      sum.set(this.vocabulary.idOfStored(entry.terms[i]!), entry.sums[i]!);
    this.centroids.byStory.set(storyId, {
      sum,
      size: entry.size,
      profile: entry.profile.map((t) => this.vocabulary.idOfStored(t)),
      weights: [...entry.weights],
      norm: entry.norm,
    });
  }

  toJSON(): SerialisedClusterIndex {
    return serialiseIndex(this.vocabulary, this.centroids, this.postings);
  }

  static fromJSON(data: SerialisedClusterIndex | SerialisedClusterIndexV2): ClusterIndex {
    const index = new ClusterIndex();
    restoreIndex(data, index.vocabulary, index.centroids, index.postings);
    return index;
  }
}
