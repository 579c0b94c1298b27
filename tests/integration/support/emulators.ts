/**
 * Vitest global setup for the integration tests: starts s3rver (behind the precondition proxy),
 * aws-ses-v2-local and dynalite (in this process, in memory) on free loopback ports, hands their URLs
 * to the tests, and stops them afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dynalite from 'dynalite';
import type { TestProject } from 'vitest/node';
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

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, child: ChildProcess, name: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode} before it was ready.`);
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`${name} did not answer at ${url} within 30 s.`);
}

export default async function setup(project: TestProject) {
  const s3Port = await freePort();
  const sesPort = await freePort();
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const root = process.cwd();

  // --openssl-legacy-provider: without it s3rver's ListObjectsV2 pagination fails with a 500 (DESIGN.md §5).
  const s3rver = spawn(
    process.execPath,
    [
      join(root, 'node_modules/s3rver/bin/s3rver.js'),
      '--directory',
      directory,
      '--address',
      '127.0.0.1',
      '--port',
      String(s3Port),
      '--silent',
      '--configure-bucket',
      TEST_BUCKET,
    ],
    {
      env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
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
  const s3DirectEndpoint = `http://127.0.0.1:${s3Port}`;
  const sesEndpoint = `http://127.0.0.1:${sesPort}`;
  await waitFor(s3DirectEndpoint, s3rver, 's3rver');
  await waitFor(`${sesEndpoint}/health-check`, ses, 'aws-ses-v2-local');
  const proxy = await startPreconditionProxy(s3DirectEndpoint);
  // createTableMs 0: a table a test creates is ACTIVE at once (DESIGN.md §5).
  const dynamo = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const dynamoPort = await freePort();
  await new Promise<void>((resolve) => dynamo.listen(dynamoPort, '127.0.0.1', resolve));

  project.provide('s3Endpoint', proxy.url);
  project.provide('s3DirectEndpoint', s3DirectEndpoint);
  project.provide('sesEndpoint', sesEndpoint);
  project.provide('dynamoEndpoint', `http://127.0.0.1:${dynamoPort}`);

  return async () => {
    proxy.server.close();
    dynamo.close();
    s3rver.kill();
    ses.kill();
    rmSync(directory, { recursive: true, force: true });
  };
}
