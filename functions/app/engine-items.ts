/**
 * The story engine's items as the ItemStore keeps them: each as it is (counters as counter items), plus
 * what the store side adds. Index items (bands, hashes, posting lists, document frequencies) expire when
 * no batch has touched them for the active days, so no later article reaches the stories behind them;
 * stories, articles (the records) and day listings stay, so digests and follow-up links keep working.
 * Each story is listed under its day (a `daystory#<day>` item) for the day's digest.
 */

import { DF_SORT, isCounterKey, isListedKey, toleratesStaleRead } from '../core/stories/item-keys.ts';
import { storyDay } from '../core/stories/story-days.ts';
import type { EngineItem, ItemChanges, ReadItem, StoryItem } from '../core/stories/story-items.ts';
import type { Day } from '../core/types.ts';
import { type ItemKey, type ItemStore, itemKeyId, type NewItem, type StoredItem } from '../ports.ts';
import { FrequencyDeltaReader } from './frequency-deltas.ts';
import type { ItemChangeSet } from './item-batch.ts';

export const dayStoryKey = (day: Day, storyId: string): ItemKey => ({
  partition: `daystory#${day}`,
  sort: storyId,
});
export const dayRevisionKey = (day: Day): ItemKey => ({ partition: `dayrev#${day}`, sort: '' });
export const isDayListing = (key: ItemKey): boolean => key.partition.startsWith('daystory#');
export const isArticle = (key: ItemKey): boolean => key.partition.startsWith('article#');
export const isStory = (key: ItemKey): boolean => key.partition.startsWith('story#');

function isIndex(key: ItemKey): boolean {
  return /^(band|hash|term)#/.test(key.partition);
}

/** Item expiry is in seconds, retention in days. */
export const SECONDS_PER_DAY = 86_400;

/** Partitions listed at once by one batch's read round. */
const LISTINGS_IN_FLIGHT = 16;

/**
 * Each partition's items, by partition: in one call when the store can list many at once, else
 * LISTINGS_IN_FLIGHT listings at a time.
 */
export async function listPartitions(
  store: ItemStore,
  partitions: readonly string[],
  consistent = true,
): Promise<Map<string, StoredItem[]>> {
  if (store.listPartitions) return store.listPartitions(partitions, { consistent });
  const listed = new Map<string, StoredItem[]>();
  for (let start = 0; start < partitions.length; start += LISTINGS_IN_FLIGHT) {
    const chunk = partitions.slice(start, start + LISTINGS_IN_FLIGHT);
    const pages = await Promise.all(chunk.map((partition) => store.listPartition(partition, { consistent })));
    chunk.forEach((partition, i) => {
      listed.set(partition, pages[i] ?? []);
    });
  }
  return listed;
}

/**
 * Reads engine items by key, with the versions their conditional writes name (0 for counters); a key
 * that names a whole partition (a term's postings) is read by listing it. Versioned items are read
 * strongly consistent, the statistics and index entries that tolerate it eventually (item-keys.ts).
 * A document frequency includes the batches' deltas not folded yet (frequency-deltas.ts), as `deltas`
 * lists them: one reader for all the read rounds of a commit attempt lists them once. `onDeltas` gets how
 * many are listed. `onListed` counts listings.
 */
export async function readEngineItems(
  store: ItemStore,
  keys: readonly ItemKey[],
  onListed: (partitions: number) => void = () => {},
  onDeltas: (listed: number) => void = () => {},
  deltas: FrequencyDeltaReader = new FrequencyDeltaReader(store),
): Promise<Map<string, ReadItem>> {
  const listed = keys.filter(isListedKey);
  // An item of a partition listed here (a term's document frequency) comes with the listing.
  const listedPartitions = new Set(listed.map((k) => k.partition));
  const single = keys.filter((k) => !isListedKey(k) && !listedPartitions.has(k.partition));
  const foldCount = deltas.keysWithCounters(keys);
  const found = await store.getMany([...single.filter((k) => !toleratesStaleRead(k)), ...foldCount]);
  if (foldCount.length > 0) deltas.takeFoldCount(found);
  const stale = single.filter(toleratesStaleRead);
  if (stale.length > 0)
    for (const [id, item] of await store.getMany(stale, { consistent: false })) found.set(id, item);
  for (const consistent of [true, false]) {
    const partitions = listed.filter((k) => toleratesStaleRead(k) !== consistent).map((k) => k.partition);
    if (partitions.length === 0) continue;
    const pages = await listPartitions(store, partitions, consistent);
    for (const page of pages.values()) for (const item of page) found.set(itemKeyId(item.key), item);
  }
  onListed(listed.length);
  const items = new Map<string, ReadItem>();
  for (const [id, item] of found)
    items.set(id, {
      key: item.key,
      value: item.value as ReadItem['value'],
      version: item.version,
      expiresAt: item.expiresAt,
    });
  // After the counters: a fold between the two reads can hide a delta from both, never show it in both
  // (a listing made before them is checked against the folds since: FrequencyDeltaReader).
  onDeltas(await deltas.addTo(keys, items));
  return items;
}

