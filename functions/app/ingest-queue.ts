/**
 * The ingest queue's messages and the files they announce: which S3 notifications name files under
 * incoming/, and which messages must be retried for the files a batch could not take yet.
 */
import { BUCKET_PREFIXES } from '../contracts.ts';
import { objectsInNotification } from '../core/s3-event.ts';
import type { IngestReport, IngestRequest } from './ingest-batch.ts';

export interface QueueMessage {
  readonly messageId: string;
  readonly body: string;
}

export interface QueuedFiles {
  readonly requests: readonly IngestRequest[];
  /** The messages that announced each key (a key may arrive twice). */
  readonly messagesOf: ReadonlyMap<string, readonly string[]>;
  /** Messages that are not S3 notifications: retrying cannot help them. */
  readonly unreadable: readonly { readonly messageId: string; readonly error: Error }[];
}

/** The files under incoming/ that `messages` announce, folders skipped. */
export function filesInMessages(messages: readonly QueueMessage[]): QueuedFiles {
  const requests: IngestRequest[] = [];
  const messagesOf = new Map<string, string[]>();
  const unreadable: { messageId: string; error: Error }[] = [];
  for (const message of messages) {
    try {
      for (const object of objectsInNotification(message.body)) {
        if (!object.key.startsWith(BUCKET_PREFIXES.incoming)) continue;
        const key = object.key.slice(BUCKET_PREFIXES.incoming.length);
        if (key === '' || key.endsWith('/')) continue;
        requests.push({ key, ...(object.eventTime ? { arrivedAt: object.eventTime } : {}) });
        messagesOf.set(key, [...(messagesOf.get(key) ?? []), message.messageId]);
      }
    } catch (error) {
      unreadable.push({ messageId: message.messageId, error: error as Error });
    }
  }
  return { requests, messagesOf, unreadable };
}

/** The messages to retry: those that announced a file the batch reported `failed` (a retry may fix it). */
export function messagesToRetry(report: Pick<IngestReport, 'files'>, queued: QueuedFiles): string[] {
  return report.files.flatMap((file) =>
    file.outcome.kind === 'failed' ? [...(queued.messagesOf.get(file.key) ?? [])] : [],
  );
}
