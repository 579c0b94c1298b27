/**
 * The publisher's UTC offset, read from the timestamps a page writes with a real offset.
 *
 * WHY: many CMSs write the publication time in UTC ("2020-05-02T02:54:29Z") while the same page's
 * server renders its other times (a broadcast schedule, the modified time, a feed) in the newsroom's
 * zone ("Fri, 01 May 2020 23:00:00 -0400"). The UTC instant alone cannot tell 1 May in New York from
 * 2 May in London; the page's own zone can. Only non-zero offsets are counted: "+00:00" is how UTC
 * timestamps are written and says nothing about the zone.
 */

/** ISO 8601 with a numeric offset: 2020-05-01T23:00:00-04:00, 2020-05-01 23:00:00+0530. */
const ISO_WITH_OFFSET = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-])(\d{2}):?(\d{2})(?!\d)/g;

/** RFC 2822 / HTTP style: "Fri, 01 May 2020 23:00:00 -0400". */
const RFC2822_WITH_OFFSET = /\b\d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}(?::\d{2})? ([+-])(\d{2})(\d{2})\b/g;

/** Timestamps read before deciding (the zone is settled by the first few; bounds work on huge pages). */
export const MAX_ZONE_SAMPLES = 50;

/** Real zones lie within UTC−12…UTC+14; anything else is not an offset. */
const MAX_OFFSET_MINUTES = 14 * 60;

/** The commonest non-zero UTC offset (minutes east of UTC) of the page's timestamps, or null. */
export function pageZoneOffset(html: string): number | null {
  const counts = new Map<number, number>();
  let samples = 0;
  for (const re of [ISO_WITH_OFFSET, RFC2822_WITH_OFFSET]) {
    for (const m of html.matchAll(re)) {
      const minutes = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
      if (minutes !== 0 && Math.abs(minutes) <= MAX_OFFSET_MINUTES && Number(m[3]) < 60) {
        counts.set(minutes, (counts.get(minutes) ?? 0) + 1);
      }
      if (++samples >= MAX_ZONE_SAMPLES) break;
    }
  }
  let best: number | null = null;
  let bestCount = 0;
  for (const [offset, count] of counts) {
    if (count > bestCount) {
      best = offset;
      bestCount = count;
    }
  }
  return best;
}
