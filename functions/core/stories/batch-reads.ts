/**
 * Which items a batch reads, in rounds: first what its files name directly (their article items,
 * content hashes, LSH bands, terms and the stories they would found), then what those items reach
 * (duplicate candidates, the stories the terms' posting lists rank highest, and those stories'
 * centroid terms, pool, young members and follow-up links). Whatever the plan misses, the engine
 * asks for by throwing MissingItems, and the batch runs again with it (runBatchOnItems).
 */

import { PROFILE_REFRESH_EVERY } from './centroids.ts';
import { BUCKET_MAX_ARTICLES, MAX_VERIFIED_CANDIDATES } from './duplicate-index.ts';
import { stableId } from './hash.ts';
import { MissingItems } from './item-coverage.ts';
import {
  articleKey,
  bandKey,
  CORPUS_KEY,
  dfKey,
  type EngineItemKey,
  engineItemId,
  followersKey,
  hashKey,
  isEntryKey,
  storyKey,
  termKey,
} from './item-keys.ts';
import {
  MAX_EXACT_CANDIDATES,
  MAX_POSTINGS_PER_TERM,
  QUERY_TERMS,
  TOPIC_TERM_DISCOUNT,
} from './posting-index.ts';
import { REFINE_MAX_MEMBERS } from './story-assignment.ts';
import { StoryEngine, type StoryEngineOptions } from './story-engine.ts';
import type {
  ArticleItem,
  BandItem,
  CorpusItem,
  DfItem,
  EngineItem,
  HashItem,
  PostingItem,
  ReadItem,
  StoryItem,
} from './story-items.ts';
import { IDF_POWER } from './term-vocabulary.ts';
import { articleTerms } from './terms.ts';

/** What the read plan needs to know of one file of the batch (from its prepared signals). */
export interface BatchFile {
  readonly source: string;
  readonly contentHash?: string | null;
  readonly lshKeys?: readonly number[];
  /** The article's term vector as parallel arrays (signals.ts PackedTermVector). */
  readonly terms?: { readonly terms: readonly string[]; readonly weights: ArrayLike<number> };
}

/** Stories read per file beyond the exact candidates, since earlier files of the batch move the ranking. */
const EXTRA_CANDIDATES = 4;

/** The first round: what the files name directly. */
export function firstReads(files: readonly BatchFile[]): EngineItemKey[] {
  const keys: EngineItemKey[] = [CORPUS_KEY];
  for (const f of files) {
    const articleId = stableId('a', f.source);
    keys.push(articleKey(articleId), storyKey(stableId('s', articleId)));
    if (f.contentHash) keys.push(hashKey(f.contentHash));
    for (const k of f.lshKeys ?? []) keys.push(bandKey(k));
    for (const t of f.terms?.terms ?? []) keys.push(termKey(t), dfKey(t));
  }
  return keys;
}

/** The next round: items reached from those read so far, not read yet. */
export function nextReads(
  files: readonly BatchFile[],
  read: ReadonlyMap<string, ReadItem>,
  asked: ReadonlySet<string>,
): EngineItemKey[] {
  const out = new Map<string, EngineItemKey>();
  const want = (key: EngineItemKey): void => {
    const id = engineItemId(key);
    if (!asked.has(id)) out.set(id, key);
  };
  const value = <T>(key: EngineItemKey): T | undefined => read.get(engineItemId(key))?.value as T | undefined;
  const docs = value<CorpusItem>(CORPUS_KEY)?.docs ?? 0;
  const postings = entriesByPartition(read, 'term#', (list) =>
    list.sort(byStamp).slice(-MAX_POSTINGS_PER_TERM),
  );
  const buckets = entriesByPartition(read, 'band#', (list) =>
    list.sort(byStamp).slice(0, BUCKET_MAX_ARTICLES),
  );
  for (const f of files) {
    const article = value<ArticleItem>(articleKey(stableId('a', f.source)));
    if (article) {
      if (article.article.storyId) want(storyKey(article.article.storyId));
      termsOf(article, want);
      if (article.article.duplicateOf) want(articleKey(article.article.duplicateOf));
      for (const id of article.copies) want(articleKey(id));
    }
    if (f.contentHash) {
      const owner = value<HashItem>(hashKey(f.contentHash));
      if (owner) want(articleKey(owner.articleId));
    }
    for (const id of duplicateCandidates(f, buckets)) want(articleKey(id));
    for (const id of likelyStories(f, value, postings, docs)) want(storyKey(id));
  }
  for (const item of read.values()) {
    if (item.key.partition.startsWith('article#')) {
      const a = (item.value as ArticleItem).article;
      if (a.storyId) want(storyKey(a.storyId));
    } else if (item.key.partition.startsWith('story#')) {
      const { story, centroid } = item.value as StoryItem;
      // The profile is what a join, a merge and a follow-up link read; a whole-centroid refresh needs every term.
      const wholeCentroid = centroid !== null && refreshesWholeCentroid(centroid.size, story.members.length);
      for (const t of (wholeCentroid ? centroid?.terms : centroid?.profile) ?? []) {
        want(termKey(t));
        want(dfKey(t));
      }
      for (const [id] of story.pool) want(articleKey(id));
      if (story.members.length <= REFINE_MAX_MEMBERS + 1) {
        for (const id of story.members) {
          want(articleKey(id));
          const member = value<ArticleItem>(articleKey(id));
          if (member) termsOf(member, want);
        }
        for (const id of story.duplicates) want(articleKey(id));
      }
      if (story.followUpTo) want(storyKey(story.followUpTo));
      for (const id of (item.value as StoryItem).followers ?? []) want(storyKey(id));
    } else if (item.key.partition.startsWith('followers#') && item.key.sort !== '') {
      want(storyKey(item.key.sort));
    }
  }
  return [...out.values()];
}

