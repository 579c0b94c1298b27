/**
 * The deployed ingest function's dependencies, built once per container from the environment.
 * The item-level path (app/ingest-items.ts on the stack's item table) is not the default yet: under
 * concurrent batches its posting-list writes still collide too often to commit (README "Scale").
 */
import type { IngestDependencies } from '../app/ingest-batch.ts';
import { BUNDLE_FILES } from '../contracts.ts';
import { env } from './env.ts';
import { S3ArticleSource } from './s3-article-source.ts';
import { S3DigestStore } from './s3-digest-store.ts';
import { TimeBoxedPreparer } from './time-boxed-preparer.ts';

export function ingestDependenciesFromEnv(onWarning: (message: string) => void): IngestDependencies {
  const bucket = env.bucketName();
  return {
    source: new S3ArticleSource(bucket),
    store: new S3DigestStore(bucket),
    // Each file is extracted on a worker thread within the time budget; the worker bundle sits beside
    // the handler's bundle (infra/bundling.ts) and lives as long as the warm container.
    prepare: new TimeBoxedPreparer({
      entry: () => new URL(`./${BUNDLE_FILES.prepareWorker}`, import.meta.url),
      onWarning,
      budgetMs: env.extractionBudgetMs(),
    }).prepare,
  };
}
