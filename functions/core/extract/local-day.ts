/**
 * The publisher's local day of a machine timestamp.
 *
 * A timestamp written with a local offset ("2020-05-17T23:30:00-04:00") names its local day in its
 * date part: the 17th, whatever the UTC day is. A timestamp written in UTC ("…Z", "+00:00") does not:
 * "2020-05-02T02:54:29Z" is 1 May in New York and 2 May in Paris. Its local day is the UTC day or a
 * neighbour, depending on the publisher's zone, so other evidence on the page (the URL's day, a
 * timestamp of the same page with a real offset, the date the page shows) may settle it; none of them
 * may move the day further than a real time zone could.
 */
import type { Day } from '../types.ts';

/**
 * Westernmost UTC offset of a publisher, in minutes: Hawaii (UTC−10). UTC−11/−12 hold only American
 * Samoa and uninhabited islands; allowing them would let a URL's day override any morning timestamp.
 */
export const MIN_UTC_OFFSET_MINUTES = -10 * 60;

/** Easternmost UTC offset of a publisher, in minutes: New Zealand in summer (UTC+13), Kiribati (UTC+14). */
export const MAX_UTC_OFFSET_MINUTES = 14 * 60;

const MINUTES_PER_DAY = 24 * 60;

export interface Timestamp {
  /** The calendar day as written (the local day when an offset other than UTC is written). */
  readonly day: Day;
  /** Minutes after midnight of the written time, or null when no time is written. */
  readonly minutes: number | null;
  /** True when the zone is UTC (Z, +00:00, GMT+0000): the local day is then uncertain. */
  readonly utc: boolean;
  /** True when no zone is written ("2019-11-20T01:50:59"): read as the CMS's local time. */
  readonly floating: boolean;
}

const ISO_TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})[T\s](\d{1,2}):(\d{1,2})(?::\d{1,2}(?:\.\d+)?)?\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?/i;

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Reads an ISO-style timestamp; null for anything else (plain days, prose dates). */
export function readTimestamp(value: string | null | undefined): Timestamp | null {
  if (!value) return null;
  const m = ISO_TIMESTAMP.exec(value.trim());
  if (!m) return null;
  const zone = (m[6] ?? '').toUpperCase();
  const utc = zone === 'Z' || zone === 'UTC' || zone === 'GMT' || /^[+-]00:?00$/.test(zone);
  return {
    day: `${m[1]}-${pad(Number(m[2]))}-${pad(Number(m[3]))}`,
    minutes: Number(m[4]) * 60 + Number(m[5]),
    utc,
    floating: zone === '',
  };
}

export function shiftDay(day: Day, days: number): Day {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The days a UTC timestamp can fall on in some real time zone: its UTC day, the day before when the
 * time is early enough for a western zone to still be on it, the day after when late enough for an
 * eastern zone to be on it already.
 */
export function possibleLocalDays(ts: Timestamp): Day[] {
  if (!ts.utc || ts.minutes === null) return [ts.day];
  const days: Day[] = [ts.day];
  if (ts.minutes + MIN_UTC_OFFSET_MINUTES < 0) days.push(shiftDay(ts.day, -1));
  if (ts.minutes + MAX_UTC_OFFSET_MINUTES >= MINUTES_PER_DAY) days.push(shiftDay(ts.day, 1));
  return days;
}

/** True when `day` can be the publisher's local day of the timestamp. */
export function canBeLocalDay(ts: Timestamp, day: Day): boolean {
  return possibleLocalDays(ts).includes(day);
}

/**
 * The day a UTC timestamp falls on in a zone `offsetMinutes` east of UTC. WHY: when the page tells
 * its own zone (page-zone.ts), converting the instant is exact where guessing from neighbours is not.
 * Offsets outside real zones, or a timestamp without a time, leave the written day.
 */
export function dayInZone(ts: Timestamp, offsetMinutes: number): Day {
  if (!ts.utc || ts.minutes === null) return ts.day;
  if (offsetMinutes < MIN_UTC_OFFSET_MINUTES - 2 * 60 || offsetMinutes > MAX_UTC_OFFSET_MINUTES)
    return ts.day;
  return shiftDay(ts.day, Math.floor((ts.minutes + offsetMinutes) / MINUTES_PER_DAY));
}
