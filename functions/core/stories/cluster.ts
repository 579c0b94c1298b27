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
import { PostingIndex } from './posting-index.ts';
import type { NumberedTermVector, PackedTermVector } from './term-numbering.ts';
import { type InternedVector, TermVocabulary } from './term-vocabulary.ts';
import type { TermVector } from './terms.ts';

export type { SerialisedClusterIndex, SerialisedClusterIndexV2 } from './cluster-serialisation.ts';
export type { InternedVector } from './term-vocabulary.ts';

export interface ScoredStory {
  readonly storyId: string;
  readonly cosine: number;
}

export class ClusterIndex {
  private readonly vocabulary = new TermVocabulary();
  private readonly postings = new PostingIndex(this.vocabulary);
  private readonly centroids = new StoryCentroids(this.vocabulary, this.postings);

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
  rank(vec: InternedVector, eligible: (storyId: string) => boolean): ScoredStory[] {
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
  relatedStories(storyId: string, eligible: (storyId: string) => boolean): ScoredStory[] {
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

  toJSON(): SerialisedClusterIndex {
    return serialiseIndex(this.vocabulary, this.centroids, this.postings);
  }

  static fromJSON(data: SerialisedClusterIndex | SerialisedClusterIndexV2): ClusterIndex {
    const index = new ClusterIndex();
    restoreIndex(data, index.vocabulary, index.centroids, index.postings);
    return index;
  }
}
