/**
 * Send worker: one SQS message = one batch of subscribers for one day (app/send-batch.ts). Failed
 * batches are reported individually, so only they are retried.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { sendDependenciesFromEnv } from '../adapters/send-dependencies.ts';
import { createBatchSender, type SendBatch } from '../app/send-batch.ts';
import type { SendDependencies } from '../app/send-briefing.ts';

const logger = createLogger('news-digest-send-worker');

export function createSendWorkerHandler(deps: SendDependencies) {
  const sendBatch = createBatchSender({ ...deps, onFailure: (f) => logger.warn('Send failed', { ...f }) });
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const batch = JSON.parse(record.body) as SendBatch;
        const report = await sendBatch(batch);
        // Only transient failures are worth a retry; the ledger already skips whoever was sent.
        if (report.failures.some((f) => !f.permanent)) failures.push({ itemIdentifier: record.messageId });
        if (report.paused)
          logger.warn('Sending is paused by the reputation guard; batch not sent', { paused: report.paused });
        logger.info('Batch sent', {
          day: batch.day,
          sent: report.sent,
          skipped: report.skipped,
          expired: report.expired ?? 0,
          failed: report.failed,
        });
      } catch (error) {
        logger.error('Batch failed', { messageId: record.messageId, error: error as Error });
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

let defaultHandler: ReturnType<typeof createSendWorkerHandler> | undefined;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  // Workers run in parallel: each sends at its share of the account's SES rate.
  defaultHandler ??= createSendWorkerHandler(await sendDependenciesFromEnv(env.sendWorkerConcurrency()));
  return defaultHandler(event);
};
