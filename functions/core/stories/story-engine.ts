/**
 * The incremental story engine: one article in, one story touched.
 *
 *   ingest → exact hash / LSH near-duplicate check (duplicate-index.ts)
 *          → join or found a story, merge, re-check young stories (story-assignment.ts)
 *          → the story is dirty: its summary (summary-pool.ts) and follow-up link (follow-ups.ts)
 *            are re-derived once, when next read
 *
 * Work per article is bounded by constants (LSH bands, posting-list caps, the summary pool), not by
 * the number of articles held. digest(day) projects the stories (digest-projection.ts);
 * takeChangedDays() says which days' digests to re-write.
 */
import type { ArticleRecord, Day, Digest, IngestOutcome } from '../types.ts';
import { type ArticleInput, ingestArticle, type RejectionInput, rejectArticle } from './article-intake.ts';
import { articleRecords, digestOf, storyDays } from './digest-projection.ts';
import { relinkFollowUp } from './follow-ups.ts';
import { ItemCoverage } from './item-coverage.ts';
import type { EngineItemKey } from './item-keys.ts';
import { replayInPublicationOrder } from './publication-replay.ts';
import type { EngineState, StoryState } from './state.ts';
import { placeAgain } from './story-assignment.ts';
import { storyDay } from './story-days.ts';
import {
  type EngineItem,
  workingSetFromItems,
  workingSetItems,
  workingSetItemsInKeyOrder,
} from './story-items.ts';
import type { StorySummary, SummaryJob } from './story-summary.ts';
import { STORY_SUMMARY_SENTENCES } from './summarise.ts';
import { WorkingSet } from './working-set.ts';

export interface StoryEngineOptions {
  /** Sentences per story summary (default STORY_SUMMARY_SENTENCES). */
  readonly summarySentences?: number;
  /** Retention (newsDigest.activeDays): see WorkingSet.activeDays. Unset keeps every story open. */
  readonly activeDays?: number;
}

export class StoryEngine {
  private constructor(
    private readonly ws: WorkingSet,
    options?: StoryEngineOptions,
  ) {
    if (options?.activeDays !== undefined) ws.activeDays = options.activeDays;
  }

  static empty(options?: StoryEngineOptions): StoryEngine {
    return new StoryEngine(new WorkingSet(options?.summarySentences ?? STORY_SUMMARY_SENTENCES), options);
  }

  static fromState(state: unknown, options?: StoryEngineOptions): StoryEngine {
    return new StoryEngine(
      WorkingSet.fromState(state, options?.summarySentences ?? STORY_SUMMARY_SENTENCES),
      options,
    );
  }

  /** An engine holding exactly the given items (story-items.ts): a batch's working set, or everything. */
  static fromItems(items: Iterable<EngineItem>, options?: StoryEngineOptions): StoryEngine {
    return new StoryEngine(
      workingSetFromItems(items, options?.summarySentences ?? STORY_SUMMARY_SENTENCES),
      options,
    );
  }

  /**
   * An engine over a batch's working set: the items found among those read (`readIds`, engineItemId
   * of every key asked for, found or not). Touching an item outside them throws MissingItems, or with
   * `collectMissing` is noted (missingItems) and taken as absent.
   */
  static fromReadItems(
    items: Iterable<EngineItem>,
    readIds: ReadonlySet<string>,
    options?: StoryEngineOptions,
    collectMissing = false,
  ): StoryEngine {
    return new StoryEngine(
      workingSetFromItems(
        items,
        options?.summarySentences ?? STORY_SUMMARY_SENTENCES,
        new ItemCoverage(readIds, collectMissing),
      ),
      options,
    );
  }

  /** The items a run of an engine made with `collectMissing` lacked; none means its result stands. */
  missingItems(): EngineItemKey[] {
    return this.ws.coverage?.missingKeys() ?? [];
  }

  /**
   * Every item the engine holds, by engineItemId, with derived story data made fresh first: compare
   * with the items read (itemChanges) to know what to write.
   */
  items(): Map<string, EngineItem> {
    this.flush();
    return workingSetItems(this.ws);
  }

  /** The same items in key order, each built as it is taken (for a whole engine going into an empty store). */
  itemsInKeyOrder(): Generator<EngineItem> {
    this.flush();
    return workingSetItemsInKeyOrder(this.ws);
  }

  /** The engine's articles clustered again in publication order when few (publication-replay.ts); else the engine itself. */
  static replayInPublicationOrder(engine: StoryEngine): StoryEngine {
    const replayed = replayInPublicationOrder(engine.ws);
    return replayed === engine.ws ? engine : new StoryEngine(replayed);
  }

  /** A snapshot sharing nothing the engine mutates (see WorkingSet.toState). */
  toState(): EngineState {
    this.flush();
    return this.ws.toState();
  }

  /** Places one article (see article-intake.ts). */
  ingest(input: ArticleInput): IngestOutcome {
    return ingestArticle(this.ws, input);
  }

  /** Places these articles again as if they arrived now (see story-assignment.ts placeAgain). */
  placeAgain(articleIds: readonly string[]): void {
    placeAgain(this.ws, articleIds);
  }

  /** Records a file as rejected, with its reason. */
  reject(input: RejectionInput): IngestOutcome {
    return rejectArticle(this.ws, input);
  }

  /**
   * The summaries the next read would compute (one job per dirty story), for a caller that can
   * compute them elsewhere, such as on worker threads, and hand them back with supplySummaries.
   */
  summaryJobs(): SummaryJob[] {
    const jobs: SummaryJob[] = [];
    for (const id of this.ws.dirty) {
      const story = this.ws.stories.get(id);
      if (story !== undefined) jobs.push(this.ws.summaries.job(story, this.ws.articleById));
    }
    return jobs;
  }

  /** Summaries computed elsewhere for `jobs`, in their order; one whose pool has since changed is not used. */
  supplySummaries(jobs: readonly SummaryJob[], summaries: readonly StorySummary[]): void {
    this.ws.summaries.supply(jobs, summaries);
  }

  takeChangedDays(): Day[] {
    this.flush();
    const days = [...this.ws.changed].sort();
    this.ws.changed.clear();
    return days;
  }

  days(): Day[] {
    return storyDays(this.ws);
  }

  digest(day: Day): Digest {
    this.flush();
    return digestOf(this.ws, day);
  }

  records(): ArticleRecord[] {
    return articleRecords(this.ws);
  }

  /**
   * Recomputes the derived data of every dirty story: earliest day first, so a follow-up's parent
   * is settled before the follow-up links to it. Deterministic, so a restored engine flushes alike.
   */
  private flush(): void {
    const ws = this.ws;
    if (ws.dirty.size === 0) return;
    const stories = [...ws.dirty]
      .map((id) => ws.stories.get(id))
      .filter((st): st is StoryState => st !== undefined)
      .map((st) => ({ st, day: storyDay(st) }))
      .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.st.id < b.st.id ? -1 : 1));
    ws.dirty.clear();
    for (const { st } of stories) {
      ws.summaries.resummarise(st, ws.articleById);
      // The followers' links show this story's headline.
      for (const f of ws.followers.get(st.id) ?? []) {
        const fs = ws.stories.get(f);
        if (fs) ws.markChanged(storyDay(fs));
      }
    }
    ws.summaries.clearSupplied();
    for (const { st } of stories) relinkFollowUp(ws, st);
  }
}
