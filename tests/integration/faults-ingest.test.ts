/**
 * Ingest faults through the real ingest handler as deployed: s3rver (behind the precondition proxy) and
 * dynalite. Faults are injected into the SDK clients for chosen requests only; everything else reaches
 * the emulators. SQS is modelled faithfully: a message reported in batchItemFailures comes back, the
 * others do not.
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoItemStore } from '../../functions/adapters/dynamo-item-store.ts';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import type { ArticleRecord, Digest } from '../../functions/core/types.ts';
import { createIngestHandler } from '../../functions/handlers/ingest.ts';
import type { DigestStore } from '../../functions/ports.ts';
import { generatedArticle } from '../hostile/articles.ts';
import {
  dynamoError,
  type FaultRule,
  faultyDynamo,
  faultyS3,
  s3ServerError,
  switchable,
} from '../hostile/fault-injection.ts';
import { validateDigest } from '../support/digest-schema.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';
import { itemRecords, itemSnapshot } from './support/item-records.ts';
import { type LocalItemTable, useItemTable } from './support/item-table.ts';

let aws: LocalAws;
let items: LocalItemTable;

beforeAll(async () => {
  aws = await useLocalAws();
  items = await useItemTable();
});

/** Throttling is retried this many times, without the deployed pauses, so the tests take no time. */
const FAST_RETRY = { attempts: 3, baseDelayMs: 1 };

/**
 * A handler whose S3 traffic passes through `rules` first (one client for source, store and large item
 * values) and whose DynamoDB traffic passes through `dynamoRules`.
 */
function handlerWith(
  rules: FaultRule[],
  wrapStore?: (store: DigestStore) => DigestStore,
  dynamoRules: FaultRule[] = [],
) {
  const client = faultyS3(rules);
  const store = new S3DigestStore(aws.bucket, client);
  return createIngestHandler({
    source: new S3ArticleSource(aws.bucket, client),
    store: wrapStore ? wrapStore(store) : store,
    items: new DynamoItemStore({
      table: items.table,
      client: faultyDynamo(dynamoRules),
      largeValues: { bucket: aws.bucket, client: new S3Client({ forcePathStyle: true }) },
      retry: FAST_RETRY,
    }),
    activeDays: 30,
  });
}

function records(): Promise<ArticleRecord[]> {
  return itemRecords();
}

async function digestSources(): Promise<string[]> {
  const page = await aws.s3.send(new ListObjectsV2Command({ Bucket: aws.bucket, Prefix: 'digests/' }));
  const sources: string[] = [];
  for (const object of page.Contents ?? []) {
    const digest = JSON.parse((await aws.getText(object.Key ?? '')) ?? 'null') as Digest;
    expect(validateDigest(digest)).toEqual([]);
    sources.push(...digest.stories.flatMap((s) => s.articles.map((a) => a.source)));
  }
  return sources.sort();
}

/** Writes generated articles under incoming/<prefix>-<i>.txt and returns their keys (relative to incoming/). */
async function upload(prefix: string, indices: number[]): Promise<string[]> {
  const keys: string[] = [];
  for (const i of indices) {
    const key = `${prefix}-${i}.txt`;
    await aws.put(`incoming/${key}`, generatedArticle(i).text);
    keys.push(key);
  }
  return keys;
}

const event = (keys: readonly string[]) =>
  sqsEventFor(
    aws.bucket,
    keys.map((k) => `incoming/${k}`),
  ) as SQSEvent;

/** The messages SQS would deliver again: only those reported as failed. */
function redelivery(original: SQSEvent, failed: readonly string[]): SQSEvent {
  return { Records: original.Records.filter((r) => failed.includes(r.messageId)) };
}

