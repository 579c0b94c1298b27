/**
 * DynamoDB reads and writes per article on the item path (ingestBatchOnItems): `events` × `reports`
 * generated event reports (tests/hostile/articles.ts eventReport), report r of every event before
 * report r + 1, through an embedded sqlite item store in batches of 10. Prints one JSON line with the
 * store calls per article and their on-demand price per 1,000 articles.
 *   npx tsx tests/bench/item-costs.ts [--events 20] [--reports 3]
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FsArticleSource, FsDigestStore } from '../../functions/adapters/fs-store.ts';
import { SqliteItemStore } from '../../functions/adapters/sqlite-item-store.ts';
import { ingestBatchOnItems } from '../../functions/app/ingest-items.ts';
import type { ItemKey, ItemStore } from '../../functions/ports.ts';
import { eventReport } from '../hostile/articles.ts';

/** On-demand prices: a strongly consistent read of up to 4 KB, a write of up to 1 KB (USD). */
const USD_PER_READ = 0.125 / 1_000_000;
const USD_PER_WRITE = 0.625 / 1_000_000;

const { values } = parseArgs({
  options: { events: { type: 'string', default: '20' }, reports: { type: 'string', default: '3' } },
});
/** The store with its calls counted by item kind (the partition's prefix). */
function byKind(inner: ItemStore) {
  const reads: Record<string, number> = {};
  const writes: Record<string, number> = {};
  const note = (tally: Record<string, number>, key: ItemKey) => {
    const kind = key.partition.split('#')[0] as string;
    tally[kind] = (tally[kind] ?? 0) + 1;
  };
  const store: ItemStore = {
    getMany: (keys) => {
      for (const key of keys) note(reads, key);
      return inner.getMany(keys);
    },
    listPartition: (partition) => {
      note(reads, { partition, sort: '' });
      return inner.listPartition(partition);
    },
    put: (write) => {
      note(writes, write.key);
      return inner.put(write);
    },
    delete: (key, version) => {
      note(writes, key);
      return inner.delete(key, version);
    },
    addCounts: (key, deltas, expiresAt) => {
      note(writes, key);
      return inner.addCounts(key, deltas, expiresAt);
    },
  };
  return { store, reads, writes };
}

const events = Number(values.events);
const reports = Number(values.reports);
const folder = mkdtempSync(join(tmpdir(), 'item-costs-'));
try {
  mkdirSync(join(folder, 'in'));
  const keys: string[] = [];
  for (let r = 0; r < reports; r++)
    for (let e = 0; e < events; e++) {
      const key = `e${e}-r${r}.txt`;
      writeFileSync(join(folder, 'in', key), eventReport(e, r).text);
      keys.push(key);
    }
  const now = () => 1_700_000_000;
  const counted = byKind(new SqliteItemStore(join(folder, 'items.sqlite'), { now }));
  const deps = {
    source: new FsArticleSource(join(folder, 'in')),
    items: counted.store,
    store: new FsDigestStore(join(folder, 'out')),
    activeDays: 30,
    now,
  };
  let reads = 0;
  let writes = 0;
  const arrivedAt = new Date('2022-03-20T08:00:00Z');
  for (let i = 0; i < keys.length; i += 10) {
    const report = await ingestBatchOnItems(
      keys.slice(i, i + 10).map((key) => ({ key, arrivedAt })),
      deps,
    );
    reads += report.reads;
    writes += report.writes;
  }
  const n = keys.length;
  const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
  console.log(
    JSON.stringify({
      scenario: 'item-costs',
      articles: n,
      readsPerArticle: round(reads / n),
      writesPerArticle: round(writes / n),
      usdPer1000Articles: round(((reads * USD_PER_READ + writes * USD_PER_WRITE) / n) * 1000, 4),
      readsPerArticleByKind: Object.fromEntries(
        Object.entries(counted.reads).map(([kind, count]) => [kind, round(count / n)]),
      ),
      writesPerArticleByKind: Object.fromEntries(
        Object.entries(counted.writes).map(([kind, count]) => [kind, round(count / n)]),
      ),
    }),
  );
} finally {
  rmSync(folder, { recursive: true, force: true });
}
