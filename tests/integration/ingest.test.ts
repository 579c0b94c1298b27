/**
 * The ingest Lambda as deployed, against a real S3 API (s3rver) and DynamoDB API (dynalite): objects
 * written to incoming/, the SQS-shaped S3 notifications the queue would deliver, the digest requests it
 * leaves for the digest builder (run here as its queue would, then the digest read back from the
 * bucket) and the article records from the item table.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Context } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Digest } from '../../functions/core/types.ts';
import { buildRequestedDigests, requestedDigestKeys } from '../support/requested-digests.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';
import { itemRecords, itemSnapshot } from './support/item-records.ts';
import { useItemTable } from './support/item-table.ts';

const SEEDS = join(import.meta.dirname, '../../seeds');

let aws: LocalAws;
let handler: (
  event: never,
  context?: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

beforeAll(async () => {
  aws = await useLocalAws();
  await useItemTable();
  ({ handler } = (await import('../../functions/handlers/ingest.ts')) as never);
});

describe('ingest handler on s3rver', () => {
  it('turns the seeds dropped into incoming/ into digests in the bucket', async () => {
    const names = readdirSync(SEEDS).sort();
    // Keys with a space, a plus sign and non-ASCII exercise the notification's URL encoding.
    const keys = names.map((name, i) =>
      i === 1 ? `incoming/wire copy+${name}` : i === 2 ? `incoming/ünïcode ${name}` : `incoming/${name}`,
    );
    for (const [i, key] of keys.entries()) await aws.put(key, readFileSync(join(SEEDS, names[i] ?? '')));

    const response = await handler(sqsEventFor(aws.bucket, keys, '2026-11-22T08:00:00.000Z') as never);
    expect(response.batchItemFailures).toEqual([]);
    // Ingest leaves the digests to the builder: a request for each day the seeds are on, no digest yet.
    const requested = await requestedDigestKeys(aws.s3, aws.bucket);
    expect(requested).toContain('digest-requests/2022-02-28');
    for (const key of requested)
      expect(await aws.getText(`digests/${key.slice('digest-requests/'.length)}.json`)).toBeNull();
    expect(await buildRequestedDigests(aws.s3, aws.bucket)).toEqual(
      requested.map((key) => key.slice('digest-requests/'.length)),
    );

    const digest = JSON.parse((await aws.getText('digests/2022-02-28.json')) ?? 'null') as Digest;
    expect(digest.schemaVersion).toBe(1);
    const talks = digest.stories.find((story) => story.articles.length === 3);
    expect(talks?.articles.map((a) => a.source).sort()).toEqual(
      keys
        .slice(0, 3)
        .map((k) => k.slice('incoming/'.length))
        .sort(),
    );
    const records = await itemRecords();
    expect(records).toHaveLength(names.length);
    expect(records.every((r) => r.storyId !== null && r.rejected === null)).toBe(true);
    // The item table is the engine's state: nothing of it is in the bucket.
    expect(await aws.getText('state/newsroom.json')).toBeNull();
    expect(await aws.getText('state/articles.jsonl')).toBeNull();
  });

  it('leaves the state unchanged when the same S3 event is delivered again', async () => {
    const key = 'incoming/000_43da1c7f9cb7f9a2.txt';
    // The day's revision counter moves (the digest is written again, in case a crash lost it); nothing else.
    const engineItems = async () =>
      (await itemSnapshot()).filter((item) => !item.key.partition.startsWith('dayrev#'));
    const before = await engineItems();
    const digestBefore = await aws.getText('digests/2022-02-28.json');
    expect(before.length).toBeGreaterThan(10);
    const response = await handler(sqsEventFor(aws.bucket, [key], '2026-11-22T09:00:00.000Z') as never);
    expect(response.batchItemFailures).toEqual([]);
    expect(await engineItems()).toEqual(before);
    await buildRequestedDigests(aws.s3, aws.bucket);
    expect(await aws.getText('digests/2022-02-28.json')).toBe(digestBefore);
  });

  it('quarantines a poison file with its reason and still ingests the rest of the batch', async () => {
    await aws.put('incoming/empty.txt', '');
    await aws.put(
      'incoming/image.png',
      new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
    );
    await aws.put(
      'incoming/extra.txt',
      'Harbour reopens after storm\n\nThe harbour in Portsmouth reopened on Tuesday, March 8, 2022, after storm damage was repaired, the port authority said. Ferries resumed crossings to the Isle of Wight in the afternoon.\n',
    );
    const response = await handler(
      sqsEventFor(aws.bucket, ['incoming/empty.txt', 'incoming/image.png', 'incoming/extra.txt']) as never,
    );
    expect(response.batchItemFailures).toEqual([]);
    const empty = JSON.parse((await aws.getText('quarantine/empty.txt.json')) ?? 'null') as {
      reason: string;
    };
    expect(empty.reason).toMatch(/^empty/);
    const png = JSON.parse((await aws.getText('quarantine/image.png.json')) ?? 'null') as { reason: string };
    expect(png.reason).toMatch(/^binary/);
    await buildRequestedDigests(aws.s3, aws.bucket);
    expect(await aws.getText('digests/2022-03-08.json')).toContain('Portsmouth');
  });

  it('reports an unreadable queue message as a batch item failure without blocking the others', async () => {
    await aws.put(
      'incoming/late.txt',
      'Bridge closed for repairs\n\nThe Tamar road bridge closed on Wednesday, March 9, 2022, for overnight repairs to its deck, the bridge authority said.\n',
    );
    const event = sqsEventFor(aws.bucket, ['incoming/late.txt']);
    const poison = { ...event.Records[0], messageId: 'not-s3', body: '{"hello":"world"}' };
    const response = await handler({ Records: [poison, ...event.Records] } as never);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'not-s3' }]);
    await buildRequestedDigests(aws.s3, aws.bucket);
    expect(await aws.getText('digests/2022-03-09.json')).toContain('Tamar');
  });
});
