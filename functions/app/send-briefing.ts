/**
 * The send use case: deliver one day's briefing to every active subscriber, exactly once each.
 *
 * A ledger entry per (day, subscriber) is claimed before the message goes out, so a retried or repeated
 * invocation never emails anyone twice. Throttling is met with exponential backoff; one failing address
 * never stops the rest.
 */

import { requireCalendarDay } from '../core/day.ts';
import { InputRejectedError, TransientError } from '../core/errors.ts';
import { dueEdition, type Edition } from '../core/reader-schedule.ts';
import { redactEmails } from '../core/redact.ts';
import type { BriefingConfig } from '../core/render/config.ts';
import { BAD_RECIPIENT } from '../core/render/mime.ts';
import type { RenderedBriefing } from '../core/render/types.ts';
import { latestCompleteDay } from '../core/schedule.ts';
import { CLAIM_STALE_AFTER_MS } from '../core/send-claim.ts';
import {
  type Cadence,
  isSendable,
  type ReaderDefaults,
  type Subscriber,
  statusLabel,
  statusOf,
} from '../core/subscriber.ts';
import type { Day, Digest } from '../core/types.ts';
import { daysOf, weekBefore, weeklyRollup } from '../core/weekly.ts';
import type {
  BriefingRenderer,
  DigestStore,
  Mailer,
  SendingPause,
  SendLedger,
  SubscriberStore,
} from '../ports.ts';
import { type ComposedMessage, composeMessage } from './compose.ts';

/** Attempts per message when SES throttles; with the delays below the last try is ~6 s after the first. */
const MAX_SEND_ATTEMPTS = 5;
/** First backoff delay; doubled on each retry, with jitter so parallel workers do not retry in lockstep. */
const BASE_BACKOFF_MS = 200;

export interface SendDependencies {
  readonly store: DigestStore;
  readonly subscribers: SubscriberStore;
  readonly ledger: SendLedger;
  readonly mailer: Mailer;
  readonly config: BriefingConfig;
  readonly render: BriefingRenderer;
  readonly unsubscribeSecret: string;
  /** The operator's IANA time zone: "today" is judged there. */
  readonly timeZone?: string;
  /** Messages per second allowed by the account (SES GetSendQuota MaxSendRate). */
  readonly maxSendRate?: number;
  /** The reputation guard's switch: while set, nothing is sent. Absent: never paused. */
  readonly pause?: SendingPause;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly onFailure?: (failure: SendFailure) => void;
  /** The clock (stale claims, briefing age); the system clock by default. */
  readonly now?: () => Date;
  /** How old a queued briefing may be when a worker gets to it; DEFAULT_MAX_BRIEFING_AGE_MS by default. */
  readonly maxBriefingAgeMs?: number;
}

export interface SendFailure {
  /** Index of the subscriber in the batch, not the address: addresses are personal data and stay out of logs. */
  readonly subscriberIndex: number;
  readonly reason: string;
  readonly permanent: boolean;
}

export interface SendReport {
  readonly day: Day | null;
  readonly sent: number;
  /** Already sent (or refused) by an earlier run: the ledger held them. */
  readonly skipped: number;
  /** Suppressed for a bounce or a complaint: not sent, and the ledger says why. */
  readonly suppressed?: number;
  /** Of a queued batch too old to send: recorded `expired` in the ledger, not sent. */
  readonly expired?: number;
  readonly failed: number;
  readonly failures: readonly SendFailure[];
  /** Set when nothing was sent because the reputation guard paused sending: why, and since when. */
  readonly paused?: string;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function sendWithBackoff(send: () => Promise<{ messageId: string }>, deps: SendDependencies) {
  const sleep = deps.sleep ?? defaultSleep;
  const random = deps.random ?? Math.random;
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof TransientError) || attempt >= MAX_SEND_ATTEMPTS) throw error;
      await sleep(BASE_BACKOFF_MS * 2 ** (attempt - 1) * (0.5 + random()));
    }
  }
}

