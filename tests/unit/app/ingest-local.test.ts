/**
 * The local run on the sqlite item store: a history built in memory, then files added through the item
 * path, must leave exactly the records and digests one run over all the files leaves; running the same
 * files again changes nothing; and a run that stopped before its outputs gets them rebuilt.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { LocalItemState } from '../../../functions/adapters/local-item-state.ts';
import { FREQUENCY_DELTAS_PARTITION, type FrequencyDelta } from '../../../functions/app/frequency-deltas.ts';
import {
  ingestLocally,
  type LocalIngestDependencies,
  rebuildOutputs,
  SMALL_STORE_ARTICLES,
} from '../../../functions/app/ingest-local.ts';
import { FREQUENCIES_MOVED_KEY } from '../../../functions/app/legacy-frequencies.ts';
import { DF_SORT } from '../../../functions/core/stories/item-keys.ts';
import { eventReport } from '../../hostile/articles.ts';

const ARRIVED = new Date('2022-03-20T08:00:00Z');
const folder = mkdtempSync(join(tmpdir(), 'ingest-local-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const input = join(folder, 'in');
mkdirSync(input);
const history: string[] = [];
// 45 events with 3 reports each: more than a small store, so later files take the item path.
for (let r = 0; r < 3; r++) {
  for (let e = 0; e < 45; e++) {
    const key = `e${e}-r${r}.txt`;
    writeFileSync(join(input, key), eventReport(e, r).text);
    history.push(key);
  }
}
// Added later: a 4th report of old events (joining their stories), two new events, and an exact copy.
const added = ['e3-r3.txt', 'e17-r3.txt', 'e44-r3.txt', 'e50-r0.txt', 'e50-r1.txt', 'e51-r0.txt', 'copy.txt'];
for (const key of added.slice(0, -1)) {
  const [event, report] = key.slice(1, -4).split('-r').map(Number) as [number, number];
  writeFileSync(join(input, key), eventReport(event, report).text);
}
writeFileSync(join(input, 'copy.txt'), readFileSync(join(input, 'e8-r1.txt')));

const requests = (keys: readonly string[]) => keys.map((key) => ({ key, arrivedAt: ARRIVED }));

function open(name: string) {
  const out = join(folder, name);
  const state = new LocalItemState(out);
  const deps: LocalIngestDependencies = {
    source: new FsArticleSource(input),
    store: new FsDigestStore(out),
    items: state.items,
    records: state.records,
    activeDays: 30,
  };
  return { out, state, deps };
}

function outputs(out: string): Record<string, string> {
  const files: Record<string, string> = {
    'articles.jsonl': readFileSync(join(out, 'articles.jsonl'), 'utf8'),
  };
  for (const name of readdirSync(join(out, 'digests')))
    files[`digests/${name}`] = readFileSync(join(out, 'digests', name), 'utf8');
  return files;
}

describe('ingestLocally', () => {
  const oneShot = open('one-shot');
  const incremental = open('incremental');

  it('adds files to a history through the item path with the outputs of one run over everything', async () => {
    expect(history.length).toBeGreaterThan(SMALL_STORE_ARTICLES);
    const whole = await ingestLocally(requests([...history, ...added]), oneShot.deps);
    expect(whole.path).toBe('in-memory');
    expect((await ingestLocally(requests(history), incremental.deps)).path).toBe('in-memory');
    const report = await ingestLocally(requests(added), incremental.deps);
    expect(report.path).toBe('items');
    expect(report.files.map((f) => f.outcome.kind)).toEqual([
      'story',
      'story',
      'story',
      'story',
      'story',
      'story',
      'duplicate',
    ]);
    expect(outputs(incremental.out)).toEqual(outputs(oneShot.out));
    const lines = readFileSync(join(incremental.out, 'articles.jsonl'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(history.length + added.length);
    const storyOf = (key: string) =>
      lines
        .map((line) => JSON.parse(line) as { source: string; storyId: string })
        .find((r) => r.source === key)?.storyId;
    // The added reports joined stories the history had founded.
    expect(storyOf('e3-r3.txt')).toBe(storyOf('e3-r0.txt'));
    expect(storyOf('e44-r3.txt')).toBe(storyOf('e44-r0.txt'));
  });

  it('changes nothing when the same files are run again', async () => {
    const before = outputs(incremental.out);
    const report = await ingestLocally(requests(added), incremental.deps);
    expect(report.files.map((f) => f.outcome.kind)).toEqual(added.map(() => 'unchanged'));
    expect(outputs(incremental.out)).toEqual(before);
  });

  it("moves an earlier layout's document frequencies into the term partitions, then adds files as if it had none", async () => {
    const legacy = open('legacy');
    await ingestLocally(requests(history), legacy.deps);
    // The layout before frequencies moved: a df#<term> counter each, and no mark.
    for (const item of await legacy.state.items.allItems()) {
      if (item.key.sort !== DF_SORT) continue;
      const term = item.key.partition.slice('term#'.length);
      await legacy.state.items.addCounts(
        { partition: `df#${term}`, sort: '' },
        item.value as Record<string, number>,
        item.expiresAt,
      );
      await legacy.state.items.delete(item.key, 'any');
    }
    await legacy.state.items.delete(FREQUENCIES_MOVED_KEY, 'any');
    expect((await ingestLocally(requests(added), legacy.deps)).path).toBe('items');
    // What a batch reads as each term's frequency: its counter plus the deltas not folded yet.
    const frequencies = async (state: LocalItemState) => {
      const all = await state.items.allItems();
      const df = new Map<string, number>();
      for (const item of all)
        if (item.key.sort === DF_SORT || item.key.partition.startsWith('df#'))
          df.set(item.key.partition, (df.get(item.key.partition) ?? 0) + (item.value as { df: number }).df);
      for (const item of all)
        if (item.key.partition === FREQUENCY_DELTAS_PARTITION)
          for (const [term, n] of (item.value as FrequencyDelta).terms)
            df.set(`term#${term}`, (df.get(`term#${term}`) ?? 0) + n);
      return [...df].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1));
    };
    expect(await frequencies(legacy.state)).toEqual(await frequencies(oneShot.state));
    expect(outputs(legacy.out)).toEqual(outputs(oneShot.out));
    legacy.state.close();
  });

  it('rebuilds the records and digests from the store after a run that stopped before them', async () => {
    const before = outputs(incremental.out);
    const records = join(incremental.out, 'articles.jsonl');
    writeFileSync(records, readFileSync(records, 'utf8').split('\n').slice(0, 10).join('\n'));
    rmSync(join(incremental.out, 'digests'), { recursive: true });
    await rebuildOutputs(incremental.deps);
    expect(outputs(incremental.out)).toEqual(before);
    oneShot.state.close();
    incremental.state.close();
  });
});
