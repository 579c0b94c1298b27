import { describe, expect, it } from 'vitest';
import { SqliteItemStore } from '../../../functions/adapters/sqlite-item-store.ts';
import { entryRefreshBefore, readEngineItems, storeChanges } from '../../../functions/app/engine-items.ts';
import {
  FREQUENCY_DELTAS_PARTITION,
  FrequencyDeltaReader,
  foldFrequencyDeltas,
} from '../../../functions/app/frequency-deltas.ts';
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
import type { EngineItem, ItemChanges, ReadItem } from '../../../functions/core/stories/story-items.ts';
import { type ItemKey, type ItemStore, itemKeyId } from '../../../functions/ports.ts';

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
      'consistent get dffolds/',
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

  describe('with one reader for the read rounds of a commit attempt', () => {
    async function twoDeltas(store: ItemStore): Promise<void> {
      await store.addCounts(dfKey('kyiv'), { df: 2 });
      await store.addCounts(dfKey('lviv'), { df: 5 });
      const terms: [string, number][][] = [
        [
          ['kyiv', 1],
          ['lviv', 2],
        ],
        [['odesa', 1]],
      ];
      for (const [i, t] of terms.entries())
        await store.put({
          key: { partition: FREQUENCY_DELTAS_PARTITION, sort: `b${i}` },
          value: { terms: t },
          expectedVersion: null,
        });
    }
    const dfOf = (read: Map<string, { value: unknown }>, term: string) =>
      (read.get(itemKeyId(dfKey(term)))?.value as { df: number } | undefined)?.df;
    const readsOf = (asked: string[], what: string) => asked.filter((a) => a === what).length;
    /** One read round of a commit attempt, with the attempt's reader of the deltas. */
    const readRound = (store: ItemStore, keys: ItemKey[], deltas: FrequencyDeltaReader) =>
      readEngineItems(store, keys, undefined, undefined, deltas);

    it('lists the deltas once, and checks the fold count after each later round of counters', async () => {
      const { store, asked } = recording();
      await twoDeltas(store);
      const deltas = new FrequencyDeltaReader(store);
      const first = await readRound(store, [CORPUS_KEY, dfKey('kyiv')], deltas);
      const second = await readRound(store, [dfKey('lviv'), dfKey('odesa')], deltas);
      const third = await readRound(store, [articleKey('a1')], deltas);
      // A term no listed delta names: nothing to add, so no fold to check for.
      await store.addCounts(dfKey('kharkiv'), { df: 4 });
      const fourth = await readRound(store, [dfKey('kharkiv')], deltas);
      expect([dfOf(first, 'kyiv'), dfOf(second, 'lviv'), dfOf(second, 'odesa')]).toEqual([3, 7, 1]);
      expect(third.size).toBe(0);
      expect(dfOf(fourth, 'kharkiv')).toBe(4);
      expect(deltas.listed).toBe(2);
      expect(asked).toEqual([
        'consistent get corpus/',
        'consistent get dffolds/',
        'eventual get term#kyiv/!df',
        'eventual list dfdeltas',
        'eventual get term#lviv/!df',
        'eventual get term#odesa/!df',
        'consistent get dffolds/',
        'consistent get article#a1/',
        'eventual get term#kharkiv/!df',
      ]);
    });

    it('lists them again when a fold ran since, so that no later counter holds a delta also listed', async () => {
      const { store, asked } = recording();
      await twoDeltas(store);
      const deltas = new FrequencyDeltaReader(store);
      await readRound(store, [dfKey('kyiv')], deltas);
      // Another batch folds both deltas into the counters between this batch's rounds.
      expect((await foldFrequencyDeltas(store, 1, null)).folded).toBe(2);
      const second = await readRound(store, [dfKey('lviv'), dfKey('odesa')], deltas);
      expect([dfOf(second, 'lviv'), dfOf(second, 'odesa')]).toEqual([7, 1]);
      expect(readsOf(asked, 'eventual list dfdeltas')).toBe(2);
      expect(deltas.listed).toBe(0);
      // The new listing and the fold count read before it serve the next round, with no new fold.
      const third = await readRound(store, [dfKey('kyiv2')], deltas);
      expect(dfOf(third, 'kyiv2')).toBeUndefined();
      expect(readsOf(asked, 'eventual list dfdeltas')).toBe(2);
    });
  });
});

describe('storeChanges: index entries of a story still taking articles', () => {
  const DAY = 86_400;
  const now = 1_000 * DAY;
  const activeDays = 30;
  const expiresAt = now + activeDays * DAY;
  const story = (id: string) =>
    ({
      story: { id, dateCounts: [['2026-01-01', 1]], arrivalDay: '2026-01-01' },
    }) as unknown as EngineItem['value'];
  const entry = (term: string, storyId: string, expires: number | null): ReadItem => ({
    key: postingKey(term, storyId),
    value: { at: 1 },
    version: 1,
    expiresAt: expires,
  });
  const read = new Map<string, ReadItem>(
    [
      { key: storyKey('s1'), value: story('s1'), version: 3, expiresAt: null },
      entry('kyiv', 's1', now + 2 * DAY),
      entry('talks', 's1', now + 25 * DAY),
      entry('lviv', 's1', now + 3 * DAY),
      entry('kyiv', 's2', now + 2 * DAY),
      { key: dfKey('kyiv'), value: { df: 4 }, version: 0, expiresAt: now + DAY },
    ].map((item) => [itemKeyId(item.key), item]),
  );
  const changes: ItemChanges = {
    counts: [],
    puts: [{ key: storyKey('s1'), value: story('s1'), expectedVersion: 3 }],
    deletes: [{ key: postingKey('lviv', 's1'), expectedVersion: 'any' }],
  };

  it('writes again, with the new expiry, the entries of a written story that expire within half the window', () => {
    const { changes: written } = storeChanges(read, changes, expiresAt, entryRefreshBefore(now, activeDays));
    const entries = written.puts.filter((put) => put.key.partition.startsWith('term#'));
    // Not the one further off (talks), not another story's (s2), not one the batch deletes (lviv), not a df.
    expect(entries).toEqual([
      { key: postingKey('kyiv', 's1'), value: { at: 1 }, expectedVersion: 'any', expiresAt },
    ]);
    expect(written.deletes.map((d) => d.key)).toEqual([postingKey('lviv', 's1')]);
  });

  it('renews nothing for a story the batch does not write, nor without a renewal time', () => {
    const untouched: ItemChanges = { counts: [], puts: [], deletes: [] };
    expect(
      storeChanges(read, untouched, expiresAt, entryRefreshBefore(now, activeDays)).changes.puts,
    ).toEqual([]);
    const puts = storeChanges(read, changes, expiresAt).changes.puts;
    expect(puts.map((put) => put.key)).toEqual([storyKey('s1')]);
  });

  it('reads an item with the expiry the store keeps, which the renewal goes by', async () => {
    const store = new SqliteItemStore(':memory:', { now: () => now });
    await store.put({ key: storyKey('s1'), value: { story: {} }, expectedVersion: null, expiresAt: null });
    await store.put({
      key: hashKey('h1'),
      value: { articleId: 'a1' },
      expectedVersion: null,
      expiresAt: now + DAY,
    });
    const items = await readEngineItems(store, [storyKey('s1'), hashKey('h1')]);
    expect(items.get(itemKeyId(storyKey('s1')))?.expiresAt).toBeNull();
    expect(items.get(itemKeyId(hashKey('h1')))?.expiresAt).toBe(now + DAY);
  });
});
