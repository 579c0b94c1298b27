/**
 * Reading S3 event notifications (as delivered through SQS). Keys arrive URL-encoded with `+` for a
 * space (AWS does this; s3rver does not), so `+` is decoded first and literal plus signs arrive as %2B.
 */
export interface ObjectCreated {
  /** The object key, decoded. */
  readonly key: string;
  readonly eventTime: Date | null;
  readonly size: number | null;
}

export function decodeS3Key(encoded: string): string {
  const spaced = encoded.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A malformed escape cannot have come from S3; keep the key as given rather than lose the file.
    return spaced;
  }
}

interface S3EventRecordShape {
  eventName?: string;
  eventTime?: string;
  s3?: { object?: { key?: string; size?: number } };
}

/**
 * The objects an SQS message body announces. A `s3:TestEvent` (sent when the notification is set up)
 * announces nothing. Throws when the body is not an S3 notification at all.
 */
export function objectsInNotification(body: string): ObjectCreated[] {
  const parsed = JSON.parse(body) as { Event?: string; Records?: S3EventRecordShape[] };
  if (parsed.Event === 's3:TestEvent') return [];
  if (!Array.isArray(parsed.Records)) {
    throw new Error('The message is not an S3 event notification (no Records array).');
  }
  return parsed.Records.filter((record) =>
    (record.eventName ?? 'ObjectCreated').startsWith('ObjectCreated'),
  ).map((record) => {
    const key = record.s3?.object?.key;
    if (typeof key !== 'string') throw new Error('An S3 event record has no object key.');
    const time = record.eventTime ? new Date(record.eventTime) : null;
    return {
      key: decodeS3Key(key),
      eventTime: time && !Number.isNaN(time.getTime()) ? time : null,
      // Stryker disable next-line OptionalChaining: the key check above has thrown unless record.s3.object exists.
      size: typeof record.s3?.object?.size === 'number' ? record.s3.object.size : null,
    };
  });
}

/** Splits a list into batches of at most `size` items (send fan-out). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1)
    throw new RangeError(`Batch size must be a positive integer, not ${size}.`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}