/**
 * What withdrawing or placing again an original in a story touches (a replaced file, a young story's
 * re-check): the terms its vector interns, its LSH bands and its content hash.
 */
function termsOf(item: ArticleItem, want: (key: EngineItemKey) => void): void {
  const a = item.article;
  if (a.rejected !== null || a.duplicateOf !== null || a.storyId === null) return;
  for (const t of articleTerms(a.title, a.text, a.description).vector.keys()) {
    want(termKey(t));
    want(dfKey(t));
  }
  for (const k of a.lsh) want(bandKey(k));
  if (a.contentHash) want(hashKey(a.contentHash));
}

/** True when a story taking one more member (or losing one) re-ranks its profile over its whole centroid. */
function refreshesWholeCentroid(size: number, members: number): boolean {
  const next = size + 1;
  return members <= REFINE_MAX_MEMBERS + 1 || (next & (next - 1)) === 0 || next % PROFILE_REFRESH_EVERY === 0;
}

/** The originals sharing most LSH bands with the file (duplicate-index.ts candidates), ties included. */
function duplicateCandidates(f: BatchFile, buckets: ReadonlyMap<string, readonly string[]>): string[] {
  const bands = new Map<string, number>();
  for (const k of f.lshKeys ?? [])
    for (const id of buckets.get(String(k)) ?? []) bands.set(id, (bands.get(id) ?? 0) + 1);
  const ranked = [...bands.entries()].sort((a, b) => b[1] - a[1]);
  const cut = ranked[MAX_VERIFIED_CANDIDATES - 1]?.[1] ?? 0;
  return ranked.filter(([, n]) => n >= cut).map(([id]) => id);
}

