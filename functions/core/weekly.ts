/**
 * The weekly briefing: the top stories of the seven days before a Monday, ranked by coverage
 * (distinct outlets, then articles). A story followed up on later days is one thread: it counts once,
 * with the thread's outlets and articles, the latest day's summary, and a follow-up line naming where
 * the thread started that week.
 */
import type { Day, Digest, DigestStory } from './types.ts';

/** Stories in a weekly briefing: a week's top stories, not its whole archive. */
export const WEEKLY_TOP_STORIES = 10;

export interface Week {
  /** The Monday seven days before the send. */
  readonly from: Day;
  /** The Sunday before the send. */
  readonly to: Day;
}

/** A digest covering a week: `date` is the Monday it is sent on, `week` the days it covers. */
export interface WeeklyDigest extends Digest {
  readonly week: Week;
}

function addDays(day: Day, days: number): Day {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** True when `day` (YYYY-MM-DD) is a Monday. */
export function isMonday(day: Day): boolean {
  return new Date(`${day}T00:00:00Z`).getUTCDay() === 1;
}

/** The seven days before the Monday `monday`. */
export function weekBefore(monday: Day): Week {
  return { from: addDays(monday, -7), to: addDays(monday, -1) };
}

/** The days of a week, Monday first. */
export function daysOf(week: Week): Day[] {
  return Array.from({ length: 7 }, (_, i) => addDays(week.from, i));
}

interface Placed {
  readonly day: Day;
  readonly story: DigestStory;
}

const keyOf = (day: Day, id: string) => `${day}/${id}`;

function outletsOf(stories: readonly DigestStory[]): string[] {
  const names = new Map<string, string>();
  const add = (name: string | null | undefined) => {
    const trimmed = name?.trim();
    if (trimmed) names.set(trimmed.toLowerCase(), trimmed);
  };
  for (const story of stories) {
    for (const article of story.articles) add(article.outlet);
    for (const duplicate of story.duplicates) add(duplicate.outlet);
    for (const outlet of story.outlets ?? []) add(outlet);
  }
  return [...names.values()];
}

function uniqueBy<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}

/** One thread as one story: the latest summary, every article and outlet of the thread. */
function threadStory(thread: readonly Placed[]): { story: DigestStory; outlets: number; articles: number } {
  const ordered = [...thread].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : 0));
  const first = ordered[0] as Placed;
  const latest = ordered[ordered.length - 1] as Placed;
  const stories = ordered.map((p) => p.story);
  const articles = uniqueBy([...latest.story.articles, ...stories.flatMap((s) => s.articles)], (a) => a.id);
  const duplicates = uniqueBy(
    stories.flatMap((s) => s.duplicates),
    (d) => d.source,
  );
  const outlets = outletsOf(stories);
  const firstUrl = first.story.articles.map((a) => a.url).find((u) => u !== null && /^https?:/.test(u));
  const followUpTo =
    ordered.length > 1
      ? {
          storyId: first.story.id,
          day: first.day,
          headline: first.story.headline,
          ...(firstUrl ? { url: firstUrl } : {}),
        }
      : (latest.story.followUpTo ?? null);
  return {
    story: { ...latest.story, articles, duplicates, outlets, followUpTo },
    outlets: outlets.length,
    articles: articles.length + duplicates.length,
  };
}

/**
 * The weekly digest sent on `monday` from that week's daily digests (missing days are simply absent).
 * Deterministic: ties in coverage go to the later, then the alphabetically first story id.
 */
export function weeklyRollup(
  monday: Day,
  digests: readonly Digest[],
  limit = WEEKLY_TOP_STORIES,
): WeeklyDigest {
  const week = weekBefore(monday);
  const placed: Placed[] = digests
    .filter((d) => d.date >= week.from && d.date <= week.to)
    .flatMap((d) => d.stories.map((story) => ({ day: d.date, story })));
  // Union of each story with the story it follows up, when that one is in the same week.
  const parent = new Map<string, string>();
  const find = (key: string): string => {
    let root = key;
    while (parent.get(root) !== root) root = parent.get(root) as string;
    return root;
  };
  for (const p of placed) parent.set(keyOf(p.day, p.story.id), keyOf(p.day, p.story.id));
  for (const p of placed) {
    const follow = p.story.followUpTo;
    if (!follow) continue;
    const target = keyOf(follow.day, follow.storyId);
    if (parent.has(target)) parent.set(find(keyOf(p.day, p.story.id)), find(target));
  }
  const threads = new Map<string, Placed[]>();
  for (const p of placed) {
    const root = find(keyOf(p.day, p.story.id));
    threads.set(root, [...(threads.get(root) ?? []), p]);
  }
  const ranked = [...threads.values()]
    .map((thread) => ({ ...threadStory(thread), day: thread.reduce((d, p) => (p.day > d ? p.day : d), '') }))
    .sort(
      (a, b) =>
        b.outlets - a.outlets ||
        b.articles - a.articles ||
        (a.day < b.day ? 1 : a.day > b.day ? -1 : 0) ||
        (a.story.id < b.story.id ? -1 : a.story.id > b.story.id ? 1 : 0),
    );
  return {
    schemaVersion: 1,
    date: monday,
    week,
    stories: ranked.slice(0, Math.max(0, limit)).map((r) => r.story),
  };
}
