/**
 * Story clustering quality through the deployed path: the clustering set's files uploaded to the bucket
 * and delivered to the ingest handler in batches of 10, in date order, by 4 concurrent writers on the
 * DynamoDB item table (dynalite and s3rver through the real SDK clients; failed messages delivered
 * again, as SQS would). Each article's story is read back from its article item and scored with B-cubed
 * beside the local one-shot run (clustering.ts) on the same articles.
 *
 * `npm run eval -- --only clustering-deployed` (not in the default run: it takes minutes).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { stableId } from '../../functions/core/stories/hash.ts';
import { startHarnessAws } from '../support/harness-aws.ts';
import { clusterWithEngine, loadLabelledArticles, scorePartition } from './clustering.ts';
import type { Metric } from './run.ts';

/** Concurrent writers: 4, as deployed; `CLUSTERING_DEPLOYED_WRITERS=1` tells what concurrency alone costs. */
const WRITERS = Number(process.env.CLUSTERING_DEPLOYED_WRITERS ?? 4);
const BATCH_SIZE = 10;
/** The arrival time the local run gives every article (clustering.ts). */
const ARRIVAL = '2018-03-01T00:00:00.000Z';

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const dir = join(dataDir, 'clustering', 'articles');
  if (!existsSync(dir)) return [{ metric: 'clustering-deployed', skipped: `no data at ${dir}` }];
  const articles = await loadLabelledArticles(dir);
  const gold = articles.map((a) => a.label);
  const local = scorePartition(gold, clusterWithEngine(articles).predicted);
  const aws = await startHarnessAws();
  try {
    // After the harness set the environment: the handler's module reads it when loaded.
    const { articleItems, countDynamoUse, deployedIngest, runWriters } = await import(
      '../support/deployed-ingest.ts'
    );
    const sources = articles.map((a) => `clustering/${a.file}`);
    for (const [i, article] of articles.entries()) {
      await aws.s3.send(
        new PutObjectCommand({
          Bucket: aws.bucket,
          Key: `incoming/${sources[i]}`,
          Body: readFileSync(join(dir, article.file)),
        }),
      );
    }
    const client = new DynamoDBClient({});
    const use = countDynamoUse(client);
    const { handler, items } = deployedIngest(client);
    const batches: string[][] = [];
    for (let i = 0; i < sources.length; i += BATCH_SIZE)
      batches.push(sources.slice(i, i + BATCH_SIZE).map((source) => `incoming/${source}`));
    const started = performance.now();
    const writers = await runWriters(handler, batches, WRITERS, ARRIVAL);
    const seconds = (performance.now() - started) / 1000;

    const records = await articleItems(items, sources);
    const storyOf = new Map<string, string | null>();
    for (const { article } of records.values()) storyOf.set(article.id, article.storyId);
    // A duplicate belongs to its original's story, as in the local run.
    const predicted = sources.map((source) => {
      const article = records.get(source)?.article;
      if (article === undefined) return `missing:${source}`;
      const original = article.duplicateOf === null ? null : storyOf.get(article.duplicateOf);
      return article.storyId ?? original ?? stableId('a', source);
    });
    const deployed = scorePartition(gold, predicted);
    return [
      {
        metric: 'clustering-deployed',
        articles: articles.length,
        writers: WRITERS,
        batchSize: BATCH_SIZE,
        missing: sources.filter((s) => !records.has(s)).length,
        // Files in no story: quarantined (with the reason), or placed nowhere, which would be a loss.
        unplaced: [...records.values()]
          .filter(({ article }) => article.storyId === null && article.duplicateOf === null)
          .map(({ article }) => ({ source: article.source, rejected: article.rejected })),
        redeliveredMessages: writers.redelivered,
        failedMessages: writers.failed.length,
        stories: new Set(predicted).size,
        ...deployed,
        local: {
          bcubedPrecision: local.bcubedPrecision,
          bcubedRecall: local.bcubedRecall,
          bcubedF1: local.bcubedF1,
        },
        bcubedF1MinusLocal: Number((deployed.bcubedF1 - local.bcubedF1).toFixed(4)),
        target: { bcubedF1WithinOfLocal: 0.01 },
        seconds: Math.round(seconds),
        dynamoReadUnitsPerArticle: Math.round(use.readUnits / articles.length),
        dynamoWriteUnitsPerArticle: Math.round(use.writeUnits / articles.length),
      },
    ];
  } finally {
    await aws.stop();
  }
}
