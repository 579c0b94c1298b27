/**
 * Duplicate fingerprints: an exact hash of the normalised body, word shingles, a MinHash
 * signature and its LSH band keys. Candidates come from band-bucket lookups (constant work per
 * article), and every candidate is verified on real shingle sets before it is called a duplicate.
 */
import { tokenize } from '../text.ts';
import { fnv1a32, mix32, sha1Hex } from './hash.ts';

/**
 * Words per shingle. Five-word shingles are the usual choice for news near-duplicates: short
 * enough that a changed word only spoils five shingles, long enough that two outlets writing
 * about the same event in their own words share almost none.
 */
export const SHINGLE_WORDS = 5;

/**
 * MinHash signature length. One-permutation hashing (Li, Owen & Zhang 2012) spreads one hash per
 * shingle over 128 bins, so a signature costs one hash per shingle instead of 128. 128 bins give a
 * Jaccard estimate within about ±0.04 and 32 bands of 4 rows.
 */
export const MINHASH_SIZE = 128;

/**
 * Rows per LSH band. With 32 bands of 4 rows a pair with Jaccard 0.6 becomes a candidate with
 * probability 1-(1-0.6^4)^32 ≈ 0.99, and a pair with Jaccard 0.2 only with about 0.05, so the
 * verification step sees few candidates and misses almost no real copies (even trimmed ones).
 */
export const LSH_ROWS = 4;
export const LSH_BANDS = MINHASH_SIZE / LSH_ROWS;

/**
 * Shingle Jaccard at or above which two texts are near-duplicates (DESIGN.md §2: about 0.8).
 * A reprint with a reworded header and a changed line keeps well above it.
 */
export const NEAR_DUPLICATE_JACCARD = 0.8;

/**
 * Containment (share of the shorter text's shingles found in the longer) at or above which the
 * shorter text is a copy: catches trimmed tails and copies with added boilerplate, whose Jaccard
 * drops with the length difference. Independent reports of one event share quotes, not 90% of
 * their five-word shingles.
 */
export const NEAR_DUPLICATE_CONTAINMENT = 0.9;

/**
 * The shorter text must hold at least this share of the longer one for containment to count:
 * a three-paragraph brief quoted inside a long feature is not a reprint of it.
 */
export const CONTAINMENT_MIN_LENGTH_RATIO = 0.5;

/** Containment is only trusted with at least this many shingles; two short texts share boilerplate by chance. */
export const CONTAINMENT_MIN_SHINGLES = 30;

/**
 * A text's distinct shingle hashes, in ascending order. A sorted typed array rather than a
 * Set<number>: most 32-bit hashes are not V8 small integers, so a Set boxed each one (some 9 KB per
 * article, the largest share of what the engine's young collections had to copy), while four bytes
 * each outside the heap cost nothing to collect or to hand between threads, and two sorted lists
 * intersect in one merge.
 */
export type Shingles = Uint32Array;

/** Lower-cased words with punctuation and spacing removed: the basis of the exact hash and the shingles. */
export function normalisedWords(text: string): string[] {
  return tokenize(text);
}

/** Exact-duplicate key: the hash of the body's words, so whitespace, case and punctuation edits do not matter. */
export function contentHash(text: string): string {
  return sha1Hex(normalisedWords(text).join(' '));
}

/** 32-bit hashes of the normalised words, computed once per text. */
function wordHashes(words: readonly string[]): Uint32Array {
  const out = new Uint32Array(words.length);
  for (let i = 0; i < words.length; i++) out[i] = fnv1a32(words[i]!);
  return out;
}

/**
 * Shingle sets of the texts fingerprinted last. A text's first duplicate candidates are the copies
 * that arrived just before or after it (a wire story lands in several papers within hours), and the
 * engine shingles each candidate's text again to verify it: for a text fingerprinted recently the
 * set is already here. Keyed by the text itself, so an entry cannot go stale; bounded, and the sets
 * are small (a few hundred numbers each).
 */
export const RECENT_SHINGLES_CACHE_SIZE = 256;
const recentShingles = new Map<string, Shingles>();

/**
 * Remembers a text's shingles computed elsewhere (a preparation worker's signals), so that the text
 * coming up as a duplicate candidate later is not shingled again on this thread.
 */
export function rememberShingles(text: string, shingles: Shingles): void {
  recentShingles.delete(text);
  recentShingles.set(text, shingles);
  if (recentShingles.size > RECENT_SHINGLES_CACHE_SIZE) {
    const oldest = recentShingles.keys().next().value;
    if (oldest !== undefined) recentShingles.delete(oldest);
  }
}

/**
 * The hashed word shingles of a text (a text shorter than one shingle is its single shingle).
 * Each shingle's hash chains its words' hashes, so no shingle string is ever built. The array may be
 * shared with other callers (see RECENT_SHINGLES_CACHE_SIZE): read it, never change it.
 */
export function shingleSet(text: string, size = SHINGLE_WORDS): Shingles {
  if (size === SHINGLE_WORDS) {
    const recent = recentShingles.get(text);
    if (recent !== undefined) return recent;
  }
  return shinglesOfWords(normalisedWords(text), size);
}

/** Exact hash and shingles of a text from one tokenisation (the engine needs both for every article). */
export function textFingerprint(text: string): { contentHash: string; shingles: Shingles } {
  const words = normalisedWords(text);
  const shingles = shinglesOfWords(words, SHINGLE_WORDS);
  rememberShingles(text, shingles);
  return { contentHash: sha1Hex(words.join(' ')), shingles };
}

