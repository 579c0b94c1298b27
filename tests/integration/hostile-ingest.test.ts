/**
 * The hostile-input catalogue through the real ingest handler on s3rver and dynalite: objects written under
 * incoming/, delivered as SQS batches of S3 notifications (keys URL-encoded the way AWS does it).
 * Every hostile file is quarantined with its reason or processed, no message is failed (retrying
 * cannot help a poison file), and each batch's good article reaches the digest.
 */
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { quarantineRecordName } from '../../functions/core/quarantine-key.ts';
import type { ArticleRecord, Digest } from '../../functions/core/types.ts';
import { generatedArticle } from '../hostile/articles.ts';
import { goodArticle, HOSTILE_CASES } from '../hostile/cases.ts';
import { validateDigest } from '../support/digest-schema.ts';
import { buildRequestedDigests } from '../support/requested-digests.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';
import { itemRecords } from './support/item-records.ts';
import { useItemTable } from './support/item-table.ts';

type Handler = (event: never) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

let aws: LocalAws;
let handler: Handler;

beforeAll(async () => {
  aws = await useLocalAws();
  await useItemTable();
  ({ handler } = (await import('../../functions/handlers/ingest.ts')) as unknown as { handler: Handler });
});

function records(): Promise<ArticleRecord[]> {
  return itemRecords();
}

async function allKeys(): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await aws.s3.send(
      new ListObjectsV2Command({ Bucket: aws.bucket, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) keys.push(object.Key ?? '');
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function digestMembers(): Promise<string[]> {
  await buildRequestedDigests(aws.s3, aws.bucket);
  const days = (await allKeys()).filter((key) => key.startsWith('digests/'));
  const sources: string[] = [];
  for (const key of days) {
    const digest = JSON.parse((await aws.getText(key)) ?? 'null') as Digest;
    expect(validateDigest(digest)).toEqual([]);
    sources.push(...digest.stories.flatMap((story) => story.articles.map((a) => a.source)));
  }
  return sources;
}

describe.each(Object.keys(HOSTILE_CASES))('hostile batch through the ingest handler: %s', (group) => {
  // A `../` segment cannot be tested here: s3rver resolves dot segments in the request path (so the
  // object itself lands outside incoming/), while real S3 keeps keys literal, where `incoming/../x`
  // is just a key below incoming/. The filesystem suite covers traversal; `..` inside names stays.
  const cases = (HOSTILE_CASES[group] ?? []).filter((c) => !c.key.includes('../'));
  const good = goodArticle(group);

  it('quarantines or processes every file, fails no message, and ingests the good article', async () => {
    for (const c of cases) await aws.put(`incoming/${c.key}`, c.bytes());
    await aws.put(`incoming/${good.key}`, good.bytes);
    const keys = [...cases.map((c) => `incoming/${c.key}`), `incoming/${good.key}`];
    expect(keys.length).toBeLessThanOrEqual(10); // one SQS batch

    const response = await handler(sqsEventFor(aws.bucket, keys) as never);
    expect(response.batchItemFailures).toEqual([]);

    const byKey = new Map((await records()).map((r) => [r.source, r]));
    for (const c of cases) {
      const record = byKey.get(c.key);
      expect(record, c.name).toBeDefined();
      if (c.expected.kind === 'rejected') {
        expect(record?.rejected, c.name).toMatch(new RegExp(`^${c.expected.code}: \\S`));
        const quarantined = JSON.parse(
          (await aws.getText(`quarantine/${quarantineRecordName(c.key)}`)) ?? 'null',
        ) as {
          key: string;
          reason: string;
        } | null;
        expect(quarantined, `quarantine record of ${c.name}`).toMatchObject({
          key: `incoming/${c.key}`,
          reason: record?.rejected,
        });
      } else {
        expect(record?.rejected, c.name).toBeNull();
        expect(record?.storyId, c.name).toEqual(expect.any(String));
        if (c.expected.title) expect(record?.title, c.name).toBe(c.expected.title);
        for (const sentence of c.expected.text ?? []) expect(record?.text, c.name).toContain(sentence);
        for (const fragment of c.expected.absent ?? []) expect(record?.text, c.name).not.toContain(fragment);
      }
    }
    const members = await digestMembers();
    expect(members).toContain(good.key);
    for (const c of cases) if (c.expected.kind === 'story') expect(members, c.name).toContain(c.key);
  });
});

describe('keys and sizes on S3', () => {
  it('keeps every object the handler (and the digest builder) writes under its own prefixes', async () => {
    for (const key of await allKeys()) {
      expect(key).toMatch(/^(incoming|item-values|digest-requests|digests|quarantine)\//);
    }
  });

  it('quarantines a 50 MB object as too-large from its ContentLength without reading it, and ingests its neighbour', async () => {
    const line = Buffer.from(`${generatedArticle(9700).body.replace(/\n+/g, ' ')}\n`);
    const big = Buffer.alloc(50 * 1024 * 1024);
    for (let offset = 0; offset < big.length; offset += line.length) line.copy(big, offset);
    await aws.put('incoming/huge report.txt', big);
    await aws.put('incoming/neighbour.txt', generatedArticle(9701).text);

    const response = await handler(
      sqsEventFor(aws.bucket, ['incoming/huge report.txt', 'incoming/neighbour.txt']) as never,
    );
    expect(response.batchItemFailures).toEqual([]);
    const quarantined = JSON.parse((await aws.getText('quarantine/huge report.txt.json')) ?? 'null') as {
      reason: string;
      size: number | null;
    };
    expect(quarantined.reason).toMatch(/^too-large: The file is 52428800 bytes; the limit is 10485760/);
    expect(quarantined.size).toBeNull(); // the body was never handed to the pipeline
    expect(await digestMembers()).toContain('neighbour.txt');
  });
});
