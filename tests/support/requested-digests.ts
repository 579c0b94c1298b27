/**
 * The digest builder's side of the deployed path, for tests and harnesses: the days ingest asked digests
 * for (digest-requests/ markers in the bucket), delivered to the real digest-builder handler in one SQS
 * batch, as its queue would after its batching window.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { BUCKET_PREFIXES } from '../../functions/contracts.ts';
import { sqsEventFor } from './sqs-events.ts';

/** The keys under digest-requests/, one per day some batch changed. */
export async function requestedDigestKeys(s3: S3Client, bucket: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: BUCKET_PREFIXES.digestRequests,
        ...(token ? { ContinuationToken: token } : {}),
      }),
    );
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.NextContinuationToken;
  } while (token);
  return keys;
}

/**
 * Runs the digest-builder handler (functions/handlers/digest-builder.ts, on the environment's table and
 * bucket) on every requested day. Throws when a request failed: a test must not read a digest that the
 * builder could not write.
 */
export async function buildRequestedDigests(s3: S3Client, bucket: string): Promise<string[]> {
  const { handler } = (await import('../../functions/handlers/digest-builder.ts')) as {
    handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
  };
  const keys = await requestedDigestKeys(s3, bucket);
  if (keys.length === 0) return [];
  const response = await handler(sqsEventFor(bucket, keys) as unknown as SQSEvent);
  if (response.batchItemFailures.length > 0)
    throw new Error(
      `The digest builder failed ${response.batchItemFailures.length} of ${keys.length} requests`,
    );
  return keys.map((key) => key.slice(BUCKET_PREFIXES.digestRequests.length));
}
