/**
 * The engine's state as items (issue 15): an engine built from items behaves exactly like the
 * whole-state engine, and a batch writes back only the items it changed, at the versions it read.
 */
import { describe, expect, it } from 'vitest';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import { itemChanges } from '../../../functions/core/stories/story-items.ts';
import {
  applyOp,
  evaluationBatches,
  type FileOp,
  itemsJson,
  MemoryItemStore,
  mixedBatches,
} from './support/item-batches.ts';

/** Runs the batches through the whole-state engine and through items read whole from a store, comparing each step. */
function compareWholeRead(batches: readonly FileOp[][]): MemoryItemStore {
  const reference = StoryEngine.empty();
  const store = new MemoryItemStore();
  for (const batch of batches) {
    for (const op of batch) applyOp(reference, op);
    const expectedDays = reference.takeChangedDays();

    const read = store.all();
    const engine = StoryEngine.fromItems(read.values());
    for (const op of batch) applyOp(engine, op);
    expect(engine.takeChangedDays()).toEqual(expectedDays);
    for (const day of expectedDays) expect(engine.digest(day)).toEqual(reference.digest(day));
    expect(engine.records()).toEqual(reference.records());
    store.commit(itemChanges(read, engine.items()));
  }
  return store;
}

describe('story engine items', () => {
  it('an engine rebuilt from its items holds the same items and behaves the same', () => {
    const batches = mixedBatches();
    const original = StoryEngine.empty();
    for (const op of batches.slice(0, 4).flat()) applyOp(original, op);
    original.takeChangedDays();
    const items = original.items();
    const rebuilt = StoryEngine.fromItems(JSON.parse(JSON.stringify([...items.values()])));
    expect(itemsJson(rebuilt.items())).toEqual(itemsJson(items));
    for (const op of batches.slice(4).flat()) {
      applyOp(original, op);
      applyOp(rebuilt, op);
    }
    expect(rebuilt.takeChangedDays()).toEqual(original.takeChangedDays());
    expect(rebuilt.records()).toEqual(original.records());
    for (const day of original.days()) expect(rebuilt.digest(day)).toEqual(original.digest(day));
  });

  it('batch by batch through a versioned store, gives what the whole-state engine gives', () => {
    const store = compareWholeRead(mixedBatches());
    expect(store.size()).toBeGreaterThan(0);
  });

  it('a redelivered batch writes nothing', () => {
    const batches = mixedBatches();
    const store = compareWholeRead(batches);
    const read = store.all();
    const engine = StoryEngine.fromItems(read.values());
    for (const op of batches.at(-1)!) applyOp(engine, op);
    engine.takeChangedDays();
    expect(itemChanges(read, engine.items())).toEqual({ puts: [], deletes: [] });
  });

  it('writes only what changed, each at the version read', () => {
    const batches = mixedBatches();
    const store = compareWholeRead(batches.slice(0, 3));
    const read = store.all();
    const engine = StoryEngine.fromItems(read.values());
    for (const op of batches[3]!) applyOp(engine, op);
    engine.takeChangedDays();
    const changes = itemChanges(read, engine.items());
    expect(changes.puts.length).toBeGreaterThan(0);
    expect(changes.puts.length).toBeLessThan(read.size);
    for (const put of changes.puts) {
      const before = [...read.values()].find((r) => r.key.partition === put.key.partition);
      expect(put.expectedVersion).toBe(before?.version ?? null);
    }
  });

  it('on the clustering evaluation set, in batches of ten, gives what the whole-state engine gives', async () => {
    const batches = await evaluationBatches();
    if (batches === null) return;
    compareWholeRead(batches);
  }, 120_000);
});
