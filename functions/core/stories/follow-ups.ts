/**
 * Follow-up links across days: a story that continues an earlier day's story (the second round of
 * talks after the first) links to it. Separate from same-event clustering: a lower similarity bar,
 * only backwards in time, and it never merges stories.
 */
import { safeHttpUrl } from '../render/safe.ts';
import type { Day, FollowUp } from '../types.ts';
import type { StoryState } from './state.ts';
import { storyDay } from './story-days.ts';
import type { WorkingSet } from './working-set.ts';

/** Centroid cosine at or above which a later story continues an earlier one: it shares the actors and topic, not the event. */
export const FOLLOW_UP_MIN_COSINE = 0.07;

export interface FollowUpCandidate {
  readonly storyId: string;
  readonly cosine: number;
  readonly day: Day;
}

/**
 * The story a story follows up: the most similar earlier-day story above the bar, then walked
 * back to the start of its thread, so every later chapter links to where the thread began
 * ("Follow-up to Russia and Ukraine start ceasefire talks, 28 Feb").
 */
export function chooseFollowUp(
  day: Day,
  candidates: readonly FollowUpCandidate[],
  parentOf: (storyId: string) => string | null,
): string | null {
  const earlier = candidates.filter((c) => c.day < day && c.cosine >= FOLLOW_UP_MIN_COSINE);
  if (earlier.length === 0) return null;
  const best = earlier.reduce((a, b) => (b.cosine > a.cosine ? b : a));
  let root = best.storyId;
  const seen = new Set([root]);
  for (let parent = parentOf(root); parent !== null && !seen.has(parent); parent = parentOf(parent)) {
    seen.add(parent);
    root = parent;
  }
  return root;
}

/**
 * The link a follow-up carries to the story it continues. `articleUrls` are the URLs of the earlier
 * story's summary articles, lead sentence first: the first safe one is kept (omitted when there is
 * none, so a digest without URLs reads as before). The summary's articles, not all members, because
 * a change to them re-derives the summary, which marks the followers' days changed.
 */
export function followUpLink(
  storyId: string,
  day: Day,
  headline: string,
  articleUrls: readonly (string | null | undefined)[],
): FollowUp {
  const url = articleUrls.map((u) => safeHttpUrl(u)).find((u) => u !== null);
  return url ? { storyId, day, headline, url } : { storyId, day, headline };
}

/** Recomputes a story's follow-up link (earlier-day stories only), keeping the followers map in step. */
export function relinkFollowUp(ws: WorkingSet, story: StoryState): void {
  const day = storyDay(story);
  const candidates = ws.cluster
    .relatedStories(story.id, (id) => {
      if (ws.storyUnread(id)) return null;
      const other = ws.stories.get(id);
      return other !== undefined && storyDay(other) < day;
    })
    .map((c) => ({ ...c, day: storyDay(ws.stories.get(c.storyId)!) }));
  const next = chooseFollowUp(day, candidates, (id) => ws.stories.get(id)?.followUpTo ?? null);
  if (next === story.followUpTo) return;
  // The parent's followers are stored with it: has() makes sure it was read.
  if (story.followUpTo && ws.stories.has(story.followUpTo))
    ws.followers.get(story.followUpTo)?.delete(story.id);
  story.followUpTo = next;
  ws.markChanged(day);
  if (next) ws.addFollower(next, story.id);
}