/** Sends an already rendered briefing to a batch of subscribers (one fan-out batch, or the whole list). */
export async function sendToSubscribers(
  digest: Digest,
  rendered: RenderedBriefing,
  subscribers: readonly Subscriber[],
  deps: SendDependencies,
  edition: { readonly key: string; readonly cadence: Cadence } = { key: digest.date, cadence: 'daily' },
): Promise<SendReport> {
  // The ledger is keyed by edition: the digest day for a daily briefing, `<monday>-weekly` for a weekly one.
  const ledgerKey = edition.key;
  const paused = await deps.pause?.pausedBecause();
  if (paused) return { day: ledgerKey, sent: 0, skipped: 0, failed: 0, failures: [], paused };
  const sleep = deps.sleep ?? defaultSleep;
  const pacingMs = deps.maxSendRate && deps.maxSendRate > 0 ? 1000 / deps.maxSendRate : 0;
  let sent = 0;
  let skipped = 0;
  let suppressed = 0;
  const failures: SendFailure[] = [];
  const fail = async (index: number, subscriber: Subscriber, error: unknown) => {
    const permanent = !(error instanceof TransientError);
    // The reason goes to the logs, the report and the ledger: SES's own text can name the address.
    const reason = redactEmails((error as Error).message);
    // A permanent refusal is recorded so it is not retried every day; a transient one frees the claim.
    if (permanent) await deps.ledger.markRejected(ledgerKey, subscriber.email, reason);
    else await deps.ledger.release(ledgerKey, subscriber.email);
    const failure = { subscriberIndex: index, reason, permanent };
    failures.push(failure);
    deps.onFailure?.(failure);
  };
  for (const [index, subscriber] of subscribers.entries()) {
    // A pending reader has not confirmed yet: not on the list for sending, and nothing to record.
    if (statusOf(subscriber) === 'pending') continue;
    if (!isSendable(subscriber)) {
      // The ledger keeps why this day was not sent, once (a refused claim means it was recorded already).
      if (await deps.ledger.claim(ledgerKey, subscriber.email)) {
        await deps.ledger.markRejected(ledgerKey, subscriber.email, statusLabel(subscriber));
      }
      suppressed++;
      continue;
    }
    // A claim left by a send that died before marking it (older than any send can run) is taken over.
    const staleBefore = new Date((deps.now?.() ?? new Date()).getTime() - CLAIM_STALE_AFTER_MS);
    if (!(await deps.ledger.claim(ledgerKey, subscriber.email, { staleBefore }))) {
      skipped++;
      continue;
    }
    let message: ComposedMessage;
    try {
      message = composeMessage(
        rendered,
        digest,
        deps.config,
        subscriber.email,
        deps.unsubscribeSecret,
        edition.cadence,
      );
    } catch (error) {
      if (error instanceof InputRejectedError && error.code === BAD_RECIPIENT) {
        // This subscriber's address cannot go in a header: their fault alone, so the others still get it.
        await fail(index, subscriber, error);
        continue;
      }
      // Anything else (the sender address, the unsubscribe settings) breaks every message alike: stop,
      // so the error reaches the alarm, and give the claim back so the run after the fix sends to them.
      await deps.ledger.release(ledgerKey, subscriber.email);
      throw error;
    }
    try {
      const started = Date.now();
      const { messageId } = await sendWithBackoff(
        () =>
          deps.mailer.send({
            from: deps.config.senderAddress,
            to: subscriber.email,
            raw: new TextEncoder().encode(message.raw),
          }),
        deps,
      );
      sent++;
      // SES has the message now: if the "sent" mark fails, the claim must stay (releasing it would let a
      // retry email this subscriber twice). The entry then reads `claimed`, an unconfirmed delivery.
      await deps.ledger.markSent(ledgerKey, subscriber.email, messageId).catch(() => undefined);
      const elapsed = Date.now() - started;
      if (pacingMs > elapsed) await sleep(pacingMs - elapsed);
    } catch (error) {
      await fail(index, subscriber, error);
    }
  }
  return { day: ledgerKey, sent, skipped, suppressed, failed: failures.length, failures };
}

