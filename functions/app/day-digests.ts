/**
 * A day's digest on item-level state. A batch sees only its working set, but a digest lists every story
 * of its day: each story is listed under its day (`daystory#<day>` items), and the digest is rebuilt
 * from the stories listed there and their articles. Each rebuild first adds one to the day's revision
 * counter and then reads, so of two concurrent rebuilds the one with the higher revision read everything
 * the other did; the digest store keeps the highest revision written.
 */
import { ConcurrentWriteError } from '../core/errors.ts';
import { StoryEngine } from '../core/stories/story-engine.ts';
import type { ArticleItem, EngineItem, StoryItem } from '../core/stories/story-items.ts';
import type { Day, Digest } from '../core/types.ts';
import { type DigestStore, type ItemKey, type ItemStore, itemKeyId } from '../ports.ts';
import { dayRevisionKey, isArticle, isStory } from './engine-items.ts';
import { type ItemChangeSet, readInRounds } from './item-batch.ts';

const articleItemKey = (id: string): ItemKey => ({ partition: `article#${id}`, sort: '' });

/** Lists stories under their days, once each; a listing that exists already is all that is needed. */
export async function writeDayListings(items: ItemStore, listings: ItemChangeSet['puts']): Promise<void> {
  for (const listing of listings) {
    try {
      await items.put(listing);
    } catch (error) {
      if (!(error instanceof ConcurrentWriteError)) throw error;
    }
  }
}

/** The day's digest from every story listed under the day, as far as its writes have landed. */
export async function dayDigest(items: ItemStore, day: Day): Promise<Digest> {
  const listed = await items.listPartition(`daystory#${day}`);
  const storyKeys = listed.map((entry) => ({ partition: `story#${entry.key.sort}`, sort: '' }));
  const { items: read } = await readInRounds(items, storyKeys, (soFar) => {
    const keys: ItemKey[] = [];
    for (const item of soFar.values()) {
      if (isStory(item.key)) {
        const { story } = item.value as StoryItem;
        for (const id of [...story.members, ...story.duplicates, ...story.summary.map((s) => s.articleId)])
          keys.push(articleItemKey(id));
        if (story.followUpTo) keys.push({ partition: `story#${story.followUpTo}`, sort: '' });
      } else if (isArticle(item.key)) {
        const { article } = item.value as ArticleItem;
        if (article.duplicateOf) keys.push(articleItemKey(article.duplicateOf));
      }
    }
    return keys;
  });
  const storyOf = (id: string) => {
    const article = read.get(itemKeyId(articleItemKey(id)))?.value as ArticleItem | undefined;
    return article === undefined ? undefined : article.article.storyId;
  };
  const engineItems: EngineItem[] = [];
  for (const item of read.values()) {
    if (!isStory(item.key)) {
      engineItems.push({ key: item.key, value: item.value as EngineItem['value'] });
      continue;
    }
    // The article items are written last, as each batch's commit marker: a story shows the articles whose
    // item names it. A concurrent batch writes a story before its new articles land, and a story that lost
    // an article to another (placed again) may be written after the article moved.
    const value = item.value as StoryItem;
    const id = value.story.id;
    // Once each: a member listed twice (a story item written by a batch that placed an article again)
    // is still one article of the story.
    const members = [...new Set(value.story.members)].filter((m) => storyOf(m) === id);
    if (members.length === 0) continue;
    const duplicates = [...new Set(value.story.duplicates)].filter((d) => {
      const of = storyOf(d);
      return of !== undefined && (of === null || of === id);
    });
    const story = { ...value.story, members, duplicates };
    engineItems.push({ key: item.key, value: { ...value, story } });
  }
  // digest(day) keeps the stories still on this day: one that moved away stays listed here too.
  return StoryEngine.fromItems(engineItems).digest(day);
}

/**
 * Counts one more revision of each of `days`, after a commit that changed them: any rebuild that reads a
 * revision at least this high reads the commit too.
 */
export async function markDaysChanged(items: ItemStore, days: Iterable<Day>): Promise<void> {
  for (const day of new Set(days)) await items.addCounts(dayRevisionKey(day), { revision: 1 });
}

/**
 * What a digest's stored revision starts from. A digest the whole-state path wrote carries that path's
 * commit count as its revision; starting above any such count lets the first rebuild after an upgrade
 * replace it, where a day counter starting at 1 would be dropped as older.
 */
export const DAY_REVISION_BASE = 1_000_000_000_000;

/** The day's revision as counted so far, from DAY_REVISION_BASE (0: never changed). */
async function dayRevision(items: ItemStore, day: Day): Promise<number> {
  const key = dayRevisionKey(day);
  const counters = (await items.getMany([key])).get(itemKeyId(key))?.value as
    | { revision?: number }
    | undefined;
  return counters?.revision ? DAY_REVISION_BASE + counters.revision : 0;
}

/** Counts one more revision of `day` and returns it, for a writer that has the day's digest already. */
export async function nextDayRevision(items: ItemStore, day: Day): Promise<number> {
  await items.addCounts(dayRevisionKey(day), { revision: 1 });
  return dayRevision(items, day);
}

/**
 * Rebuilds the digests of `days` whose stored digest is older than the day's revision, and writes each
 * with the revision read before its stories were: a day no commit changed since its last rebuild costs
 * two small reads. Returns the days rebuilt.
 */
export async function refreshDayDigests(
  items: ItemStore,
  store: DigestStore,
  days: Iterable<Day>,
): Promise<Day[]> {
  const rebuilt: Day[] = [];
  for (const day of new Set(days)) {
    const revision = await dayRevision(items, day);
    if (revision === 0) continue;
    const stored = await store.derivedRevision({ digest: day });
    if (stored !== null && stored >= revision) continue;
    await store.putDigest(await dayDigest(items, day), revision);
    rebuilt.push(day);
  }
  return rebuilt;
}

/** Counts a revision of each of `days` and rebuilds their digests at once (the local run, tests, benches). */
export async function writeDayDigests(
  items: ItemStore,
  store: DigestStore,
  days: Iterable<Day>,
): Promise<void> {
  const changed = [...new Set(days)];
  await markDaysChanged(items, changed);
  await refreshDayDigests(items, store, changed);
}
