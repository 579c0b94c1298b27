/**
 * Bounded caches for pure computations (sentence analysis, figures, a rendered briefing). Least recently
 * used entries go first; bounded, so a long-lived Lambda container cannot grow without limit.
 */

/** A map of at most `capacity` entries that drops the least recently used one when full. */
export class LruCache<K, V> {
  // A Map iterates in insertion order, so the first key is the least recently used.
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, cached);
    }
    return cached;
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
  }

  /** Drops `key` only while it still maps to `value` (a newer entry under the same key stays). */
  deleteIf(key: K, value: V): void {
    if (this.entries.get(key) === value) this.entries.delete(key);
  }
}

/** `compute`, memoised by its argument: keyed by the value itself, so an entry can never go stale. */
export function lruMemo<K, V>(capacity: number, compute: (key: K) => V): (key: K) => V {
  const cache = new LruCache<K, V>(capacity);
  return (key: K): V => {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const value = compute(key);
    cache.set(key, value);
    return value;
  };
}
