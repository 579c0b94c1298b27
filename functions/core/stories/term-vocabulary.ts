/**
 * The clusterer's vocabulary: every distinct term gets a small integer id once, so centroids,
 * document frequencies and postings index arrays instead of hashing strings, plus the document
 * frequencies and IDF they give, and the term-indexed scratch arrays the comparisons share.
 */

import { tunableOverrides } from '../tunables.ts';
import type { NumberedTermVector, PackedTermVector, TermTable } from './term-numbering.ts';
import type { TermVector } from './terms.ts';
import { grown, rankTop } from './top-ranking.ts';

/**
 * Exponent applied to IDF: above 1 it sharpens the contrast between event-specific words (names,
 * places, figures) and topic words shared by many stories.
 */
export const IDF_POWER = 1.5;

/** An article's term vector with its terms interned: parallel arrays in the vector's own order. */
export interface InternedVector {
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

export class TermVocabulary {
  /** Documents counted in the frequencies. */
  docs = 0;
  /** Term text -> id, and back. Ids are never reused, so a term keeps its id while the process lives. */
  private readonly ids = new Map<string, number>();
  readonly terms: string[] = [];
  /** Document frequency by term id (0 for a term no held document uses). */
  readonly df: number[] = [];
  /** IDF by document frequency, valid where its stamp equals the document count. */
  private idfCache = new Float64Array(256);
  private idfStamps = new Int32Array(256).fill(-1);
  /** Each TermTable's numbers' ids here, plus one (see internNumbered). */
  private readonly tableIds = new WeakMap<TermTable, Int32Array>();
  /** Dense weights by term id of the vector being compared, zero elsewhere; cleared after every comparison. */
  scratch = new Float64Array(1024);
  /** Term-id marks for de-duplicating, valid where equal to `markStamp`. */
  marks = new Int32Array(1024);
  markStamp = 0;
  /** Work lists of (term or story, score) pairs, reused so that ranking allocates nothing per query. */
  private workIds = new Int32Array(1024);
  private workScores = new Float64Array(1024);
  /** A reused copy of a work list for quickselect, which reorders what it reads. */
  private selection = new Float64Array(1024);

  /**
   * Ids of terms interned from a stored centroid whose statistics were not read (a working set reads
   * only the profile terms of the stories it touches); using one asks `onNewTerm`, which throws.
   */
  private readonly unread: Set<number> | null;

  /**
   * `onNewTerm` is told of each term before it first gets an id; `wasRead` says whether a term's
   * statistics were read (both only for a working set built from items).
   */
  constructor(
    private readonly onNewTerm?: (term: string) => void,
    private readonly wasRead?: (term: string) => boolean,
  ) {
    this.unread = wasRead ? new Set() : null;
  }

  /** The id of a stored centroid's term, noted as unread when its statistics were not read. */
  idOfStored(term: string): number {
    const known = this.ids.get(term);
    if (known !== undefined) return known;
    const id = this.append(term);
    if (this.wasRead && !this.wasRead(term)) this.unread?.add(id);
    return id;
  }

  /** Gives a new term the next id, with room for it in the scratch arrays. */
  private append(term: string): number {
    const id = this.terms.length;
    this.ids.set(term, id);
    this.terms.push(term);
    this.df.push(0);
    if (id >= this.scratch.length) {
      this.scratch = grown(this.scratch, this.scratch.length * 2);
      this.marks = grown(this.marks, this.scratch.length);
    }
    return id;
  }

  /** Throws (through `onNewTerm`) when the term's statistics were not read. */
  requireRead(id: number): void {
    if (this.unread !== null && this.unread.size > 0 && this.unread.has(id))
      this.onNewTerm?.(this.terms[id]!);
  }

