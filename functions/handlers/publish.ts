/**
 * Publisher Lambda: S3 ObjectCreated on digests/ → the archive site's pages and feeds under site/.
 * Thin: it turns the event into the changed days and calls the publish use case. A day whose page
 * cannot be rendered is logged and its previous page stays; a storage failure throws, so Lambda's
 * asynchronous retry publishes again (publishing is idempotent).
 */
import type { S3Event } from 'aws-lambda';
import { siteConfigFromEnv } from '../adapters/briefing-config.ts';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3DigestStore } from '../adapters/s3-digest-store.ts';
import { S3SiteStore } from '../adapters/site-stores.ts';
import { type PublishSiteDependencies, publishSite } from '../app/publish-site.ts';
import { BUCKET_PREFIXES } from '../contracts.ts';
import { decodeS3Key } from '../core/s3-event.ts';
import { isDay } from '../core/site/manifest.ts';

const logger = createLogger('news-digest-publish');

/** The days of the digests an S3 event announces (`digests/<YYYY-MM-DD>.json`). */
export function changedDaysOf(event: S3Event): string[] {
  const days = new Set<string>();
  for (const record of event.Records ?? []) {
    const key = decodeS3Key(record.s3?.object?.key ?? '');
    const day = key.startsWith(BUCKET_PREFIXES.digests)
      ? key.slice(BUCKET_PREFIXES.digests.length).replace(/\.json$/, '')
      : '';
    if (isDay(day)) days.add(day);
  }
  return [...days].sort();
}

export function createPublishHandler(
  deps: Omit<PublishSiteDependencies, 'onRenderFailed'>,
  now = () => new Date(),
) {
  return async (event: S3Event): Promise<{ written: number; failedDays: string[] }> => {
    const changedDays = changedDaysOf(event);
    const report = await publishSite(
      {
        ...deps,
        onRenderFailed: (day, error) =>
          logger.error('Day page not rendered; the previous page stays', { day, error }),
      },
      { changedDays, now: now() },
    );
    logger.info('Site published', {
      changedDays,
      written: report.written.length,
      failedDays: report.failedDays,
    });
    return { written: report.written.length, failedDays: report.failedDays };
  };
}

let defaultHandler: ReturnType<typeof createPublishHandler> | undefined;

export const handler = (event: S3Event) => {
  defaultHandler ??= createPublishHandler({
    digests: new S3DigestStore(env.bucketName()),
    site: new S3SiteStore(env.bucketName()),
    config: siteConfigFromEnv(),
  });
  return defaultHandler(event);
};
