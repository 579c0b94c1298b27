import { describe, expect, it } from 'vitest';
import { SqliteItemStore } from '../../../functions/adapters/sqlite-item-store.ts';
import { readEngineItems } from '../../../functions/app/engine-items.ts';
import {
  articleKey,
  bandEntryKey,
  bandKey,
  CORPUS_KEY,
  dfKey,
  hashKey,
  postingKey,
  storyKey,
  termKey,
} from '../../../functions/core/stories/item-keys.ts';
import type { ItemKey, ItemStore } from '../../../functions/ports.ts';

/** The real sqlite store, noting how each key or partition was asked to be read. */
function recording(): { store: ItemStore; asked: Map<string, 'consistent' | 'eventual'> } {
  const inner = new SqliteItemStore(':memory:');
  const asked = new Map<string, 'consistent' | 'eventual'>();
  const how = (options?: { consistent?: boolean }) =>
    options?.consistent === false ? 'eventual' : 'consistent';
  const store: ItemStore = {
    put: (write) => inner.put(write),
    delete: (key, version) => inner.delete(key, version),
    addCounts: (key, deltas, expiresAt) => inner.addCounts(key, deltas, expiresAt),
    getMany: (keys, options) => {
      for (const key of keys) asked.set(key.partition, how(options));
      return inner.getMany(keys, options);
    },
    listPartition: (partition, options) => {
      asked.set(partition, how(options));
      return inner.listPartition(partition, options);
    },
  };
  return { store, asked };
}

describe('readEngineItems', () => {
  it('reads versioned items strongly, and the statistics and index entries eventually', async () => {
    const { store, asked } = recording();
    await store.put({ key: postingKey('kyiv', 's1'), value: { at: 1 }, expectedVersion: 'any' });
    await store.put({ key: bandEntryKey(7, 'a1'), value: { at: 1 }, expectedVersion: 'any' });
    await store.addCounts(dfKey('kyiv'), { df: 2 });
    const keys: ItemKey[] = [
      CORPUS_KEY,
      articleKey('a1'),
      storyKey('s1'),
      hashKey('h1'),
      dfKey('kyiv'),
      termKey('kyiv'),
      bandKey(7),
    ];
    const read = await readEngineItems(store, keys);
    expect(Object.fromEntries(asked)).toEqual({
      corpus: 'consistent',
      'article#a1': 'consistent',
      'story#s1': 'consistent',
      'hash#h1': 'consistent',
      'df#kyiv': 'eventual',
      'term#kyiv': 'eventual',
      'band#7': 'eventual',
    });
    expect([...read.values()].map((item) => item.key.partition).sort()).toEqual([
      'band#7',
      'df#kyiv',
      'term#kyiv',
    ]);
  });
});
