/**
 * The deployed ingest function's dependencies, built once per container from the environment: the
 * item-level path (app/ingest-items.ts) on the stack's DynamoDB item table, with long values in the
 * bucket's item-values/ prefix, digests and quarantine in the bucket, and the changed days' digests
 * asked of the digest builder.
 */
import type { ItemIngestDependencies } from '../app/ingest-items.ts';
import { BUNDLE_FILES, INGEST_TIMEOUT_SECONDS } from '../contracts.ts';
import { dynamoClient, s3Client } from './clients.ts';
import { DynamoItemStore } from './dynamo-item-store.ts';
import { env } from './env.ts';
import { S3ArticleSource } from './s3-article-source.ts';
import { S3DigestRequests } from './s3-digest-requests.ts';
import { S3DigestStore } from './s3-digest-store.ts';
import { TimeBoxedPreparer } from './time-boxed-preparer.ts';

export function ingestDependenciesFromEnv(onWarning: (message: string) => void): ItemIngestDependencies {
  const bucket = env.bucketName();
  return {
    source: new S3ArticleSource(bucket),
    store: new S3DigestStore(bucket),
    items: new DynamoItemStore({
      table: env.itemTableName(),
      client: dynamoClient(),
      largeValues: { bucket, client: s3Client() },
    }),
    activeDays: env.activeDays(),
    // The digest builder rebuilds the changed days, many batches' requests at once.
    digestRequests: new S3DigestRequests(bucket),
    intentTimeoutSeconds: INGEST_TIMEOUT_SECONDS,
    // Each file is extracted on a worker thread within the time budget; the worker bundle sits beside
    // the handler's bundle (infra/bundling.ts) and lives as long as the warm container.
    prepare: new TimeBoxedPreparer({
      entry: () => new URL(`./${BUNDLE_FILES.prepareWorker}`, import.meta.url),
      onWarning,
      budgetMs: env.extractionBudgetMs(),
    }).prepare,
  };
}
