/**
 * Story merging: the story an article joined is compared, centroid to centroid, with the other
 * stories nearest to that article (it may bridge two halves of one event), and one close enough to be
 * the same event is folded into the larger. A handful of cosines per article, so the cost stays constant.
 */

import { dropStory } from './article-withdrawal.ts';
import { MERGE_MAX_YOUNG_MEMBERS, mergeThreshold, spanGap, TIME_WINDOW_DAYS } from './assign.ts';
import type { StoryState } from './state.ts';
import { addDateCount, dateSpan, storyDay } from './story-days.ts';
import { mergePools } from './summary-pool.ts';
import type { WorkingSet } from './working-set.ts';

/** Merges the nearest same-event story among `candidates` into or with `story`; returns the survivor, or null. */
export function mergeNearest(
  ws: WorkingSet,
  story: StoryState,
  candidates: readonly string[],
): StoryState | null {
  const span = dateSpan(story);
  const others = candidates.filter((id) => id !== story.id && ws.stories.has(id));
  const cosines = ws.cluster.storyCosines(story.id, others);
  const ranked = others
    .map((id, i) => ({ id, cosine: cosines[i] ?? 0 }))
    .sort((a, b) => b.cosine - a.cosine || (a.id < b.id ? -1 : 1));
  for (const cand of ranked) {
    const other = ws.stories.get(cand.id)!;
    const gap = spanGap(span, dateSpan(other));
    if (gap !== null && gap > TIME_WINDOW_DAYS) continue;
    if (cand.cosine < mergeThreshold(gap)) break;
    if (Math.min(other.members.length, story.members.length) > MERGE_MAX_YOUNG_MEMBERS) continue;
    if (!ws.names.allowMerge(story, other)) continue;
    const [into, from] =
      other.members.length > story.members.length ||
      (other.members.length === story.members.length && other.id < story.id)
        ? [other, story]
        : [story, other];
    mergeStories(ws, into, from);
    return into;
  }
  return null;
}

/**
 * Whether `into` takes `id` over from `from`: not when `into` already lists it, nor when its article
 * names another story. A story item read under concurrent writers can still list an article a later
 * batch moved; the article item is what says where it is.
 */
function takesOver(ws: WorkingSet, from: StoryState, id: string, listed: Set<string>): boolean {
  if (listed.has(id)) return false;
  const article = ws.byId.get(id);
  if (article !== undefined && article.storyId !== from.id && article.storyId !== null) return false;
  listed.add(id);
  return true;
}

/** Moves every member, duplicate and date of `from` into `into`, and drops `from`. */
export function mergeStories(ws: WorkingSet, into: StoryState, from: StoryState): void {
  const beforeInto = storyDay(into);
  const beforeFrom = storyDay(from);
  const listed = new Set([...into.members, ...into.duplicates]);
  for (const id of from.members) {
    if (!takesOver(ws, from, id, listed)) continue;
    const a = ws.byId.get(id);
    if (a) a.storyId = into.id;
    into.members.push(id);
  }
  for (const id of from.duplicates) {
    if (!takesOver(ws, from, id, listed)) continue;
    const d = ws.byId.get(id);
    if (d) d.storyId = into.id;
    into.duplicates.push(id);
  }
  for (const [d, n] of from.dateCounts) addDateCount(into, d, n);
  if (from.arrivalDay < into.arrivalDay) into.arrivalDay = from.arrivalDay;
  mergePools(into, from);
  ws.cluster.mergeStories(into.id, from.id);
  ws.names.merge(into.id, from.id);
  const fromLast = ws.lastArticleDays.get(from.id);
  if (fromLast !== undefined) ws.noteArticleDay(into.id, fromLast);
  ws.lastArticleDays.delete(from.id);
  // `from` disappears: its followers and its own link are re-derived.
  from.members = [];
  from.duplicates = [];
  for (const f of ws.followers.get(from.id) ?? []) ws.dirty.add(f);
  dropStory(ws, from);
  ws.dirty.add(into.id);
  ws.markChanged(beforeFrom);
  if (storyDay(into) !== beforeInto) ws.dayMoved(into, beforeInto);
  ws.markChanged(storyDay(into));
}
