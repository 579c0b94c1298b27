/**
 * The same-event decision: which story (if any) a new article joins. Time proximity decides
 * which stories are eligible; a cosine bar that rises with the time gap decides the join.
 */

import { toDay } from '../extract/dates.ts';
import { ENGLISH_MONTHS } from '../text.ts';
import { tunableOverrides } from '../tunables.ts';
import type { Day } from '../types.ts';

/**
 * Dated articles are only compared with dated stories whose coverage lies within this many days.
 * Within it, the join bar rises with the logarithm of the gap (JOIN_COSINE_PER_LOG_DAY), slowly
 * enough that a late write-up of an event can still join it; beyond a year, alike text is about the
 * next occurrence (next season's final, the anniversary), not the same event.
 */
export const TIME_WINDOW_DAYS = 366;

/** Cosine to a story centroid at or above which a dated article reports that story's event. */
export const JOIN_COSINE = 0.15;

/**
 * Cosine an undated article needs. Without a date there is no time proximity to rule out the
 * same topic's other events (the next round of talks), so the text alone must be more alike.
 */
export const UNDATED_JOIN_COSINE = 0.2;

/** Days of distance that cost nothing: reports of one event trickle in over a couple of days. */
export const TIME_GRACE_DAYS = 2;

/**
 * Extra cosine required per e-fold of days beyond the grace period: logarithmic, because coverage of
 * an event decays roughly like a power law, so the first days after a story matter most.
 */
export const JOIN_COSINE_PER_LOG_DAY = 0.025;

/** Days between two YYYY-MM-DD days (absolute). */
export function dayGap(a: Day, b: Day): number {
  return Math.abs(Date.parse(`${a}T00:00:00Z`) - Date.parse(`${b}T00:00:00Z`)) / 86_400_000;
}

/**
 * Days from an article to a story's dated span [first, last]: 0 inside it. A developing story is
 * judged by its latest coverage as well as its first, so reports keep joining while it runs.
 */
export function gapToSpan(articleDay: Day, span: readonly [Day, Day]): number {
  if (articleDay >= span[0] && articleDay <= span[1]) return 0;
  return Math.min(dayGap(articleDay, span[0]), dayGap(articleDay, span[1]));
}

const MONTH = `(${ENGLISH_MONTHS.join('|')})`;
/** "April 3, 2016" and "3 April 2016": a day, a month and a year all written out. */
const WRITTEN_DATE = new RegExp(
  String.raw`\b(?:${MONTH}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+((?:19|20)\d\d)|(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH},?\s+((?:19|20)\d\d))\b`,
  'i',
);

/**
 * The first full date (day, month and year) written in an article's text, when it lies more than the
 * time window before the article's own date: the day of the event it reports, as the article itself
 * states it. An archive page or a re-published report carries the date it was fetched or re-issued (a
 * news site's old story crawled today), so its own date says nothing of which event it reports, while
 * its text says when that event happened. Only a date beyond the window counts: a report a few days
 * on that recalls the day its story began ("talks that began on February 28, 2022") is dated right,
 * and is a follow-up to that day's event, not another report of it. Null otherwise.
 */
export function writtenEventDay(text: string, articleDay: Day | null): Day | null {
  if (articleDay === null) return null;
  const m = WRITTEN_DATE.exec(text);
  if (!m) return null;
  const [month, day, year] = m[1] ? [m[1], m[2], m[3]] : [m[5], m[4], m[6]];
  const written = toDay(Number(year), ENGLISH_MONTHS.indexOf((month ?? '').toLowerCase()) + 1, Number(day));
  return written !== null && written < articleDay && dayGap(written, articleDay) > TIME_WINDOW_DAYS
    ? written
    : null;
}

/**
 * Days from an article to a story's dated span, counting the event day its text writes (see
 * writtenEventDay) as well as its own day: whichever is nearer. Null when either side is undated.
 */
export function articleGap(
  articleDay: Day | null,
  eventDay: Day | null,
  span: readonly [Day, Day] | null,
): number | null {
  if (articleDay === null || span === null) return null;
  const gap = gapToSpan(articleDay, span);
  return eventDay === null ? gap : Math.min(gap, gapToSpan(eventDay, span));
}

