/**
 * The ingest use case on item-level state, on the local sqlite store and the folder adapters: a batch
 * reads its working set, writes only what changed, and a redelivered batch writes nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { SqliteItemStore } from '../../../functions/adapters/sqlite-item-store.ts';
import { FREQUENCY_DELTAS_PARTITION } from '../../../functions/app/frequency-deltas.ts';
import { type ItemIngestDependencies, ingestBatchOnItems } from '../../../functions/app/ingest-items.ts';
import type { Digest } from '../../../functions/core/types.ts';
import type { ItemStore } from '../../../functions/ports.ts';
import { eventReport } from '../../hostile/articles.ts';

const EVENTS = 12;
const REPORTS = 3;
const ARRIVED = new Date('2022-03-20T08:00:00Z');
const folder = mkdtempSync(join(tmpdir(), 'ingest-items-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

mkdirSync(join(folder, 'in'));
const keys: string[] = [];
// Report r of every event, then r + 1: an event's reports arrive in different batches.
for (let r = 0; r < REPORTS; r++) {
  for (let e = 0; e < EVENTS; e++) {
    const key = `e${e}-r${r}.txt`;
    writeFileSync(join(folder, 'in', key), eventReport(e, r).text);
    keys.push(key);
  }
}
const batches: string[][] = [];
for (let i = 0; i < keys.length; i += 10) batches.push(keys.slice(i, i + 10));

function setup(name: string, wrap: (store: ItemStore) => ItemStore = (s) => s) {
  const items = new SqliteItemStore(join(folder, `${name}.sqlite`), { now: () => 1_700_000_000 });
  const store = new FsDigestStore(join(folder, name));
  const deps: ItemIngestDependencies = {
    source: new FsArticleSource(join(folder, 'in')),
    items: wrap(items),
    store,
    activeDays: 30,
    now: () => 1_700_000_000,
  };
  return { deps, items, store };
}

const requests = (batch: readonly string[]) => batch.map((key) => ({ key, arrivedAt: ARRIVED }));

async function digests(store: FsDigestStore): Promise<Digest[]> {
  return Promise.all(
    (await store.listDigestDays()).map(async (day) => (await store.getDigest(day)) as Digest),
  );
}

/** A store that counts the item writes it is asked for (and can die after a number of them). */
function counting(inner: ItemStore, dieAfter = Number.POSITIVE_INFINITY) {
  const state = { writes: 0 };
  const count = () => {
    state.writes += 1;
    if (state.writes > dieAfter) throw new Error('Lambda timed out');
  };
  const store: ItemStore = {
    getMany: (k) => inner.getMany(k),
    listPartition: (p) => inner.listPartition(p),
    put: async (w) => {
      count();
      return inner.put(w);
    },
    delete: async (k, v) => {
      count();
      return inner.delete(k, v);
    },
    addCounts: async (k, d, e) => {
      // The digest revision counter is the derived output's, not the engine state's.
      if (!k.partition.startsWith('dayrev#')) count();
      return inner.addCounts(k, d, e);
    },
  };
  return { store, state };
}

