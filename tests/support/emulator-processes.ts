/**
 * Starting the AWS stand-ins (DESIGN.md §5): s3rver as a child process, dynalite in this process, and
 * the item table with the key schema the stack gives the real one. Shared by the integration tests'
 * global setup and by the bench and eval harnesses that run the deployed path outside vitest.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import {
  type AttributeValue,
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ITEM_TABLE } from '../../functions/contracts.ts';

const ROOT = join(import.meta.dirname, '../..');

export function freePort(): Promise<number> {
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

export async function waitFor(url: string, child: ChildProcess, name: string): Promise<void> {
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

/** s3rver on a free loopback port, storing under `directory`; `bucket` is created at start when given. */
export async function startS3rver(
  directory: string,
  bucket?: string,
): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  // --openssl-legacy-provider: without it s3rver's ListObjectsV2 pagination fails with a 500 (DESIGN.md §5).
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'node_modules/s3rver/bin/s3rver.js'),
      '--directory',
      directory,
      '--address',
      '127.0.0.1',
      '--port',
      String(port),
      '--silent',
      ...(bucket === undefined ? [] : ['--configure-bucket', bucket]),
    ],
    {
      env: { ...process.env, NODE_OPTIONS: '--openssl-legacy-provider' },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitFor(url, child, 's3rver');
  return { url, process: child };
}

/** The part of dynalite's storage layer (dynalite/db, pinned 4.0.0) that a bulk load writes through. */
interface DynaliteStore {
  getTable(name: string, checkStatus: boolean, callback: (error: Error | null, table: unknown) => void): void;
  getItemDb(name: string): {
    batch(
      operations: { type: 'put'; key: string; value: unknown }[],
      callback: (error?: Error) => void,
    ): void;
  };
}
const dynaliteDb = createRequire(import.meta.url)('dynalite/db/index.js') as {
  create: (options: unknown) => DynaliteStore;
  createKey: (item: unknown, table: unknown) => string;
};

export interface LocalDynalite {
  readonly url: string;
  readonly server: Server;
  /**
   * Stores items (in DynamoDB's JSON wire form) straight into dynalite's storage, as PutItem would store
   * them but without one HTTP request each: for building large fixtures, never for the code under test.
   */
  bulkPut(table: string, items: readonly Record<string, WireAttribute>[]): Promise<void>;
}

/** An attribute as DynamoDB's JSON protocol carries it (binary as base64). */
export type WireAttribute = { S: string } | { N: string } | { B: string };

/** An SDK attribute value in wire form; only the scalar types the item table uses. */
export function toWireAttribute(value: AttributeValue): WireAttribute {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  throw new TypeError(`Only S, N and B attributes can be bulk-loaded, not ${JSON.stringify(value)}.`);
}

/** dynalite in this process, in memory, on a free loopback port. */
export async function startDynalite(): Promise<LocalDynalite> {
  const create = dynaliteDb.create;
  let store: DynaliteStore | undefined;
  dynaliteDb.create = (options) => {
    store = create(options);
    return store;
  };
  let server: Server;
  try {
    // createTableMs 0: a table a test creates is ACTIVE at once (DESIGN.md §5).
    server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  } finally {
    dynaliteDb.create = create;
  }
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bulkPut = async (table: string, items: readonly Record<string, WireAttribute>[]) => {
    if (store === undefined) throw new Error('dynalite did not create its store through dynalite/db.');
    const db = store;
    const definition = await new Promise<unknown>((resolve, reject) =>
      // Its key schema is all a bulk load needs, whatever status dynalite shows the table in.
      db.getTable(table, false, (error, found) => (error ? reject(error) : resolve(found))),
    );
    const operations = items.map((item) => ({
      type: 'put' as const,
      key: dynaliteDb.createKey(item, definition),
      value: item,
    }));
    await new Promise<void>((resolve, reject) =>
      db.getItemDb(table).batch(operations, (error) => (error ? reject(error) : resolve())),
    );
  };
  return { url: `http://127.0.0.1:${port}`, server, bulkPut };
}

/** Times createItemTable asks whether a new table is ACTIVE, 20 ms apart. */
const TABLE_ACTIVE_ATTEMPTS = 250;

/** Creates an on-demand item table with the stack's key schema (functions/contracts.ts), and waits until it is ACTIVE. */
export async function createItemTable(client: DynamoDBClient, table: string): Promise<void> {
  await client.send(
    new CreateTableCommand({
      TableName: table,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: ITEM_TABLE.partitionKey, AttributeType: 'S' },
        { AttributeName: ITEM_TABLE.sortKey, AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: ITEM_TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: ITEM_TABLE.sortKey, KeyType: 'RANGE' },
      ],
    }),
  );
  // Even with createTableMs 0, dynalite marks the table ACTIVE on a timer after it answers; a call that
  // comes first (a busy machine) is refused with ResourceNotFoundException.
  for (let attempt = 1; ; attempt++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    if (attempt >= TABLE_ACTIVE_ATTEMPTS) throw new Error(`Table ${table} is still ${Table?.TableStatus}.`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
