/**
 * When a reader is due, and with which edition. The send schedule runs every hour; a reader is due in
 * the first hours from their chosen local hour (their IANA zone, daylight saving included), and the
 * send ledger, keyed by edition, makes every later run that day a no-op. So a reader gets each edition
 * once, and a day's edition even when its hour does not exist (spring forward) or repeats (fall back),
 * or when one hourly run was lost.
 */

import { cadenceOf, hourOf, type ReaderDefaults, type Subscriber, timeZoneOf } from './subscriber.ts';
import type { Day } from './types.ts';
import { isMonday } from './weekly.ts';

/** Hours from the reader's hour during which a run still sends: a lost or late hourly run is caught up. */
export const CATCH_UP_HOURS = 3;

export type Edition =
  /** A day's digest; the ledger key is the digest day. */
  | { readonly cadence: 'daily'; readonly key: Day; readonly day: Day }
  /** The week before `monday`; the ledger key is `<monday>-weekly`, never a digest day. */
  | { readonly cadence: 'weekly'; readonly key: string; readonly monday: Day };

/** The local calendar day and hour of `instant` in an IANA zone. */
export function localClock(instant: Date, timeZone: string): { readonly day: Day; readonly hour: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return { day: `${part('year')}-${part('month')}-${part('day')}`, hour: Number(part('hour')) };
}

/** The newest digest day strictly before `today` (today's digest is still filling up). */
export function latestDayBefore(days: readonly Day[], today: Day): Day | null {
  let latest: Day | null = null;
  for (const day of days) if (day < today && (latest === null || day > latest)) latest = day;
  return latest;
}

/**
 * The edition due to this reader at `now`, or null when it is not their time. A daily reader gets the
 * latest complete digest day of their own zone; a weekly reader, on their Monday, the week before it.
 */
export function dueEdition(
  subscriber: Subscriber,
  now: Date,
  defaults: ReaderDefaults,
  digestDays: readonly Day[],
): Edition | null {
  const local = localClock(now, timeZoneOf(subscriber, defaults));
  const hour = hourOf(subscriber, defaults);
  if (local.hour < hour || local.hour >= hour + CATCH_UP_HOURS) return null;
  if (cadenceOf(subscriber) === 'weekly') {
    if (!isMonday(local.day)) return null;
    return { cadence: 'weekly', key: `${local.day}-weekly`, monday: local.day };
  }
  const day = latestDayBefore(digestDays, local.day);
  return day === null ? null : { cadence: 'daily', key: day, day };
}
