/**
 * Digest builder Lambda: SQS (S3 ObjectCreated on digest-requests/) → the digests of the days asked for,
 * rebuilt from the item table. Wiring: each day is rebuilt once per batch however many ingest batches
 * asked for it, and only the messages of a day whose rebuild failed are retried.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { dynamoClient, s3Client } from '../adapters/clients.ts';
import { DynamoItemStore } from '../adapters/dynamo-item-store.ts';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3DigestStore } from '../adapters/s3-digest-store.ts';
import { refreshDayDigests } from '../app/day-digests.ts';
import { daysInMessages } from '../app/digest-queue.ts';
import type { DigestStore, ItemStore } from '../ports.ts';

const logger = createLogger('news-digest-digest-builder');

export interface DigestBuilderDependencies {
  readonly items: ItemStore;
  readonly store: DigestStore;
}

export function createDigestBuilderHandler(deps: DigestBuilderDependencies) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const requested = daysInMessages(event.Records);
    const failedMessages = new Set<string>();
    for (const { messageId, error } of requested.unreadable) {
      // Not a digest request: retrying cannot help, so let it go to the dead-letter queue for a person.
      logger.error('Unreadable queue message', { messageId, error });
      failedMessages.add(messageId);
    }
    const rebuilt: string[] = [];
    for (const [day, messageIds] of [...requested.messagesOf].sort(([a], [b]) => (a < b ? -1 : 1))) {
      try {
        rebuilt.push(...(await refreshDayDigests(deps.items, deps.store, [day])));
      } catch (error) {
        logger.error('Digest not rebuilt; its requests will be retried', { day, error: error as Error });
        for (const messageId of messageIds) failedMessages.add(messageId);
      }
    }
    logger.info('Digests rebuilt', { requested: requested.messagesOf.size, rebuilt });
    return { batchItemFailures: [...failedMessages].map((itemIdentifier) => ({ itemIdentifier })) };
  };
}

let defaultHandler: ReturnType<typeof createDigestBuilderHandler> | undefined;

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => {
  defaultHandler ??= createDigestBuilderHandler({
    items: new DynamoItemStore({
      table: env.itemTableName(),
      client: dynamoClient(),
      largeValues: { bucket: env.bucketName(), client: s3Client() },
    }),
    store: new S3DigestStore(env.bucketName()),
  });
  return defaultHandler(event);
};
