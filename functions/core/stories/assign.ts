/**
 * The same-event decision: which story (if any) a new article joins. Time proximity decides
 * which stories are eligible; a cosine bar that rises with the time gap decides the join.
 */
import type { Day } from '../types.ts';

/**
 * Dated articles are only compared with dated stories at most this many days apart. Coverage of
 * one event (follow-ups, late reports, weekly round-ups) mostly falls within a week; a same-named
 * event a month later is a new event.
 */
export const TIME_WINDOW_DAYS = 30;

/**
 * Cosine to a story centroid at or above which a dated article reports that story's event.
 * Measured on our clustering evaluation: same-event articles mostly score above it, same-topic
 * articles about other events below.
 */
export const JOIN_COSINE = 0.15;

/**
 * Cosine an undated article needs. Without a date there is no time proximity to rule out the
 * same topic's other events (the next round of talks), so the text alone must be more alike.
 */
export const UNDATED_JOIN_COSINE = 0.2;

/** Days of distance that cost nothing: reports of one event trickle in over a couple of days. */
export const TIME_GRACE_DAYS = 2;

/**
 * Extra cosine required per day beyond the grace period: a report several days later must agree
 * more closely to be the same event rather than its sequel.
 */
export const JOIN_COSINE_PER_DAY = 0.01;

/** Days between two YYYY-MM-DD days (absolute). */
export function dayGap(a: Day, b: Day): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

/** True when a story (its day, and whether any member is dated) may be compared with the article's date. */
export function withinTimeWindow(articleDay: Day | null, storyDay: Day, storyDated: boolean): boolean {
  if (articleDay === null || !storyDated) return true;
  return dayGap(articleDay, storyDay) <= TIME_WINDOW_DAYS;
}

/** The cosine an article must reach to join a story `gap` days away (null gap: article or story undated). */
export function joinThreshold(gap: number | null): number {
  if (gap === null) return UNDATED_JOIN_COSINE;
  return JOIN_COSINE + JOIN_COSINE_PER_DAY * Math.max(0, gap - TIME_GRACE_DAYS);
}
