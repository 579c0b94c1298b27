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
export const TIME_WINDOW_DAYS = 7;

/** Cosine to a story centroid at or above which an article reports that story's event. */
export const JOIN_COSINE = 0.3;

/**
 * Extra cosine required per day of distance between the article's and the story's days: a
 * report four days later must agree more closely to be the same event rather than its sequel.
 */
export const JOIN_COSINE_PER_DAY = 0.02;

/** Days between two YYYY-MM-DD days (absolute). */
export function dayGap(a: Day, b: Day): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

/** True when a story (its day, and whether any member is dated) may be compared with the article's date. */
export function withinTimeWindow(articleDay: Day | null, storyDay: Day, storyDated: boolean): boolean {
  if (articleDay === null || !storyDated) return true;
  return dayGap(articleDay, storyDay) <= TIME_WINDOW_DAYS;
}

/** The cosine an article must reach to join a story `gap` days away (0 when either is undated). */
export function joinThreshold(gap: number): number {
  return JOIN_COSINE + JOIN_COSINE_PER_DAY * gap;
}
