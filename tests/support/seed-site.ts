/**
 * The seeds' archive site as `npm run digest -- --in seeds --out <dir> --now SEEDS_NOW` writes it, run in
 * process (the same ingestBatch and publishSite calls as functions/cli.ts).
 */
import { join } from 'node:path';
import { FsSiteStore } from '../../functions/adapters/fs-site-store.ts';
import { FsArticleSource, FsDigestStore, listFilesOldestFirst } from '../../functions/adapters/fs-store.ts';
import { localBriefingConfig, localSiteConfig } from '../../functions/adapters/local-briefing-config.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { publishSite } from '../../functions/app/publish-site.ts';
import type { SiteConfig } from '../../functions/core/site/site.ts';

export const SEEDS = join(import.meta.dirname, '..', '..', 'seeds');
/** Fixed arrival, so the days, digests and site are the same on every run. */
export const SEEDS_NOW = new Date('2022-03-11T08:00:00Z');

export async function seedSiteConfig(): Promise<SiteConfig> {
  return localSiteConfig(await localBriefingConfig());
}

/** Ingests the seeds into `outputDir` and publishes its site; returns the days that have stories. */
export async function buildSeedSite(outputDir: string, now: Date = SEEDS_NOW): Promise<string[]> {
  const files = await listFilesOldestFirst(SEEDS);
  const store = new FsDigestStore(outputDir);
  const report = await ingestBatch(
    files.map((file) => ({ key: file.key, arrivedAt: now })),
    { source: new FsArticleSource(SEEDS), store },
  );
  await publishSite(
    { digests: store, site: new FsSiteStore(outputDir), config: await seedSiteConfig() },
    { changedDays: report.changedDays, now },
  );
  return report.newsroom.days().filter((day) => report.newsroom.digest(day).stories.length > 0);
}
