/**
 * Story days: a story belongs to the earliest day its dated members give, or to the day its founder
 * arrived when none is dated; these helpers read and update the day counts that decide it.
 */
import type { Day } from '../types.ts';
import type { StoryState } from './state.ts';

/** The UTC calendar day of a time. */
export function dayOf(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

/** The day a story's digest lists it under. */
export function storyDay(story: StoryState): Day {
  let min: Day | null = null;
  for (const [d] of story.dateCounts) if (min === null || d < min) min = d;
  return min ?? story.arrivalDay;
}

/** The first and last day of a story's dated members, or null when none is dated. */
export function dateSpan(story: StoryState): readonly [Day, Day] | null {
  return spanOf(story.dateCounts);
}

/** First and last day of a [day, count] list, or null when it holds none. */
export function spanOf(dateCounts: readonly (readonly [Day, number])[]): readonly [Day, Day] | null {
  let min: Day | null = null;
  let max: Day | null = null;
  for (const [d] of dateCounts) {
    if (min === null || d < min) min = d;
    if (max === null || d > max) max = d;
  }
  return min !== null && max !== null ? [min, max] : null;
}

/** Counts a member's day in (delta 1) or out (delta -1); days whose count reaches zero go. */
export function addDateCount(story: StoryState, day: Day, delta: number): void {
  const entry = story.dateCounts.find(([d]) => d === day);
  if (entry) entry[1] += delta;
  else if (delta > 0) story.dateCounts.push([day, delta]);
  story.dateCounts = story.dateCounts.filter(([, n]) => n > 0);
}
