/**
 * The subscriber record and every rule that changes it: status (active, pending, suppressed for a
 * bounce or a complaint), the reader's cadence and local hour, and the run of transient bounces.
 *
 * Stores keep records as they are given; they never decide. Old records (before statuses existed)
 * have only `email` and `subscribedAt`: every other field is optional and the helpers below give
 * its default, so a record is read the same way wherever it comes from.
 *
 * Who moves a record where:
 *   operator add / sign-up  → `admitSubscriber`   (a complaint suppression refuses an add without override)
 *   double opt-in confirm   → `confirmSubscriber`  (pending → active; clears a bounce suppression)
 *   SES feedback            → `suppressSubscriber`, `countTransientBounce`, `countDelivery`
 *   preferences (CLI, page) → `parsePreferences` then `withPreferences`
 *   every send              → `isSendable`
 */
import { InputRejectedError } from './errors.ts';

export type SubscriberStatus = 'active' | 'pending' | 'suppressed';
export type SuppressionReason = 'bounce' | 'complaint';
export type Cadence = 'daily' | 'weekly';
export const CADENCES: readonly Cadence[] = ['daily', 'weekly'];

/** Transient bounces in a row, with no delivery between them, that suppress an address. */
export const TRANSIENT_BOUNCE_LIMIT = 3;

export interface Suppression {
  readonly reason: SuppressionReason;
  /** ISO-8601 time of the event that suppressed the address. */
  readonly at: string;
  /** What SES said, with no address in it (bounce type/subtype, complaint feedback type). */
  readonly detail?: string;
}

export interface Subscriber {
  /** Trimmed, lower-cased plain address (core/address.ts). */
  readonly email: string;
  readonly subscribedAt: string;
  /** Absent: `active` (records written before statuses existed). */
  readonly status?: SubscriberStatus;
  /** Present exactly when `status` is `suppressed`. */
  readonly suppression?: Suppression;
  /** Absent: `daily`. */
  readonly cadence?: Cadence;
  /** IANA time zone of the reader. Absent: the operator's. */
  readonly timeZone?: string;
  /** Local hour 0–23 at which the briefing is due. Absent: the operator's. */
  readonly hour?: number;
  /** Transient bounces since the last delivery. Absent: 0. */
  readonly transientBounces?: number;
  /** When an operator re-added this address over a complaint suppression (`add --override`). */
  readonly complaintOverriddenAt?: string;
  /**
   * When the last sign-up confirmation was sent (ISO-8601). Its link is valid only while this stays the
   * same, so a used or superseded link is refused; it also spaces confirmations 24 hours apart.
   */
  readonly confirmationSentAt?: string;
}

/** The operator's defaults for readers who chose no time zone or hour. */
export interface ReaderDefaults {
  readonly timeZone: string;
  readonly hour: number;
}

export const statusOf = (s: Subscriber): SubscriberStatus => s.status ?? 'active';
export const cadenceOf = (s: Subscriber): Cadence => s.cadence ?? 'daily';
export const timeZoneOf = (s: Subscriber, defaults: ReaderDefaults): string =>
  s.timeZone ?? defaults.timeZone;
export const hourOf = (s: Subscriber, defaults: ReaderDefaults): number => s.hour ?? defaults.hour;

/** Only active readers are mailed: pending ones have not confirmed, suppressed ones bounced or complained. */
export const isSendable = (s: Subscriber): boolean => statusOf(s) === 'active';

/** The status as `subscribers list` shows it: `active`, `pending`, `suppressed: bounce`, `suppressed: complaint`. */
export function statusLabel(s: Subscriber): string {
  const status = statusOf(s);
  return status === 'suppressed' ? `suppressed: ${s.suppression?.reason ?? 'bounce'}` : status;
}

/** The InputRejectedError code of an operator add refused because the reader complained. */
export const COMPLAINT_SUPPRESSED = 'complaint-suppressed';

export interface AdmitOptions {
  /** `active` for an operator add (the default), `pending` for a sign-up awaiting confirmation. */
  readonly status?: 'active' | 'pending';
  /** An operator's explicit decision to re-add an address that complained (logged by the caller). */
  readonly override?: boolean;
}

function withoutSuppression(s: Subscriber): Subscriber {
  const { suppression: _suppression, transientBounces: _bounces, ...rest } = s;
  return rest;
}

/**
 * The record after an add. Adding is idempotent for an active reader and keeps their preferences.
 * A sign-up (`pending`) never downgrades an active reader and never lifts a suppression: only the
 * confirmation does. An operator add lifts a bounce suppression, but a complaint one only with
 * `override`: a reader who marked the briefing as spam must not be mailed again by mistake.
 * @throws InputRejectedError (COMPLAINT_SUPPRESSED) for a complaint-suppressed address without override.
 */
export function admitSubscriber(
  existing: Subscriber | null,
  email: string,
  now: Date,
  options: AdmitOptions = {},
): Subscriber {
  const wanted = options.status ?? 'active';
  if (existing === null) {
    return { email, subscribedAt: now.toISOString(), ...(wanted === 'pending' ? { status: 'pending' } : {}) };
  }
  const status = statusOf(existing);
  if (wanted === 'pending') return existing;
  if (status === 'suppressed' && existing.suppression?.reason === 'complaint') {
    if (!options.override) {
      throw new InputRejectedError(
        COMPLAINT_SUPPRESSED,
        `Not added: this reader reported the briefing as spam on ${existing.suppression.at.slice(0, 10)}, so the address is suppressed. Add --override only if the reader asked to come back; the override is logged.`,
      );
    }
    return { ...withoutSuppression(existing), status: 'active', complaintOverriddenAt: now.toISOString() };
  }
  if (status === 'active') return existing;
  return { ...withoutSuppression(existing), status: 'active' };
}

