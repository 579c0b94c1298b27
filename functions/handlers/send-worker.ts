/**
 * Send worker: one SQS message = one batch of subscribers for one day. It renders the day's briefing
 * once per invocation and sends to the batch through the same ledger as the send Lambda, so a retried
 * message never emails anyone twice. Failed batches are reported individually.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { sendDependenciesFromEnv } from '../adapters/send-dependencies.ts';
import { renderDigestBriefing } from '../app/compose.ts';
import { type SendDependencies, sendToSubscribers } from '../app/send-briefing.ts';

const logger = createLogger('news-digest-send-worker');

export function createSendWorkerHandler(deps: SendDependencies) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    const rendered = new Map<string, Promise<Awaited<ReturnType<typeof renderDigestBriefing>> | null>>();
    for (const record of event.Records) {
      try {
        const { day, emails } = JSON.parse(record.body) as { day: string; emails: string[] };
        const digest = await deps.store.getDigest(day);
        if (digest === null) throw new Error(`No digest for ${day}.`);
        if (!rendered.has(day)) rendered.set(day, renderDigestBriefing(digest, deps.config, deps.templates));
        const briefing = await rendered.get(day);
        if (!briefing) continue;
        const report = await sendToSubscribers(
          digest,
          briefing,
          emails.map((email) => ({ email, subscribedAt: '' })),
          { ...deps, onFailure: (f) => logger.warn('Send failed', { ...f }) },
        );
        // Only transient failures are worth a retry; the ledger already skips whoever was sent.
        if (report.failures.some((f) => !f.permanent)) failures.push({ itemIdentifier: record.messageId });
        logger.info('Batch sent', { day, sent: report.sent, skipped: report.skipped, failed: report.failed });
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
