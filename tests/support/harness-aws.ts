/**
 * The deployed path's AWS stand-ins for harnesses that run outside vitest (`npm run bench`,
 * `npm run eval`): s3rver behind the precondition proxy, dynalite in this process, one bucket and one
 * item table, and the environment that points the real SDK clients (here and in child processes) at them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ENV_NAMES } from '../../functions/contracts.ts';
import { startPreconditionProxy } from '../integration/support/precondition-proxy.ts';
import {
  createItemTable,
  type LocalDynalite,
  startDynalite,
  startS3rver,
  type WireAttribute,
} from './emulator-processes.ts';

export interface HarnessAws {
  readonly bucket: string;
  readonly table: string;
  /** The environment the functions read (endpoints, dummy credentials, bucket, table, quiet logs). */
  readonly env: Readonly<Record<string, string>>;
  readonly s3: S3Client;
  readonly dynamo: DynamoDBClient;
  /** Stores items straight into dynalite (fixtures only: see LocalDynalite.bulkPut). */
  bulkPut(items: readonly Record<string, WireAttribute>[]): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the stand-ins, creates the bucket and the table, and sets their environment in this process. */
export async function startHarnessAws(): Promise<HarnessAws> {
  const directory = mkdtempSync(join(tmpdir(), 'harness-s3rver-'));
  const s3rver = await startS3rver(directory);
  // A harness that dies before stop() must not leave s3rver running.
  const killS3rver = () => s3rver.process.kill();
  process.once('exit', killS3rver);
  const proxy = await startPreconditionProxy(s3rver.url);
  const dynalite: LocalDynalite = await startDynalite();
  const bucket = 'news-digest-harness';
  const table = 'news-digest-items';
  const env = {
    AWS_ENDPOINT_URL_S3: proxy.url,
    AWS_ENDPOINT_URL_DYNAMODB: dynalite.url,
    // s3rver knows only these credentials; dynalite takes any.
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REGION: 'us-east-1',
    // s3rver stores aws-chunked framing verbatim unless checksums are only sent when required (DESIGN.md §5).
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    [ENV_NAMES.bucketName]: bucket,
    [ENV_NAMES.itemTableName]: table,
    // One info line per batch would drown the harness's own JSON lines.
    POWERTOOLS_LOG_LEVEL: 'ERROR',
  };
  Object.assign(process.env, env);
  const s3 = new S3Client({ forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  const dynamo = new DynamoDBClient({});
  await createItemTable(dynamo, table);
  return {
    bucket,
    table,
    env,
    s3,
    dynamo,
    bulkPut: (items) => dynalite.bulkPut(table, items),
    async stop() {
      s3.destroy();
      dynamo.destroy();
      proxy.server.close();
      dynalite.server.close();
      process.off('exit', killS3rver);
      s3rver.process.kill();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
