/**
 * Digest requests in the bucket (DigestRequests): one empty marker per day, digest-requests/<day>,
 * overwritten by every batch that changes the day. Each write's notification goes to the digest
 * builder's queue, which takes many at once, so the marker itself carries nothing.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES } from '../contracts.ts';
import type { Day } from '../core/types.ts';
import type { DigestRequests } from '../ports.ts';
import { s3Client } from './clients.ts';
import { putObject } from './s3-objects.ts';

export class S3DigestRequests implements DigestRequests {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  async request(days: readonly Day[]): Promise<void> {
    for (const day of new Set(days))
      await putObject(
        this.client,
        this.bucket,
        `${BUCKET_PREFIXES.digestRequests}${day}`,
        '',
        {},
        'text/plain',
      );
  }
}
