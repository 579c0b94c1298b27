/**
 * The engine's state as items, for a store that reads and writes single items (issue 15): one item
 * per article, content hash, LSH band, story (with its centroid, name counts and followers), term
 * document frequency and (term, story) posting entry (the last two in the term's partition), plus one
 * corpus item. A batch builds a working
 * set from the items it reads, applies its files, and writes back only the items whose value changed,
 * each conditioned on the version it was read at (posting entries unconditionally, item-keys.ts).
 */
import { serialisesAlike } from '../json-alike.ts';
import type { CentroidEntry } from './cluster.ts';
import type { ItemCoverage } from './item-coverage.ts';
import {
  articleKey,
  bandEntryKey,
  CORPUS_KEY,
  compareItemKeys,
  DF_SORT,
  dfKey,
  type EngineItemKey,
  engineItemId,
  followerKey,
  hashKey,
  isCounterKey,
  isUnversionedKey,
  postingKey,
  storyKey,
  termKey,
} from './item-keys.ts';
import type { ArticleState, StoryState } from './state.ts';
import { WorkingSet } from './working-set.ts';

export {
  articleKey,
  bandEntryKey,
  bandKey,
  CORPUS_KEY,
  dfKey,
  type EngineItemKey,
  engineItemId,
  hashKey,
  isCounterKey,
  isListedKey,
  isUnversionedKey,
  postingKey,
  storyKey,
  termKey,
} from './item-keys.ts';

export interface ArticleItem {
  readonly article: ArticleState;
  /** Ids of the duplicates recorded against this article, in the order they came. */
  readonly copies: readonly string[];
  /** First-seen position among all articles: records list articles in this order. */
  readonly seq: number;
}
export interface HashItem {
  readonly articleId: string;
}
/** An original's entry in an LSH band's bucket (the article id is the sort key). */
export interface BandItem {
  /** When the entry was made (the corpus bucket clock): a bucket keeps its earliest entries. */
  readonly at: number;
}
export interface StoryItem {
  readonly story: StoryState;
  readonly centroid: CentroidEntry | null;
  /** How many members give each name (story-names.ts). */
  readonly names: readonly (readonly [string, number])[];
  /**
   * Ids of the stories that link to this one as their follow-up parent, as an earlier layout kept them;
   * they are follower entries now (followerKey), and a story written again drops the list.
   */
  readonly followers?: readonly string[];
  /** Arrival day of its latest article (retention); absent when not known. */
  readonly lastArticleDay?: string;
}
/** A story's entry in a term's posting partition (the story id is the sort key). */
export interface PostingItem {
  /** When the entry was made (the corpus posting clock): a list keeps its latest entries. */
  readonly at: number;
}
/** A follower's entry under its parent story (the follower's id is the sort key). */
export type FollowerItem = Readonly<Record<string, never>>;
/** A term's document frequency (a counter item). */
export interface DfItem {
  readonly df: number;
}
export interface CorpusItem {
  /** Original articles counted in the term statistics. */
  readonly docs: number;
  /** Articles ever seen: the next article's `seq`. */
  readonly articles: number;
  /** The last posting entry stamp given (absent before the first). */
  readonly postings?: number;
  /** The last LSH bucket entry stamp given (absent before the first). */
  readonly bands?: number;
}

export type EngineItemValue =
  | ArticleItem
  | HashItem
  | BandItem
  | StoryItem
  | PostingItem
  | FollowerItem
  | DfItem
  | CorpusItem;

export interface EngineItem {
  readonly key: EngineItemKey;
  readonly value: EngineItemValue;
}

/** Every item of a working set (derived story data must be fresh: take the changed days first). */
export function workingSetItems(ws: WorkingSet): Map<string, EngineItem> {
  const items = new Map<string, EngineItem>();
  const add = (k: EngineItemKey, value: EngineItemValue): void => {
    items.set(engineItemId(k), { key: k, value });
  };
  numberArticles(ws);
  for (const a of ws.articles.values()) add(articleKey(a.id), articleItemOf(ws, a));
  for (const [hash, articleId] of ws.duplicates.hashEntries()) add(hashKey(hash), { articleId });
  for (const [lsh, entries] of ws.duplicates.bandEntries())
    for (const [articleId, at] of entries) add(bandEntryKey(lsh, articleId), { at });
  for (const st of ws.stories.values()) {
    add(storyKey(st.id), storyItemOf(ws, st));
    for (const id of ws.followers.get(st.id) ?? []) add(followerKey(st.id, id), {});
  }
  for (const term of ws.cluster.heldTerms()) {
    const { df, postings } = ws.cluster.termEntry(term);
    if (df > 0) add(dfKey(term), { df });
    for (const [storyId, at] of postings) add(postingKey(term, storyId), { at });
  }
  add(CORPUS_KEY, corpusItemOf(ws));
  return items;
}

/**
 * The same items as workingSetItems, in key order (partition, then sort key), built as they are taken:
 * a whole engine going into an empty store never holds a copy of every item at once. The kinds' prefixes
 * sort as article, band, corpus, hash, story, term, so each kind is sorted on its own.
 */