/** True when a story (its dated span, null when undated) may be compared with the article's date. */
export function withinTimeWindow(articleDay: Day | null, span: readonly [Day, Day] | null): boolean {
  if (articleDay === null || span === null) return true;
  return gapToSpan(articleDay, span) <= TIME_WINDOW_DAYS;
}

/**
 * The cosine an article must reach to join a story `gap` days away (null gap: article or story undated).
 * The days late are counted in units of the story's own pace (`typicalGap`, the median days between
 * its reports, see typicalGap()): a burst covered by everyone on one day (pace 0) is judged in plain
 * days, while a slow-burn story reported every few days (a data breach, an inquiry) is not over after
 * two quiet weeks. No new tunable: a pace of 0 gives the plain-day bar.
 */
export function joinThreshold(gap: number | null, typicalGap = 0): number {
  const t = tunableOverrides();
  if (gap === null) return t.undatedJoinCosine ?? UNDATED_JOIN_COSINE;
  const late = Math.max(0, gap - TIME_GRACE_DAYS) / (1 + typicalGap);
  return (
    (t.joinCosine ?? JOIN_COSINE) + (t.joinCosinePerLogDay ?? JOIN_COSINE_PER_LOG_DAY) * Math.log1p(late)
  );
}

/**
 * A story's pace: the median number of days between its consecutive dated reports (0 when most
 * arrive on one day), from its [day, count] list. The median, not the mean or the span: one member
 * with a wrong or far-off date (a year-old page about the same topic) must not open a burst story to
 * every later report of its topic. Work is bounded by the story's distinct days (at most the window).
 */
export function typicalGap(dateCounts: readonly (readonly [Day, number])[]): number {
  const days: Day[] = [];
  let reports = 0;
  for (const [day, n] of dateCounts) {
    if (n <= 0) continue;
    days.push(day);
    reports += n;
  }
  days.sort();
  // Reports sharing a day are gaps of 0 (counted, never listed: a story can hold thousands).
  const sameDay = reports - days.length;
  const gaps: number[] = [];
  for (let i = 1; i < days.length; i++) gaps.push(dayGap(days[i - 1]!, days[i]!));
  const total = sameDay + gaps.length;
  if (total === 0) return 0;
  const median = (total - 1) >> 1;
  if (median < sameDay) return 0;
  gaps.sort((x, y) => x - y);
  return gaps[median - sameDay]!;
}

/**
 * Two stories whose centroid cosine reaches this many times the join bar are one event that online
 * assignment split (its first reports arrived before the story had a stable centroid). Centroid-to-centroid cosines run higher than article-to-centroid ones because averaging
 * cancels each outlet's own wording, so the bar is stricter than the join bar.
 */
export const MERGE_FACTOR = 1.5;

/** Stories nearest to a new article that are checked for a merge with the story it joined. */
export const MERGE_CANDIDATES = 8;

/**
 * A merge needs one side still young: at most this many members. Online assignment splits an event
 * while its first reports arrive, before the story has a stable centroid; two grown stories whose
 * centroids meet are usually two events of one topic (a missile test and a sanctions case in the
 * same country), and merging them would snowball.
 */
export const MERGE_MAX_YOUNG_MEMBERS = 2;

/** Most merges one placement may trigger (a merged story may close on a third): bounds the work. */
export const MAX_MERGES_PER_ARTICLE = 2;

/** Days between two stories' dated spans (0 when they overlap), or null when either is undated. */
export function spanGap(a: readonly [Day, Day] | null, b: readonly [Day, Day] | null): number | null {
  if (a === null || b === null) return null;
  if (a[1] < b[0]) return dayGap(a[1], b[0]);
  if (b[1] < a[0]) return dayGap(b[1], a[0]);
  return 0;
}

/** The centroid cosine two stories `gap` days apart need to be merged. */
export function mergeThreshold(gap: number | null): number {
  return (tunableOverrides().mergeFactor ?? MERGE_FACTOR) * joinThreshold(gap);
}
