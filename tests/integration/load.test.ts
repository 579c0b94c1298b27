/**
 * Load and concurrency (issue 15): 2,000 files, 500 events × 4 reports, written to s3rver and ingested
 * through the ingest handler as deployed (item-level state on dynalite), in SQS batches of 10 of the
 * reports in a shuffled order, 4 invocations at once, so that reports of one event often sit in batches
 * that run at the same time and race to found its story. Failed messages are delivered again, as SQS
 * would, until they would go to the dead-letter queue. Then the digest builder's queue delivers the
 * digest requests, as it would after its batching window.
 *
 * Every report of an event names the same place, people and firms on the same day, in its own sentences
 * (tests/hostile/articles.ts eventReport), so the events are known: nothing may be lost, duplicated or
 * listed twice, every article must be in exactly one story of exactly one digest, and no event may end
 * split over two stories. The time is reported as one JSON line (not asserted: speed belongs in
 * `npm run bench`, and this machine is shared).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArticleRecord, Digest } from '../../functions/core/types.ts';
import { eventReport } from '../hostile/articles.ts';
import { validateDigest } from '../support/digest-schema.ts';
import { buildRequestedDigests } from '../support/requested-digests.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';
import { itemRecords } from './support/item-records.ts';
import { useItemTable } from './support/item-table.ts';

const EVENTS = 500;
const REPORTS = 4;
/** Files in the load test. */
const FILES = EVENTS * REPORTS;
/** Messages per SQS batch: the event source mapping's batch size. */
const BATCH_SIZE = 10;
/** Invocations at once: the event source's maximum concurrency (infra INGEST_MAX_CONCURRENCY). */
const WRITERS = 4;
/** Deliveries of one message before SQS parks it in the dead-letter queue (infra MAX_RECEIVE_COUNT). */
const MAX_RECEIVE_COUNT = 5;
/** Parallel uploads while preparing the bucket (setup only, not measured). */
const UPLOAD_CONCURRENCY = 16;
/** The events spread over a week of digests. */
const DAYS = 7;

const keyOf = (event: number, report: number) => `load/e${event}-r${report}.txt`;
const eventOf = (source: string) => source.slice('load/'.length).split('-')[0] as string;

/** Every report of every event in a shuffled order (seeded, so every run is the same). */
function shuffledKeys(): string[] {
  const keys = Array.from({ length: FILES }, (_, i) => keyOf(i % EVENTS, Math.floor(i / EVENTS)));
  let seed = 20_220_320;
  const random = () => {
    seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let i = keys.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [keys[i], keys[j]] = [keys[j] as string, keys[i] as string];
  }
  return keys;
}

type Handler = (event: never) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

let aws: LocalAws;
let handler: Handler;
const keys = shuffledKeys();
/** Each file's event day: all reports of an event are on one day. */
const dayOfKey = new Map(
  Array.from({ length: FILES }, (_, i) => {
    const event = i % EVENTS;
    const report = Math.floor(i / EVENTS);
    return [keyOf(event, report), eventReport(event, report, DAYS).day] as const;
  }),
);

beforeAll(async () => {
  aws = await useLocalAws();
  await useItemTable();
  ({ handler } = (await import('../../functions/handlers/ingest.ts')) as unknown as { handler: Handler });
  let next = 0;
  await Promise.all(
    Array.from({ length: UPLOAD_CONCURRENCY }, async () => {
      while (next < FILES) {
        const i = next++;
        const event = i % EVENTS;
        const report = Math.floor(i / EVENTS);
        await aws.put(`incoming/${keyOf(event, report)}`, eventReport(event, report, DAYS).text);
      }
    }),
  );
}, 300_000);

