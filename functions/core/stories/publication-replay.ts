/**
 * The publication-order replay: online clustering depends on arrival order, most of all while a
 * collection is small (every term's IDF is then about the same), so a small collection is clustered
 * again at the end of each batch in the order the method assumes, stories growing forward in time.
 */
import type { ExtractedArticle } from '../types.ts';
import { ingestArticle } from './article-intake.ts';
import type { ArticleState } from './state.ts';
import { storyDay } from './story-days.ts';
import { WorkingSet } from './working-set.ts';

/** Collections of at most this many articles are replayed; beyond, the engine stays purely incremental. */
export const REPLAY_MAX_ARTICLES = 100;

/**
 * The same articles clustered as if they had arrived in publication order, when there are at most
 * REPLAY_MAX_ARTICLES of them; otherwise `ws` itself. Every file keeps its outcome (copies stay
 * attached to their originals, rejections stay rejected; should an original turn out a copy in the
 * new order, `ws` is kept): only the grouping of originals into stories can change, and every day
 * either version has a story on is marked changed.
 */
export function replayInPublicationOrder(ws: WorkingSet): WorkingSet {
  if (ws.articles.size > REPLAY_MAX_ARTICLES) return ws;
  const all = [...ws.articles.values()];
  const originals = all.filter((a) => a.rejected === null && a.duplicateOf === null && a.storyId !== null);
  const replayed = new WorkingSet(ws.summaries.sentences);
  for (const a of originals.sort(byPublication)) {
    ingestArticle(replayed, { source: a.source, article: asExtracted(a), arrivedAt: new Date(a.arrivedAt) });
  }
  if (originals.some((a) => replayed.byId.get(a.id)?.duplicateOf !== null)) return ws;
  // Copies and rejections are carried over as they were; a copy follows its original's new story.
  for (const a of all) {
    if (replayed.articles.has(a.source)) continue;
    const copy: ArticleState = { ...a, lsh: [] };
    if (a.duplicateOf !== null) {
      const original = replayed.byId.get(a.duplicateOf);
      const story = original?.storyId ? replayed.stories.get(original.storyId) : undefined;
      if (original === undefined || story === undefined) return ws;
      copy.storyId = story.id;
      story.duplicates.push(copy.id);
      replayed.duplicates.addDependent(original.id, copy.id);
      replayed.dirty.add(story.id);
    }
    replayed.register(copy);
  }
  // Records list articles in the order they were first seen, as before the replay.
  const bySource = new Map(replayed.articles);
  replayed.articles.clear();
  for (const a of all) replayed.articles.set(a.source, bySource.get(a.source)!);
  for (const day of ws.changed) replayed.markChanged(day);
  for (const st of ws.stories.values()) replayed.markChanged(storyDay(st));
  for (const st of replayed.stories.values()) replayed.markChanged(storyDay(st));
  return replayed;
}

/** Publication order for a replay: day (an undated article by its arrival day), arrival, source key. */
function byPublication(a: ArticleState, b: ArticleState): number {
  const dayA = a.date?.day ?? a.arrivedAt.slice(0, 10);
  const dayB = b.date?.day ?? b.arrivedAt.slice(0, 10);
  if (dayA !== dayB) return dayA < dayB ? -1 : 1;
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt < b.arrivedAt ? -1 : 1;
  return a.source < b.source ? -1 : a.source > b.source ? 1 : 0;
}

/** The extracted article an original's stored state was made from (every field the engine reads). */
function asExtracted(a: ArticleState): ExtractedArticle {
  return {
    format: 'text',
    title: a.title,
    text: a.text,
    url: a.url,
    outlet: a.outlet,
    date: a.date,
    description: a.description,
  };
}
