/**
 * Ingest Lambda: SQS (S3 ObjectCreated on incoming/) → extract → story engine → digests.
 * Thin: it parses the event, calls the ingest use case and reports per-message failures so that only
 * the failed messages are retried (partial batch response).
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3ArticleSource } from '../adapters/s3-article-source.ts';
import { S3DigestStore } from '../adapters/s3-digest-store.ts';
import { TimeBoxedPreparer } from '../adapters/time-boxed-preparer.ts';
import { type IngestDependencies, type IngestRequest, ingestBatch } from '../app/ingest-batch.ts';
import { BUCKET_PREFIXES, BUNDLE_FILES } from '../contracts.ts';
import { objectsInNotification } from '../core/s3-event.ts';

const logger = createLogger('news-digest-ingest');

export function createIngestHandler(deps: IngestDependencies) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const requests: IngestRequest[] = [];
    const messageOfKey = new Map<string, string[]>();
    const failedMessages = new Set<string>();

    for (const record of event.Records) {
      try {
        for (const object of objectsInNotification(record.body)) {
          if (!object.key.startsWith(BUCKET_PREFIXES.incoming)) continue;
          const key = object.key.slice(BUCKET_PREFIXES.incoming.length);
          if (key === '' || key.endsWith('/')) continue;
          requests.push({ key, ...(object.eventTime ? { arrivedAt: object.eventTime } : {}) });
          messageOfKey.set(key, [...(messageOfKey.get(key) ?? []), record.messageId]);
        }
      } catch (error) {
        // Not an S3 notification: retrying cannot help, so let it go to the dead-letter queue for a person.
        logger.error('Unreadable queue message', { messageId: record.messageId, error: error as Error });
        failedMessages.add(record.messageId);
      }
    }

    try {
      const report = await ingestBatch(requests, {
        ...deps,
        onRejected: (key, reason) => logger.warn('File quarantined', { key, reason }),
      });
      for (const file of report.files) {
        if (file.outcome.kind !== 'failed') continue;
        logger.warn('File will be retried', { key: file.key, error: file.outcome.error });
        for (const messageId of messageOfKey.get(file.key) ?? []) failedMessages.add(messageId);
      }
      logger.info('Batch ingested', {
        files: report.files.length,
        changedDays: report.changedDays,
        outcomes: report.files.map((f) => f.outcome.kind),
      });
    } catch (error) {
      logger.error('Batch could not be committed; every message will be retried', { error: error as Error });
      for (const record of event.Records) failedMessages.add(record.messageId);
    }
    return { batchItemFailures: [...failedMessages].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

let defaultHandler: ReturnType<typeof createIngestHandler> | undefined;

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => {
  defaultHandler ??= createIngestHandler({
    source: new S3ArticleSource(env.bucketName()),
    store: new S3DigestStore(env.bucketName()),
    // Each file is extracted on a worker thread within the time budget; the worker bundle sits beside
    // this module's bundle (infra/bundling.ts), and the worker lives as long as the warm container.
    prepare: new TimeBoxedPreparer({
      entry: () => new URL(`./${BUNDLE_FILES.prepareWorker}`, import.meta.url),
      onWarning: (message) => logger.error(message),
    }).prepare,
  });
  return defaultHandler(event);
};
