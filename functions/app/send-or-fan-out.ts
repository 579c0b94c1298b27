/**
 * The send Lambda's policy. Run hourly (no day given): every reader whose local hour has come gets the
 * edition due to them; an edition with many readers goes to the send workers in batches. Invoked with a
 * day: that day goes to every active reader, fanned out the same way when the list is long. A transient
 * failure fails the run, so that Lambda's retry sends to whoever the ledger does not hold yet. Nothing is
 * sent while the reputation guard has paused sending.
 */
import { requireCalendarDay } from '../core/day.ts';
import { TransientError } from '../core/errors.ts';
import { chunk } from '../core/s3-event.ts';
import { isSendable, type ReaderDefaults } from '../core/subscriber.ts';
import type { Day } from '../core/types.ts';
import type { FanOut } from '../ports.ts';
import {
  type EditionDispatch,
  type SendDependencies,
  type SendReport,
  sendBriefing,
  sendDueBriefings,
} from './send-briefing.ts';

/**
 * Lists longer than this are fanned out. One Lambda sends ~10–14 messages/s at SES's default rate,
 * so 500 addresses take well under a minute; beyond that, parallel workers keep the run short.
 */
export const FANOUT_THRESHOLD = 500;
/** Subscribers per worker message: a batch must finish well inside the worker's timeout at the SES rate. */
export const FANOUT_BATCH_SIZE = 200;

export interface SendRequest {
  /** A manual send of this day to every active reader; absent: the hourly send of what is due. */
  readonly day?: Day;
  readonly now: Date;
}

/** What a send run did; `batches` is set when readers went to the workers instead. */
export type SendRunReport = SendReport & {
  readonly batches?: number;
  readonly subscribers?: number;
  /** The hourly run: one report per edition that had readers due. */
  readonly editions?: readonly SendReport[];
};

export type SendOrFanOutDependencies = SendDependencies & {
  readonly fanOut?: FanOut | null;
  /** The operator's zone and hour, for readers who chose none; absent: the operator's zone at 07:00. */
  readonly readerDefaults?: ReaderDefaults;
};

/** A transient failure released its claim; failing the invocation makes Lambda retry it. */
function throwIfTransient(reports: readonly SendReport[]): void {
  const failed = reports.filter((r) => r.failures.some((f) => !f.permanent));
  if (failed.length === 0) return;
  const transient = failed.reduce((n, r) => n + r.failures.filter((f) => !f.permanent).length, 0);
  throw new TransientError(
    `${transient} subscriber(s) could not be sent the ${failed.map((r) => r.day).join(', ')} briefing for a temporary reason (SES throttling or an outage). ` +
      "Lambda's retry of this invocation sends to them only; if every retry fails, the next hourly runs catch up " +
      `within the readers' catch-up window, or invoke the send function with {"day":"${failed[0]?.day}"} once SES recovers.`,
  );
}

async function sendDue(now: Date, deps: SendOrFanOutDependencies): Promise<SendRunReport> {
  let batchCount = 0;
  let fannedOut = 0;
  const dispatch: EditionDispatch = async (edition, readers) => {
    const sendable = readers.filter(isSendable);
    if (!deps.fanOut || sendable.length <= FANOUT_THRESHOLD) return false;
    const batches = chunk(
      sendable.map((s) => s.email),
      FANOUT_BATCH_SIZE,
    );
    await deps.fanOut.enqueue(
      edition.cadence === 'daily' ? edition.day : edition.monday,
      batches,
      edition.cadence,
      now,
    );
    batchCount += batches.length;
    fannedOut += sendable.length;
    return true;
  };
  const readerDefaults = deps.readerDefaults ?? { timeZone: deps.timeZone ?? 'UTC', hour: 7 };
  const due = await sendDueBriefings(now, { ...deps, readerDefaults, dispatch });
  throwIfTransient(due.editions);
  const total = (key: 'sent' | 'skipped' | 'failed') => due.editions.reduce((n, r) => n + r[key], 0);
  return {
    day: due.editions[0]?.day ?? null,
    sent: total('sent'),
    skipped: total('skipped'),
    suppressed: due.editions.reduce((n, r) => n + (r.suppressed ?? 0), 0),
    failed: total('failed'),
    failures: due.editions.flatMap((r) => r.failures),
    editions: due.editions,
    ...(batchCount > 0 ? { batches: batchCount, subscribers: fannedOut } : {}),
    ...(due.paused ? { paused: due.paused } : {}),
  };
}

export async function sendOrFanOut(
  request: SendRequest,
  deps: SendOrFanOutDependencies,
): Promise<SendRunReport> {
  if (request.day === undefined) return sendDue(request.now, deps);
  const day = requireCalendarDay(request.day, 'The day to send (event.day)');
  const paused = await deps.pause?.pausedBecause();
  if (paused) return { day, sent: 0, skipped: 0, failed: 0, failures: [], paused };
  // Only active readers go to the workers: a worker sees addresses, not their status.
  const subscribers = (await deps.subscribers.list()).filter(isSendable);
  if (deps.fanOut && subscribers.length > FANOUT_THRESHOLD) {
    const batches = chunk(
      subscribers.map((s) => s.email),
      FANOUT_BATCH_SIZE,
    );
    await deps.fanOut.enqueue(day, batches, 'daily', request.now);
    return {
      day,
      sent: 0,
      skipped: 0,
      failed: 0,
      failures: [],
      batches: batches.length,
      subscribers: subscribers.length,
    };
  }
  const report = await sendBriefing({ day, now: request.now }, deps);
  throwIfTransient([report]);
  return report;
}
