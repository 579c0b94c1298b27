/**
 * Points the real AWS SDK clients at the local emulators, the way an operator would point them at a
 * region: through AWS_ENDPOINT_URL_* and (dummy) credentials. Each test file gets its own bucket so
 * files running in parallel never share state.
 */
import { randomUUID } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';

export interface LocalAws {
  readonly bucket: string;
  readonly s3Endpoint: string;
  readonly sesEndpoint: string;
  readonly s3: S3Client;
  put(key: string, body: string | Uint8Array): Promise<void>;
  getText(key: string): Promise<string | null>;
}

export async function useLocalAws(): Promise<LocalAws> {
  const s3Endpoint = inject('s3Endpoint');
  const sesEndpoint = inject('sesEndpoint');
  const bucket = `news-digest-${randomUUID().slice(0, 8)}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_SES: sesEndpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    // s3rver stores aws-chunked framing verbatim unless checksums are only sent when required (DESIGN.md §5).
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    BUCKET_NAME: bucket,
  });
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const getText = async (key: string): Promise<string | null> => {
    try {
      const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return (await response.Body?.transformToString('utf-8')) ?? null;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return null;
      throw error;
    }
  };
  return {
    bucket,
    s3Endpoint,
    sesEndpoint,
    s3,
    async put(key, body) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    getText,
  };
}

export { encodeKeyLikeS3, sqsEventFor } from '../../support/sqs-events.ts';