function shinglesOfWords(tokens: readonly string[], size: number): Shingles {
  const words = wordHashes(tokens);
  if (words.length === 0) return new Uint32Array(0);
  const width = Math.min(size, words.length);
  const all = new Uint32Array(words.length - width + 1);
  for (let i = 0; i + width <= words.length; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < width; k++) h = mix32(words[i + k]!, Math.imul(h, 0x01000193) ^ k);
    all[i] = h;
  }
  all.sort();
  // Drop repeats in place (a repeated phrase is one shingle), then keep just the distinct prefix.
  let distinct = 1;
  for (let i = 1; i < all.length; i++) if (all[i] !== all[distinct - 1]) all[distinct++] = all[i]!;
  return distinct === all.length ? all : all.slice(0, distinct);
}

/** Seed of the one hash function applied to shingle hashes before binning. */
const OPH_SEED = 0x9e3779b9;
/** log2(MINHASH_SIZE): the top bits of a hash choose its bin, the rest are its value. */
const OPH_BIN_BITS = Math.log2(MINHASH_SIZE);
const OPH_VALUE_BITS = 32 - OPH_BIN_BITS;
const OPH_VALUE_MASK = 2 ** OPH_VALUE_BITS - 1;
const EMPTY_BIN = 0xffffffff;

/**
 * One-permutation MinHash: each shingle's hash falls into one of MINHASH_SIZE bins and each bin
 * keeps its minimum. An empty bin borrows the nearest non-empty bin to its right, offset by the
 * distance so borrowed values never equal a real value (rotation densification).
 */
export function minHash(shingles: Shingles): number[] {
  const sig = new Array<number>(MINHASH_SIZE).fill(EMPTY_BIN);
  for (const s of shingles) {
    const h = mix32(s, OPH_SEED);
    const bin = h >>> OPH_VALUE_BITS;
    const value = h & OPH_VALUE_MASK;
    if (value < sig[bin]!) sig[bin] = value;
  }
  if (shingles.length === 0) return sig;
  const out = new Array<number>(MINHASH_SIZE);
  for (let i = 0; i < MINHASH_SIZE; i++) {
    let distance = 0;
    let j = i;
    while (sig[j] === EMPTY_BIN) {
      j = (j + 1) % MINHASH_SIZE;
      distance++;
    }
    out[i] = (sig[j]! + distance * (OPH_VALUE_MASK + 1)) >>> 0;
  }
  return out;
}

/**
 * Bits kept of a band key: 30, so keys are V8 small integers (no boxed number per key in the
 * per-article key lists and the bucket map). A chance collision only adds a candidate, which the
 * shingle check then rejects: at 50k articles about one in twenty lookups meets one.
 */
const LSH_KEY_MASK = 0x3fffffff;

/** One bucket key per LSH band: a hash of the band's rows, seeded by the band index. */
export function lshKeys(signature: readonly number[]): number[] {
  const keys: number[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let h = mix32(b + 1, 0x811c9dc5);
    for (let r = 0; r < LSH_ROWS; r++) h = mix32(signature[b * LSH_ROWS + r]!, Math.imul(h, 0x01000193));
    keys.push(h & LSH_KEY_MASK);
  }
  return keys;
}

/** |A∩B| of two ascending lists of distinct values, by one merge. */
function intersectionSize(a: Shingles, b: Shingles): number {
  let inter = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      inter++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return inter;
}

/** Jaccard similarity of two sets: |A∩B| / |A∪B| (1 for two empty sets, since they are the same text). */
export function jaccard(a: Shingles, b: Shingles): number {
  if (a.length === 0 && b.length === 0) return 1;
  return jaccardOf(a, b, intersectionSize(a, b));
}

function jaccardOf(a: Shingles, b: Shingles, inter: number): number {
  return inter / (a.length + b.length - inter);
}

/** Containment of the smaller set in the larger: |A∩B| / min(|A|,|B|). */
export function containment(a: Shingles, b: Shingles): number {
  if (Math.min(a.length, b.length) === 0) return 0;
  return intersectionSize(a, b) / Math.min(a.length, b.length);
}

/** The verdict on one verified candidate pair. */
export interface DuplicateVerdict {
  readonly duplicate: boolean;
  /** The similarity reported for the pair: Jaccard, or containment when only containment qualified. */
  readonly similarity: number;
}

/** Decides whether two shingle sets are near-duplicates (Jaccard, or containment for trimmed/padded copies). */
export function nearDuplicateVerdict(a: Shingles, b: Shingles): DuplicateVerdict {
  // One intersection serves both measures.
  const inter = a.length === 0 && b.length === 0 ? 0 : intersectionSize(a, b);
  const j = a.length === 0 && b.length === 0 ? 1 : jaccardOf(a, b, inter);
  if (j >= NEAR_DUPLICATE_JACCARD) return { duplicate: true, similarity: round3(j) };
  const small = Math.min(a.length, b.length);
  const large = Math.max(a.length, b.length);
  if (small >= CONTAINMENT_MIN_SHINGLES && small / large >= CONTAINMENT_MIN_LENGTH_RATIO) {
    const c = inter / small;
    if (c >= NEAR_DUPLICATE_CONTAINMENT) return { duplicate: true, similarity: round3(c) };
  }
  return { duplicate: false, similarity: round3(j) };
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
