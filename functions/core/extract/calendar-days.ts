/**
 * Calendar arithmetic for publication dates, all in UTC days: building a day from its parts, and
 * resolving a weekday or a yearless date against the arrival time.
 */
import type { Day } from '../types.ts';

/** Earliest plausible publication year; older years in pages are history, not publication dates. */
export const MIN_PUBLICATION_YEAR = 1995;

const WEEKDAY_NAMES = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function toDay(year: number, month: number, day: number): Day | null {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1 || day > 31) return null;
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCMonth() !== month - 1) return null;
  // Four digits always: a CMS's empty "0001-01-01" must read as year 1, not slip past year checks.
  return `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
}

/** The UTC day of an instant. */
export function dayOfUtc(date: Date): Day {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** True when the day lies after the arrival day (a "publication" date in the future is wrong). */
export function isAfterArrival(day: Day, arrivedAt: Date): boolean {
  return day > dayOfUtc(arrivedAt);
}

export function plausibleYear(year: number, arrivedAt: Date): boolean {
  return year >= MIN_PUBLICATION_YEAR && year <= arrivedAt.getUTCFullYear();
}

/**
 * The most recent year ≤ the arrival year in which month/day falls on the weekday (0 = Sunday).
 * "Monday (February 28)" read in 2026 is 2022. Looks back 28 years (the calendar cycle).
 */
export function yearForWeekday(month: number, day: number, weekday: number, arrivedAt: Date): number | null {
  const last = arrivedAt.getUTCFullYear();
  for (let year = last; year > last - 28; year--) {
    const d = toDay(year, month, day);
    if (!d || isAfterArrival(d, arrivedAt)) continue;
    if (new Date(Date.UTC(year, month - 1, day)).getUTCDay() === weekday) return year;
  }
  return null;
}

/** The most recent given weekday on or before the arrival day. */
export function lastWeekdayOnOrBefore(weekday: number, arrivedAt: Date): Day {
  const base = new Date(
    Date.UTC(arrivedAt.getUTCFullYear(), arrivedAt.getUTCMonth(), arrivedAt.getUTCDate()),
  );
  const back = (base.getUTCDay() - weekday + 7) % 7;
  base.setUTCDate(base.getUTCDate() - back);
  return dayOfUtc(base);
}

/** Most recent occurrence of month/day on or before arrival (for a yearless dateline). */
export function mostRecentMonthDay(month: number, day: number, arrivedAt: Date): Day | null {
  const year = arrivedAt.getUTCFullYear();
  const thisYear = toDay(year, month, day);
  if (thisYear && !isAfterArrival(thisYear, arrivedAt)) return thisYear;
  return toDay(year - 1, month, day);
}

/** Exported for diagnostics and tests: the weekday index of an English weekday name. */
export function weekdayIndex(name: string): number | null {
  const i = WEEKDAY_NAMES.indexOf(name.toLowerCase());
  return i < 0 ? null : i;
}
