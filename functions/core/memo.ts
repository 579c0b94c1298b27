/**
 * A bounded memo for pure per-text computations (sentence analysis, figures). Least recently used
 * entries go first. Keyed by the value itself, so an entry can never go stale; bounded, so a
 * long-lived Lambda container cannot grow without limit.
 */
export function lruMemo<K, V>(capacity: number, compute: (key: K) => V): (key: K) => V {
  const entries = new Map<K, V>();
  return (key: K): V => {
    const cached = entries.get(key);
    if (cached !== undefined) {
      // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
      entries.delete(key);
      entries.set(key, cached);
      return cached;
    }
    const value = compute(key);
    entries.set(key, value);
    if (entries.size > capacity) {
      const oldest = entries.keys().next().value;
      if (oldest !== undefined) entries.delete(oldest);
    }
    return value;
  };
}