/** Loads the digest due (the given day, or the latest complete day), renders it once and sends it to everyone. */
export async function sendBriefing(
  request: { readonly day?: Day; readonly now: Date },
  deps: SendDependencies,
): Promise<SendReport> {
  const day =
    (request.day === undefined ? undefined : requireCalendarDay(request.day, 'The day to send')) ??
    latestCompleteDay(await deps.store.listDigestDays(), request.now, deps.timeZone ?? 'UTC');
  const empty: SendReport = { day, sent: 0, skipped: 0, failed: 0, failures: [] };
  if (day === null) return empty;
  const paused = await deps.pause?.pausedBecause();
  if (paused) return { ...empty, paused };
  const digest = await deps.store.getDigest(day);
  if (digest === null || digest.stories.length === 0) return { ...empty, day: digest === null ? null : day };
  const rendered = await deps.render(digest, deps.config);
  return sendToSubscribers(digest, rendered, await deps.subscribers.list(), deps);
}

/** The digest an edition sends: the day's own, or the week's roll-up; null when there is nothing to send. */
export async function editionDigest(edition: Edition, store: DigestStore): Promise<Digest | null> {
  if (edition.cadence === 'daily') return store.getDigest(edition.day);
  const days = daysOf(weekBefore(edition.monday));
  const digests = (await Promise.all(days.map((day) => store.getDigest(day)))).filter(
    (d): d is Digest => d !== null,
  );
  return weeklyRollup(edition.monday, digests);
}

export interface DueReport {
  /** One report per edition that had readers due. */
  readonly editions: readonly SendReport[];
  /** Readers (active or suppressed) whose hour or day it was not. */
  readonly notDue: number;
  /** Set when nothing was sent because the reputation guard paused sending. */
  readonly paused?: string;
}

/**
 * Hands an edition's readers to someone else (the fan-out queue) instead of sending here; returns
 * false to have them sent here after all.
 */
export type EditionDispatch = (edition: Edition, readers: readonly Subscriber[]) => Promise<boolean>;

/**
 * The hourly send: every reader whose local hour has come gets the edition due to them (daily or
 * weekly, in their zone), each edition rendered once. The ledger makes a repeated run a no-op, and
 * records suppressed readers once per edition.
 */
export async function sendDueBriefings(
  now: Date,
  deps: SendDependencies & { readonly readerDefaults: ReaderDefaults; readonly dispatch?: EditionDispatch },
): Promise<DueReport> {
  const paused = await deps.pause?.pausedBecause();
  if (paused) return { editions: [], notDue: 0, paused };
  const subscribers = (await deps.subscribers.list()).filter((s) => statusOf(s) !== 'pending');
  const digestDays = await deps.store.listDigestDays();
  const groups = new Map<string, { edition: Edition; readers: Subscriber[] }>();
  let notDue = 0;
  for (const subscriber of subscribers) {
    const edition = dueEdition(subscriber, now, deps.readerDefaults, digestDays);
    if (edition === null) {
      notDue++;
      continue;
    }
    const group = groups.get(edition.key) ?? { edition, readers: [] };
    group.readers.push(subscriber);
    groups.set(edition.key, group);
  }
  const editions: SendReport[] = [];
  for (const { edition, readers } of [...groups.values()].sort((a, b) =>
    a.edition.key < b.edition.key ? -1 : 1,
  )) {
    if (deps.dispatch && (await deps.dispatch(edition, readers))) {
      editions.push({ day: edition.key, sent: 0, skipped: 0, failed: 0, failures: [] });
      continue;
    }
    const digest = await editionDigest(edition, deps.store);
    if (digest === null || digest.stories.length === 0) {
      editions.push({ day: edition.key, sent: 0, skipped: 0, failed: 0, failures: [] });
      continue;
    }
    const rendered = await deps.render(digest, deps.config);
    editions.push(await sendToSubscribers(digest, rendered, readers, deps, edition));
  }
  return { editions, notDue };
}
