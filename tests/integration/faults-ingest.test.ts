/**
 * Ingest faults against s3rver (behind the precondition proxy), through the real ingest handler. Faults
 * are injected into the SDK client for chosen requests only; everything else reaches the emulator.
 * SQS is modelled faithfully: a message reported in batchItemFailures comes back, the others do not.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import type { ArticleRecord, Digest } from '../../functions/core/types.ts';
import { createIngestHandler } from '../../functions/handlers/ingest.ts';
import type { DigestStore } from '../../functions/ports.ts';
import { generatedArticle } from '../hostile/articles.ts';
import { type FaultRule, faultyS3, s3ServerError, switchable } from '../hostile/fault-injection.ts';
import { validateDigest } from '../support/digest-schema.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';

let aws: LocalAws;

beforeAll(async () => {
  aws = await useLocalAws();
});

/** A handler whose S3 traffic passes through `rules` first (one client for source and store). */
function handlerWith(rules: FaultRule[], wrapStore?: (store: DigestStore) => DigestStore) {
  const client = faultyS3(rules);
  const store = new S3DigestStore(aws.bucket, client);
  return createIngestHandler({
    source: new S3ArticleSource(aws.bucket, client),
    store: wrapStore ? wrapStore(store) : store,
  });
}

function records(): Promise<ArticleRecord[]> {
  return aws.records();
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

  it('fails the whole batch when the state commit fails, and the redelivered batch lands exactly once', async () => {
    const keys = await upload('commit', [200, 201, 202]);
    const fault = switchable(({ command, input }) =>
      command === 'PutObjectCommand' && input.Key === 'state/newsroom.json'
        ? s3ServerError('InternalError', 500)
        : null,
    );
    const handler = handlerWith([fault.rule]);
    const batch = event(keys);
    const first = await handler(batch);
    expect(first.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      batch.Records.map((r) => r.messageId).sort(),
    );
    // Digests and records are derived from committed state only: nothing of the failed batch is visible.
    expect((await records()).filter((r) => r.source.startsWith('commit-'))).toHaveLength(0);

    fault.off();
    const second = await handler(batch);
    expect(second.batchItemFailures).toEqual([]);
    const all = await records();
    expect(
      all
        .filter((r) => r.source.startsWith('commit-'))
        .map((r) => r.source)
        .sort(),
    ).toEqual([...keys].sort());
    expect(all.filter((r) => r.duplicateOf !== null)).toEqual([]);
    expect(new Set(all.map((r) => r.source)).size).toBe(all.length);
    expect((await digestSources()).filter((s) => s.startsWith('commit-'))).toEqual([...keys].sort());
  });
});

describe('an invocation killed at the state commit, before any digest or record is written', () => {
  it('neither loses the article nor duplicates it when SQS redelivers the message', async () => {
    const keys = await upload('killed', [300, 301]);
    // The state commit never completes: the Lambda is killed (timeout) while saving the state. The
    // digests and records are derived after the commit (ingest-batch.ts), so none has been written yet.
    let reachedCommit = false;
    const dying = handlerWith([], (store) => ({
      ...bindAll(store),
      saveState: () => {
        reachedCommit = true;
        return new Promise<string>(() => {});
      },
    }));
    const batch = event(keys);
    void dying(batch);
    for (let i = 0; i < 400 && !reachedCommit; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(reachedCommit).toBe(true);
    const stateBefore = await aws.getText('state/newsroom.json');
    expect((await digestSources()).filter((s) => s.startsWith('killed-'))).toEqual([]);
    expect((await records()).filter((r) => r.source.startsWith('killed-'))).toEqual([]);

    // The message's visibility timeout expires and a fresh container handles it.
    const fresh = handlerWith([]);
    const retry = await fresh(batch);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await aws.getText('state/newsroom.json')).not.toBe(stateBefore);
    const all = await records();
    expect(
      all
        .filter((r) => r.source.startsWith('killed-'))
        .map((r) => r.source)
        .sort(),
    ).toEqual([...keys].sort());
    expect(all.filter((r) => r.duplicateOf !== null)).toEqual([]);
    expect((await digestSources()).filter((s) => s.startsWith('killed-'))).toEqual([...keys].sort());
  });
});

describe('an invocation killed after the digest write, before the records write', () => {
  it('leaves the committed articles out of articles.jsonl until the redelivery writes them, once each', async () => {
    const keys = await upload('norecords', [310, 311]);
    // The state is committed and the digests written; the Lambda is killed while writing articles.jsonl.
    let reachedRecords = false;
    const dying = handlerWith([], (store) => ({
      ...bindAll(store),
      putArticleRecords: () => {
        reachedRecords = true;
        return new Promise<void>(() => {});
      },
    }));
    const batch = event(keys);
    void dying(batch);
    for (let i = 0; i < 400 && !reachedRecords; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(reachedRecords).toBe(true);
    // The crash point is real: the digests list the articles while the records do not.
    expect((await digestSources()).filter((s) => s.startsWith('norecords-'))).toEqual([...keys].sort());
    expect((await records()).filter((r) => r.source.startsWith('norecords-'))).toEqual([]);
    const stateBefore = await aws.getText('state/newsroom.json');

    // The message's visibility timeout expires and a fresh container handles it: nothing new to commit,
    // so it only repairs the outputs the dead invocation left behind.
    const retry = await handlerWith([])(batch);
    expect(retry.batchItemFailures).toEqual([]);
    expect(await aws.getText('state/newsroom.json')).toBe(stateBefore);
    const all = await records();
    expect(
      all
        .filter((r) => r.source.startsWith('norecords-'))
        .map((r) => r.source)
        .sort(),
    ).toEqual([...keys].sort());
    expect(all.filter((r) => r.duplicateOf !== null)).toEqual([]);
    expect(new Set(all.map((r) => r.source)).size).toBe(all.length);
    for (const key of keys) expect(all.find((r) => r.source === key)?.storyId).not.toBeNull();
    expect((await digestSources()).filter((s) => s.startsWith('norecords-'))).toEqual([...keys].sort());
  });
});

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
  it('leaves state, records and digests byte-identical, delivered again in sequence or in parallel', async () => {
    const keys = await upload('dup', [400, 401, 402]);
    const handler = handlerWith([]);
    const batch = event(keys);
    expect((await handler(batch)).batchItemFailures).toEqual([]);
    const snapshot = async () => ({
      state: await aws.getText('state/newsroom.json'),
      records: await aws.getText('state/articles.jsonl'),
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
    console.log(JSON.stringify({ metric: 'concurrent-ingest', invocations: N, deliveryRounds: rounds }));
  });
});
