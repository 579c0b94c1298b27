/**
 * A work queue and its dead-letter queue, both encrypted and TLS-only, sized for the Lambda that consumes it.
 */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * AWS guidance for SQS → Lambda: visibility timeout at least six times the function timeout (plus the
 * batching window), so that a message is not redelivered while a slow, retried invocation still holds it.
 */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
/** Dead letters are kept the SQS maximum, so that a DLQ alarm raised on a Friday is still actionable. */
export const DLQ_RETENTION = Duration.days(14);
/** Work waits at most this long; an article or send batch older than that is stale. */
export const QUEUE_RETENTION = Duration.days(4);

/**
 * A queue that only collects failures for an operator: encrypted, TLS-only, kept the SQS maximum. Alarms
 * (alarms.ts) watch its depth.
 */
export function deadLetterQueue(scope: Construct, id: string): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DLQ_RETENTION,
  });
}

export interface QueueWithDlqProps {
  readonly functionTimeout: Duration;
  readonly batchingWindow?: Duration;
  readonly maxReceiveCount: number;
}

export class QueueWithDlq extends Construct {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: QueueWithDlqProps) {
    super(scope, id);
    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters');
    const visibility =
      props.functionTimeout.toSeconds() * VISIBILITY_TIMEOUT_FACTOR +
      (props.batchingWindow?.toSeconds() ?? 0);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: QUEUE_RETENTION,
      visibilityTimeout: Duration.seconds(visibility),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
    });
  }
}
