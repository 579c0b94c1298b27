/**
 * The engine's state as items (issue 15): an engine built from items behaves exactly like the
 * whole-state engine, and a batch writes back only the items it changed, at the versions it read.
 */
import { describe, expect, it } from 'vitest';
import { type BatchFile, runBatchOnItems } from '../../../functions/core/stories/batch-reads.ts';
import { stableId } from '../../../functions/core/stories/hash.ts';
import { MissingItems } from '../../../functions/core/stories/item-coverage.ts';
import { DF_SORT, dfKey, engineItemId } from '../../../functions/core/stories/item-keys.ts';
import { articleSignals } from '../../../functions/core/stories/signals.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import {
  type EngineItem,
  isUnversionedKey,
  itemChanges,
  type StoryItem,
  storyKey,
} from '../../../functions/core/stories/story-items.ts';
import { loadSeeds } from './seed-loader.ts';
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

/** What the read plan knows of a file: its signals, as a preparation step computes them. */
function batchFile(op: FileOp): BatchFile {
  if (op.kind === 'reject') return { source: op.source };
  const signals = articleSignals(op.article);
  return {
    source: op.source,
    contentHash: signals.contentHash,
    lshKeys: signals.lshKeys,
    terms: signals.terms,
  };
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

  it("keeps each document frequency in its term partition, and reads an earlier layout's only where that is absent", () => {
    const engine = StoryEngine.empty();
    for (const op of mixedBatches().flat()) applyOp(engine, op);
    const items = engine.items();
    const frequencies = [...items.values()].filter((item) => item.key.sort === DF_SORT);
    expect(frequencies.length).toBeGreaterThan(0);
    for (const { key } of frequencies) expect(key.partition.startsWith('term#')).toBe(true);
    expect([...items.values()].some((item) => item.key.partition.startsWith('df#'))).toBe(false);

    const [moved, kept] = frequencies as [EngineItem, EngineItem];
    const term = (item: EngineItem) => item.key.partition.slice('term#'.length);
    const df = (item: EngineItem) => (item.value as { df: number }).df;
    const layout = [...items.values()].filter((item) => item !== moved);
    layout.push({ key: { partition: `df#${term(moved)}`, sort: '' }, value: { df: df(moved) } });
    layout.push({ key: { partition: `df#${term(kept)}`, sort: '' }, value: { df: df(kept) + 5 } });
    const restored = StoryEngine.fromItems(layout).items();
    expect(restored.get(engineItemId(dfKey(term(moved))))?.value).toEqual({ df: df(moved) });
    expect(restored.get(engineItemId(dfKey(term(kept))))?.value).toEqual({ df: df(kept) });
  });

  it('gives the same items in key order, one at a time, for a whole engine going into an empty store', () => {
    const engine = StoryEngine.empty();
    for (const op of mixedBatches().flat()) applyOp(engine, op);
    const inOrder = [...engine.itemsInKeyOrder()];
    const all = engine.items();
    expect(inOrder.length).toBe(all.size);
    expect(itemsJson(new Map(inOrder.map((item) => [engineItemId(item.key), item])))).toEqual(itemsJson(all));
    const keys = inOrder.map(({ key }) => [key.partition, key.sort] as const);
    const sorted = [...keys].sort(([p1, s1], [p2, s2]) =>
      p1 !== p2 ? (p1 < p2 ? -1 : 1) : s1 < s2 ? -1 : s1 > s2 ? 1 : 0,
    );
    expect(keys).toEqual(sorted);
    expect(new Set(inOrder.map(({ key }) => key.partition.split('#')[0])).size).toBeGreaterThanOrEqual(6);
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
    expect(itemChanges(read, engine.items())).toEqual({ counts: [], puts: [], deletes: [] });
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
    expect(changes.puts.some((put) => isUnversionedKey(put.key))).toBe(true);
    for (const put of changes.puts) {
      const before = [...read.values()].find(
        (r) => r.key.partition === put.key.partition && r.key.sort === put.key.sort,
      );
      // Posting entries are written unconditionally; every other item at the version read.
      expect(put.expectedVersion).toBe(isUnversionedKey(put.key) ? 'any' : (before?.version ?? null));
    }
  });
});

