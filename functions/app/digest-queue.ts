/**
 * The digest builder's queue: which days its messages (S3 notifications of digest-requests/<day>
 * markers) ask for, and which messages to retry when a day's rebuild failed.
 */
import { BUCKET_PREFIXES } from '../contracts.ts';
import { isCalendarDay } from '../core/day.ts';
import { objectsInNotification } from '../core/s3-event.ts';
import type { Day } from '../core/types.ts';
import type { QueueMessage } from './ingest-queue.ts';

export interface RequestedDays {
  /** Each day asked for, once, with the messages that asked for it. */
  readonly messagesOf: ReadonlyMap<Day, readonly string[]>;
  /** Messages that are not notifications of a digest request: retrying cannot help them. */
  readonly unreadable: readonly { readonly messageId: string; readonly error: Error }[];
}

export function daysInMessages(messages: readonly QueueMessage[]): RequestedDays {
  const messagesOf = new Map<Day, string[]>();
  const unreadable: { messageId: string; error: Error }[] = [];
  for (const message of messages) {
    try {
      for (const object of objectsInNotification(message.body)) {
        const day = object.key.slice(BUCKET_PREFIXES.digestRequests.length);
        if (!object.key.startsWith(BUCKET_PREFIXES.digestRequests) || !isCalendarDay(day))
          throw new Error(
            `"${object.key}" is not a digest request (${BUCKET_PREFIXES.digestRequests}<YYYY-MM-DD>)`,
          );
        messagesOf.set(day, [...(messagesOf.get(day) ?? []), message.messageId]);
      }
    } catch (error) {
      unreadable.push({ messageId: message.messageId, error: error as Error });
    }
  }
  return { messagesOf, unreadable };
}
