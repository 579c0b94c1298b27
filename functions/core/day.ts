/**
 * A digest day named from outside (the CLI's `send --date`, the send function's `event.day`, a
 * fan-out message): only a real calendar day written `YYYY-MM-DD` is accepted, because the day
 * becomes part of a file path and an object key (`digests/<day>.json`), where `../` could reach
 * outside the store.
 */
import { InputRejectedError } from './errors.ts';
import type { Day } from './types.ts';

const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Whether `value` is a calendar day written YYYY-MM-DD (2026-02-30 is not). */
export function isCalendarDay(value: unknown): value is Day {
  if (typeof value !== 'string') return false;
  const match = DAY_PATTERN.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** `value` as a Day, or an InputRejectedError naming `what` and the form expected. */
export function requireCalendarDay(value: unknown, what: string): Day {
  if (isCalendarDay(value)) return value;
  const shown = typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : typeof value;
  throw new InputRejectedError(
    'invalid-day',
    `${what} must be a day written YYYY-MM-DD, such as 2026-11-22, not ${shown}.`,
  );
}