export interface StoreChanges {
  /** The engine's items, ready to write (day listings apart). */
  readonly changes: ItemChangeSet;
  /** New day listings: created once, never a conflict. */
  readonly listings: ItemChangeSet['puts'];
  /** Days whose digest the changes touch (a story's old and new day). */
  readonly days: Set<Day>;
}

/**
 * A whole engine's items as a bulk load into an empty store writes them, as storeChanges would from
 * nothing read: counters without their zero counts (none left: not stored), index items with their
 * expiry, and every story listed under its day (the listings last). `days` gets the stories' days.
 */
export function* newStoreItems(
  items: Iterable<EngineItem>,
  expiresAt: number,
  days: Set<Day>,
): Generator<NewItem> {
  const listings: NewItem[] = [];
  for (const item of items) {
    const expiry = isIndex(item.key) ? expiresAt : null;
    if (isCounterKey(item.key)) {
      const counters: Record<string, number> = {};
      let any = false;
      for (const [name, count] of Object.entries(item.value) as [string, number][]) {
        if (count === 0) continue;
        counters[name] = count;
        any = true;
      }
      if (any) yield { key: item.key, value: counters, counter: true, expiresAt: expiry };
      continue;
    }
    if (isStory(item.key)) {
      const { story } = item.value as StoryItem;
      const day = storyDay(story);
      days.add(day);
      listings.push({ key: dayStoryKey(day, story.id), value: 1, counter: false, expiresAt: null });
    }
    yield { key: item.key, value: item.value, counter: false, expiresAt: expiry };
  }
  yield* listings;
}

/**
 * The second before which a touched story's index entries are written again (half the active window
 * from now): an entry is written once, when its story enters the term's list, so without this a story
 * still taking articles would leave the term index `activeDays` after it was first indexed.
 */
export function entryRefreshBefore(nowSeconds: number, activeDays: number): number {
  return nowSeconds + (activeDays * SECONDS_PER_DAY) / 2;
}

/** A term's posting entry of a story (not the term's document frequency, kept in the same partition). */
function isPostingEntry(key: ItemKey): boolean {
  return key.partition.startsWith('term#') && key.sort !== '' && key.sort !== DF_SORT;
}

/**
 * Posting entries, as read, of the stories the changes write, that expire before `refreshBefore` and
 * that the changes neither rewrite nor delete: written again unchanged, with the new expiry. Once per
 * half window at most, so a story that keeps taking articles keeps the entries its articles read.
 */
function refreshedEntries(
  read: ReadonlyMap<string, ReadItem>,
  engineChanges: ItemChanges,
  expiresAt: number,
  refreshBefore: number,
): ItemChangeSet['puts'][number][] {
  const stories = new Set(
    engineChanges.puts
      .filter((put) => isStory(put.key))
      .map((put) => put.key.partition.slice('story#'.length)),
  );
  if (stories.size === 0) return [];
  const written = new Set([...engineChanges.puts, ...engineChanges.deletes].map((c) => itemKeyId(c.key)));
  const refreshed: ItemChangeSet['puts'][number][] = [];
  for (const [id, item] of read) {
    if (!isPostingEntry(item.key) || !stories.has(item.key.sort) || written.has(id)) continue;
    if (item.expiresAt === undefined || item.expiresAt === null || item.expiresAt >= refreshBefore) continue;
    refreshed.push({ key: item.key, value: item.value, expectedVersion: 'any', expiresAt });
  }
  return refreshed;
}

/**
 * The store writes for the engine's item changes (see the module comment). With `refreshBefore`
 * (entryRefreshBefore), the changed stories' posting entries that would expire sooner are written again.
 */
export function storeChanges(
  read: ReadonlyMap<string, ReadItem>,
  engineChanges: ItemChanges,
  expiresAt: number,
  refreshBefore: number | null = null,
): StoreChanges {
  const expiry = (key: ItemKey) => (isIndex(key) ? { expiresAt } : {});
  const listings: ItemChangeSet['puts'][number][] = [];
  const days = new Set<Day>();
  const dayBefore = (key: ItemKey): Day | null => {
    const story = read.get(itemKeyId(key))?.value as StoryItem | undefined;
    return story ? storyDay(story.story) : null;
  };
  for (const put of engineChanges.puts) {
    if (!isStory(put.key)) continue;
    const story = (put.value as StoryItem).story;
    const day = storyDay(story);
    const old = dayBefore(put.key);
    days.add(day);
    if (old !== null) days.add(old);
    // A story that moved day stays listed under the old one too; a digest keeps only its day's stories.
    if (old !== day) listings.push({ key: dayStoryKey(day, story.id), value: 1, expectedVersion: null });
  }
  for (const del of engineChanges.deletes) {
    const old = isStory(del.key) ? dayBefore(del.key) : null;
    if (old !== null) days.add(old);
  }
  return {
    changes: {
      puts: [
        ...engineChanges.puts.map((put) => ({ ...put, ...expiry(put.key) })),
        ...(refreshBefore === null ? [] : refreshedEntries(read, engineChanges, expiresAt, refreshBefore)),
      ],
      deletes: engineChanges.deletes,
      counts: engineChanges.counts.map((count) => ({ ...count, ...expiry(count.key) })),
    },
    listings,
    days,
  };
}
