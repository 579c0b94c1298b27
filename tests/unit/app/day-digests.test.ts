/**
 * Digests on item-level state, built by the batch itself or asked of the digest builder: the builder's
 * digests equal the batch's own, a day no commit changed since its last build is not rebuilt, and a
 * day a later batch changed is.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { SqliteItemStore } from '../../../functions/adapters/sqlite-item-store.ts';
import { refreshDayDigests } from '../../../functions/app/day-digests.ts';
import { type ItemIngestDependencies, ingestBatchOnItems } from '../../../functions/app/ingest-items.ts';
import type { Day } from '../../../functions/core/types.ts';
import type { DigestRequests } from '../../../functions/ports.ts';
import { eventReport } from '../../hostile/articles.ts';

const NOW = 1_700_000_000;
const ARRIVED = new Date('2022-03-20T08:00:00Z');
const folder = mkdtempSync(join(tmpdir(), 'day-digests-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

mkdirSync(join(folder, 'in'));
const batches: string[][] = [[], [], []];
for (let r = 0; r < batches.length; r++) {
  for (let e = 0; e < 6; e++) {
    const key = `e${e}-r${r}.txt`;
    writeFileSync(join(folder, 'in', key), eventReport(e, r).text);
    batches[r]?.push(key);
  }
}
const requests = (batch: readonly string[]) => batch.map((key) => ({ key, arrivedAt: ARRIVED }));

/** The digest builder's queue as a list: what a batch asked for, in order. */
function recordingRequests(): DigestRequests & { asked: Day[][] } {
  const asked: Day[][] = [];
  return { asked, request: async (days) => void asked.push([...days]) };
}

function setup(name: string, digestRequests?: DigestRequests) {
  const items = new SqliteItemStore(join(folder, `${name}.sqlite`), { now: () => NOW });
  const store = new FsDigestStore(join(folder, name));
  const deps: ItemIngestDependencies = {
    source: new FsArticleSource(join(folder, 'in')),
    items,
    store,
    activeDays: 30,
    now: () => NOW,
    ...(digestRequests ? { digestRequests } : {}),
  };
  return { deps, items, store };
}

async function allDigests(store: FsDigestStore): Promise<Record<string, unknown>> {
  const days = await store.listDigestDays();
  return Object.fromEntries(await Promise.all(days.map(async (day) => [day, await store.getDigest(day)])));
}

describe('digests asked of the digest builder', () => {
  it('writes no digest from the batch, asks for the changed days, and the builder writes what the batch would have', async () => {
    const queue = recordingRequests();
    const deferred = setup('deferred', queue);
    const immediate = setup('immediate');
    for (const batch of batches) {
      const report = await ingestBatchOnItems(requests(batch), deferred.deps);
      expect(queue.asked.at(-1)).toEqual(report.changedDays);
      await ingestBatchOnItems(requests(batch), immediate.deps);
    }
    expect(await deferred.store.listDigestDays()).toEqual([]);

    const asked = [...new Set(queue.asked.flat())].sort();
    expect(asked.length).toBeGreaterThan(0);
    expect(await refreshDayDigests(deferred.items, deferred.store, asked)).toEqual(asked);
    expect(await allDigests(deferred.store)).toEqual(await allDigests(immediate.store));
  });

  it('rebuilds a day only when a commit changed it since its last build', async () => {
    const queue = recordingRequests();
    const { deps, items, store } = setup('fresh', queue);
    await ingestBatchOnItems(requests(batches[0] as string[]), deps);
    const days = [...new Set(queue.asked.flat())];
    expect(await refreshDayDigests(items, store, days)).toEqual(days);
    // Asked again (a redelivered request, or many batches' requests for one day): nothing to do.
    expect(await refreshDayDigests(items, store, days)).toEqual([]);
    // A day never changed has no digest to build.
    expect(await refreshDayDigests(items, store, ['1999-01-01'])).toEqual([]);

    await ingestBatchOnItems(requests(batches[1] as string[]), deps);
    const changed = queue.asked.at(-1) as Day[];
    expect(changed.length).toBeGreaterThan(0);
    expect(await refreshDayDigests(items, store, days)).toEqual(days.filter((day) => changed.includes(day)));
  });

  it('replaces a digest the whole-state path wrote, whatever its commit count (an upgraded stack)', async () => {
    const queue = recordingRequests();
    const { deps, items, store } = setup('upgraded', queue);
    await ingestBatchOnItems(requests(batches[0] as string[]), deps);
    const [day] = queue.asked.flat() as [Day];
    // The whole-state path's revision is its commit count: a long-lived stack's is in the thousands.
    await store.putDigest({ schemaVersion: 1, date: day, stories: [] }, 48_213);
    expect(await refreshDayDigests(items, store, [day])).toEqual([day]);
    expect((await store.getDigest(day))?.stories.length).toBeGreaterThan(0);
  });
});
