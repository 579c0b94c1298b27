/**
 * Points the real AWS SDK clients at the local emulators, the way an operator would point them at a
 * region: through AWS_ENDPOINT_URL_* and (dummy) credentials. Call before the adapters create clients.
 */
import { inject } from 'vitest';
import { TEST_BUCKET } from './emulators.ts';

export function useLocalAws(): { bucket: string; s3Endpoint: string; sesEndpoint: string } {
  const s3Endpoint = inject('s3Endpoint');
  const sesEndpoint = inject('sesEndpoint');
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_S3: s3Endpoint,
    AWS_ENDPOINT_URL_SES: sesEndpoint,
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    // s3rver stores aws-chunked framing verbatim unless checksums are only sent when required (DESIGN.md §5).
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    BUCKET_NAME: TEST_BUCKET,
  });
  return { bucket: TEST_BUCKET, s3Endpoint, sesEndpoint };
}
