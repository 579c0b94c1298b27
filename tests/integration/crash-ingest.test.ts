/**
 * The deployed ingest killed between its item writes, then delivered again (README "Item-level
 * state"). There are no transactions, so a batch's writes land one by one; a Lambda killed among them
 * (a timeout, an out-of-memory) leaves some written and some not, and SQS delivers the messages again
 * to a fresh container. Whatever the point of death, the redelivery must leave each article listed
 * exactly once, in one story, and the digests a clean run gives.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import {
  FOLDS_KEY,
  FREQUENCY_DELTAS_PARTITION,
  type FrequencyDelta,
} from '../../functions/app/frequency-deltas.ts';
import { INGEST_TIMEOUT_SECONDS } from '../../functions/contracts.ts';
import { DF_SORT } from '../../functions/core/stories/item-keys.ts';
import type { DfItem, StoryItem } from '../../functions/core/stories/story-items.ts';
import type { Digest } from '../../functions/core/types.ts';
import { createIngestHandler } from '../../functions/handlers/ingest.ts';
import type { ItemKey, ItemPut, ItemStore, StoredItem } from '../../functions/ports.ts';
import { validateDigest } from '../support/digest-schema.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';
import { itemRecords, itemSnapshot, itemStoreFromEnv } from './support/item-records.ts';
import { useItemTable } from './support/item-table.ts';

const SEEDS = join(import.meta.dirname, '../../seeds');
const seed = (name: string) => readFileSync(join(SEEDS, name), 'utf8');

/** Ingested first: the stories the crashing batch joins. */
const BASE: Record<string, string> = {
  'talks.txt': seed('000_43da1c7f9cb7f9a2.txt'),
  'war.txt': seed('003_f78a203aebefa1e5.txt'),
  'ministers.txt': seed('004_f57ce8134689f8c4.txt'),
};
/** The batch that dies: two reports joining the talks story, a near copy, and a new event. */
const CRASHING: Record<string, string> = {
  'talks-2.txt': seed('001_5574cf9b6b954155.txt'),
  'talks-3.txt': seed('002_277679f44a5ca61f.txt'),
  'talks-copy.txt': seed('000_43da1c7f9cb7f9a2.txt').replace('began on', 'started on'),
  'ferry.txt':
    'Late ferry cancelled in Oban\n\nThe last ferry from Oban to Mull was cancelled on Monday, February 28, 2022, after a fault was found in its steering gear, the operator said. Passengers were offered rooms in Oban hotels, and the ferry is to sail again on Tuesday once engineers have checked it.\n',
};

const event = (aws: LocalAws, names: readonly string[]) =>
  sqsEventFor(
    aws.bucket,
    names.map((n) => `incoming/${n}`),
    '2026-11-22T08:00:00.000Z',
  ) as SQSEvent;

/**
 * An item store in a Lambda that dies after `writesBeforeDeath` writes: from then on no call returns,
 * as nothing returns in a killed process. `writes` counts the writes that went through.
 */
class DyingItemStore implements ItemStore {
  writes = 0;
  /** Each write that went through, as `<call> <partition>`. */
  readonly written: string[] = [];
  dead = false;
  private die: () => void = () => undefined;
  /** Settles when the process "dies". */
  readonly died = new Promise<void>((resolve) => {
    this.die = resolve;
  });
  constructor(
    private readonly inner: ItemStore,
    private readonly writesBeforeDeath: number,
  ) {}
  private write<T>(label: string, call: () => Promise<T>): Promise<T> {
    if (this.dead || this.writes >= this.writesBeforeDeath) {
      this.dead = true;
      this.die();
      return new Promise<T>(() => {});
    }
    this.writes += 1;
    this.written.push(label);
    return call();
  }
  getMany(keys: readonly ItemKey[]): Promise<Map<string, StoredItem>> {
    return this.dead ? new Promise(() => {}) : this.inner.getMany(keys);
  }
  listPartition(partition: string): Promise<StoredItem[]> {
    return this.dead ? new Promise(() => {}) : this.inner.listPartition(partition);
  }
  put(write: ItemPut): Promise<number> {
    return this.write(`put ${write.key.partition}`, () => this.inner.put(write));
  }
  delete(key: ItemKey, expectedVersion: number): Promise<void> {
    return this.write(`delete ${key.partition}`, () => this.inner.delete(key, expectedVersion));
  }
  addCounts(key: ItemKey, deltas: Readonly<Record<string, number>>, expiresAt?: number | null) {
    return this.write(`add ${key.partition}`, () => this.inner.addCounts(key, deltas, expiresAt));
  }
}

