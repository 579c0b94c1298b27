/**
 * The publisher Lambda against real local S3: a digest's ObjectCreated event rewrites that day's page,
 * the index and both feeds under site/ with their content types and cache lifetimes, keeps its
 * manifest in state/, and a digest that cannot be rendered leaves the previous page in place.
 */
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import type { S3Event } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { S3SiteStore } from '../../functions/adapters/s3-site-store.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../functions/core/render/config.ts';
import { createPublishHandler } from '../../functions/handlers/publish.ts';
import { seedsLikeDigest } from '../unit/render/fixtures.ts';
import { type LocalAws, useLocalAws } from './support/aws-env.ts';

let aws: LocalAws;
let publish: ReturnType<typeof createPublishHandler>;

const eventFor = (...keys: string[]): S3Event =>
  ({ Records: keys.map((key) => ({ s3: { object: { key } } })) }) as unknown as S3Event;

beforeAll(async () => {
  aws = await useLocalAws();
  publish = createPublishHandler(
    {
      digests: new S3DigestStore(aws.bucket),
      site: new S3SiteStore(aws.bucket),
      config: {
        briefing: DEFAULT_BRIEFING_CONFIG,
        baseUrl: 'https://d111.cloudfront.net',
        signupAction: null,
      },
    },
    () => new Date('2022-03-01T06:00:00Z'),
  );
});

describe('publisher', () => {
  it('writes the day page, the index and both feeds, typed and cacheable, from a digest event', async () => {
    const digest = seedsLikeDigest();
    await aws.put(`digests/${digest.date}.json`, JSON.stringify(digest));
    const result = await publish(eventFor(`digests/${digest.date}.json`, 'digests/not-a-day.json'));
    expect(result.failedDays).toEqual([]);
    const page = await aws.getText(`site/${digest.date}.html`);
    expect(page).toContain(digest.stories[0]?.id.replace(/[^A-Za-z0-9_-]/g, ''));
    expect(await aws.getText('site/index.html')).toContain(`${digest.date}.html`);
    expect(await aws.getText('site/feed.xml')).toContain(`https://d111.cloudfront.net/${digest.date}.html`);
    expect(JSON.parse((await aws.getText('site/feed.json')) ?? '{}').items).toHaveLength(1);
    expect(JSON.parse((await aws.getText('state/site.json')) ?? '{}').days[digest.date].updated).toBe(
      '2022-03-01T06:00:00.000Z',
    );
    const head = await aws.s3.send(
      new HeadObjectCommand({ Bucket: aws.bucket, Key: `site/${digest.date}.html` }),
    );
    expect(head.ContentType).toBe('text/html; charset=utf-8');
    expect(head.CacheControl).toBe('public, max-age=300');
    const feedHead = await aws.s3.send(new HeadObjectCommand({ Bucket: aws.bucket, Key: 'site/feed.xml' }));
    expect(feedHead.ContentType).toMatch(/^application\/atom\+xml/);
  });

  it('keeps the previous page when the changed digest cannot be rendered, and reports the day', async () => {
    const digest = seedsLikeDigest();
    const before = await aws.getText(`site/${digest.date}.html`);
    await aws.put(
      `digests/${digest.date}.json`,
      JSON.stringify({ schemaVersion: 1, date: digest.date, stories: [{ id: 'x' }] }),
    );
    const result = await publish(eventFor(`digests/${digest.date}.json`));
    expect(result.failedDays).toEqual([digest.date]);
    expect(await aws.getText(`site/${digest.date}.html`)).toBe(before);
  });
});