  /** The id of a term, assigning the next one to a new term. */
  idOf(term: string): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      this.onNewTerm?.(term);
      id = this.append(term);
    }
    return id;
  }

  /** intern for a vector numbered in a TermTable: each table number's id is looked up once, then read from an array. */
  internNumbered(vec: NumberedTermVector): InternedVector {
    let known = this.tableIds.get(vec.table);
    if (known === undefined || known.length < vec.table.terms.length) {
      const grownIds = new Int32Array(Math.max(1024, vec.table.terms.length * 2));
      if (known) grownIds.set(known);
      known = grownIds;
      this.tableIds.set(vec.table, known);
    }
    const ids = new Int32Array(vec.ids.length);
    for (let i = 0; i < ids.length; i++) {
      const n = vec.ids[i]!;
      // Stored plus one, so the zero an array starts with means "not looked up yet".
      let id = known[n]! - 1;
      if (id < 0) {
        id = this.idOf(vec.table.terms[n]!);
        known[n] = id + 1;
      }
      ids[i] = id;
    }
    return { ids, weights: vec.weights };
  }

  /** intern for a vector packed as parallel arrays (signals.ts): the same ids, and its weights as they are. */
  internPacked(vec: PackedTermVector): InternedVector {
    const ids = new Int32Array(vec.terms.length);
    for (let i = 0; i < ids.length; i++) ids[i] = this.idOf(vec.terms[i]!);
    return { ids, weights: vec.weights };
  }

  /** Interns an article's term vector: once per article, before any other call that takes it. */
  intern(vec: TermVector): InternedVector {
    const ids = new Int32Array(vec.size);
    const weights = new Float64Array(vec.size);
    let i = 0;
    // forEach rather than for-of: no [term, weight] entry array per term.
    vec.forEach((w, t) => {
      ids[i] = this.idOf(t);
      weights[i] = w;
      i++;
    });
    return { ids, weights };
  }

  addDocument(vec: InternedVector): void {
    if (this.unread !== null) for (const id of vec.ids) this.requireRead(id);
    this.docs++;
    for (const id of vec.ids) this.df[id] = (this.df[id] ?? 0) + 1;
  }

  removeDocument(vec: InternedVector): void {
    if (this.unread !== null) for (const id of vec.ids) this.requireRead(id);
    this.docs = Math.max(0, this.docs - 1);
    for (const id of vec.ids) this.df[id] = Math.max(0, (this.df[id] ?? 0) - 1);
  }

  /**
   * Smoothed IDF, ln((N+1)/(df+1)) + 1 raised to IDF_POWER: unseen terms are the most specific, no weight
   * is zero. A frequency above N counts as N: a batch under concurrent writers reads the corpus count and
   * each term's frequency at different moments, and a frequency read after other batches' documents
   * counted against a count read before them would make the logarithm's base negative.
   */
  idfOf(id: number): number {
    if (this.unread !== null) this.requireRead(id);
    return this.idfOfDf(Math.min(this.df[id] ?? 0, this.docs));
  }

  private idfOfDf(df: number): number {
    if (df >= this.idfCache.length) {
      const size = Math.max(df + 1, this.idfCache.length * 2);
      const cache = grown(this.idfCache, size);
      // Stamps of -1 mark entries never computed (a count of 0 documents is a real stamp).
      const stamps = grown(this.idfStamps, size).fill(-1, this.idfStamps.length);
      this.idfCache = cache;
      this.idfStamps = stamps;
    }
    if (this.idfStamps[df] === this.docs) return this.idfCache[df]!;
    const v = (Math.log((this.docs + 1) / (df + 1)) + 1) ** (tunableOverrides().idfPower ?? IDF_POWER);
    this.idfCache[df] = v;
    this.idfStamps[df] = this.docs;
    return v;
  }

  clearScratch(ids: Iterable<number>): void {
    for (const id of ids) this.scratch[id] = 0;
  }

  /** The work lists, at least `n` long. */
  work(n: number): { ids: Int32Array; scores: Float64Array } {
    if (n > this.workIds.length) {
      const size = Math.max(n, this.workIds.length * 2);
      this.workIds = new Int32Array(size);
      this.workScores = new Float64Array(size);
    }
    return { ids: this.workIds, scores: this.workScores };
  }

  /** The first `n` of `scores`, copied into the reused selection buffer. */
  selectionCopy(scores: Float64Array, n: number): Float64Array {
    if (n > this.selection.length) this.selection = new Float64Array(Math.max(n, this.selection.length * 2));
    this.selection.set(scores.subarray(0, n));
    return this.selection;
  }

  /** Positions of the `n` best-weighted of the first `count` terms, best first (ties by term text). */
  topTerms(ids: Int32Array, scores: Float64Array, count: number, n: number): Int32Array {
    const terms = this.terms;
    return rankTop(scores, count, n, (a, b) => {
      const ta = terms[ids[a]!]!;
      const tb = terms[ids[b]!]!;
      return ta < tb ? -1 : ta > tb ? 1 : 0;
    });
  }
}
