/**
 * The local run's ingest (`npm run digest`) on item-level state in an embedded store:
 * - into an empty or small store, or with a batch at least as big as the history, the whole state is held
 *   in memory (the fastest way through many files, with the publication-order replay of a small
 *   collection, as a one-shot run has always done) and what changed is written back in one transaction;
 * - a smaller batch into a bigger store goes through the item path (ingest-items.ts) in chunks, each
 *   reading only its working set, so adding a few files costs the same whatever the history holds.
 * Either way `articles.jsonl` gets only its changed lines and only the changed days' digests are written.
 */

import { articleRecord } from '../core/stories/digest-projection.ts';
import { compareItemKeys } from '../core/stories/item-keys.ts';
import { StoryEngine } from '../core/stories/story-engine.ts';
import {
  type ArticleItem,
  articleKey,
  CORPUS_KEY,
  type CorpusItem,
  type EngineItem,
  itemChanges,
  type ReadItem,
  type StoryItem,
  storyKey,
} from '../core/stories/story-items.ts';
import type { Day } from '../core/types.ts';
import {
  type DigestStore,
  type ItemKey,
  type ItemStore,
  itemKeyId,
  type RecordLine,
  type RecordLines,
  type StoredItem,
  type WholeItemStore,
} from '../ports.ts';
import { nextDayRevision, writeDayListings } from './day-digests.ts';
import {
  entryRefreshBefore,
  isArticle,
  isDayListing,
  isStory,
  newStoreItems,
  SECONDS_PER_DAY,
  storeChanges,
} from './engine-items.ts';
import { FOLDS_KEY, foldFrequencyDeltas } from './frequency-deltas.ts';
import {
  applyInMemory,
  type FileOutcome,
  type IngestDependencies,
  type IngestRequest,
} from './ingest-batch.ts';
import { ingestBatchOnItems } from './ingest-items.ts';
import { FREQUENCIES_MOVED_KEY, moveLegacyFrequencies } from './legacy-frequencies.ts';

/** Stores of at most this many articles are always run in memory (their collection may be replayed). */
export const SMALL_STORE_ARTICLES = 100;
/** Files per item-path batch: the working set of one batch is what a run holds in memory. */
export const ITEM_BATCH_FILES = 50;

export interface LocalIngestDependencies extends IngestDependencies {
  readonly items: WholeItemStore;
  readonly records: RecordLines;
  /** newsDigest.activeDays: a story takes no article this many days after its last one. */
  readonly activeDays: number;
  /** Seconds since the epoch (index items' expiry); the system clock when absent. */
  readonly now?: () => number;
}

export interface LocalIngestReport {
  readonly files: readonly FileOutcome[];
  readonly changedDays: readonly Day[];
  /** Which way the batch went (see the module comment). */
  readonly path: 'in-memory' | 'items';
}

const nowOf = (deps: LocalIngestDependencies) => deps.now ?? (() => Math.floor(Date.now() / 1000));

/** Articles ever seen by the store (the corpus counter), 0 for an empty store. */
export async function storedArticles(items: ItemStore): Promise<number> {
  const corpus = (await items.getMany([CORPUS_KEY])).get(itemKeyId(CORPUS_KEY));
  return (corpus?.value as CorpusItem | undefined)?.articles ?? 0;
}

/** Ingests a local batch, in memory or on items (see the module comment). */
export async function ingestLocally(
  requests: readonly IngestRequest[],
  deps: LocalIngestDependencies,
): Promise<LocalIngestReport> {
  await moveLegacyFrequencies(deps.items);
  const stored = await storedArticles(deps.items);
  if (stored <= SMALL_STORE_ARTICLES || requests.length >= stored) return ingestInMemory(requests, deps);
  const files: FileOutcome[] = [];
  const days = new Set<Day>();
  for (let start = 0; start < requests.length; start += ITEM_BATCH_FILES) {
    const chunk = requests.slice(start, start + ITEM_BATCH_FILES);
    const report = await ingestBatchOnItems(chunk, {
      source: deps.source,
      items: deps.items,
      store: deps.store,
      activeDays: deps.activeDays,
      now: nowOf(deps),
      ...(deps.prepare ? { prepare: deps.prepare } : {}),
      ...(deps.onRejected ? { onRejected: deps.onRejected } : {}),
    });
    for (const { read, after } of report.workingSets)
      await deps.records.update(await changedRecordLines(deps.items, read, after));
    files.push(...report.files);
    for (const day of report.changedDays) days.add(day);
    deps.onProgress?.(files.length, requests.length);
  }
  return { files, changedDays: [...days].sort(), path: 'items' };
}

/**
 * Folds every document-frequency delta the item path left (frequency-deltas.ts) into the terms' counters,
 * in one transaction, before a whole-store read: the engine's own items then hold the frequencies.
 */
async function foldAllDeltas(deps: LocalIngestDependencies): Promise<void> {
  const expiresAt = nowOf(deps)() + deps.activeDays * SECONDS_PER_DAY;
  await deps.items.inTransaction(() => foldFrequencyDeltas(deps.items, 1, expiresAt));
}

