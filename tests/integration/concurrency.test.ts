/**
 * Two ingest invocations for the same day at the same time, against s3rver behind the precondition
 * proxy: the loser of the race re-applies its batch on the newer state, so no update is lost.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import type { Digest } from '../../functions/core/types.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

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
  for (const [i, topic] of TOPICS.entries()) await aws.put(`incoming/city-${i}.txt`, article(topic));
});

describe('concurrent ingests into one day', () => {
  it('keeps every article when several invocations commit at the same time', async () => {
    const deps = () => ({ source: new S3ArticleSource(aws.bucket), store: new S3DigestStore(aws.bucket) });
    await Promise.all(TOPICS.map((_, i) => ingestBatch([{ key: `city-${i}.txt` }], deps())));

    const records = ((await aws.getText('state/articles.jsonl')) ?? '').trim().split('\n');
    expect(records).toHaveLength(TOPICS.length);
    const digest = JSON.parse((await aws.getText('digests/2022-03-08.json')) ?? 'null') as Digest;
    const sources = digest.stories.flatMap((story) => story.articles.map((a) => a.source)).sort();
    expect(sources).toEqual(TOPICS.map((_, i) => `city-${i}.txt`).sort());
  });
});

describe('a crash between the state commit and the digest write', () => {
  it('is repaired by the redelivered batch, although its articles are already committed', async () => {
    await aws.put(
      'incoming/late-night.txt',
      'Late ferry cancelled in Oban\n\nThe last ferry from Oban to Mull was cancelled on Tuesday, March 8, 2022, after a fault was found in its steering gear, the operator said. Passengers were offered rooms in Oban hotels.\n',
    );
    const store = new S3DigestStore(aws.bucket);
    const dying: typeof store = Object.assign(Object.create(store) as typeof store, {
      putDigest: async () => {
        throw new Error('Lambda timed out');
      },
    });
    const source = new S3ArticleSource(aws.bucket);
    await expect(ingestBatch([{ key: 'late-night.txt' }], { source, store: dying })).rejects.toThrow(
      'timed out',
    );
    // The state was committed before the crash; the digest was not written.
    expect(await aws.getText('state/newsroom.json')).toContain('late-night.txt');
    const before = JSON.parse((await aws.getText('digests/2022-03-08.json')) ?? 'null') as Digest;
    expect(before.stories.flatMap((s) => s.articles.map((a) => a.source))).not.toContain('late-night.txt');

    // SQS redelivers the message: nothing new to commit, but the lost digest write is made good.
    const report = await ingestBatch([{ key: 'late-night.txt' }], { source, store });
    expect(report.files.map((f) => f.outcome.kind)).toEqual(['unchanged']);
    const after = JSON.parse((await aws.getText('digests/2022-03-08.json')) ?? 'null') as Digest;
    expect(after.stories.flatMap((s) => s.articles.map((a) => a.source))).toContain('late-night.txt');
  });
});