/**
 * The record after the reader confirms a double opt-in: active, and a bounce suppression is cleared
 * (the reader has just proved the mailbox works). A complaint suppression stays; only an operator
 * `add --override` lifts it.
 */
export function confirmSubscriber(existing: Subscriber): Subscriber {
  if (statusOf(existing) === 'suppressed' && existing.suppression?.reason === 'complaint') return existing;
  const { confirmationSentAt: _used, ...rest } = withoutSuppression(existing);
  return { ...rest, status: 'active' };
}

/** Suppresses the address. A complaint outranks a bounce and is never replaced by one. */
export function suppressSubscriber(
  existing: Subscriber,
  reason: SuppressionReason,
  at: string,
  detail?: string,
): Subscriber {
  if (existing.suppression?.reason === 'complaint' && statusOf(existing) === 'suppressed') return existing;
  return {
    ...existing,
    status: 'suppressed',
    suppression: { reason, at, ...(detail ? { detail } : {}) },
  };
}

/** One more transient bounce; the TRANSIENT_BOUNCE_LIMIT-th in a row suppresses the address. */
export function countTransientBounce(existing: Subscriber, at: string, detail?: string): Subscriber {
  const count = (existing.transientBounces ?? 0) + 1;
  const counted = { ...existing, transientBounces: count };
  if (count < TRANSIENT_BOUNCE_LIMIT || statusOf(existing) === 'suppressed') return counted;
  return suppressSubscriber(
    counted,
    'bounce',
    at,
    `${TRANSIENT_BOUNCE_LIMIT} transient bounces in a row${detail ? ` (last: ${detail})` : ''}`,
  );
}

/** A delivery ends a run of transient bounces. */
export function countDelivery(existing: Subscriber): Subscriber {
  if ((existing.transientBounces ?? 0) === 0) return existing;
  const { transientBounces: _count, ...rest } = existing;
  return rest;
}

/** A reader's choices; each key absent leaves that choice as it is. */
export interface Preferences {
  readonly cadence?: Cadence;
  readonly timeZone?: string;
  readonly hour?: number;
}

/** True for a time zone the runtime knows by IANA name (`Europe/Paris`, `UTC`). */
export function isKnownTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone !== zone.trim()) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Checks raw preference values (from the CLI or a form) and returns them typed.
 * @throws InputRejectedError (`bad-preference`) naming the key and a valid example.
 */
export function parsePreferences(raw: {
  readonly cadence?: string | undefined;
  readonly timeZone?: string | undefined;
  readonly hour?: string | number | undefined;
}): Preferences {
  const refuse = (key: string, got: string, rule: string, example: string) =>
    new InputRejectedError('bad-preference', `${key} must be ${rule}, such as ${example}; got "${got}".`);
  const result: { cadence?: Cadence; timeZone?: string; hour?: number } = {};
  if (raw.cadence !== undefined) {
    const cadence = raw.cadence.trim().toLowerCase();
    if (!(CADENCES as readonly string[]).includes(cadence)) {
      throw refuse('cadence', raw.cadence, 'daily or weekly', 'weekly');
    }
    result.cadence = cadence as Cadence;
  }
  if (raw.timeZone !== undefined) {
    if (!isKnownTimeZone(raw.timeZone)) {
      throw refuse('time-zone', raw.timeZone, 'an IANA time zone name', 'Asia/Tokyo');
    }
    result.timeZone = raw.timeZone;
  }
  if (raw.hour !== undefined) {
    const text = String(raw.hour).trim();
    const hour = Number(text);
    if (!/^\d{1,2}$/.test(text) || hour > 23)
      throw refuse('hour', String(raw.hour), 'a whole hour from 0 to 23', '7');
    result.hour = hour;
  }
  return result;
}

/** The record with the reader's new choices applied. */
export function withPreferences(existing: Subscriber, preferences: Preferences): Subscriber {
  return { ...existing, ...preferences };
}

/** Counts by status label, for `subscribers list`. */
export function countByStatus(subscribers: readonly Subscriber[]): Record<string, number> {
  const counts: Record<string, number> = {
    active: 0,
    pending: 0,
    'suppressed: bounce': 0,
    'suppressed: complaint': 0,
  };
  for (const s of subscribers) counts[statusLabel(s)] = (counts[statusLabel(s)] ?? 0) + 1;
  return counts;
}

export const isSuppressed = (s: Subscriber): boolean => statusOf(s) === 'suppressed';
export const isComplaintSuppressed = (s: Subscriber): boolean =>
  isSuppressed(s) && s.suppression?.reason === 'complaint';

/**
 * A store's guard on `update`: a change may not move a record to another address (the record is
 * found by its address, so a changed one would be a different reader).
 */
export function keepAddress(current: Subscriber, next: Subscriber): Subscriber {
  if (next.email !== current.email) {
    throw new InputRejectedError('bad-update', 'A subscriber update may not change the address.');
  }
  return next;
}

/** The record of `email` in `subscribers` (addresses compare trimmed and in lower case), or null. */
export function findSubscriber(subscribers: readonly Subscriber[], email: string): Subscriber | null {
  const address = email.trim().toLowerCase();
  return subscribers.find((s) => s.email === address) ?? null;
}