const byStamp = (a: readonly [string, number], b: readonly [string, number]): number =>
  a[1] - b[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/**
 * The entries of each listed partition of one kind (`term#` postings, `band#` buckets) read, by the
 * partition's name after the prefix, as ids kept by `bound` from [id, stamp] pairs.
 */
function entriesByPartition(
  read: ReadonlyMap<string, ReadItem>,
  prefix: string,
  bound: (list: [string, number][]) => [string, number][],
): Map<string, string[]> {
  const entries = new Map<string, [string, number][]>();
  for (const item of read.values()) {
    const { partition, sort } = item.key;
    if (!isEntryKey(item.key) || !partition.startsWith(prefix)) continue;
    const name = partition.slice(prefix.length);
    const list = entries.get(name) ?? [];
    list.push([sort, (item.value as PostingItem | BandItem).at]);
    entries.set(name, list);
  }
  const ids = new Map<string, string[]>();
  for (const [name, list] of entries)
    ids.set(
      name,
      bound(list).map(([id]) => id),
    );
  return ids;
}

/** The stories the file's rarest shared terms reach, by the rough score the posting index ranks with. */
function likelyStories(
  f: BatchFile,
  value: <T>(key: EngineItemKey) => T | undefined,
  postings: ReadonlyMap<string, readonly string[]>,
  docs: number,
): string[] {
  if (!f.terms) return [];
  const idf = (df: number): number => (Math.log((docs + 1) / (df + 1)) + 1) ** IDF_POWER;
  const weighted: { w: number; stories: readonly string[] }[] = [];
  f.terms.terms.forEach((t, i) => {
    const stories = postings.get(t);
    if (!stories || stories.length === 0) return;
    const df = value<DfItem>(dfKey(t))?.df ?? 0;
    const n = stories.length;
    const discount = n > 1 ? 1 / (1 + TOPIC_TERM_DISCOUNT * Math.log(n)) : 1;
    weighted.push({ w: (f.terms!.weights[i] ?? 0) * idf(df) * discount * idf(df), stories });
  });
  weighted.sort((a, b) => b.w - a.w);
  const rough = new Map<string, number>();
  for (const { w, stories } of weighted.slice(0, QUERY_TERMS))
    for (const id of stories) rough.set(id, (rough.get(id) ?? 0) + w);
  return [...rough.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, MAX_EXACT_CANDIDATES + EXTRA_CANDIDATES)
    .map(([id]) => id);
}

/** Reads items by key: the ItemStore port's getMany, or a test's store. */
export type ItemReader = (keys: readonly EngineItemKey[]) => Promise<ReadonlyMap<string, ReadItem>>;

export interface BatchOnItems<T> {
  readonly engine: StoryEngine;
  readonly result: T;
  /** Every item read, by engineItemId: what itemChanges compares with. */
  readonly read: Map<string, ReadItem>;
  /** Every item id asked for, found or not. */
  readonly asked: Set<string>;
  /** Times the batch was run before it found every item it needed. */
  readonly runs: number;
  /** The items after the batch, derived data fresh (StoryEngine.items). */
  readonly after: Map<string, EngineItem>;
  readonly changedDays: readonly string[];
}

/** A batch that still misses items after this many runs is refused rather than looping. */
const MAX_RUNS = 50;

/**
 * Reads the batch's working set, runs `apply` on an engine built from it, and repeats with whatever
 * the run found missing until a run completes; then takes its changed days and items. `alsoRead` joins
 * the first round (items the plan cannot derive from the files). Pure apart from `readItems`.
 */
export async function runBatchOnItems<T>(
  files: readonly BatchFile[],
  readItems: ItemReader,
  apply: (engine: StoryEngine) => T,
  options?: StoryEngineOptions,
  alsoRead: readonly EngineItemKey[] = [],
): Promise<BatchOnItems<T>> {
  const read = new Map<string, ReadItem>();
  const asked = new Set<string>();
  const fetch = async (keys: readonly EngineItemKey[]): Promise<void> => {
    // Once each: files of one batch share terms and bands, and a listed partition costs a call per ask.
    // A story's followers are read with it: what changes a story may change their links.
    const fresh = new Map<string, EngineItemKey>();
    for (const k of keys) {
      const withFollowers = k.partition.startsWith('story#')
        ? [k, followersKey(k.partition.slice('story#'.length))]
        : [k];
      for (const w of withFollowers) if (!asked.has(engineItemId(w))) fresh.set(engineItemId(w), w);
    }
    if (fresh.size === 0) return;
    for (const id of fresh.keys()) asked.add(id);
    for (const [id, item] of await readItems([...fresh.values()])) read.set(id, item);
  };
  // The plan: the files' own items, then the candidates their index entries reach (stories, duplicates).
  // What a run needs beyond them (a joined story's centroid terms, a follow-up candidate's day) it asks
  // for, and only that is read: planning a round further, into the candidates' neighbourhoods, read
  // several times what the runs used.
  await fetch([...firstReads(files), ...alsoRead]);
  await fetch(nextReads(files, read, asked));
  for (let runs = 1; ; runs++) {
    // Each run notes every item it lacks rather than stopping at the first, so a batch whose follow-up
    // links reach many unplanned stories needs a few runs, not one per story.
    const engine = StoryEngine.fromReadItems(read.values(), asked, options, true);
    let failure: unknown = null;
    let completed: Omit<BatchOnItems<T>, 'read' | 'asked' | 'runs'> | null = null;
    try {
      const result = apply(engine);
      const changedDays = engine.takeChangedDays();
      const after = engine.items();
      completed = { engine, result, after, changedDays };
    } catch (error) {
      failure = error;
    }
    const missing = engine.missingItems();
    if (missing.length === 0) {
      if (completed === null) throw failure;
      return { ...completed, read, asked, runs };
    }
    // A run that lacked items may also have failed for taking them as absent: it is run again either way.
    if (runs >= MAX_RUNS) throw new MissingItems(missing);
    await fetch(missing);
  }
}