describe('load: 2,000 files through the ingest handler, 4 at once', () => {
  it('loses nothing, invents no duplicate, lists each article in one story on one day and splits no event', async () => {
    const started = performance.now();
    // The queue as SQS runs it: WRITERS invocations at once, each taking the next batch; a failed
    // message comes back (in a later batch) until its MAX_RECEIVE_COUNT-th failure parks it in the DLQ.
    const waiting = keys.map((key) => `incoming/${key}`);
    const receives = new Map<string, number>();
    const failed: string[] = [];
    const deadLettered: string[] = [];
    await Promise.all(
      Array.from({ length: WRITERS }, async () => {
        while (waiting.length > 0) {
          const batch = waiting.splice(0, BATCH_SIZE);
          const event = sqsEventFor(aws.bucket, batch, '2022-03-20T08:00:00.000Z');
          const response = await handler(event as never);
          for (const { itemIdentifier } of response.batchItemFailures) {
            const key = batch[event.Records.findIndex((r) => r.messageId === itemIdentifier)] ?? '';
            failed.push(key);
            const received = (receives.get(key) ?? 1) + 1;
            receives.set(key, received);
            if (received > MAX_RECEIVE_COUNT) deadLettered.push(key);
            else waiting.push(key);
          }
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    // The digest builder's queue after its batching window: every requested day, once.
    const buildStarted = performance.now();
    await buildRequestedDigests(aws.s3, aws.bucket);
    const buildSeconds = (performance.now() - buildStarted) / 1000;

    const records: ArticleRecord[] = await itemRecords();
    const bySource = new Map(records.map((r) => [r.source, r]));
    const digestDayOf = new Map<string, string>();
    const listedTwice: string[] = [];
    const storyIds = new Set<string>();
    const storiesPerDay: Record<string, number> = {};
    const storiesOfEvent = new Map<string, Set<string>>();
    for (const day of [...new Set(dayOfKey.values())].sort()) {
      const text = await aws.getText(`digests/${day}.json`);
      if (text === null) continue;
      const digest = JSON.parse(text) as Digest;
      expect(validateDigest(digest)).toEqual([]);
      storiesPerDay[day] = digest.stories.length;
      for (const story of digest.stories) {
        storyIds.add(story.id);
        for (const article of story.articles) {
          if (digestDayOf.has(article.source)) listedTwice.push(article.source);
          digestDayOf.set(article.source, day);
          const event = eventOf(article.source);
          storiesOfEvent.set(event, (storiesOfEvent.get(event) ?? new Set()).add(story.id));
        }
      }
    }
    const splitEvents = [...storiesOfEvent].filter(([, ids]) => ids.size > 1).map(([event]) => event);
    const inDigests = new Set(digestDayOf.keys());
    const stories = storyIds.size;
    const articlesPerDay: Record<string, number> = {};
    for (const day of digestDayOf.values()) articlesPerDay[day] = (articlesPerDay[day] ?? 0) + 1;
    // A story sits on its earliest report's day: an article listed after its own day is misfiled.
    const listedLate = keys.filter((key) => (digestDayOf.get(key) ?? '') > (dayOfKey.get(key) ?? ''));
    const lost = keys.filter((key) => bySource.get(key)?.storyId == null || !inDigests.has(key));
    const duplicated = records.filter((r) => r.duplicateOf !== null);
    const rejected = records.filter((r) => r.rejected !== null);

    console.log(
      JSON.stringify({
        metric: 'load-ingest',
        filesIn: FILES,
        filesOut: keys.filter((key) => inDigests.has(key)).length,
        records: records.length,
        lost: lost.length,
        duplicated: duplicated.length,
        rejected: rejected.length,
        writers: WRITERS,
        failedDeliveries: failed.length,
        deadLettered: deadLettered.length,
        events: storiesOfEvent.size,
        stories,
        splitEvents: splitEvents.length,
        storiesPerDay,
        articlesPerDay,
        batches: Math.ceil(FILES / BATCH_SIZE),
        seconds: Number(seconds.toFixed(1)),
        digestBuildSeconds: Number(buildSeconds.toFixed(1)),
        filesPerSecond: Number((FILES / seconds).toFixed(1)),
      }),
    );

    // A delivery that lost its conditional writes 8 times comes back; no message may end in the DLQ.
    expect(deadLettered).toEqual([]);
    expect(records).toHaveLength(FILES);
    expect(lost).toEqual([]);
    expect(duplicated.map((r) => `${r.source} ~ ${r.duplicateOf}`)).toEqual([]);
    expect(rejected.map((r) => `${r.source}: ${r.rejected}`)).toEqual([]);
    expect(listedTwice).toEqual([]);
    expect(listedLate).toEqual([]);
    // Every event is one story: reports that raced to found it in concurrent batches end together.
    expect(splitEvents).toEqual([]);
    expect(storiesOfEvent.size).toBe(EVENTS);
    expect(storyIds).toEqual(new Set(records.map((r) => r.storyId)));
    expect(Object.values(storiesPerDay).reduce((a, b) => a + b, 0)).toBe(stories);
  }, 3_600_000);
});
