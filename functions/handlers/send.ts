/**
 * Send Lambda, run by EventBridge Scheduler: picks the digest due (the latest complete day in the
 * operator's time zone, or `{ "day": "YYYY-MM-DD" }` from a manual invocation) and delivers it.
 * Small lists are sent here; large lists are fanned out to the send-worker queue in batches.
 */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { sendDependenciesFromEnv } from '../adapters/send-dependencies.ts';
import { type SendDependencies, type SendReport, sendBriefing } from '../app/send-briefing.ts';
import { TransientError } from '../core/errors.ts';
import { chunk } from '../core/s3-event.ts';
import { latestCompleteDay } from '../core/schedule.ts';
import { isSendable } from '../core/subscriber.ts';
import type { Day } from '../core/types.ts';

const logger = createLogger('news-digest-send');

/**
 * Lists longer than this are fanned out. One Lambda sends ~10–14 messages/s at SES's default rate,
 * so 500 addresses take well under a minute; beyond that, parallel workers keep the run short.
 */
export const FANOUT_THRESHOLD = 500;
/** Subscribers per worker message: a batch must finish well inside the worker's timeout at the SES rate. */
export const FANOUT_BATCH_SIZE = 200;

export interface SendEvent {
  readonly day?: Day;
}

export interface FanOut {
  enqueue(day: Day, batches: readonly (readonly string[])[]): Promise<void>;
}

export function createSendHandler(deps: SendDependencies & { readonly fanOut?: FanOut | null }) {
  return async (event: SendEvent = {}): Promise<SendReport & { readonly batches?: number }> => {
    const now = new Date();
    const day =
      event.day ?? latestCompleteDay(await deps.store.listDigestDays(), now, deps.timeZone ?? 'UTC');
    if (day === null) {
      logger.info('No complete digest day to send');
      return { day: null, sent: 0, skipped: 0, failed: 0, failures: [] };
    }
    // Only active readers go to the workers: a worker sees addresses, not their status.
    const subscribers = (await deps.subscribers.list()).filter(isSendable);
    if (deps.fanOut && subscribers.length > FANOUT_THRESHOLD) {
      const batches = chunk(
        subscribers.map((s) => s.email),
        FANOUT_BATCH_SIZE,
      );
      await deps.fanOut.enqueue(day, batches);
      logger.info('Briefing fanned out', { day, subscribers: subscribers.length, batches: batches.length });
      return { day, sent: 0, skipped: 0, failed: 0, failures: [], batches: batches.length };
    }
    const report = await sendBriefing(
      { day, now },
      { ...deps, onFailure: (f) => logger.warn('Send failed', { ...f }) },
    );
    logger.info('Briefing sent', {
      day: report.day,
      sent: report.sent,
      skipped: report.skipped,
      failed: report.failed,
    });
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
  };
}

/** Enqueues subscriber batches for the send-worker, ten SQS entries per request. */
export class SqsFanOut implements FanOut {
  constructor(
    private readonly queueUrl: string,
    private readonly client = new SQSClient({}),
  ) {}

  async enqueue(day: Day, batches: readonly (readonly string[])[]): Promise<void> {
    const entries = batches.map((emails, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify({ day, emails }),
    }));
    for (const group of chunk(entries, 10)) {
      const response = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: group }),
      );
      if ((response.Failed ?? []).length > 0) {
        throw new Error(
          `Could not enqueue ${response.Failed?.length} send batch(es); the schedule's retry will re-send them.`,
        );
      }
    }
  }
}

let defaultHandler: ReturnType<typeof createSendHandler> | undefined;

export const handler = async (event: SendEvent = {}) => {
  if (defaultHandler === undefined) {
    const queueUrl = env.sendQueueUrl();
    defaultHandler = createSendHandler({
      ...(await sendDependenciesFromEnv()),
      fanOut: queueUrl ? new SqsFanOut(queueUrl) : null,
    });
  }
  return defaultHandler(event);
};
