/**
 * Vitest global setup for the integration tests: starts s3rver (behind the precondition proxy),
 * aws-ses-v2-local and dynalite (in this process, in memory) on free loopback ports, hands their URLs
 * to the tests, and stops them afterwards.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startDynalite, startS3rver, waitFor } from '../../support/emulator-processes.ts';
import { startPreconditionProxy } from './precondition-proxy.ts';

export const TEST_BUCKET = 'news-digest-test';

declare module 'vitest' {
  export interface ProvidedContext {
    s3Endpoint: string;
    sesEndpoint: string;
    s3DirectEndpoint: string;
    dynamoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const sesPort = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const root = process.cwd();
  const s3rver = await startS3rver(directory, TEST_BUCKET);
  const ses = spawn(
    process.execPath,
    [
      join(root, 'node_modules/aws-ses-v2-local/dist/cli.js'),
      '--host',
      '127.0.0.1',
      '--port',
      String(sesPort),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const s3DirectEndpoint = s3rver.url;
  const sesEndpoint = `http://127.0.0.1:${sesPort}`;
  await waitFor(`${sesEndpoint}/health-check`, ses, 'aws-ses-v2-local');
  const proxy = await startPreconditionProxy(s3DirectEndpoint);
  const dynamo = await startDynalite();

  project.provide('s3Endpoint', proxy.url);
  project.provide('s3DirectEndpoint', s3DirectEndpoint);
  project.provide('sesEndpoint', sesEndpoint);
  project.provide('dynamoEndpoint', dynamo.url);

  return async () => {
    proxy.server.close();
    dynamo.server.close();
    s3rver.process.kill();
    ses.kill();
    rmSync(directory, { recursive: true, force: true });
  };
}
