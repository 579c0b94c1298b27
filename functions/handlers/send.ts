/**
 * Send Lambda, run hourly by EventBridge Scheduler (or invoked with `{ "day": "YYYY-MM-DD" }`): wires the
 * send policy (app/send-or-fan-out.ts: each reader's cadence and local hour) to S3, SES and the
 * send-worker queue, and logs what it did, including why nothing was sent while sending is paused.
 */
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { sendDependenciesFromEnv } from '../adapters/send-dependencies.ts';
import { SqsFanOut } from '../adapters/sqs-fan-out.ts';
import type { SendFailure } from '../app/send-briefing.ts';
import { type SendOrFanOutDependencies, type SendRunReport, sendOrFanOut } from '../app/send-or-fan-out.ts';
import { InputRejectedError } from '../core/errors.ts';
import type { Day } from '../core/types.ts';

const logger = createLogger('news-digest-send');

export interface SendEvent {
  readonly day?: Day;
  /** The clock of an hourly run, for a replay (ISO-8601); defaults to now. */
  readonly now?: string;
}

export function createSendHandler(deps: SendOrFanOutDependencies) {
  const wired = { ...deps, onFailure: (f: SendFailure) => logger.warn('Send failed', { ...f }) };
  return async (event: SendEvent = {}): Promise<SendRunReport> => {
    const now = event.now === undefined ? new Date() : new Date(event.now);
    if (Number.isNaN(now.getTime())) {
      throw new InputRejectedError(
        'bad-event',
        'event.now must be an ISO-8601 date-time such as 2026-03-09T12:00:00Z.',
      );
    }
    const report = await sendOrFanOut({ ...(event.day ? { day: event.day } : {}), now }, wired);
    const { paused } = report;
    if (paused) logger.warn('Sending is paused by the reputation guard; nothing was sent', { paused });
    else if (report.day === null) logger.info('No reader is due, or no complete digest day to send');
    else if (report.batches !== undefined) {
      const { day, subscribers, batches } = report;
      logger.info('Briefing fanned out', { day, subscribers, batches });
    } else {
      for (const { day, sent, skipped, suppressed = 0, failed } of report.editions ?? [report])
        logger.info('Briefing sent', { day, sent, skipped, suppressed, failed });
    }
    return report;
  };
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
