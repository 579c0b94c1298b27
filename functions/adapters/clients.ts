/**
 * AWS SDK clients, created once per Lambda container and reused across invocations.
 * They honour AWS_ENDPOINT_URL_S3 / AWS_ENDPOINT_URL_SES / AWS_ENDPOINT_URL_DYNAMODB (the SDK reads them),
 * so the same code runs against s3rver, aws-ses-v2-local and dynalite in the integration tests.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SESClient } from '@aws-sdk/client-ses';
import { SQSClient } from '@aws-sdk/client-sqs';

let s3: S3Client | undefined;
let ses: SESClient | undefined;
let sqs: SQSClient | undefined;
let dynamo: DynamoDBClient | undefined;

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

export function dynamoClient(): DynamoDBClient {
  dynamo ??= new DynamoDBClient({});
  return dynamo;
}