/** Each batch reads only its working set (batch-reads.ts); the store must end holding exactly the whole-state engine's items. */
async function compareWorkingSets(
  batches: readonly FileOp[][],
  compareEveryBatch: boolean,
): Promise<{ reads: number; writes: number; runs: number; files: number }> {
  const reference = StoryEngine.empty();
  const store = new MemoryItemStore();
  let runs = 0;
  let files = 0;
  for (const batch of batches) {
    for (const op of batch) applyOp(reference, op);
    const expectedDays = reference.takeChangedDays();
    const run = await runBatchOnItems(
      batch.map(batchFile),
      async (keys) => store.getMany(keys),
      (engine) => {
        for (const op of batch) applyOp(engine, op);
      },
    );
    expect(run.changedDays).toEqual(expectedDays);
    store.commit(itemChanges(run.read, run.after));
    if (compareEveryBatch) expect(itemsJson(store.all())).toEqual(itemsJson(reference.items()));
    runs += run.runs;
    files += batch.length;
  }
  expect(itemsJson(store.all())).toEqual(itemsJson(reference.items()));
  return { reads: store.reads, writes: store.writes, runs, files };
}

describe('story engine on a per-batch working set', () => {
  it('reads only what its files reach, and ends with exactly the whole-state items', async () => {
    const figures = await compareWorkingSets(mixedBatches(), true);
    expect(figures.runs).toBeGreaterThanOrEqual(mixedBatches().length);
  });

  it('on the first 150 clustering evaluation articles, in batches of ten, ends with exactly the whole-state items', async () => {
    const batches = await evaluationBatches();
    if (batches === null) return;
    const figures = await compareWorkingSets(batches.slice(0, 15), false);
    // Most batches find their working set in the planned reads or one more run.
    expect(figures.runs).toBeLessThan(15 * 6);
  }, 300_000);
});

describe('a working set that lacks an item', () => {
  it('throws MissingItems naming it instead of taking it for absent', () => {
    const batches = mixedBatches();
    const whole = StoryEngine.empty();
    for (const op of batches[0]!) applyOp(whole, op);
    whole.takeChangedDays();
    const items = [...whole.items()].filter(([id]) => !id.startsWith('article#'));
    // Read: every item but the articles (found or absent).
    const readAllButArticles = new (class extends Set<string> {
      override has(id: string): boolean {
        return !id.startsWith('article#');
      }
    })();
    const engine = StoryEngine.fromReadItems(
      items.map(([, item]) => item),
      readAllButArticles,
    );
    const seed = batches[0]![0]!;
    expect(() => applyOp(engine, seed)).toThrow(MissingItems);
    try {
      applyOp(engine, seed);
    } catch (error) {
      expect((error as MissingItems).keys.map((k) => k.partition)).toEqual([
        `article#${stableId('a', seed.source)}`,
      ]);
    }
  });
});

describe('concurrent batches', () => {
  it('two batches that each found a story for one event both commit (no common term collides), and placing the second again joins the first', async () => {
    const store = new MemoryItemStore();
    const history = mixedBatches().slice(1, 3);
    for (const batch of history) {
      const run = await runBatchOnItems(
        batch.map(batchFile),
        async (keys) => store.getMany(keys),
        (engine) => {
          for (const op of batch) applyOp(engine, op);
        },
      );
      store.commit(itemChanges(run.read, run.after));
    }
    const [seed000, seed001] = loadSeeds();
    const at = new Date('2022-03-11T07:00:00Z');
    const opA: FileOp = { kind: 'ingest', source: seed000!.source, article: seed000!.article, arrivedAt: at };
    const opB: FileOp = { kind: 'ingest', source: seed001!.source, article: seed001!.article, arrivedAt: at };
    const run = (op: FileOp) =>
      runBatchOnItems(
        [batchFile(op)],
        async (keys) => store.getMany(keys),
        (engine) => engine.ingest(op as never),
      );
    // Both read before either commits, so each founds a story of its own.
    const [a, b] = [await run(opA), await run(opB)];
    expect(
      a.result.kind === 'story' && b.result.kind === 'story' && a.result.storyId !== b.result.storyId,
    ).toBe(true);
    store.commit(itemChanges(a.read, a.after));
    store.commit(itemChanges(b.read, b.after));
    const aId = stableId('a', opA.source);
    const bId = stableId('a', opB.source);
    const holding = () =>
      [...store.all().values()]
        .filter((item) => item.key.partition.startsWith('story#'))
        .map((item) => (item.value as StoryItem).story)
        .filter((s) => s.members.includes(aId) || s.members.includes(bId));
    expect(holding()).toHaveLength(2);
    const again = await runBatchOnItems(
      [batchFile(opB)],
      async (keys) => store.getMany(keys),
      (engine) => engine.placeAgain([bId]),
      undefined,
      [storyKey(stableId('s', aId)), storyKey(stableId('s', bId))],
    );
    store.commit(itemChanges(again.read, again.after));
    expect(holding()).toHaveLength(1);
    expect(holding()[0]!.members).toEqual(expect.arrayContaining([aId, bId]));
  });
});
