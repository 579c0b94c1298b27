import { describe, expect, it } from 'vitest';
import { SqliteItemStore } from '../../../functions/adapters/sqlite-item-store.ts';
import {
  FOLDS_KEY,
  FREQUENCY_DELTAS_PARTITION,
  foldFrequencyDeltas,
  frequencyDelta,
} from '../../../functions/app/frequency-deltas.ts';
import { CORPUS_KEY, dfKey } from '../../../functions/core/stories/item-keys.ts';
import { type ItemStore, itemKeyId } from '../../../functions/ports.ts';

const NOW = 1_700_000_000;

function store(): SqliteItemStore {
  return new SqliteItemStore(':memory:', { now: () => NOW });
}

async function putDelta(items: ItemStore, sort: string, terms: [string, number][]): Promise<void> {
  await items.put({
    key: { partition: FREQUENCY_DELTAS_PARTITION, sort },
    value: { terms },
    expectedVersion: null,
  });
}

async function df(items: ItemStore, term: string): Promise<number | undefined> {
  const found = await items.getMany([dfKey(term)]);
  return (found.get(itemKeyId(dfKey(term)))?.value as { df: number } | undefined)?.df;
}

describe('frequencyDelta', () => {
  it("puts the terms' frequencies in one delta and leaves the other counters as increments", () => {
    const { delta, others } = frequencyDelta([
      { key: dfKey('kyiv'), deltas: { df: 2 } },
      { key: CORPUS_KEY, deltas: { docs: 3, articles: 3 } },
      { key: dfKey('lviv'), deltas: { df: -1 } },
    ]);
    expect(delta?.key.partition).toBe(FREQUENCY_DELTAS_PARTITION);
    expect(delta?.value.terms).toEqual([
      ['kyiv', 2],
      ['lviv', -1],
    ]);
    expect(others).toEqual([{ key: CORPUS_KEY, deltas: { docs: 3, articles: 3 } }]);
    expect(frequencyDelta([{ key: CORPUS_KEY, deltas: { docs: 1 } }]).delta).toBeNull();
  });

  it('names each delta on its own, so two batches never write the same item', () => {
    const counts = [{ key: dfKey('kyiv'), deltas: { df: 1 } }];
    expect(frequencyDelta(counts).delta?.key.sort).not.toBe(frequencyDelta(counts).delta?.key.sort);
  });
});

describe('foldFrequencyDeltas', () => {
  it('folds nothing while fewer deltas than asked for are listed', async () => {
    const items = store();
    await putDelta(items, 'b1', [['kyiv', 1]]);
    expect(await foldFrequencyDeltas(items, 2, null)).toEqual({ folded: 0, writes: 0 });
    expect((await items.listPartition(FREQUENCY_DELTAS_PARTITION)).length).toBe(1);
    expect(await df(items, 'kyiv')).toBeUndefined();
  });

  it("adds the deltas' sums to the counters, one ADD per term, with the counters' new expiry, and deletes the deltas", async () => {
    const items = store();
    await items.addCounts(dfKey('kyiv'), { df: 5 });
    await putDelta(items, 'b1', [
      ['kyiv', 1],
      ['lviv', 2],
    ]);
    await putDelta(items, 'b2', [
      ['kyiv', 3],
      ['__proto__', 1],
      ['lviv', -2],
    ]);
    const result = await foldFrequencyDeltas(items, 2, NOW + 100);
    // Two deletes, the fold count, then kyiv and __proto__ (lviv's increments cancel out).
    expect(result).toEqual({ folded: 2, writes: 5 });
    expect((await items.getMany([FOLDS_KEY])).get(itemKeyId(FOLDS_KEY))?.value).toEqual({ folds: 1 });
    expect(await df(items, 'kyiv')).toBe(9);
    expect(await df(items, '__proto__')).toBe(1);
    expect(await df(items, 'lviv')).toBeUndefined();
    expect((await items.getMany([dfKey('kyiv')])).get(itemKeyId(dfKey('kyiv')))?.expiresAt).toBe(NOW + 100);
    expect(await items.listPartition(FREQUENCY_DELTAS_PARTITION)).toEqual([]);
  });

  it('never counts a delta twice when two folders race for it', async () => {
    const items = store();
    for (let i = 0; i < 8; i++) await putDelta(items, `b${i}`, [['kyiv', 1]]);
    const [a, b] = await Promise.all([
      foldFrequencyDeltas(items, 1, null),
      foldFrequencyDeltas(items, 1, null),
    ]);
    expect(a.folded + b.folded).toBe(8);
    expect(await df(items, 'kyiv')).toBe(8);
  });

  it('adds what it took even when taking another delta failed, then reports the failure', async () => {
    const items = store();
    await putDelta(items, 'b1', [['kyiv', 1]]);
    await putDelta(items, 'b2', [['kyiv', 2]]);
    const failing: ItemStore = {
      getMany: (keys, options) => items.getMany(keys, options),
      listPartition: (partition, options) => items.listPartition(partition, options),
      put: (write) => items.put(write),
      addCounts: (key, deltas, expiresAt) => items.addCounts(key, deltas, expiresAt),
      delete: (key, version) =>
        key.sort === 'b2' ? Promise.reject(new Error('throttled')) : items.delete(key, version),
    };
    await expect(foldFrequencyDeltas(failing, 1, null)).rejects.toThrow('throttled');
    expect(await df(items, 'kyiv')).toBe(1);
    expect((await items.listPartition(FREQUENCY_DELTAS_PARTITION)).map((d) => d.key.sort)).toEqual(['b2']);
  });
});
