/**
 * incoming/ ObjectCreated → SQS (+ dead-letter queue) → ingest function, with partial batch failure reporting.
 */
import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BUCKET_PREFIXES, ENV_NAMES, INGEST_TIMEOUT_SECONDS } from '../../functions/contracts.ts';
import type { ArticleBucket } from './article-bucket.ts';
import { acknowledgeCdkProvider, CDK_PROVIDER_IDS } from './cdk-providers.ts';
import { DigestFunction } from './digest-function.ts';
import type { ItemTable } from './item-table.ts';
import { QueueWithDlq } from './queue-with-dlq.ts';

/** Parsing HTML with the readability stack takes well under a second per file; a batch of 10 fits easily. */
export const INGEST_TIMEOUT = Duration.seconds(INGEST_TIMEOUT_SECONDS);
/** CPU-bound parsing: Lambda CPU scales with memory, and 1 GB keeps a cold HTML parse well under a second. */
export const INGEST_MEMORY_MB = 1024;
/** Files per invocation: amortises reading the batch's working set while keeping a retry's blast radius small. */
export const INGEST_BATCH_SIZE = 10;
/** Wait briefly to fill a batch when many files arrive together (a bulk upload), not at all when idle. */
export const INGEST_BATCHING_WINDOW = Duration.seconds(5);
/**
 * At most this many ingest invocations run at once. The engine's state is item-level (issue 15): batches
 * collide only on the items they share, and a batch that loses a conditional write applies itself again.
 * Enforced with the event source's maximum concurrency rather than reserved concurrency, which makes
 * Lambda throttle SQS deliveries — each throttle burns a receive count and sends healthy messages to the
 * DLQ — and cannot be set in new accounts whose concurrency limit is 10.
 */
export const INGEST_MAX_CONCURRENCY = 4;
/**
 * Age of the oldest waiting ingest message past which the ingest alarm fires: a bulk upload of a thousand
 * files drains in minutes at INGEST_MAX_CONCURRENCY, so half an hour of waiting means ingest is stuck
 * (throttled, failing to start, or a timeout on every batch), which no error alarm may show.
 */
export const INGEST_MAX_MESSAGE_AGE = Duration.minutes(30);
/** A file that fails this many times is poison for a reason other than its content: park it in the DLQ. */
export const MAX_RECEIVE_COUNT = 5;

export interface IngestPipelineProps {
  readonly articles: ArticleBucket;
  readonly items: ItemTable;
  readonly entry: string;
  readonly removalPolicy: RemovalPolicy;
  /** Days a story stays in the working set after its last article (newsDigest.activeDays). */
  readonly activeDays: number;
}

export class IngestPipeline extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
  readonly function: DigestFunction;

  constructor(scope: Construct, id: string, props: IngestPipelineProps) {
    super(scope, id);

    this.function = new DigestFunction(this, 'Ingest', {
      entry: props.entry,
      name: 'ingest',
      description: 'Parses, cleans, dates, deduplicates and clusters files dropped into incoming/',
      memorySize: INGEST_MEMORY_MB,
      timeout: INGEST_TIMEOUT,
      removalPolicy: props.removalPolicy,
      environment: {
        [ENV_NAMES.bucketName]: props.articles.bucket.bucketName,
        [ENV_NAMES.itemTableName]: props.items.table.tableName,
        [ENV_NAMES.activeDays]: String(props.activeDays),
      },
    });
    props.items.grantItemStore(this.function.function);
    // The engine's state and the article records are items in the table; the bucket holds the inputs, the
    // quarantine, the item values too large for an item, and the requests for the digest builder, which
    // alone writes digests.
    props.articles.grantObjects(this.function.function, this.function, {
      read: ['incoming', 'itemValues'],
      write: ['quarantine', 'itemValues', 'digestRequests'],
    });

    const queues = new QueueWithDlq(this, 'Queue', {
      functionTimeout: INGEST_TIMEOUT,
      batchingWindow: INGEST_BATCHING_WINDOW,
      maxReceiveCount: MAX_RECEIVE_COUNT,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;

    props.articles.bucket.addEventNotification(
      s3.EventType.OBJECT_CREATED,
      new s3n.SqsDestination(this.queue),
      { prefix: BUCKET_PREFIXES.incoming },
    );
    acknowledgeCdkProvider(
      this,
      CDK_PROVIDER_IDS.bucketNotifications,
      'S3 bucket notification configuration',
    );

    this.function.function.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: INGEST_BATCH_SIZE,
        maxBatchingWindow: INGEST_BATCHING_WINDOW,
        maxConcurrency: INGEST_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
  }
}
