/**
 * Term vectors that cross threads: packed as parallel arrays (cheap to structured-clone), or with
 * their terms numbered in a table the receiving thread keeps, so each term crosses once.
 */
import type { TermVector } from './terms.ts';

/** A term vector as parallel arrays, in the Map's order (signals.ts): far cheaper to structured-clone than a Map. */
export interface PackedTermVector {
  readonly terms: readonly string[];
  readonly weights: Float64Array;
}

export function packTermVector(vec: TermVector): PackedTermVector {
  return { terms: [...vec.keys()], weights: Float64Array.from(vec.values()) };
}

/**
 * The terms another thread has numbered, in the order it numbered them: append-only, and shared by
 * every vector that thread sends, so each term crosses the thread boundary once.
 */
export class TermTable {
  readonly terms: string[] = [];
}

/**
 * A term vector whose terms are numbers in a TermTable (what a preparation worker sends): interning
 * it reads an array instead of hashing each term into the engine's vocabulary.
 */
export interface NumberedTermVector {
  readonly table: TermTable;
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

/** Numbers terms for a TermTable kept on another thread: the sending side of NumberedTermVector. */
export class TermNumbering {
  private readonly numbers = new Map<string, number>();
  private readonly order: string[] = [];

  /** Terms numbered so far; `forgetSince(size)` undoes what came after. */
  get size(): number {
    return this.order.length;
  }

  /** The vector's term numbers, and the terms numbered for it (to append to the receiving table). */
  number(vec: PackedTermVector): { ids: Int32Array; newTerms: string[] } {
    const ids = new Int32Array(vec.terms.length);
    const newTerms: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const term = vec.terms[i]!;
      let n = this.numbers.get(term);
      if (n === undefined) {
        n = this.order.length;
        this.numbers.set(term, n);
        this.order.push(term);
        newTerms.push(term);
      }
      ids[i] = n;
    }
    return { ids, newTerms };
  }

  /** Forgets the terms numbered after the first `size`: their message never reached the table. */
  forgetSince(size: number): void {
    for (const term of this.order.splice(size)) this.numbers.delete(term);
  }
}
