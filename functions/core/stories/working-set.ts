/**
 * The articles, stories and indexes the story engine holds, with the bookkeeping every part of the
 * engine shares: which days changed (their digests are re-written) and which stories are dirty
 * (their summary and follow-up link are re-derived when next read).
 */
import { NewsDigestError } from '../errors.ts';
import type { Day } from '../types.ts';
import { dayGap } from './assign.ts';
import { ClusterIndex } from './cluster.ts';
import { DuplicateIndex } from './duplicate-index.ts';
import { stableId } from './hash.ts';
import { CoveredMap, type ItemCoverage } from './item-coverage.ts';
import { articleKey, dfKey, storyKey, termKey } from './item-keys.ts';
import { MemberCache } from './member-cache.ts';
import {
  type ArticleState,
  type EngineState,
  STATE_VERSION,
  type StoryState,
  validateState,
} from './state.ts';
import { storyDay } from './story-days.ts';
import { StoryNames } from './story-names.ts';
import { StorySummaries } from './summary-pool.ts';

export class WorkingSet {
  /** By source, in first-seen order (the records' order). */
  readonly articles: Map<string, ArticleState>;
  readonly byId: Map<string, ArticleState>;
  readonly stories: Map<string, StoryState>;
  cluster: ClusterIndex;
  readonly duplicates: DuplicateIndex;
  readonly names = new StoryNames((id) => this.byId.get(id));
  readonly members = new MemberCache();
  readonly summaries: StorySummaries;
  /** Days whose digests changed since they were last taken. */
  readonly changed = new Set<Day>();
  /** Stories whose derived data (summary, headline, figures, follow-up) is stale; never stored. */
  readonly dirty = new Set<string>();
  /** Derived: story id -> ids of stories that follow it up. */
  readonly followers = new Map<string, Set<string>>();
  /** First-seen position of each article read from items (story-items.ts); new articles have none yet. */
  readonly seq = new Map<string, number>();
  /**
   * Retention: a story whose last article arrived more than this many days before an article takes
   * no more articles (a later report of its event founds a story that follows it up); null keeps all.
   */
  activeDays: number | null = null;
  /** Arrival day of each story's latest article, where known (item-level state keeps it). */
  readonly lastArticleDays = new Map<string, Day>();
  /** Articles ever seen by the store the working set was read from: the next new article's position. */
  articlesSeen = 0;
  /** True while a member split off a young story is placed again: no nested re-checks. */
  refining = false;

  /**
   * With `coverage`, the working set holds only the items a batch read (story-items.ts), and a lookup
   * of an item it did not read throws MissingItems instead of finding nothing.
   */
  constructor(
    summarySentences: number,
    readonly coverage: ItemCoverage | null = null,
  ) {
    this.summaries = new StorySummaries(summarySentences);
    if (coverage) {
      this.articles = new CoveredMap(coverage, (source) => articleKey(stableId('a', source)));
      this.byId = new CoveredMap(coverage, articleKey);
      this.stories = new CoveredMap(coverage, storyKey);
    } else {
      this.articles = new Map();
      this.byId = new Map();
      this.stories = new Map();
    }
    // A term's statistics are two items: its posting list and its document frequency.
    this.cluster = coverage
      ? new ClusterIndex(
          (term) => {
            coverage.require(termKey(term));
            coverage.require(dfKey(term));
          },
          (term) => coverage.wasRead(termKey(term)) && coverage.wasRead(dfKey(term)),
        )
      : new ClusterIndex();
    this.duplicates = new DuplicateIndex(coverage);
  }

  readonly articleById = (id: string): ArticleState | undefined => this.byId.get(id);

  /** Registers an article version under its source and id, replacing an older version. */
  register(a: ArticleState): void {
    this.articles.set(a.source, a);
    this.byId.set(a.id, a);
  }

  markChanged(day: Day): void {
    this.changed.add(day);
  }

  /** The story moved from `before` to a new day: both days changed, and so did its followers' links. */
  dayMoved(story: StoryState, before: Day): void {
    this.markChanged(before);
    this.markChanged(storyDay(story));
    for (const f of this.followers.get(story.id) ?? []) {
      const fs = this.stories.get(f);
      if (fs) this.markChanged(storyDay(fs));
    }
  }

  /**
   * True when the batch never read the story: a collecting run notes it as missing (and is then run
   * again with it read), so until then whether it may be a candidate is unknown (posting-index.ts).
   */
  storyUnread(storyId: string): boolean {
    if (this.coverage === null || this.coverage.wasRead(storyKey(storyId))) return false;
    this.coverage.require(storyKey(storyId));
    return true;
  }

  /** True when the story has retired by `day` (see activeDays). */
  retired(storyId: string, day: Day): boolean {
    if (this.activeDays === null) return false;
    const last = this.lastArticleDays.get(storyId);
    return last !== undefined && last < day && dayGap(last, day) > this.activeDays;
  }

  /** Notes that a story took an article that arrived on `day`. */
  noteArticleDay(storyId: string, day: Day): void {
    const last = this.lastArticleDays.get(storyId);
    if (last === undefined || last < day) this.lastArticleDays.set(storyId, day);
  }

  addFollower(storyId: string, followerId: string): void {
    const set = this.followers.get(storyId);
    if (set) set.add(followerId);
    else this.followers.set(storyId, new Set([followerId]));
  }

  /** A working set restored from a stored whole state (state.ts); derived maps are rebuilt. */
  static fromState(state: unknown, summarySentences: number): WorkingSet {
    const s = validateState(state);
    const ws = new WorkingSet(summarySentences);
    try {
      for (const a of s.articles) {
        const copy: ArticleState = { ...a };
        copy.lsh = [...copy.lsh];
        ws.register(copy);
        ws.duplicates.restoreBands(copy);
      }
      for (const st of s.stories) ws.stories.set(st.id, structuredClone(st));
      for (const [h, id] of s.hashes) ws.duplicates.restoreHash(h, id);
      ws.cluster = ClusterIndex.fromJSON(s.cluster);
      for (const d of s.changedDays) ws.changed.add(d);
    } catch (cause) {
      throw new NewsDigestError('Stored newsroom state is corrupt: delete it and re-run the inputs.', {
        cause,
      });
    }
    for (const a of ws.articles.values()) {
      if (a.duplicateOf) ws.duplicates.addDependent(a.duplicateOf, a.id);
    }
    for (const st of ws.stories.values()) if (st.followUpTo) ws.addFollower(st.followUpTo, st.id);
    return ws;
  }

  /**
   * A snapshot sharing nothing the engine mutates; the immutable article texts are shared rather
   * than copied, so snapshotting a large day does not double the memory it holds. Flush first.
   */
  toState(): EngineState {
    return {
      version: STATE_VERSION,
      articles: [...this.articles.values()].map((a) => ({
        ...a,
        date: a.date ? { ...a.date } : null,
        lsh: [...a.lsh],
      })),
      stories: [...this.stories.values()].map((st) => structuredClone(st)),
      hashes: this.duplicates.hashEntries(),
      cluster: this.cluster.toJSON(),
      changedDays: [...this.changed],
    };
  }
}
