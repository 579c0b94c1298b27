/**
 * Send Lambda, run by EventBridge Scheduler (or invoked with `{ "day": "YYYY-MM-DD" }`): wires the send
 * policy (app/send-or-fan-out.ts) to S3, SES and the send-worker queue, and logs what it did.
 */
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { sendDependenciesFromEnv } from '../adapters/send-dependencies.ts';
import { SqsFanOut } from '../adapters/sqs-fan-out.ts';
import type { SendDependencies, SendFailure } from '../app/send-briefing.ts';
import { type SendRunReport, sendOrFanOut } from '../app/send-or-fan-out.ts';
import type { Day } from '../core/types.ts';
import type { FanOut } from '../ports.ts';

const logger = createLogger('news-digest-send');

export interface SendEvent {
  readonly day?: Day;
}

export function createSendHandler(deps: SendDependencies & { readonly fanOut?: FanOut | null }) {
  const wired = { ...deps, onFailure: (f: SendFailure) => logger.warn('Send failed', { ...f }) };
  return async (event: SendEvent = {}): Promise<SendRunReport> => {
    const report = await sendOrFanOut({ ...(event.day ? { day: event.day } : {}), now: new Date() }, wired);
    if (report.day === null) logger.info('No complete digest day to send');
    else if (report.batches !== undefined) {
      logger.info('Briefing fanned out', {
        day: report.day,
        subscribers: report.subscribers,
        batches: report.batches,
      });
    } else {
      logger.info('Briefing sent', {
        day: report.day,
        sent: report.sent,
        skipped: report.skipped,
        failed: report.failed,
      });
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