export function* workingSetItemsInKeyOrder(ws: WorkingSet): Generator<EngineItem> {
  numberArticles(ws);
  const inOrder = <T>(entries: T[], keyOf: (entry: T) => EngineItemKey): T[] =>
    entries
      .map((entry) => ({ entry, key: keyOf(entry) }))
      .sort((a, b) => compareItemKeys(a.key, b.key))
      .map(({ entry }) => entry);
  for (const a of inOrder([...ws.articles.values()], (a) => articleKey(a.id)))
    yield { key: articleKey(a.id), value: articleItemOf(ws, a) };
  // Bucket by bucket (one partition each), so that a sort key is built per bucket, not per entry.
  const buckets = ws.duplicates.bandEntries().map(([lsh, entries]) => ({
    partition: bandEntryKey(lsh, '').partition,
    lsh,
    entries,
  }));
  buckets.sort((a, b) => byText(a.partition, b.partition));
  for (const bucket of buckets) {
    bucket.entries.sort(([a], [b]) => byText(a, b));
    for (const [articleId, at] of bucket.entries)
      yield { key: bandEntryKey(bucket.lsh, articleId), value: { at } };
  }
  buckets.length = 0;
  yield { key: CORPUS_KEY, value: corpusItemOf(ws) };
  const followerEntries: [string, string][] = [];
  for (const st of ws.stories.values())
    for (const id of ws.followers.get(st.id) ?? []) followerEntries.push([st.id, id]);
  for (const [parent, id] of inOrder(followerEntries, ([p, f]) => followerKey(p, f)))
    yield { key: followerKey(parent, id), value: {} };
  for (const [hash, articleId] of inOrder([...ws.duplicates.hashEntries()], ([h]) => hashKey(h)))
    yield { key: hashKey(hash), value: { articleId } };
  for (const st of inOrder([...ws.stories.values()], (st) => storyKey(st.id)))
    yield { key: storyKey(st.id), value: storyItemOf(ws, st) };
  for (const term of inOrder([...ws.cluster.heldTerms()], (t) => termKey(t))) {
    const { df, postings } = ws.cluster.termEntry(term);
    // DF_SORT sorts before every story id, so the frequency leads its partition.
    if (df > 0) yield { key: dfKey(term), value: { df } };
    for (const [storyId, at] of inOrder([...postings], ([id]) => postingKey(term, id)))
      yield { key: postingKey(term, storyId), value: { at } };
  }
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Gives every article without one its sequence number, in the working set's order. */
function numberArticles(ws: WorkingSet): void {
  let next = ws.articlesSeen;
  for (const a of ws.articles.values()) if (!ws.seq.has(a.id)) ws.seq.set(a.id, next++);
  ws.articlesSeen = next;
}

function articleItemOf(ws: WorkingSet, a: ArticleState): ArticleItem {
  return {
    article: { ...a, date: a.date ? { ...a.date } : null, lsh: [...a.lsh] },
    copies: ws.duplicates.dependentsOf(a.id),
    seq: ws.seq.get(a.id) as number,
  };
}

function storyItemOf(ws: WorkingSet, st: StoryState): StoryItem {
  return {
    story: structuredClone(st),
    centroid: ws.cluster.centroidEntry(st.id),
    names: ws.names.entriesOf(st),
    ...(ws.lastArticleDays.has(st.id) ? { lastArticleDay: ws.lastArticleDays.get(st.id)! } : {}),
  };
}

function corpusItemOf(ws: WorkingSet): CorpusItem {
  const clock = ws.cluster.postingClock;
  const bands = ws.duplicates.clock;
  return {
    docs: ws.cluster.documentCount,
    articles: ws.articlesSeen,
    ...(clock > 0 ? { postings: clock } : {}),
    ...(bands > 0 ? { bands } : {}),
  };
}

/** A working set holding exactly the given items. */
export function workingSetFromItems(
  items: Iterable<EngineItem>,
  summarySentences: number,
  coverage: ItemCoverage | null = null,
): WorkingSet {
  const ws = new WorkingSet(summarySentences, coverage);
  const articles: ArticleItem[] = [];
  const postings = new Map<string, [string, number][]>();
  const buckets = new Map<number, [string, number][]>();
  const legacyDf = new Map<string, number>();
  const restoredDf = new Set<string>();
  for (const { key: k, value } of items) {
    const [kind, ...rest] = k.partition.split('#');
    const id = rest.join('#');
    switch (kind) {
      case 'article':
        articles.push(value as ArticleItem);
        break;
      case 'hash':
        ws.duplicates.restoreHash(id, (value as HashItem).articleId);
        break;
      case 'band': {
        // An item without an article (an earlier layout's whole bucket) is left out, so it gets deleted.
        if (k.sort === '') break;
        const entries = buckets.get(Number(id));
        const entry: [string, number] = [k.sort, (value as BandItem).at];
        if (entries) entries.push(entry);
        else buckets.set(Number(id), [entry]);
        break;
      }
      case 'story': {
        const item = value as StoryItem;
        ws.stories.set(item.story.id, structuredClone(item.story));
        if (item.centroid) ws.cluster.restoreCentroid(item.story.id, item.centroid);
        ws.names.restore(item.story.id, item.names);
        for (const id of item.followers ?? []) ws.addFollower(item.story.id, id);
        if (item.lastArticleDay !== undefined) ws.lastArticleDays.set(item.story.id, item.lastArticleDay);
        break;
      }
      case 'term': {
        if (k.sort === DF_SORT) {
          ws.cluster.restoreDf(id, (value as DfItem).df ?? 0);
          restoredDf.add(id);
          break;
        }
        // An item without a story (an earlier layout's whole list) is left out, so it gets deleted.
        if (k.sort === '') break;
        const entries = postings.get(id);
        const entry: [string, number] = [k.sort, (value as PostingItem).at];
        if (entries) entries.push(entry);
        else postings.set(id, [entry]);
        break;
      }
      case 'followers':
        if (k.sort !== '') ws.addFollower(id, k.sort);
        break;
      case 'df':
        // An earlier layout's frequency (a whole-store load): it counts only where the term's own is absent.
        legacyDf.set(id, (value as DfItem).df ?? 0);
        break;
      case 'corpus':
        ws.cluster.documentCount = (value as CorpusItem).docs;
        ws.articlesSeen = (value as CorpusItem).articles;
        ws.cluster.postingClock = (value as CorpusItem).postings ?? 0;
        ws.duplicates.clock = Math.max(ws.duplicates.clock, (value as CorpusItem).bands ?? 0);
        break;
      default:
        throw new RangeError(`Unknown engine item kind in "${k.partition}"`);
    }
  }
  for (const [term, df] of legacyDf) if (!restoredDf.has(term)) ws.cluster.restoreDf(term, df);
  for (const [term, entries] of postings) ws.cluster.restorePostings(term, entries);
  for (const [lsh, entries] of buckets) ws.duplicates.restoreBand(lsh, entries);
  for (const item of articles.sort((x, y) => x.seq - y.seq)) {
    const copy: ArticleState = { ...item.article, lsh: [...item.article.lsh] };
    ws.register(copy);
    ws.seq.set(copy.id, item.seq);
    ws.duplicates.restoreDependents(copy.id, item.copies);
  }
  return ws;
}

/** An item as read: its value and the version its conditional write must name. */
export interface ReadItem extends EngineItem {
  readonly version: number;
  /** When the store keeps it, the second the item expires (retention); null: kept for good. */
  readonly expiresAt?: number | null;
}

export interface ItemChanges {
  /** Increments of counter items (isCounterKey), by field; only non-zero ones. */
  readonly counts: { key: EngineItemKey; deltas: Record<string, number> }[];
  /**
   * New or changed items; `expectedVersion` null for an item that did not exist when read, 'any' for
   * an unversioned one (isUnversionedKey).
   */
  readonly puts: { key: EngineItemKey; value: EngineItemValue; expectedVersion: number | null | 'any' }[];
  /** Items read that the working set no longer holds. */
  readonly deletes: { key: EngineItemKey; expectedVersion: number | 'any' }[];
}

/**
 * What to write after a batch: every item of `after` whose value differs from the one read (or that
 * was not read), and a delete for every item read that `after` lacks.
 */
export function itemChanges(
  read: ReadonlyMap<string, ReadItem>,
  after: ReadonlyMap<string, EngineItem>,
): ItemChanges {
  const counts: ItemChanges['counts'] = [];
  const puts: ItemChanges['puts'] = [];
  const deletes: ItemChanges['deletes'] = [];
  const count = (key: EngineItemKey, was: Record<string, number>, now: Record<string, number>): void => {
    const deltas: Record<string, number> = {};
    for (const field of new Set([...Object.keys(was), ...Object.keys(now)])) {
      const d = (now[field] ?? 0) - (was[field] ?? 0);
      if (d !== 0) deltas[field] = d;
    }
    if (Object.keys(deltas).length > 0) counts.push({ key, deltas });
  };
  // Counters read first, then the new ones, each once (a union of the two maps' ids in that order).
  for (const [id, item] of read) {
    const now = after.get(id);
    if (!isCounterKey((now ?? item).key)) continue;
    count(
      (now ?? item).key,
      item.value as unknown as Record<string, number>,
      (now?.value ?? {}) as Record<string, number>,
    );
  }
  for (const [id, item] of after)
    if (!read.has(id) && isCounterKey(item.key))
      count(item.key, {}, item.value as unknown as Record<string, number>);
  for (const [id, item] of after) {
    if (isCounterKey(item.key)) continue;
    const before = read.get(id);
    if (before !== undefined && serialisesAlike(before.value, item.value)) continue;
    const expectedVersion = isUnversionedKey(item.key) ? 'any' : (before?.version ?? null);
    puts.push({ key: item.key, value: item.value, expectedVersion });
  }
  for (const [id, item] of read)
    if (!after.has(id) && !isCounterKey(item.key))
      deletes.push({ key: item.key, expectedVersion: isUnversionedKey(item.key) ? 'any' : item.version });
  return { counts, puts, deletes };
}
