/**
 * Ingest invocations for the same day at the same time, as deployed: s3rver behind the precondition
 * proxy and the item table on dynalite. A batch that loses a conditional write undoes what it wrote and
 * re-applies itself on the newer items, so no update is lost.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { ingestBatchOnItems } from '../../functions/app/ingest-items.ts';
import type { Digest } from '../../functions/core/types.ts';
import type { DigestStore } from '../../functions/ports.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';
import { itemRecords, itemSnapshot, itemStoreFromEnv } from './support/item-records.ts';
import { useItemTable } from './support/item-table.ts';

const TOPICS = [
  ['Glasgow', 'tram line', 'opened'],
  ['Cardiff', 'library', 'reopened'],
  ['Belfast', 'shipyard', 'expanded'],
  ['Leeds', 'hospital wing', 'completed'],
  ['Bristol', 'harbour bridge', 'repaired'],
  ['Aberdeen', 'wind farm', 'connected'],
] as const;

function article([city, thing, verb]: readonly [string, string, string]): string {
  return `${city} ${thing} ${verb}\n\nThe ${thing} in ${city} was ${verb} on Tuesday, March 8, 2022, officials in ${city} said. Work on the ${city} ${thing} had taken two years and cost the city council more than expected.\n`;
}

let aws: LocalAws;

beforeAll(async () => {
  aws = await useLocalAws();
  await useItemTable();
  for (const [i, topic] of TOPICS.entries()) await aws.put(`incoming/city-${i}.txt`, article(topic));
});

describe('concurrent ingests into one day', () => {
  it('keeps every article when several invocations commit at the same time', async () => {
    const deps = () => ({
      source: new S3ArticleSource(aws.bucket),
      store: new S3DigestStore(aws.bucket),
      items: itemStoreFromEnv(),
      activeDays: 30,
    });
    await Promise.all(TOPICS.map((_, i) => ingestBatchOnItems([{ key: `city-${i}.txt` }], deps())));

    const records = await itemRecords();
    expect(records).toHaveLength(TOPICS.length);
    const digest = JSON.parse((await aws.getText('digests/2022-03-08.json')) ?? 'null') as Digest;
    const sources = digest.stories.flatMap((story) => story.articles.map((a) => a.source)).sort();
    expect(sources).toEqual(TOPICS.map((_, i) => `city-${i}.txt`).sort());
  });
});

describe('a crash between the item writes and the digest write', () => {
  it('is repaired by the redelivered batch, although its articles are already committed', async () => {
    await aws.put(
      'incoming/late-night.txt',
      'Late ferry cancelled in Oban\n\nThe last ferry from Oban to Mull was cancelled on Tuesday, March 8, 2022, after a fault was found in its steering gear, the operator said. Passengers were offered rooms in Oban hotels.\n',
    );
    const store = new S3DigestStore(aws.bucket);
    const dying: DigestStore = Object.assign(Object.create(store) as DigestStore, {
      putDigest: async () => {
        throw new Error('Lambda timed out');
      },
    });
    const source = new S3ArticleSource(aws.bucket);
    const deps = { source, items: itemStoreFromEnv(), activeDays: 30 };
    await expect(ingestBatchOnItems([{ key: 'late-night.txt' }], { ...deps, store: dying })).rejects.toThrow(
      'timed out',
    );
    // The items were written before the crash; the digest was not.
    expect((await itemRecords()).map((r) => r.source)).toContain('late-night.txt');
    const items = (await itemSnapshot()).filter((item) => item.key.partition.startsWith('article#'));
    const before = JSON.parse((await aws.getText('digests/2022-03-08.json')) ?? 'null') as Digest;
    expect(before.stories.flatMap((s) => s.articles.map((a) => a.source))).not.toContain('late-night.txt');

    // SQS redelivers the message: nothing new to commit, but the lost digest write is made good.
    const report = await ingestBatchOnItems([{ key: 'late-night.txt' }], { ...deps, store });
    expect(report.files.map((f) => f.outcome.kind)).toEqual(['unchanged']);
    expect((await itemSnapshot()).filter((item) => item.key.partition.startsWith('article#'))).toEqual(items);
    const after = JSON.parse((await aws.getText('digests/2022-03-08.json')) ?? 'null') as Digest;
    expect(after.stories.flatMap((s) => s.articles.map((a) => a.source))).toContain('late-night.txt');
  });
});
