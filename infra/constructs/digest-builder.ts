/**
 * digest-requests/ ObjectCreated → SQS (+ dead-letter queue) → digest builder function, which rebuilds
 * each requested day's digest from the item table. The queue's batching window is what bounds the work:
 * however many ingest batches change a day within it, the day is rebuilt once.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUCKET_PREFIXES, ENV_NAMES } from '../../functions/contracts.ts';
import type { ArticleBucket } from './article-bucket.ts';
import { DigestFunction } from './digest-function.ts';
import type { ItemTable } from './item-table.ts';
import { QueueWithDlq } from './queue-with-dlq.ts';

/** A digest lags its day's last ingest by at most about this long; long enough to gather a burst's requests. */
export const DIGEST_BATCHING_WINDOW = Duration.seconds(20);
/** Requests per invocation: a burst's requests for a week of days fit in one batch. */
export const DIGEST_BATCH_SIZE = 100;
/** The least SQS allows; two builders of one day at once cost a second read, nothing more (newest wins). */
export const DIGEST_MAX_CONCURRENCY = 2;
/** Reading a busy day's stories and articles and writing its digest is seconds; a minute leaves room. */
export const DIGEST_TIMEOUT = Duration.minutes(1);
/** Holds a day's stories and their articles as items while the digest is built. */
export const DIGEST_MEMORY_MB = 512;
/**
 * Age of the oldest waiting digest request past which its alarm fires: a request waits one batching
 * window, so half an hour means the builder is stuck and the digests are going stale.
 */
export const DIGEST_MAX_MESSAGE_AGE = Duration.minutes(30);
/** A request that fails this many times (a day the builder cannot read) goes to the DLQ for a person. */
export const DIGEST_MAX_RECEIVE_COUNT = 5;

export interface DigestBuilderProps {
  readonly articles: ArticleBucket;
  readonly items: ItemTable;
  readonly entry: string;
  readonly removalPolicy: RemovalPolicy;
}

export class DigestBuilder extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: DigestFunction;

  constructor(scope: Construct, id: string, props: DigestBuilderProps) {
    super(scope, id);

    this.function = new DigestFunction(this, 'Builder', {
      entry: props.entry,
      name: 'digest-builder',
      description: 'Rebuilds the digests of the days ingest changed, from the item table',
      memorySize: DIGEST_MEMORY_MB,
      timeout: DIGEST_TIMEOUT,
      removalPolicy: props.removalPolicy,
      environment: {
        [ENV_NAMES.bucketName]: props.articles.bucket.bucketName,
        [ENV_NAMES.itemTableName]: props.items.table.tableName,
      },
    });
    props.items.grantItemReads(this.function.function);
    // Digests are read with HeadObject for their revision (authorised as s3:GetObject) and written; long
    // item values are read from item-values/.
    props.articles.grantObjects(this.function.function, this.function, {
      read: ['digests', 'itemValues'],
      write: ['digests'],
    });

    const queues = new QueueWithDlq(this, 'Queue', {
      functionTimeout: DIGEST_TIMEOUT,
      batchingWindow: DIGEST_BATCHING_WINDOW,
      maxReceiveCount: DIGEST_MAX_RECEIVE_COUNT,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;

    props.articles.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(this.queue),
      { prefix: BUCKET_PREFIXES.digestRequests },
    );
    this.function.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: DIGEST_BATCH_SIZE,
        maxBatchingWindow: DIGEST_BATCHING_WINDOW,
        maxConcurrency: DIGEST_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
  }
}
