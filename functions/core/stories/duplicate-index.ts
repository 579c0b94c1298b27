/**
 * The duplicate index: exact content hashes and LSH band buckets of the originals held, and which
 * copies point at each original. A new article is checked against the hash first, then against the
 * originals that share band buckets with it, verified on real shingle sets.
 */
import { lruMemo } from '../memo.ts';
import { nearDuplicateVerdict, type Shingles, shingleSet } from './fingerprint.ts';
import type { ItemCoverage } from './item-coverage.ts';
import { articleKey, bandKey, hashKey } from './item-keys.ts';
import type { ArticleState } from './state.ts';
import { isStubText, sameHeadline } from './stub-pages.ts';

/** Shingle sets of recent duplicate candidates: copies arrive close together, so the same originals recur. */
export const CANDIDATE_SHINGLES_CACHE_SIZE = 256;
const candidateShingles = lruMemo(CANDIDATE_SHINGLES_CACHE_SIZE, (text: string) => shingleSet(text));

/**
 * Articles kept per LSH bucket, the first ones: shared boilerplate would otherwise pile unrelated
 * articles into a few buckets, and a copy still meets its original through the other bands they agree on.
 */
export const BUCKET_MAX_ARTICLES = 64;

/** Candidates verified on shingles per article, those agreeing on the most bands (likeliest copies) first. */
export const MAX_VERIFIED_CANDIDATES = 16;

export interface DuplicateMatch {
  readonly originalId: string;
  readonly similarity: number;
}

export class DuplicateIndex {
  /** LSH band key -> original article id(s). */
  private readonly buckets = new Map<number, string | string[]>();
  /** Exact content hash -> original article id. */
  private readonly hashes = new Map<string, string>();
  /** Original article id -> ids of its duplicates. */
  private readonly dependents = new Map<string, string[]>();
  /**
   * When each original entered its buckets (one stamp for all its bands): a store that keeps one item
   * per bucket entry restores the buckets' order from it, so no entry is rewritten while it exists.
   */
  private readonly addedAt = new Map<string, number>();
  /** The last bucket entry stamp given. */
  clock = 0;

  /** With a coverage, a bucket, hash or original found missing must have been read (item-coverage.ts). */
  constructor(private readonly coverage: ItemCoverage | null = null) {}

  /** Indexes an original's fingerprints. */
  addOriginal(a: ArticleState, keys: readonly number[]): void {
    if (a.contentHash) {
      this.coverage?.create(hashKey(a.contentHash));
      this.hashes.set(a.contentHash, a.id);
    }
    this.addedAt.set(a.id, ++this.clock);
    for (const key of keys) this.bucketAdd(key, a.id);
  }

  /** Removes an original's fingerprints. */
  removeOriginal(a: ArticleState): void {
    if (a.contentHash && this.hashOwner(a.contentHash) === a.id) this.hashes.delete(a.contentHash);
    for (const key of a.lsh) this.bucketRemove(key, a.id);
    this.addedAt.delete(a.id);
  }

  /** Restores the band buckets of an article as stored (its `lsh` keys). */
  restoreBands(a: ArticleState): void {
    this.addedAt.set(a.id, ++this.clock);
    for (const key of a.lsh) this.bucketAdd(key, a.id);
  }

  restoreHash(hash: string, id: string): void {
    this.hashes.set(hash, id);
  }

  /** Every band bucket, as [key, [article id, entry stamp][]], earliest first. */
  bandEntries(): [number, [string, number][]][] {
    return [...this.buckets.entries()].map(([key, b]) => [
      key,
      (typeof b === 'string' ? [b] : b).map((id): [string, number] => [id, this.addedAt.get(id) ?? 0]),
    ]);
  }

  bandOf(key: number): string[] {
    const b = this.buckets.get(key);
    return b === undefined ? [] : typeof b === 'string' ? [b] : [...b];
  }

  /**
   * Restores a bucket from its entries with their stamps, in any order: the BUCKET_MAX_ARTICLES
   * earliest (ties by id), as concurrent writers may each have added one past the bound.
   */
  restoreBand(key: number, entries: readonly (readonly [string, number])[]): void {
    const first = [...new Map(entries)]
      .sort((x, y) => x[1] - y[1] || (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0))
      .slice(0, BUCKET_MAX_ARTICLES);
    if (first.length === 0) return;
    for (const [id, at] of first) {
      this.addedAt.set(id, at);
      if (at > this.clock) this.clock = at;
    }
    this.buckets.set(key, first.length === 1 ? first[0]![0] : first.map(([id]) => id));
  }

  hashOwner(hash: string): string | undefined {
    const owner = this.hashes.get(hash);
    if (owner === undefined) this.coverage?.require(hashKey(hash));
    return owner;
  }

