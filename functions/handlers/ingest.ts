/**
 * Ingest Lambda: SQS (S3 ObjectCreated on incoming/) → extract → story engine on item-level state
 * (DynamoDB) → digests. Wiring: the queue's files (app/ingest-queue.ts) go to the ingest use case, and
 * per-message failures are reported so that only the failed messages are retried (partial batch response).
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ingestDependenciesFromEnv } from '../adapters/ingest-dependencies.ts';
import { createLogger } from '../adapters/logger.ts';
import { type ItemIngestDependencies, ingestBatchOnItems } from '../app/ingest-items.ts';
import { filesInMessages, messagesToRetry } from '../app/ingest-queue.ts';

const logger = createLogger('news-digest-ingest');

export function createIngestHandler(deps: ItemIngestDependencies) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const queued = filesInMessages(event.Records);
    const failedMessages = new Set<string>();
    for (const { messageId, error } of queued.unreadable) {
      // Not an S3 notification: retrying cannot help, so let it go to the dead-letter queue for a person.
      logger.error('Unreadable queue message', { messageId, error });
      failedMessages.add(messageId);
    }
    try {
      const onRejected = (key: string, reason: string) => logger.warn('File quarantined', { key, reason });
      const report = await ingestBatchOnItems(queued.requests, { ...deps, onRejected });
      for (const { key, outcome } of report.files)
        if (outcome.kind === 'failed') logger.warn('File will be retried', { key, error: outcome.error });
      for (const messageId of messagesToRetry(report, queued)) failedMessages.add(messageId);
      const outcomes = report.files.map((f) => f.outcome.kind);
      logger.info('Batch ingested', { files: outcomes.length, changedDays: report.changedDays, outcomes });
    } catch (error) {
      logger.error('Batch could not be committed; every message will be retried', { error: error as Error });
      for (const record of event.Records) failedMessages.add(record.messageId);
    }
    return { batchItemFailures: [...failedMessages].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

let defaultHandler: ReturnType<typeof createIngestHandler> | undefined;

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => {
  defaultHandler ??= createIngestHandler(ingestDependenciesFromEnv((message) => logger.error(message)));
  return defaultHandler(event);
};