/** The engine's items among a whole store's (day listings, revision counters, the layout mark and the fold count left out). */
function engineItemsOf(all: readonly StoredItem[]): Map<string, ReadItem> {
  const items = new Map<string, ReadItem>();
  for (const item of all) {
    if (isDayListing(item.key) || item.key.partition.startsWith('dayrev#')) continue;
    if (item.key.partition === FREQUENCIES_MOVED_KEY.partition || item.key.partition === FOLDS_KEY.partition)
      continue;
    items.set(itemKeyId(item.key), {
      key: item.key,
      value: item.value as ReadItem['value'],
      version: item.version,
      expiresAt: item.expiresAt,
    });
  }
  return items;
}

async function ingestInMemory(
  requests: readonly IngestRequest[],
  deps: LocalIngestDependencies,
): Promise<LocalIngestReport> {
  await foldAllDeltas(deps);
  const read = engineItemsOf(await deps.items.allItems());
  const options = { activeDays: deps.activeDays };
  const engine = read.size === 0 ? StoryEngine.empty(options) : StoryEngine.fromItems(read.values(), options);
  const applied = await applyInMemory(requests, engine, deps);
  if (!applied.anythingNew) return { files: applied.files, changedDays: [], path: 'in-memory' };
  const { newsroom } = applied;
  const now = nowOf(deps)();
  const expiresAt = now + deps.activeDays * SECONDS_PER_DAY;
  const days =
    read.size === 0
      ? await writeWholeEngine(deps.items, newsroom, expiresAt)
      : await writeInOneTransaction(deps.items, read, newsroom.items(), {
          expiresAt,
          refreshBefore: entryRefreshBefore(now, deps.activeDays),
        });
  for (const day of applied.changedDays) days.add(day);
  await deps.records.replaceAll(newsroom.records());
  await writeEngineDigests(deps.items, deps.store, newsroom, days);
  return { files: applied.files, changedDays: [...days].sort(), path: 'in-memory' };
}

/**
 * Writes an in-memory run's changes as one transaction, one item after another in key order: nothing
 * else writes meanwhile, so no write order is needed, and sorted keys fill the B-tree's pages in turn
 * rather than touching them again and again. Returns the days the changes touch.
 */
async function writeInOneTransaction(
  items: WholeItemStore,
  read: ReadonlyMap<string, ReadItem>,
  after: ReadonlyMap<string, EngineItem>,
  retention: Retention,
): Promise<Set<Day>> {
  return items.inTransaction(() => writeChunk(items, read, after, retention));
}

/** The expiry the changed index items get, and before which a touched story's entries are renewed. */
interface Retention {
  readonly expiresAt: number;
  readonly refreshBefore: number;
}

/**
 * Writes a whole engine into an empty store as one bulk load, each item built, serialised and inserted
 * as it is taken (in key order): no item is held beyond its own insert, and there is nothing to compare
 * or condition. Returns the days its stories are on.
 */
async function writeWholeEngine(
  items: WholeItemStore,
  engine: StoryEngine,
  expiresAt: number,
): Promise<Set<Day>> {
  const days = new Set<Day>();
  await items.insertAll(newStoreItems(engine.itemsInKeyOrder(), expiresAt, days));
  return days;
}

/** Writes the changes from `read` to `after`, puts in key order; returns the days they touch. */
async function writeChunk(
  items: WholeItemStore,
  read: ReadonlyMap<string, ReadItem>,
  after: ReadonlyMap<string, EngineItem>,
  { expiresAt, refreshBefore }: Retention,
): Promise<Set<Day>> {
  const { changes, listings, days } = storeChanges(read, itemChanges(read, after), expiresAt, refreshBefore);
  await writeDayListings(items, listings);
  for (const put of [...changes.puts].sort((a, b) => compareItemKeys(a.key, b.key))) await items.put(put);
  for (const del of changes.deletes) await items.delete(del.key, del.expectedVersion);
  for (const count of changes.counts ?? []) await items.addCounts(count.key, count.deltas, count.expiresAt);
  return days;
}

/**
 * Writes the digests of `days` from an engine holding every story, each with its day's next revision
 * (the counter the item path's digest rebuilds use, so the newest write always wins).
 */
async function writeEngineDigests(
  items: ItemStore,
  store: DigestStore,
  engine: StoryEngine,
  days: Iterable<Day>,
): Promise<void> {
  for (const day of [...new Set(days)].sort())
    await store.putDigest(engine.digest(day), await nextDayRevision(items, day));
}

/**
 * Moves a whole state (the engine of an old `state/newsroom.json`) into the item store, once: written in
 * one transaction when the store is empty, then the records and every digest derived from the store.
 * Running it again (after a run that stopped half way) only derives the outputs again. Returns the days.
 */
export async function migrateWholeState(envelope: unknown, deps: LocalIngestDependencies): Promise<Day[]> {
  if ((await storedArticles(deps.items)) === 0) {
    const state =
      typeof envelope === 'object' && envelope !== null && 'engine' in envelope ? envelope.engine : envelope;
    const engine = StoryEngine.fromState(state, { activeDays: deps.activeDays });
    const expiresAt = nowOf(deps)() + deps.activeDays * SECONDS_PER_DAY;
    await writeWholeEngine(deps.items, engine, expiresAt);
  }
  return rebuildOutputs(deps);
}

