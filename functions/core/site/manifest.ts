/**
 * What the archive site remembers between publishes: for each day with a digest, the hash of the digest
 * it was last rendered from and when that digest last changed (the feeds' `updated`), its top headline
 * for the archive list, and the follow-up links its stories make to earlier days (so an earlier day's
 * page can link forward to its thread). A re-run on the same digests leaves it, and so every site file,
 * byte for byte as it was.
 */
import { createHash } from 'node:crypto';
import type { Day, Digest } from '../types.ts';

export interface ThreadLink {
  /** The story on this day that continues an earlier one. */
  readonly storyId: string;
  readonly headline: string;
  /** The earlier story it follows up. */
  readonly earlierDay: Day;
  readonly earlierStoryId: string;
}

export interface SiteDayEntry {
  /** SHA-256 of the digest's JSON: changes exactly when the digest does. */
  readonly hash: string;
  /** ISO-8601 time the digest was first seen with this hash. */
  readonly updated: string;
  readonly storyCount: number;
  readonly headline: string | null;
  readonly threads: readonly ThreadLink[];
}

export interface SiteManifest {
  readonly schemaVersion: 1;
  readonly days: Readonly<Record<Day, SiteDayEntry>>;
}

export const EMPTY_MANIFEST: SiteManifest = { schemaVersion: 1, days: {} };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function isDay(value: string): boolean {
  return DAY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`));
}

export function digestHash(digest: Digest): string {
  return createHash('sha256').update(JSON.stringify(digest)).digest('hex');
}

/** A stored manifest, or the empty one when it is missing or not one this code wrote. */
export function parseManifest(value: unknown): SiteManifest {
  if (typeof value !== 'object' || value === null) return EMPTY_MANIFEST;
  const { schemaVersion, days } = value as { schemaVersion?: unknown; days?: unknown };
  if (schemaVersion !== 1 || typeof days !== 'object' || days === null) return EMPTY_MANIFEST;
  const kept: Record<Day, SiteDayEntry> = {};
  for (const [day, entry] of Object.entries(days as Record<string, SiteDayEntry>)) {
    if (isDay(day) && typeof entry?.hash === 'string' && typeof entry.updated === 'string') {
      kept[day] = {
        hash: entry.hash,
        updated: entry.updated,
        storyCount: Number(entry.storyCount) || 0,
        headline: typeof entry.headline === 'string' ? entry.headline : null,
        threads: Array.isArray(entry.threads) ? entry.threads : [],
      };
    }
  }
  return { schemaVersion: 1, days: kept };
}

/**
 * The manifest after `digests` were (re)written at `now`. A digest whose hash is unchanged keeps its
 * entry (and its `updated`), so re-running changes nothing.
 */
export function recordDigests(manifest: SiteManifest, digests: readonly Digest[], now: Date): SiteManifest {
  const days: Record<Day, SiteDayEntry> = { ...manifest.days };
  for (const digest of digests) {
    if (!isDay(digest.date)) continue;
    const hash = digestHash(digest);
    const previous = days[digest.date];
    if (previous?.hash === hash) continue;
    days[digest.date] = {
      hash,
      updated: now.toISOString(),
      storyCount: digest.stories.length,
      headline: digest.stories[0]?.headline ?? null,
      threads: digest.stories.flatMap((story) =>
        story.followUpTo && isDay(story.followUpTo.day)
          ? [
              {
                storyId: story.id,
                headline: story.headline,
                earlierDay: story.followUpTo.day,
                earlierStoryId: story.followUpTo.storyId,
              },
            ]
          : [],
      ),
    };
  }
  const sorted = Object.fromEntries(Object.entries(days).sort(([a], [b]) => a.localeCompare(b)));
  return { schemaVersion: 1, days: sorted };
}

/** Days with stories, newest first: what the archive lists and the feeds carry. */
export function publishedDays(manifest: SiteManifest): Day[] {
  return Object.keys(manifest.days)
    .filter((day) => (manifest.days[day]?.storyCount ?? 0) > 0)
    .sort()
    .reverse();
}

/** Later stories that follow up a story of `day`, by the earlier story's id. */
export function laterThreads(
  manifest: SiteManifest,
  day: Day,
): ReadonlyMap<string, readonly { day: Day; storyId: string; headline: string }[]> {
  const byStory = new Map<string, { day: Day; storyId: string; headline: string }[]>();
  for (const [laterDay, entry] of Object.entries(manifest.days)) {
    for (const thread of entry.threads) {
      if (thread.earlierDay !== day || laterDay <= day) continue;
      const list = byStory.get(thread.earlierStoryId) ?? [];
      list.push({ day: laterDay, storyId: thread.storyId, headline: thread.headline });
      byStory.set(thread.earlierStoryId, list);
    }
  }
  for (const list of byStory.values()) list.sort((a, b) => a.day.localeCompare(b.day));
  return byStory;
}

/**
 * The days a publish must render: the changed ones, and each earlier day they follow up (its page
 * links forward to the new follow-up).
 */
export function daysToRender(manifest: SiteManifest, changed: readonly Day[]): Day[] {
  const days = new Set(changed.filter(isDay));
  for (const day of changed) {
    for (const thread of manifest.days[day]?.threads ?? []) {
      if (manifest.days[thread.earlierDay]) days.add(thread.earlierDay);
    }
  }
  return [...days].sort();
}