describe('S3 errors mid-batch', () => {
  it('reports only the messages whose reads failed, and their redelivery completes the batch', async () => {
    const keys = await upload('midbatch', [100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    const failing = new Set([`incoming/${keys[2]}`, `incoming/${keys[7]}`]);
    const fault = switchable(({ command, input }) =>
      command === 'GetObjectCommand' && failing.has(input.Key as string)
        ? s3ServerError('SlowDown', 503)
        : null,
    );
    const handler = handlerWith([fault.rule]);
    const batch = event(keys);
    const first = await handler(batch);
    const failed = first.batchItemFailures.map((f) => f.itemIdentifier);
    expect(failed.sort()).toEqual(
      batch.Records.filter((r) => [...failing].some((k) => r.messageId.endsWith(k)))
        .map((r) => r.messageId)
        .sort(),
    );
    const afterFirst = await records();
    expect(afterFirst.map((r) => r.source).sort()).toEqual(keys.filter((_, i) => i !== 2 && i !== 7).sort());

    fault.off(); // S3 recovers; SQS redelivers the two failed messages only
    const second = await handler(redelivery(batch, failed));
    expect(second.batchItemFailures).toEqual([]);
    const afterSecond = await records();
    expect(afterSecond.map((r) => r.source).sort()).toEqual([...keys].sort());
    // The eight that succeeded first time were not touched by the redelivery.
    for (const record of afterFirst) {
      expect(afterSecond.find((r) => r.source === record.source)).toEqual(record);
    }
    expect(afterSecond.filter((r) => r.duplicateOf !== null || r.rejected !== null)).toEqual([]);
    expect((await digestSources()).filter((s) => s.startsWith('midbatch-'))).toEqual([...keys].sort());
  });

  it.each([
    ['every write', (pk: string) => pk !== ''],
    [
      'the article items, after the stories and index items landed',
      (pk: string) => pk.startsWith('article#'),
    ],
  ])(
    'retries DynamoDB throttling with backoff, then fails every message when it outlasts the retries (%s), and the redelivered batch lands exactly once',
    async (what, throttled) => {
      const prefix = `commit-${what.length}`;
      const keys = await upload(prefix, what.length > 20 ? [210, 211, 212] : [200, 201, 202]);
      const calls = new Map<string, number>();
      const fault = switchable(({ command, input }) => {
        if (command !== 'PutItemCommand') return null;
        const pk = (input.Item as Record<string, { S?: string }>).pk?.S ?? '';
        if (!throttled(pk)) return null;
        calls.set(pk, (calls.get(pk) ?? 0) + 1);
        return dynamoError('ThrottlingException', 400);
      });
      const handler = handlerWith([], undefined, [fault.rule]);
      const batch = event(keys);
      const first = await handler(batch);
      // Every message goes back to the queue (and to the DLQ after maxReceiveCount): none is lost.
      expect(first.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
        batch.Records.map((r) => r.messageId).sort(),
      );
      // Each refused write was tried again with backoff before the batch gave up.
      expect(calls.size).toBeGreaterThan(0);
      for (const [pk, n] of calls) expect(n, pk).toBe(FAST_RETRY.attempts);
      // Nothing of the failed batch is visible: no record, no digest entry.
      expect((await records()).filter((r) => r.source.startsWith(`${prefix}-`))).toHaveLength(0);
      expect((await digestSources()).filter((s) => s.startsWith(`${prefix}-`))).toEqual([]);

      fault.off();
      const second = await handler(batch);
      expect(second.batchItemFailures).toEqual([]);
      const all = await records();
      expect(
        all
          .filter((r) => r.source.startsWith(`${prefix}-`))
          .map((r) => r.source)
          .sort(),
      ).toEqual([...keys].sort());
      expect(all.filter((r) => r.duplicateOf !== null)).toEqual([]);
      expect(new Set(all.map((r) => r.source)).size).toBe(all.length);
      expect((await digestSources()).filter((s) => s.startsWith(`${prefix}-`))).toEqual([...keys].sort());
      await expectEachArticleInOneStory(all);
    },
  );
});

/** Each record's story lists it exactly once, and no other story lists it. */
async function expectEachArticleInOneStory(all: readonly ArticleRecord[]): Promise<void> {
  const stories = (await itemSnapshot())
    .filter((item) => item.key.partition.startsWith('story#'))
    .map((item) => (item.value as { story: { id: string; members: string[]; duplicates: string[] } }).story);
  for (const record of all) {
    const listings = stories.flatMap((s) =>
      [...s.members, ...s.duplicates].filter((id) => id === record.id).map(() => s.id),
    );
    expect(listings, record.source).toEqual(record.rejected === null ? [record.storyId] : []);
  }
}

describe('an invocation killed after its item writes, before the digest write', () => {
  it('leaves the articles out of the digests until the redelivery writes them, once each, changing no item', async () => {
    const keys = await upload('nodigest', [310, 311]);
    // The items are written; the Lambda is killed while writing the digest.
    let reachedDigest = false;
    const dying = handlerWith([], (store) => ({
      ...bindAll(store),
      putDigest: () => {
        reachedDigest = true;
        return new Promise<void>(() => {});
      },
    }));
    const batch = event(keys);
    void dying(batch);
    for (let i = 0; i < 400 && !reachedDigest; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(reachedDigest).toBe(true);
    // The crash point is real: the records list the articles while the digests do not.
    expect(
      (await records())
        .filter((r) => r.source.startsWith('nodigest-'))
        .map((r) => r.source)
        .sort(),
    ).toEqual([...keys].sort());
    expect((await digestSources()).filter((s) => s.startsWith('nodigest-'))).toEqual([]);
    const itemsBefore = await engineItems();

    // The message's visibility timeout expires and a fresh container handles it: nothing new to apply,
    // so it only writes the digest the dead invocation did not.
    const retry = await handlerWith([])(batch);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await engineItems()).toEqual(itemsBefore);
    const all = await records();
    expect(new Set(all.map((r) => r.source)).size).toBe(all.length);
    for (const key of keys) expect(all.find((r) => r.source === key)?.storyId).not.toBeNull();
    expect((await digestSources()).filter((s) => s.startsWith('nodigest-'))).toEqual([...keys].sort());
    await expectEachArticleInOneStory(all);
  });
});

/** The engine's items with their versions; the day revision counters (moved by every digest write) aside. */
async function engineItems() {
  return (await itemSnapshot()).filter((item) => !item.key.partition.startsWith('dayrev#'));
}

/** The store's methods bound to it, so a spread copy can override one of them. */
function bindAll(store: DigestStore): DigestStore {
  return {
    loadState: () => store.loadState(),
    saveState: (state, version) => store.saveState(state, version),
    putDigest: (digest, revision) => store.putDigest(digest, revision),
    getDigest: (day) => store.getDigest(day),
    listDigestDays: () => store.listDigestDays(),
    putArticleRecords: (r, revision) => store.putArticleRecords(r, revision),
    derivedRevision: (target) => store.derivedRevision(target),
    quarantine: (key, reason, bytes, options) => store.quarantine(key, reason, bytes, options),
  };
}

describe('duplicate delivery of the same S3 event', () => {
  it('leaves items, records and digests identical, delivered again in sequence or in parallel', async () => {
    const keys = await upload('dup', [400, 401, 402]);
    const handler = handlerWith([]);
    const batch = event(keys);
    expect((await handler(batch)).batchItemFailures).toEqual([]);
    const snapshot = async () => ({
      items: await engineItems(),
      records: await records(),
      digests: await digestSources(),
    });
    const before = await snapshot();
    expect((await handler(batch)).batchItemFailures).toEqual([]);
    expect(await snapshot()).toEqual(before);
    const parallel = await Promise.all([handlerWith([])(batch), handlerWith([])(batch)]);
    expect(parallel.flatMap((r) => r.batchItemFailures)).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });
});

describe('N concurrent ingests into one day', () => {
  it('keeps all N articles once SQS has redelivered whatever lost the race', async () => {
    const N = 12;
    const indices = Array.from({ length: N }, (_, i) => 500 + i * 7); // 500 + 7i: all on the same day of 7
    const keys = await upload('concurrent', indices);
    const days = new Set(indices.map((i) => generatedArticle(i).day));
    expect(days.size).toBe(1);

    let pending = keys.map((key) => event([key]));
    let rounds = 0;
    while (pending.length > 0 && rounds < 5) {
      rounds++;
      const responses = await Promise.all(pending.map((e) => handlerWith([])(e)));
      pending = pending.filter((_, i) => (responses[i]?.batchItemFailures.length ?? 0) > 0);
    }
    expect(pending).toEqual([]);
    const all = await records();
    expect(
      all
        .filter((r) => r.source.startsWith('concurrent-'))
        .map((r) => r.source)
        .sort(),
    ).toEqual([...keys].sort());
    // Each is in the digest of its story's day (a story keeps the date of its first article).
    const members = await digestSources();
    for (const key of keys) expect(members).toContain(key);
    await expectEachArticleInOneStory(all);
    console.log(JSON.stringify({ metric: 'concurrent-ingest', invocations: N, deliveryRounds: rounds }));
  }, 600_000);
});
