/**
 * The send Lambda's policy: pick the day due, then send a small list here and hand a large one to the
 * send workers in batches. A transient failure fails the run, so that the scheduler's retry sends to
 * whoever the ledger does not hold yet.
 */
import { requireCalendarDay } from '../core/day.ts';
import { TransientError } from '../core/errors.ts';
import { chunk } from '../core/s3-event.ts';
import { latestCompleteDay } from '../core/schedule.ts';
import { isSendable } from '../core/subscriber.ts';
import type { Day } from '../core/types.ts';
import type { FanOut } from '../ports.ts';
import { type SendDependencies, type SendReport, sendBriefing } from './send-briefing.ts';

/**
 * Lists longer than this are fanned out. One Lambda sends ~10–14 messages/s at SES's default rate,
 * so 500 addresses take well under a minute; beyond that, parallel workers keep the run short.
 */
export const FANOUT_THRESHOLD = 500;
/** Subscribers per worker message: a batch must finish well inside the worker's timeout at the SES rate. */
export const FANOUT_BATCH_SIZE = 200;

export interface SendRequest {
  /** The day to send; absent: the latest complete day in the operator's time zone. */
  readonly day?: Day;
  readonly now: Date;
}

/** What a send run did; `batches` is set when the list went to the workers instead. */
export type SendRunReport = SendReport & { readonly batches?: number; readonly subscribers?: number };

export async function sendOrFanOut(
  request: SendRequest,
  deps: SendDependencies & { readonly fanOut?: FanOut | null },
): Promise<SendRunReport> {
  const day =
    (request.day === undefined
      ? undefined
      : requireCalendarDay(request.day, 'The day to send (event.day)')) ??
    latestCompleteDay(await deps.store.listDigestDays(), request.now, deps.timeZone ?? 'UTC');
  if (day === null) return { day: null, sent: 0, skipped: 0, failed: 0, failures: [] };
  // Only active readers go to the workers: a worker sees addresses, not their status.
  const subscribers = (await deps.subscribers.list()).filter(isSendable);
  if (deps.fanOut && subscribers.length > FANOUT_THRESHOLD) {
    const batches = chunk(
      subscribers.map((s) => s.email),
      FANOUT_BATCH_SIZE,
    );
    await deps.fanOut.enqueue(day, batches);
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
  // A transient failure released its claim, but returning normally would end the day for that subscriber:
  // the scheduler invokes asynchronously, so only a failed invocation is retried (and counted by the
  // Errors alarm). The retry skips everyone the ledger already holds as sent or rejected.
  const transient = report.failures.filter((f) => !f.permanent).length;
  if (transient > 0) {
    throw new TransientError(
      `${transient} subscriber(s) could not be sent the ${report.day} briefing for a temporary reason (SES throttling or an outage). ` +
        "Lambda's retry of this invocation sends to them only; if every retry fails, invoke the send function with " +
        `{"day":"${report.day}"} once SES recovers.`,
    );
  }
  return report;
}
