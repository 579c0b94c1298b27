/**
 * Ranking helpers: the best few of a long scored list, best first and ties broken deterministically,
 * without sorting the whole list; the clusterer ranks terms and stories with them on every article.
 */

/** A copy of a typed array, `length` long, holding its values at the start and zeros after. */
export function grown<A extends Float64Array | Int32Array | Uint8Array>(array: A, length: number): A {
  const next = new (array.constructor as new (length: number) => A)(length);
  next.set(array);
  return next;
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
  return selectTop<string>(entries, n, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Lists longer than n by more than this are cut at the n-th best score (linear quickselect) before
 * sorting: a profile refresh ranks a few hundred terms for 200 places on every article.
 */
const PRESELECT_MARGIN = 32;

/** The `n` best entries by score, best first, equal scores ordered by `compareKeys`. */
function selectTop<K>(
  entries: (readonly [K, number])[],
  n: number,
  compareKeys: (a: K, b: K) => number,
): (readonly [K, number])[] {
  const better = (a: readonly [K, number], b: readonly [K, number]): number =>
    b[1] - a[1] || compareKeys(a[0], b[0]);
  let list = entries;
  if (list.length > n + PRESELECT_MARGIN && n > 0) {
    // Keep only entries at least as good as the n-th best score (found by quickselect), then sort those.
    const scores = Float64Array.from(list, (e) => e[1]);
    const cut = nthLargest(scores, n - 1);
    list = list.filter((e) => e[1] >= cut);
  }
  return [...list].sort(better).slice(0, n);
}

/** The k-th largest (0-based) of the first `length` values, by quickselect; reorders them. */
export function nthLargest(values: Float64Array, k: number, length = values.length): number {
  let lo = 0;
  let hi = length - 1;
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

/** Runs of tied scores up to this long are insertion-sorted in place; most runs are pairs. */
const TIE_INSERTION_SORT_MAX = 12;

/** Scratch for rankTop, grown as needed: a profile refresh ranks on every article, so it allocates nothing per call. */
let rankCopy = new Float64Array(1024);
/** The same memory as unsigned 64-bit integers (see rankTop). */
let rankBits = new BigUint64Array(rankCopy.buffer);
let rankSlots = new Int32Array(1024);
let rankFill = new Int32Array(1024);

/**
 * Positions (into `scores`) of the `n` best of the first `count` scores, best first, equal scores
 * ordered by `compareTies` on their positions: the order selectTop gives, but without a comparator
 * call per comparison. Scores at or above the n-th best (quickselect) are copied and sorted as plain
 * numbers (a native typed-array sort); each entry then finds its slot by binary search, and only runs
 * of equal scores, which share slots, are sorted with `compareTies`. The result is a view of scratch
 * memory: read it before the next call.
 */
export function rankTop(
  scores: Float64Array,
  count: number,
  n: number,
  compareTies: (a: number, b: number) => number,
): Int32Array {
  if (n <= 0 || count <= 0) return new Int32Array(0);
  if (count > rankCopy.length) {
    const size = Math.max(count, rankCopy.length * 2);
    rankCopy = new Float64Array(size);
    rankBits = new BigUint64Array(rankCopy.buffer);
    rankSlots = new Int32Array(size);
    rankFill = new Int32Array(size);
  }
  let cut = Number.NEGATIVE_INFINITY;
  if (count > n + PRESELECT_MARGIN) {
    rankCopy.set(scores.subarray(0, count));
    cut = nthLargest(rankCopy.subarray(0, count), n - 1);
  }
  // The kept scores, ascending. Non-negative doubles order like their bit patterns read as unsigned
  // integers, and V8 sorts a BigUint64Array natively several times faster than a Float64Array.
  let k = 0;
  let bitsOrder = true;
  for (let i = 0; i < count; i++) {
    const s = scores[i]!;
    if (!(s >= cut)) continue;
    if (!(s > 0 || (s === 0 && 1 / s > 0))) bitsOrder = false;
    rankCopy[k++] = s;
  }
  const sorted = rankCopy.subarray(0, k);
  if (bitsOrder) rankBits.subarray(0, k).sort();
  else sorted.sort();
  rankFill.fill(0, 0, k);
  for (let i = 0; i < count; i++) {
    const s = scores[i]!;
    if (!(s >= cut)) continue;
    // Equal scores occupy sorted[lo, hi); best first, they take slots k - hi .. k - lo - 1.
    let lo = 0;
    let hi = k;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! <= s) lo = mid + 1;
      else hi = mid;
    }
    const start = k - lo;
    rankSlots[start + rankFill[start]!] = i;
    rankFill[start]!++;
  }
  const take = Math.min(n, k);
  // Runs of equal scores (a slot filled more than once) are ordered by their keys.
  for (let start = 0; start < take; ) {
    const run = rankFill[start]!;
    if (run > TIE_INSERTION_SORT_MAX) {
      const tied = Array.from(rankSlots.subarray(start, start + run)).sort(compareTies);
      rankSlots.set(tied, start);
    } else {
      for (let i = start + 1; i < start + run; i++) {
        const v = rankSlots[i]!;
        let j = i - 1;
        while (j >= start && compareTies(v, rankSlots[j]!) < 0) {
          rankSlots[j + 1] = rankSlots[j]!;
          j--;
        }
        rankSlots[j + 1] = v;
      }
    }
    start += run;
  }
  return rankSlots.subarray(0, take);
}
