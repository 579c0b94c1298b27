/** SQS events as the ingest queue delivers them, for the tests and the harnesses that drive the handler. */

/** Encodes a key the way S3 event notifications do: URL-encoded, with `+` for a space. */
export function encodeKeyLikeS3(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** An SQS event whose messages carry S3 ObjectCreated notifications, as the queue delivers them. */
export function sqsEventFor(bucket: string, keys: readonly string[], eventTime = '2026-11-22T12:00:00.000Z') {
  return {
    Records: keys.map((key, index) => ({
      messageId: `message-${index}-${key}`,
      receiptHandle: `handle-${index}`,
      body: JSON.stringify({
        Records: [
          {
            eventVersion: '2.1',
            eventSource: 'aws:s3',
            eventTime,
            eventName: 'ObjectCreated:Put',
            s3: { bucket: { name: bucket }, object: { key: encodeKeyLikeS3(key), size: 1 } },
          },
        ],
      }),
      attributes: {} as never,
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:ingest',
      awsRegion: 'us-east-1',
    })),
  };
}
