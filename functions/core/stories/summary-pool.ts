/**
 * The summary pool: each story keeps its few members closest to the centroid, and its headline,
 * summary, figures and disagreements are derived from those only, so re-summarising costs the same
 * for a story of 3 or of 30,000 articles. Derivation is lazy: a story marked dirty is re-summarised
 * once when next read, however many articles it gained.
 */
import type { ArticleState, StoryState } from './state.ts';
import { type StorySummary, type SummaryJob, sameSources, summariseSources } from './story-summary.ts';
import type { SummarySource } from './summarise.ts';

/** Members kept in a story's summary pool. */
export const SUMMARY_POOL_SIZE = 8;

/** Adds a member to the bounded summary pool if it is closer to the centroid than the weakest. */
export function addToPool(story: StoryState, articleId: string, cosine: number): void {
  if (story.pool.length < SUMMARY_POOL_SIZE) {
    story.pool.push([articleId, cosine]);
    return;
  }
  let weakest = 0;
  for (let i = 1; i < story.pool.length; i++) if (story.pool[i]![1] < story.pool[weakest]![1]) weakest = i;
  if (cosine <= story.pool[weakest]![1]) return;
  story.pool[weakest] = [articleId, cosine];
}

/** Removes a member from the pool, refilled from the earliest members not in it; true when it was in. */
export function removeFromPool(story: StoryState, articleId: string): boolean {
  const inPool = story.pool.some(([id]) => id === articleId);
  story.pool = story.pool.filter(([id]) => id !== articleId);
  if (inPool) refillPool(story);
  return inPool;
}

/** Pools `from`'s candidates with `into`'s, keeping the closest. */
export function mergePools(into: StoryState, from: StoryState): void {
  into.pool = [...into.pool, ...from.pool].sort((x, y) => y[1] - x[1]).slice(0, SUMMARY_POOL_SIZE);
}

/** After a pool member left: take the earliest members not in the pool (bounded scan). */
function refillPool(story: StoryState): void {
  const inPool = new Set(story.pool.map(([id]) => id));
  for (const id of story.members) {
    if (story.pool.length >= SUMMARY_POOL_SIZE) break;
    if (!inPool.has(id)) story.pool.push([id, 0]);
  }
}

/** The articles of a story's summary pool, as the summariser reads them. */
export function poolSources(
  story: StoryState,
  articleById: (id: string) => ArticleState | undefined,
): SummarySource[] {
  return story.pool
    .map(([id]) => articleById(id))
    .filter((a): a is ArticleState => a !== undefined)
    .map((a) => ({ articleId: a.id, title: a.title, text: a.text, outlet: a.outlet }));
}

/**
 * Derives stories' summaries, using those computed elsewhere (on worker threads) when their pool is
 * still the one they were computed from, so a stale or missing result costs time, never correctness.
 */
export class StorySummaries {
  private readonly supplied = new Map<string, { sources: readonly SummarySource[]; summary: StorySummary }>();

  constructor(readonly sentences: number) {}

  job(story: StoryState, articleById: (id: string) => ArticleState | undefined): SummaryJob {
    return { storyId: story.id, sentences: this.sentences, sources: poolSources(story, articleById) };
  }

  supply(jobs: readonly SummaryJob[], summaries: readonly StorySummary[]): void {
    if (jobs.length !== summaries.length)
      throw new RangeError(`Got ${summaries.length} summaries for ${jobs.length} summary jobs.`);
    jobs.forEach((job, i) => {
      this.supplied.set(job.storyId, { sources: job.sources, summary: summaries[i]! });
    });
  }

  /** Re-derives a story's headline, summary, figures and disagreements from its pool. */
  resummarise(story: StoryState, articleById: (id: string) => ArticleState | undefined): void {
    const sources = poolSources(story, articleById);
    const supplied = this.supplied.get(story.id);
    const derived =
      supplied !== undefined && sameSources(supplied.sources, sources)
        ? supplied.summary
        : summariseSources(sources, this.sentences);
    story.headline = derived.headline;
    story.summary = derived.summary;
    story.figures = derived.figures;
    story.disagreements = derived.disagreements;
  }

  /** Forgets supplied summaries once a flush has used what it could. */
  clearSupplied(): void {
    this.supplied.clear();
  }
}
