/**
 * AWS SDK clients, created once per Lambda container and reused across invocations.
 * They honour AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SES (the SDK reads them), so the same code runs
 * against s3rver and aws-ses-v2-local in the integration tests.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';

let s3: S3Client | undefined;
let ses: SESClient | undefined;
let sqs: SQSClient | undefined;

export function s3Client(): S3Client {
  // Local S3 stand-ins serve buckets by path, not by virtual host.
  s3 ??= new S3Client({ forcePathStyle: process.env.AWS_ENDPOINT_URL_S3 !== undefined });
  return s3;
}

export function sesClient(): SESClient {
  ses ??= new SESClient({});
  return ses;
}

export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({});
  return sqs;
}
