/**
 * Day formatting for the briefing. Written out by hand rather than with Intl so the output does
 * not depend on the ICU data of the machine that renders it.
 */
import type { Day } from '../types.ts';

/** English day and month names, Sunday and January first (as Date's getUTCDay/getUTCMonth count). */
export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function parseDay(day: Day): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "Monday 28 February 2022"; the input unchanged when it is not a YYYY-MM-DD day. */
export function formatLongDay(day: Day): string {
  const date = parseDay(day);
  if (!date) return day;
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** "28 Feb" (with the year when it differs from `relativeTo`'s): how a follow-up names its day. */
export function formatShortDay(day: Day, relativeTo?: Day): string {
  const date = parseDay(day);
  if (!date) return day;
  const short = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]?.slice(0, 3)}`;
  const other = relativeTo ? parseDay(relativeTo) : null;
  return other && other.getUTCFullYear() !== date.getUTCFullYear()
    ? `${short} ${date.getUTCFullYear()}`
    : short;
}

/** "16–22 November 2026", "30 November – 6 December 2026", "28 December 2026 – 3 January 2027". */
export function formatWeekRange(from: Day, to: Day): string {
  const a = parseDay(from);
  const b = parseDay(to);
  if (!a || !b) return `${from} – ${to}`;
  const month = (d: Date) => MONTHS[d.getUTCMonth()];
  if (a.getUTCFullYear() !== b.getUTCFullYear()) {
    return `${a.getUTCDate()} ${month(a)} ${a.getUTCFullYear()} – ${b.getUTCDate()} ${month(b)} ${b.getUTCFullYear()}`;
  }
  if (a.getUTCMonth() !== b.getUTCMonth()) {
    return `${a.getUTCDate()} ${month(a)} – ${b.getUTCDate()} ${month(b)} ${b.getUTCFullYear()}`;
  }
  return `${a.getUTCDate()}–${b.getUTCDate()} ${month(b)} ${b.getUTCFullYear()}`;
}