/** A fresh bucket and item table with the base articles ingested and the crashing batch uploaded. */
async function freshStack(options: HandlerOptions = {}): Promise<LocalAws> {
  const aws = await useLocalAws();
  await useItemTable();
  for (const [name, text] of Object.entries({ ...BASE, ...CRASHING }))
    await aws.put(`incoming/${name}`, text);
  const base = await handlerOn(aws, itemStoreFromEnv(), options)(event(aws, Object.keys(BASE)));
  expect(base.batchItemFailures).toEqual([]);
  return aws;
}

interface HandlerOptions {
  /** The clock has moved past the function's timeout, as it has when SQS delivers a message again. */
  readonly later?: boolean;
  /** Fold the document-frequency deltas after every batch (frequency-deltas.ts). */
  readonly foldEveryBatch?: boolean;
}

function handlerOn(
  aws: LocalAws,
  items: ItemStore,
  { later = false, foldEveryBatch = false }: HandlerOptions = {},
) {
  const seconds = () => Math.floor(Date.now() / 1000) + (later ? INGEST_TIMEOUT_SECONDS : 0);
  return createIngestHandler({
    source: new S3ArticleSource(aws.bucket),
    store: new S3DigestStore(aws.bucket),
    items,
    activeDays: 30,
    now: seconds,
    intentTimeoutSeconds: INGEST_TIMEOUT_SECONDS,
    ...(foldEveryBatch ? { deltasBeforeFold: 1 } : {}),
  });
}

/** Each term's document frequency as a batch reads it: its counter plus the deltas not folded yet. */
async function frequencies(): Promise<Map<string, number>> {
  const df = new Map<string, number>();
  const add = (term: string, n: number) => df.set(term, (df.get(term) ?? 0) + n);
  for (const item of await itemSnapshot()) {
    if (item.key.sort === DF_SORT) add(item.key.partition.slice('term#'.length), (item.value as DfItem).df);
    if (item.key.partition === FREQUENCY_DELTAS_PARTITION)
      for (const [term, n] of (item.value as FrequencyDelta).terms) add(term, n);
  }
  return df;
}

/** Every digest in the bucket, by day. */
async function digests(aws: LocalAws): Promise<Record<string, Digest>> {
  const page = await aws.s3.send(new ListObjectsV2Command({ Bucket: aws.bucket, Prefix: 'digests/' }));
  const out: Record<string, Digest> = {};
  for (const object of page.Contents ?? []) {
    const digest = JSON.parse((await aws.getText(object.Key ?? '')) ?? 'null') as Digest;
    expect(validateDigest(digest)).toEqual([]);
    out[digest.date] = digest;
  }
  return out;
}

/** What must hold after the batch landed, however it got there. */
async function expectLandedOnce(aws: LocalAws, label: string): Promise<Record<string, Digest>> {
  const sources = [...Object.keys(BASE), ...Object.keys(CRASHING)].sort();
  const records = await itemRecords();
  expect(records.map((r) => r.source).sort(), label).toEqual(sources);
  expect(
    records.filter((r) => r.storyId === null || r.rejected !== null),
    label,
  ).toEqual([]);
  expect(records.find((r) => r.source === 'talks-copy.txt')?.duplicateOf, label).toBe('talks.txt');

  // Each article in exactly one story (members or duplicates), the one its record names.
  const stories = (await itemSnapshot())
    .filter((item) => item.key.partition.startsWith('story#'))
    .map((item) => (item.value as StoryItem).story);
  for (const record of records) {
    const listing = stories.filter((s) => s.members.includes(record.id) || s.duplicates.includes(record.id));
    expect(
      listing.map((s) => s.id),
      `${label}: stories listing ${record.source}`,
    ).toEqual([record.storyId]);
    const [story] = listing;
    const times = [...(story?.members ?? []), ...(story?.duplicates ?? [])].filter((id) => id === record.id);
    expect(times, `${label}: ${record.source} listed once in its story`).toHaveLength(1);
  }

  // Each source in exactly one digest story.
  const byDay = await digests(aws);
  const listed = Object.values(byDay).flatMap((d) =>
    d.stories.flatMap((s) => [...s.articles.map((a) => a.source), ...s.duplicates.map((x) => x.source)]),
  );
  expect(listed.sort(), label).toEqual(sources);
  return byDay;
}

