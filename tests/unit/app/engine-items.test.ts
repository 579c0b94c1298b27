import { describe, expect, it } from 'vitest';
import { SqliteItemStore } from '../../../functions/adapters/sqlite-item-store.ts';
import { readEngineItems } from '../../../functions/app/engine-items.ts';
import { FREQUENCY_DELTAS_PARTITION } from '../../../functions/app/frequency-deltas.ts';
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

/** The real sqlite store, noting each read it is asked for: how, and of which key or partition. */
function recording(): { store: ItemStore; asked: string[] } {
  const inner = new SqliteItemStore(':memory:');
  const asked: string[] = [];
  const how = (options?: { consistent?: boolean }) =>
    options?.consistent === false ? 'eventual' : 'consistent';
  const store: ItemStore = {
    put: (write) => inner.put(write),
    delete: (key, version) => inner.delete(key, version),
    addCounts: (key, deltas, expiresAt) => inner.addCounts(key, deltas, expiresAt),
    getMany: (keys, options) => {
      for (const key of keys) asked.push(`${how(options)} get ${key.partition}/${key.sort}`);
      return inner.getMany(keys, options);
    },
    listPartition: (partition, options) => {
      asked.push(`${how(options)} list ${partition}`);
      return inner.listPartition(partition, options);
    },
  };
  return { store, asked };
}

describe('readEngineItems', () => {
  it('reads versioned items strongly, the statistics and index entries eventually, and a df with its postings', async () => {
    const { store, asked } = recording();
    await store.put({ key: postingKey('kyiv', 's1'), value: { at: 1 }, expectedVersion: 'any' });
    await store.put({ key: bandEntryKey(7, 'a1'), value: { at: 1 }, expectedVersion: 'any' });
    await store.addCounts(dfKey('kyiv'), { df: 2 });
    await store.addCounts(dfKey('lviv'), { df: 1 });
    const keys: ItemKey[] = [
      CORPUS_KEY,
      articleKey('a1'),
      storyKey('s1'),
      hashKey('h1'),
      dfKey('kyiv'),
      termKey('kyiv'),
      bandKey(7),
      dfKey('lviv'),
    ];
    const read = await readEngineItems(store, keys);
    expect(asked.sort()).toEqual([
      'consistent get article#a1/',
      'consistent get corpus/',
      'consistent get hash#h1/',
      'consistent get story#s1/',
      'eventual get term#lviv/!df',
      'eventual list band#7',
      'eventual list dfdeltas',
      'eventual list term#kyiv',
    ]);
    expect(
      Object.fromEntries(
        [...read.values()].map((item) => [`${item.key.partition}/${item.key.sort}`, item.value]),
      ),
    ).toEqual({
      'band#7/a1': { at: 1 },
      'term#kyiv/!df': { df: 2 },
      'term#kyiv/s1': { at: 1 },
      'term#lviv/!df': { df: 1 },
    });
  });

  it("adds the batches' unfolded frequency deltas to the counters asked for, after reading them", async () => {
    const { store, asked } = recording();
    await store.addCounts(dfKey('kyiv'), { df: 2 });
    const delta = (sort: string, terms: [string, number][]) =>
      store.put({
        key: { partition: FREQUENCY_DELTAS_PARTITION, sort },
        value: { terms },
        expectedVersion: null,
      });
    await delta('b1', [
      ['kyiv', 1],
      ['lviv', 1],
    ]);
    await delta('b2', [
      ['kyiv', 3],
      ['odesa', 1],
      ['__proto__', 1],
    ]);
    let listed = -1;
    const read = await readEngineItems(
      store,
      [dfKey('kyiv'), termKey('kyiv'), dfKey('lviv'), dfKey('__proto__')],
      undefined,
      (n) => {
        listed = n;
      },
    );
    expect(listed).toBe(2);
    expect(asked.at(-1)).toBe('eventual list dfdeltas');
    expect(
      Object.fromEntries(
        [...read.values()].map((item) => [
          `${item.key.partition}/${item.key.sort}`,
          [item.value, item.version],
        ]),
      ),
    ).toEqual({
      'term#kyiv/!df': [{ df: 6 }, 0],
      'term#lviv/!df': [{ df: 1 }, 0],
      'term#__proto__/!df': [{ df: 1 }, 0],
    });
  });

  it('lists no deltas for a read that asks for no document frequency', async () => {
    const { store, asked } = recording();
    await readEngineItems(store, [CORPUS_KEY, termKey('kyiv')]);
    expect(asked).not.toContain('eventual list dfdeltas');
  });
});