  dependentsOf(originalId: string): string[] {
    return [...(this.dependents.get(originalId) ?? [])];
  }

  restoreDependents(originalId: string, ids: readonly string[]): void {
    if (ids.length > 0) this.dependents.set(originalId, [...ids]);
  }

  hashEntries(): [string, string][] {
    return [...this.hashes.entries()];
  }

  addDependent(originalId: string, dupId: string): void {
    const list = this.dependentsList(originalId);
    if (list) {
      if (!list.includes(dupId)) list.push(dupId);
    } else this.dependents.set(originalId, [dupId]);
  }

  removeDependent(originalId: string, dupId: string): void {
    const list = this.dependentsList(originalId);
    if (list)
      this.dependents.set(
        originalId,
        list.filter((x) => x !== dupId),
      );
  }

  /** The ids of an original's duplicates, which no longer count as its dependents. */
  takeDependents(originalId: string): string[] {
    const deps = this.dependentsList(originalId) ?? [];
    this.dependents.delete(originalId);
    return deps;
  }

  /** An original's copies are stored with it, so a missing list must come from an article that was read. */
  private dependentsList(originalId: string): string[] | undefined {
    const list = this.dependents.get(originalId);
    if (list === undefined) this.coverage?.require(articleKey(originalId));
    return list;
  }

  /** Exact hash first, then LSH candidates verified on shingles. Returns the first-seen original. */
  find(
    a: ArticleState,
    shingles: Shingles,
    keys: readonly number[],
    byId: ReadonlyMap<string, ArticleState>,
  ): DuplicateMatch | null {
    if (a.text.trim().length === 0) return null;
    // A stub's text is served under many headlines, so its copies must share the headline too.
    const stub = isStubText(shingles.length);
    const exact = a.contentHash ? this.hashOwner(a.contentHash) : undefined;
    if (exact && exact !== a.id && byId.get(exact)?.storyId) {
      if (!stub || sameHeadline(a.title, byId.get(exact)?.title ?? null))
        return { originalId: exact, similarity: 1 };
    }
    let best: { originalId: string; similarity: number; order: number } | null = null;
    for (const id of this.candidates(a.id, keys)) {
      const cand = byId.get(id);
      if (!cand || cand.storyId === null || cand.duplicateOf !== null) continue;
      if (stub && !sameHeadline(a.title, cand.title)) continue;
      const verdict = nearDuplicateVerdict(shingles, candidateShingles(cand.text));
      if (!verdict.duplicate) continue;
      const candOrder = Date.parse(cand.arrivedAt);
      if (
        !best ||
        verdict.similarity > best.similarity ||
        (verdict.similarity === best.similarity &&
          (candOrder < best.order || (candOrder === best.order && id < best.originalId)))
      ) {
        best = { originalId: id, similarity: verdict.similarity, order: candOrder };
      }
    }
    return best ? { originalId: best.originalId, similarity: best.similarity } : null;
  }

  /** The articles sharing an LSH bucket with `id`: the MAX_VERIFIED_CANDIDATES agreeing on most bands. */
  private candidates(id: string, keys: readonly number[]): string[] {
    const bands = new Map<string, number>();
    const meet = (other: string) => {
      if (other !== id) bands.set(other, (bands.get(other) ?? 0) + 1);
    };
    for (const key of keys) {
      const bucket = this.bucket(key);
      if (bucket === undefined) continue;
      if (typeof bucket === 'string') meet(bucket);
      else for (const other of bucket) meet(other);
    }
    const candidates = [...bands.keys()];
    if (candidates.length <= MAX_VERIFIED_CANDIDATES) return candidates;
    // A stable sort: among equal counts, the order they were met in.
    return candidates
      .sort((x, y) => (bands.get(y) ?? 0) - (bands.get(x) ?? 0))
      .slice(0, MAX_VERIFIED_CANDIDATES);
  }

  private bucket(key: number): string | string[] | undefined {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) this.coverage?.require(bandKey(key));
    return bucket;
  }

  private bucketAdd(key: number, id: string): void {
    const bucket = this.bucket(key);
    if (bucket === undefined) {
      this.coverage?.create(bandKey(key));
      this.buckets.set(key, id);
    } else if (typeof bucket === 'string') this.buckets.set(key, [bucket, id]);
    else if (bucket.length < BUCKET_MAX_ARTICLES) bucket.push(id);
  }

  private bucketRemove(key: number, id: string): void {
    const bucket = this.bucket(key);
    if (bucket === undefined) return;
    if (typeof bucket === 'string') {
      if (bucket === id) this.buckets.delete(key);
      return;
    }
    const rest = bucket.filter((x) => x !== id);
    if (rest.length === 0) this.buckets.delete(key);
    else this.buckets.set(key, rest.length === 1 ? rest[0]! : rest);
  }
}
