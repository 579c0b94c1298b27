import { describe, expect, it } from 'vitest';
import {
  gapToSpan,
  JOIN_COSINE,
  JOIN_COSINE_PER_LOG_DAY,
  joinThreshold,
  MERGE_FACTOR,
  mergeThreshold,
  spanGap,
  TIME_GRACE_DAYS,
  TIME_WINDOW_DAYS,
  typicalGap,
  UNDATED_JOIN_COSINE,
  withinTimeWindow,
} from '../../../functions/core/stories/assign.ts';

describe('time proximity', () => {
  it('measures an article against the whole dated span of a story', () => {
    expect(gapToSpan('2022-03-02', ['2022-02-28', '2022-03-05'])).toBe(0);
    expect(gapToSpan('2022-03-08', ['2022-02-28', '2022-03-05'])).toBe(3);
    expect(gapToSpan('2022-02-20', ['2022-02-28', '2022-03-05'])).toBe(8);
  });

  it('gives the gap between two spans, 0 when they overlap, null when one is undated', () => {
    expect(spanGap(['2022-02-01', '2022-02-10'], ['2022-02-05', '2022-02-20'])).toBe(0);
    expect(spanGap(['2022-02-01', '2022-02-10'], ['2022-02-15', '2022-02-20'])).toBe(5);
    expect(spanGap(['2022-02-15', '2022-02-20'], ['2022-02-01', '2022-02-10'])).toBe(5);
    expect(spanGap(null, ['2022-02-01', '2022-02-10'])).toBeNull();
  });

  it('raises the join bar with the gap', () => {
    expect(joinThreshold(0)).toBe(JOIN_COSINE);
    expect(joinThreshold(TIME_GRACE_DAYS)).toBe(JOIN_COSINE);
    expect(joinThreshold(10)).toBeGreaterThan(joinThreshold(4));
    expect(joinThreshold(4)).toBeGreaterThan(joinThreshold(0));
    expect(joinThreshold(1e6)).toBeGreaterThan(joinThreshold(TIME_WINDOW_DAYS));
    expect(joinThreshold(null)).toBe(UNDATED_JOIN_COSINE);
    expect(mergeThreshold(0)).toBeCloseTo(MERGE_FACTOR * JOIN_COSINE);
  });

  it('raises the bar with the logarithm of the gap: the first days after a story cost most', () => {
    const firstWeek = joinThreshold(TIME_GRACE_DAYS + 7) - joinThreshold(TIME_GRACE_DAYS);
    const fifthWeek = joinThreshold(TIME_GRACE_DAYS + 35) - joinThreshold(TIME_GRACE_DAYS + 28);
    expect(firstWeek).toBeGreaterThan(3 * fifthWeek);
    expect(joinThreshold(TIME_GRACE_DAYS + 30)).toBeCloseTo(
      JOIN_COSINE + JOIN_COSINE_PER_LOG_DAY * Math.log(31),
    );
    // A report a season late, or at the window's end, can still join its event: the bar stays under twice the same-day one.
    expect(joinThreshold(TIME_WINDOW_DAYS)).toBeLessThan(2 * JOIN_COSINE);
  });

  it("counts days late in units of the story's pace: a slow-burn story stays open longer than a burst", () => {
    // A burst (everyone on one day) keeps the plain-day bar.
    expect(joinThreshold(20, 0)).toBe(joinThreshold(20));
    // A story reported every 5 days: 20 days after its last report costs what 4 days cost a burst.
    expect(joinThreshold(TIME_GRACE_DAYS + 20, 5)).toBeLessThan(joinThreshold(TIME_GRACE_DAYS + 20));
    expect(joinThreshold(TIME_GRACE_DAYS + 24, 5)).toBeCloseTo(joinThreshold(TIME_GRACE_DAYS + 4));
    expect(joinThreshold(null, 5)).toBe(UNDATED_JOIN_COSINE);
  });

  it("measures a story's pace by the median gap between its reports, deaf to one far-off member", () => {
    expect(typicalGap([])).toBe(0);
    expect(typicalGap([['2017-10-02', 6]])).toBe(0);
    // Weekly coverage: gaps 7, 7, 7.
    expect(
      typicalGap([
        ['2017-09-22', 1],
        ['2017-09-08', 1],
        ['2017-09-01', 1],
        ['2017-09-15', 1],
      ]),
    ).toBe(7);
    // A burst of eight reports over two days plus one member dated a year earlier stays a burst.
    expect(
      typicalGap([
        ['2016-09-05', 1],
        ['2017-08-28', 5],
        ['2017-08-29', 3],
      ]),
    ).toBe(0);
  });

  it('keeps stories more than the window apart out of reach', () => {
    expect(withinTimeWindow('2022-03-01', ['2022-02-01', '2022-02-10'])).toBe(true);
    expect(withinTimeWindow('2024-03-01', ['2022-02-01', '2022-02-10'])).toBe(false);
    expect(withinTimeWindow(null, ['2022-02-01', '2022-02-10'])).toBe(true);
  });
});
