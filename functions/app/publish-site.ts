/**
 * Publishing the archive site after digests change: the changed days' pages (and the earlier days
 * they follow up), the index and archive pages, and both feeds. A day that fails to render is
 * reported and its previous page stays; the rest is still published. Pages are written whole (see
 * SiteStore.putFile), day pages first and the manifest last.
 */
import { FEED_DAYS, type FeedEntry } from '../core/site/feeds.ts';
import { daysToRender, parseManifest, publishedDays, recordDigests } from '../core/site/manifest.ts';
import { dayPageFile, feedEntry, type SiteConfig, type SiteFile, sharedFiles } from '../core/site/site.ts';
import type { Day, Digest } from '../core/types.ts';
import type { DigestStore, SiteStore } from '../ports.ts';

export interface PublishSiteDependencies {
  readonly digests: DigestStore;
  readonly site: SiteStore;
  readonly config: SiteConfig;
  /** Told about each day whose page or feed entry could not be rendered. */
  readonly onRenderFailed?: (day: Day, error: Error) => void;
}

export interface PublishSiteRequest {
  /** Days whose digest changed; days with a digest but no manifest entry are published too. */
  readonly changedDays: readonly Day[];
  readonly now: Date;
  /** Re-render every day (a first publish, or a rebuild after a design change). */
  readonly all?: boolean;
}

export interface PublishSiteReport {
  readonly written: string[];
  readonly failedDays: Day[];
}

export async function publishSite(
  deps: PublishSiteDependencies,
  request: PublishSiteRequest,
): Promise<PublishSiteReport> {
  const before = parseManifest(await deps.site.loadManifest());
  const allDays = await deps.digests.listDigestDays();
  const changed = request.all
    ? allDays
    : [...new Set([...request.changedDays, ...allDays.filter((day) => !before.days[day])])].sort();

  const cache = new Map<Day, Digest | null>();
  const load = async (day: Day): Promise<Digest | null> => {
    if (!cache.has(day)) cache.set(day, await deps.digests.getDigest(day));
    return cache.get(day) ?? null;
  };
  const failed = new Set<Day>();
  const fail = (day: Day, error: unknown) => {
    failed.add(day);
    deps.onRenderFailed?.(day, error instanceof Error ? error : new Error(String(error)));
  };

  const loaded: Digest[] = [];
  for (const day of changed) {
    const digest = await load(day);
    if (digest) loaded.push(digest);
  }
  const tentative = recordDigests(before, loaded, request.now);
  const dayFiles: SiteFile[] = [];
  for (const day of daysToRender(
    tentative,
    loaded.map((d) => d.date),
  )) {
    const digest = await load(day);
    if (!digest) continue;
    try {
      dayFiles.push(dayPageFile(deps.config, tentative, digest));
    } catch (error) {
      fail(day, error);
    }
  }
  // A day that failed keeps its previous entry, so the index and feeds keep describing the page served.
  const manifest = recordDigests(
    before,
    loaded.filter((d) => !failed.has(d.date)),
    request.now,
  );

  const days = publishedDays(manifest);
  const entries: FeedEntry[] = [];
  for (const day of days.slice(0, FEED_DAYS)) {
    // Its digest cannot be rendered (already reported): the feeds leave it out until it is mended.
    if (failed.has(day)) continue;
    const digest = await load(day);
    if (!digest) continue;
    try {
      entries.push(feedEntry(deps.config, manifest, digest));
    } catch (error) {
      fail(day, error);
    }
  }
  const latestDay = days.find((day) => !failed.has(day));
  const latest = latestDay ? await load(latestDay) : null;
  const files = [...dayFiles, ...sharedFiles(deps.config, manifest, days, latest, entries)];
  for (const file of files) await deps.site.putFile(file);
  await deps.site.saveManifest(manifest);
  return { written: files.map((f) => f.path), failedDays: [...failed].sort() };
}
