/**
 * Threads across days: a story that continues an earlier day's story (the second round of talks
 * after the first) links to it. This is deliberately separate from same-event clustering: it uses
 * a lower similarity bar and only looks backwards in time, and it never merges stories.
 */
import { safeHttpUrl } from '../render/safe.ts';
import type { Day, FollowUp } from '../types.ts';

/**
 * Centroid cosine at or above which a later story continues an earlier one. Well below the
 * same-event bar (cluster.ts): a follow-up shares the actors and the topic, not the event.
 */
export const FOLLOW_UP_MIN_COSINE = 0.07;

export interface ThreadCandidate {
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
  candidates: readonly ThreadCandidate[],
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
