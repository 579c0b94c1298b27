/**
 * Feedback Lambda: SES events of the configuration set (bounce, complaint, delivery, …) arrive through
 * SNS on an SQS queue, one event per message, and each is applied to the subscriber list. A malformed
 * event or one of an unknown type is logged with its type and reported as that message's failure, so
 * SQS retries it alone and parks it in the dead-letter queue after the last try; the rest of the batch
 * goes on.
 */
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { env } from '../adapters/env.ts';
import { createLogger } from '../adapters/logger.ts';
import { S3SubscriberStore } from '../adapters/s3-subscriber-store.ts';
import { unsubscribeSecret } from '../adapters/secrets.ts';
import { applyFeedback } from '../app/apply-feedback.ts';
import { InputRejectedError } from '../core/errors.ts';
import { BAD_SES_EVENT, parseSesEvent, sesEventOfMessage } from '../core/ses-event.ts';
import type { SubscriberStore } from '../ports.ts';

const logger = createLogger('news-digest-feedback');

export function createFeedbackHandler(deps: { readonly subscribers: SubscriberStore }) {
  return async (event: SQSEvent): Promise<SQSBatchResponse> => {
    const failures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        const feedback = parseSesEvent(sesEventOfMessage(record.body));
        const report = await applyFeedback(feedback, deps.subscribers);
        logger.info('SES event applied', { ...report, statuses: report.statuses.join(', ') });
      } catch (error) {
        if (error instanceof InputRejectedError && error.code === BAD_SES_EVENT) {
          logger.warn('SES event skipped', { messageId: record.messageId, reason: error.message });
        } else {
          logger.error('SES event failed', { messageId: record.messageId, error: error as Error });
        }
        failures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures: failures };
  };
}

let defaultHandler: ReturnType<typeof createFeedbackHandler> | undefined;

export const handler = (event: SQSEvent): Promise<SQSBatchResponse> => {
  // The secret keys unsubscribe tombstones: without it a bounce for a reader who left would bring them back.
  defaultHandler ??= createFeedbackHandler({
    subscribers: new S3SubscriberStore(env.bucketName(), undefined, () =>
      unsubscribeSecret(env.unsubscribeSecretArn()),
    ),
  });
  return defaultHandler(event);
};
