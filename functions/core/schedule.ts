/** Which digest day a scheduled send delivers. */
import type { Day } from './types.ts';

/** The calendar day of `instant` in an IANA time zone, as `YYYY-MM-DD`. */
export function dayInTimeZone(instant: Date, timeZone: string): Day {
  // en-CA formats as YYYY-MM-DD, which is exactly the digest day format.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(instant);
}

/**
 * The latest complete day: the newest digest day strictly before today in the operator's time zone.
 * Today's digest is still filling up, so it waits for tomorrow's send.
 */
export function latestCompleteDay(days: readonly Day[], now: Date, timeZone: string): Day | null {
  const today = dayInTimeZone(now, timeZone);
  let latest: Day | null = null;
  for (const day of days) if (day < today && (latest === null || day > latest)) latest = day;
  return latest;
}
