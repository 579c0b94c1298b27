/**
 * What the engine re-reads from a member's text while its story is young: the interned term vector
 * and the event day the text writes. A cache only: a missing entry is recomputed, never a different result.
 */
import type { Day } from '../types.ts';
import { writtenEventDay } from './assign.ts';
import type { ClusterIndex, InternedVector } from './cluster.ts';
import type { ArticleState } from './state.ts';
import { articleTerms } from './terms.ts';

/** Members' interned term vectors kept for re-checking young stories (most recently placed). */
export const MEMBER_VECTOR_CACHE_SIZE = 4096;

export class MemberCache {
  /** Keyed by the article's state object, which a new version replaces. */
  private readonly vectors = new Map<ArticleState, InternedVector>();
  private readonly eventDays = new WeakMap<ArticleState, Day | null>();

  remember(a: ArticleState, vec: InternedVector): void {
    this.vectors.delete(a);
    this.vectors.set(a, vec);
    if (this.vectors.size > MEMBER_VECTOR_CACHE_SIZE) {
      const oldest = this.vectors.keys().next().value;
      if (oldest !== undefined) this.vectors.delete(oldest);
    }
  }

  forget(a: ArticleState): void {
    this.vectors.delete(a);
  }

  /** The member's interned term vector, re-read from its text when not cached. */
  vectorOf(a: ArticleState, cluster: ClusterIndex): InternedVector {
    const cached = this.vectors.get(a);
    if (cached) return cached;
    const read = articleTerms(a.title, a.text, a.description);
    a.names ??= read.names;
    const vec = cluster.intern(read.vector);
    this.remember(a, vec);
    return vec;
  }

  setEventDay(a: ArticleState, day: Day | null): void {
    this.eventDays.set(a, day);
  }

  /** The event day an article's text writes (assign.ts writtenEventDay), read once per article version. */
  eventDayOf(a: ArticleState): Day | null {
    let day = this.eventDays.get(a);
    if (day === undefined) {
      day = writtenEventDay(a.text, a.date?.day ?? null);
      this.eventDays.set(a, day);
    }
    return day;
  }
}