describe('an ingest killed between its item writes', () => {
  it('is completed by the redelivery: each article once, in one story, and the digests of a clean run', async () => {
    // The clean run, counting the crashing batch's writes.
    const clean = await freshStack();
    const counting = new DyingItemStore(itemStoreFromEnv(), Number.POSITIVE_INFINITY);
    expect((await handlerOn(clean, counting)(event(clean, Object.keys(CRASHING)))).batchItemFailures).toEqual(
      [],
    );
    const expected = await expectLandedOnce(clean, 'clean run');
    const total = counting.writes;
    expect(total).toBeGreaterThan(20);

    // Deaths early, in the middle and just before the last write.
    const deaths = [
      ...new Set([1, 4, 16, Math.floor(total / 3), Math.floor(total / 2), total - 2, total - 1]),
    ];
    for (const writesBeforeDeath of deaths) {
      const label = `killed after ${writesBeforeDeath} of ${total} writes`;
      const aws = await freshStack();
      const dying = new DyingItemStore(itemStoreFromEnv(), writesBeforeDeath);
      // Either it dies at that write, or it finishes without reaching it (and the test fails).
      await Promise.race([handlerOn(aws, dying)(event(aws, Object.keys(CRASHING))), dying.died]);
      expect(dying.dead, label).toBe(true);

      // The visibility timeout expires; a fresh container gets the whole batch again.
      const retry = await handlerOn(aws, itemStoreFromEnv(), { later: true })(
        event(aws, Object.keys(CRASHING)),
      );
      expect(retry.batchItemFailures, label).toEqual([]);
      expect(await expectLandedOnce(aws, label), label).toEqual(expected);
      // The dead invocation's intent was taken back and forgotten.
      expect(
        (await itemSnapshot()).filter((item) => item.key.partition.startsWith('intent')),
        label,
      ).toEqual([]);
    }
  }, 900_000);

  it('folding the frequency deltas: a death among its writes loses increments at worst, never counts one twice', async () => {
    const fold = { foldEveryBatch: true };
    const clean = await freshStack(fold);
    const counting = new DyingItemStore(itemStoreFromEnv(), Number.POSITIVE_INFINITY);
    expect(
      (await handlerOn(clean, counting, fold)(event(clean, Object.keys(CRASHING)))).batchItemFailures,
    ).toEqual([]);
    const expected = await expectLandedOnce(clean, 'clean run');
    const exact = await frequencies();
    // The batch's delta, then the fold: the delta taken (deleted), the fold counted, one ADD per term.
    const put = counting.written.indexOf(`put ${FREQUENCY_DELTAS_PARTITION}`);
    const taken = counting.written.indexOf(`delete ${FREQUENCY_DELTAS_PARTITION}`);
    expect(put).toBeGreaterThan(0);
    expect(taken).toBeGreaterThan(put);
    const counted = taken + 1;
    expect(counting.written[counted]).toBe(`add ${FOLDS_KEY.partition}`);
    const adds = counting.written.length - counted - 1;
    expect(adds).toBeGreaterThan(20);
    expect(counting.written.slice(counted + 1).every((w) => w.startsWith('add term#'))).toBe(true);

    // Before the delta, before the fold takes it, after it took it, after it counted itself, half way
    // through the adds, at the last.
    for (const writesBeforeDeath of [
      put,
      taken,
      taken + 1,
      counted + 1,
      counted + 1 + Math.floor(adds / 2),
      counting.written.length - 1,
    ]) {
      const label = `killed after ${writesBeforeDeath} of ${counting.written.length} writes`;
      const aws = await freshStack(fold);
      const dying = new DyingItemStore(itemStoreFromEnv(), writesBeforeDeath);
      await Promise.race([handlerOn(aws, dying, fold)(event(aws, Object.keys(CRASHING))), dying.died]);
      expect(dying.dead, label).toBe(true);
      const retry = await handlerOn(aws, itemStoreFromEnv(), { ...fold, later: true })(
        event(aws, Object.keys(CRASHING)),
      );
      expect(retry.batchItemFailures, label).toEqual([]);
      expect(await expectLandedOnce(aws, label), label).toEqual(expected);
      const after = await frequencies();
      for (const [term, df] of after)
        expect(df, `${label}: df of ${term}`).toBeLessThanOrEqual(exact.get(term) ?? 0);
      // Dead once its delta was put and before the fold took it, the batch's increments all count.
      if (writesBeforeDeath > put && writesBeforeDeath <= taken) expect(after, label).toEqual(exact);
    }
  }, 900_000);
});