/**
 * Writes `articles.jsonl` and every day's digest again from the whole store: after a run that stopped
 * between its item writes and its outputs. Returns the days written.
 */
export async function rebuildOutputs(deps: LocalIngestDependencies): Promise<Day[]> {
  await moveLegacyFrequencies(deps.items);
  await foldAllDeltas(deps);
  const all = await deps.items.allItems();
  const listedDays = new Set<Day>();
  for (const item of all)
    if (isDayListing(item.key)) listedDays.add(item.key.partition.slice('daystory#'.length));
  const engine = StoryEngine.fromItems(engineItemsOf(all).values());
  await deps.records.replaceAll(engine.records());
  const days = [...new Set([...engine.days(), ...listedDays])].sort();
  await writeEngineDigests(deps.items, deps.store, engine, days);
  return days;
}

/**
 * The lines of `articles.jsonl` an item-path batch changed: its new and changed articles, and the members
 * of its changed stories whose record reads the story (an undated member takes its story's day).
 */
export async function changedRecordLines(
  items: ItemStore,
  read: ReadonlyMap<string, ReadItem>,
  after: ReadonlyMap<string, EngineItem>,
): Promise<RecordLine[]> {
  // A record reads its article item and its story's state, never the story's centroid, names or followers.
  const changed = (id: string, item: EngineItem) => {
    const before = read.get(id)?.value;
    if (before === undefined) return true;
    return isStory(item.key)
      ? !sameJson((before as StoryItem).story, (item.value as StoryItem).story)
      : !sameJson(before, item.value);
  };
  const candidates = new Set<string>();
  const addMembers = (story: StoryItem | undefined) => {
    for (const id of [...(story?.story.members ?? []), ...(story?.story.duplicates ?? [])])
      candidates.add(id);
  };
  for (const [id, item] of after) {
    if (isArticle(item.key) && changed(id, item)) candidates.add((item.value as ArticleItem).article.id);
    if (isStory(item.key) && changed(id, item)) {
      addMembers(item.value as StoryItem);
      addMembers(read.get(id)?.value as StoryItem | undefined);
    }
  }
  for (const [id, item] of read) if (isStory(item.key) && !after.has(id)) addMembers(item.value as StoryItem);

  const fetched = new Map<string, StoredItem>();
  const fetchMissing = async (keys: ItemKey[]) => {
    const missing = keys.filter((k) => {
      const id = itemKeyId(k);
      return !after.has(id) && !read.has(id) && !fetched.has(id);
    });
    for (const [id, item] of await items.getMany(missing)) fetched.set(id, item);
  };
  // What the batch left as it was is as it was read, or as stored.
  const current = <T>(key: ItemKey): T | undefined => {
    const id = itemKeyId(key);
    return (after.get(id)?.value ?? read.get(id)?.value ?? fetched.get(id)?.value) as T | undefined;
  };
  const previous = <T>(key: ItemKey): T | undefined => {
    const id = itemKeyId(key);
    if (read.has(id)) return read.get(id)?.value as T;
    return after.has(id) ? undefined : (fetched.get(id)?.value as T | undefined);
  };
  await fetchMissing([...candidates].map(articleKey));
  const next: ItemKey[] = [];
  for (const id of candidates) {
    for (const item of [current<ArticleItem>(articleKey(id)), previous<ArticleItem>(articleKey(id))]) {
      if (item?.article.storyId) next.push(storyKey(item.article.storyId));
      if (item?.article.duplicateOf) next.push(articleKey(item.article.duplicateOf));
    }
  }
  await fetchMissing(next);

  const recordOf = (item: ArticleItem, story: (key: ItemKey) => StoryItem | undefined) => {
    const a = item.article;
    const original = a.duplicateOf ? current<ArticleItem>(articleKey(a.duplicateOf)) : undefined;
    return articleRecord(
      a,
      a.storyId ? story(storyKey(a.storyId))?.story : undefined,
      original?.article.source ?? null,
    );
  };
  const lines: RecordLine[] = [];
  for (const id of candidates) {
    const now = current<ArticleItem>(articleKey(id));
    if (now === undefined) continue;
    const before = previous<ArticleItem>(articleKey(id));
    const record = recordOf(now, (k) => current<StoryItem>(k));
    const old = before === undefined ? undefined : recordOf(before, (k) => previous<StoryItem>(k));
    if (old === undefined || JSON.stringify(old) !== JSON.stringify(record))
      lines.push({ seq: now.seq, record });
  }
  return lines.sort((a, b) => a.seq - b.seq);
}

/**
 * True when `a` and `b` stringify alike as far as this can tell without stringifying them: the same
 * primitives, arrays and object keys in the same order. A key holding undefined on one side only counts
 * as a difference, which costs a record comparison, never a missed line.
 */
function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  if (aKeys.length !== bKeys.length) return false;
  for (let i = 0; i < aKeys.length; i++) {
    const key = aKeys[i] as string;
    if (key !== bKeys[i]) return false;
    if (!sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  }
  return true;
}
