/** The FanOut port on SQS: subscriber batches for the send-worker queue, ten entries per request. */
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { chunk } from '../core/s3-event.ts';
import type { Cadence } from '../core/subscriber.ts';
import type { Day } from '../core/types.ts';
import type { FanOut } from '../ports.ts';
import { sqsClient } from './clients.ts';

/** SQS accepts at most ten entries in one SendMessageBatch. */
const SQS_BATCH_ENTRIES = 10;

export class SqsFanOut implements FanOut {
  constructor(
    private readonly queueUrl: string,
    private readonly client: SQSClient = sqsClient(),
  ) {}

  async enqueue(
    day: Day,
    batches: readonly (readonly string[])[],
    cadence?: Cadence,
    createdAt = new Date(),
  ): Promise<void> {
    const entries = batches.map((emails, index) => ({
      Id: String(index),
      MessageBody: JSON.stringify({
        day,
        emails,
        ...(cadence === 'weekly' ? { cadence } : {}),
        createdAt: createdAt.toISOString(),
      }),
    }));
    for (const group of chunk(entries, SQS_BATCH_ENTRIES)) {
      const response = await this.client.send(
        new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: group }),
      );
      if ((response.Failed ?? []).length > 0) {
        throw new Error(
          `Could not enqueue ${response.Failed?.length} send batch(es); the schedule's retry will re-send them.`,
        );
      }
    }
  }
}