describe('ingestBatchOnItems', () => {
  it('puts every report in one story of one digest, one story per event', async () => {
    const { deps, store } = setup('clean');
    for (const batch of batches) {
      const report = await ingestBatchOnItems(requests(batch), deps);
      expect(report.files.map((f) => f.outcome.kind)).toEqual(batch.map(() => 'story'));
      expect(report.attempts).toBe(1);
    }
    const storiesOf = new Map<string, Set<string>>();
    const listed: string[] = [];
    for (const digest of await digests(store)) {
      for (const story of digest.stories) {
        for (const article of story.articles) {
          listed.push(article.source);
          const event = article.source.split('-')[0] as string;
          storiesOf.set(event, (storiesOf.get(event) ?? new Set()).add(story.id));
        }
      }
    }
    expect(listed.sort()).toEqual([...keys].sort());
    expect([...storiesOf.values()].map((s) => s.size)).toEqual(Array(EVENTS).fill(1));
  });

  it('keeps the index entries of a story that still takes articles past activeDays after they were written', async () => {
    // Six reports on day 0, one on day 25, one on day 50: each within 30 days of the last, so the
    // story never retires, though the entries its day-0 reports wrote would expire on day 30.
    const DAY = 86_400;
    const START = 1_700_000_000;
    const write = (key: string, text: string) => {
      writeFileSync(join(folder, 'in', key), text);
      return key;
    };
    const early = [0, 1, 2, 3, 4, 5].map((r) => write(`long-r${r}.txt`, eventReport(0, r).text));
    const late = [6, 7].map((r) => write(`long-r${r}.txt`, eventReport(0, r).text));
    let clock = START;
    const items = new SqliteItemStore(join(folder, 'long-running.sqlite'), { now: () => clock });
    const deps: ItemIngestDependencies = {
      source: new FsArticleSource(join(folder, 'in')),
      items,
      store: new FsDigestStore(join(folder, 'long-running')),
      activeDays: 30,
      now: () => clock,
    };
    const entriesOf = async (storyId: string) =>
      (await items.allItems()).filter((i) => i.key.partition.startsWith('term#') && i.key.sort === storyId)
        .length;
    const placed = new Set<string>();
    const ingestOn = async (day: number, keys: readonly string[]) => {
      clock = START + day * DAY;
      const arrivedAt = new Date(clock * 1000);
      const report = await ingestBatchOnItems(
        keys.map((key) => ({ key, arrivedAt })),
        deps,
      );
      for (const { key, outcome } of report.files) {
        if (outcome.kind !== 'story') throw new Error(`${key} was not placed: ${outcome.kind}`);
        placed.add(outcome.storyId);
      }
    };
    await ingestOn(0, early);
    await ingestOn(25, [late[0] as string]);
    const [storyId] = placed;
    const indexed = await entriesOf(storyId as string);
    expect(indexed).toBeGreaterThan(0);
    // Day 35: past the day-0 expiry, every entry the story had on day 25 is still there.
    clock = START + 35 * DAY;
    expect(await entriesOf(storyId as string)).toBe(indexed);
    await ingestOn(50, [late[1] as string]);
    expect(placed.size).toBe(1);
  });

  it('changes nothing when a batch is delivered again', async () => {
    const { deps, items } = setup('redelivered');
    for (const batch of batches) await ingestBatchOnItems(requests(batch), deps);
    const { store, state } = counting(items);
    const report = await ingestBatchOnItems(requests(batches[1] as string[]), { ...deps, items: store });
    expect(report.files.map((f) => f.outcome.kind)).toEqual((batches[1] as string[]).map(() => 'unchanged'));
    expect(state.writes).toBe(0);
  });

  it('lists the frequency deltas once per batch, however many of its read rounds ask for frequencies', async () => {
    const { deps, items } = setup('deltas-listed');
    // A read round asking for frequencies lists term partitions (eventually consistent) after its strong reads.
    let inRound = false;
    let roundsWithTerms = 0;
    let deltaListings = 0;
    const store: ItemStore = {
      getMany: (k, options) => {
        if (options?.consistent !== false) inRound = false;
        return items.getMany(k, options);
      },
      listPartition: (partition, options) => {
        if (partition === FREQUENCY_DELTAS_PARTITION) deltaListings += 1;
        if (partition.startsWith('term#') && options?.consistent === false && !inRound) {
          inRound = true;
          roundsWithTerms += 1;
        }
        return items.listPartition(partition, options);
      },
      put: (w) => items.put(w),
      delete: (k, v) => items.delete(k, v),
      addCounts: (k, d, e) => items.addCounts(k, d, e),
    };
    const counts: { rounds: number; listings: number }[] = [];
    for (const batch of batches) {
      roundsWithTerms = 0;
      deltaListings = 0;
      const report = await ingestBatchOnItems(requests(batch), { ...deps, items: store });
      expect(report.attempts).toBe(1);
      counts.push({ rounds: roundsWithTerms, listings: deltaListings });
    }
    expect(Math.max(...counts.map((c) => c.rounds))).toBeGreaterThanOrEqual(2);
    expect(counts.map((c) => c.listings)).toEqual(batches.map(() => 1));
  });

  it('two batches that found a story for one event at the same time end as one story', async () => {
    const { deps, store } = setup('concurrent');
    // Two reports that share no LSH band: the batches have no item in common.
    const event = EVENTS + 1;
    const sources = [0, 2].map((r) => {
      const key = `e${event}-r${r}.txt`;
      writeFileSync(join(folder, 'in', key), eventReport(event, r).text);
      return key;
    });
    // Neither batch writes before both have read: each founds a story of its own first.
    let arrived = 0;
    let release: () => void = () => {};
    const bothRead = new Promise<void>((resolve) => {
      release = resolve;
    });
    const gated = (inner: ItemStore): ItemStore => {
      let waited = false;
      const gate = async () => {
        if (waited) return;
        waited = true;
        arrived += 1;
        if (arrived === 2) release();
        await bothRead;
      };
      return {
        getMany: (k) => inner.getMany(k),
        listPartition: (p) => inner.listPartition(p),
        put: async (w) => {
          await gate();
          return inner.put(w);
        },
        delete: async (k, v) => {
          await gate();
          return inner.delete(k, v);
        },
        addCounts: (k, d, e) => inner.addCounts(k, d, e),
      };
    };
    const reports = await Promise.all(
      sources.map((key) => ingestBatchOnItems(requests([key]), { ...deps, items: gated(deps.items) })),
    );
    expect(reports.map((r) => r.attempts)).toEqual([1, 1]);
    const stories = new Set<string>();
    for (const digest of await digests(store))
      for (const story of digest.stories)
        if (story.articles.some((a) => sources.includes(a.source))) stories.add(story.id);
    expect(stories.size).toBe(1);
    const [a, b] = reports.map((r) => r.files[0]?.outcome);
    expect(a?.kind === 'story' && b?.kind === 'story' && a.storyId === b.storyId).toBe(true);
  });
});
