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
import { S3SiteStore } from '../adapters/s3-site-store.ts';
import { type PublishSiteDependencies, publishSite } from '../app/publish-site.ts';
import { changedDaysOf } from '../core/site/changed-days.ts';

const logger = createLogger('news-digest-publish');

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
