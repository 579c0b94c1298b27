/**
 * What the storage adapters refuse or clean before anything is stored:
 * - a subscriber address the briefing cannot be sent to is refused by both subscriber stores;
 * - a rejection reason naming the address is redacted before the ledger keeps it (the ledger promises
 *   only a hash of the address);
 * - a quarantine record's replay command is one the shell reads back as the same key;
 * - an input object without a ContentLength is read only up to the size limit.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { GetObjectCommand, PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { FsSendLedger, FsSubscriberStore } from '../../../functions/adapters/fs-store.ts';
import { S3ArticleSource } from '../../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../../functions/adapters/s3-digest-store.ts';
import { S3SendLedger } from '../../../functions/adapters/s3-send-ledger.ts';
import { S3SubscriberStore } from '../../../functions/adapters/s3-subscriber-store.ts';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { MAX_INPUT_BYTES } from '../../../functions/core/limits.ts';

const s3Mock = mockClient(S3Client);
const client = () => new S3Client({ region: 'us-east-1' });
const folders: string[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'store-guards-'));
  folders.push(folder);
  return folder;
}

afterEach(() => {
  s3Mock.reset();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** The bodies of every PutObject the adapter sent, by key. */
function putBodies(): Map<string, string> {
  return new Map(
    s3Mock
      .commandCalls(PutObjectCommand)
      .map((call) => [String(call.args[0].input.Key), String(call.args[0].input.Body)]),
  );
}

const UNSENDABLE = [
  'ann@bücher.de',
  'üser@例え.jp',
  'zelda@localhost',
  'Ann <ann@example.org>',
  'ann@example.org\r\nBcc: x@y.z',
];

describe('subscriber stores', () => {
  it.each(UNSENDABLE)('refuse %j without writing anything, and without naming it', async (address) => {
    const root = tempFolder();
    const local = new FsSubscriberStore(root);
    const error = await local.add(address).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejectedError);
    expect((error as Error).message).not.toContain(address.split('@')[0]);
    expect(readdirSync(root)).toEqual([]);

    s3Mock
      .on(GetObjectCommand)
      .rejects(
        new S3ServiceException({ name: 'NoSuchKey', $fault: 'client', $metadata: { httpStatusCode: 404 } }),
      );
    const remote = new S3SubscriberStore('bucket', client());
    await expect(remote.add(address)).rejects.toThrow(InputRejectedError);
    expect(s3Mock.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it('still add a plain address, trimmed and lower-cased', async () => {
    const local = new FsSubscriberStore(tempFolder());
    await local.add('  Ann.Lee+News@Example.ORG ');
    expect((await local.list()).map((s) => s.email)).toEqual(['ann.lee+news@example.org']);
    expect(await local.remove('ANN.LEE+NEWS@example.org')).toBe(true);
  });
});

describe('send ledgers', () => {
  const reason = 'Address blacklisted: cat@throttle.example (550 5.1.1 <cat@throttle.example>)';

  it('keep a rejection reason with the address redacted (local)', async () => {
    const root = tempFolder();
    const ledger = new FsSendLedger(root);
    await ledger.claim('2022-02-28', 'cat@throttle.example');
    await ledger.markRejected('2022-02-28', 'cat@throttle.example', reason);
    const [name] = readdirSync(join(root, 'sent', '2022-02-28'));
    const entry = readFileSync(join(root, 'sent', '2022-02-28', String(name)), 'utf8');
    expect(JSON.parse(entry)).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('blacklisted'),
    });
    expect(entry).not.toContain('cat@');
    expect(entry).not.toContain('throttle.example');
  });

  it('keep a rejection reason with the address redacted (S3)', async () => {
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"e"' });
    await new S3SendLedger('bucket', 'store-guards-secret', client()).markRejected(
      '2022-02-28',
      'cat@throttle.example',
      reason,
    );
    const [[key, body]] = [...putBodies()] as [[string, string]];
    expect(key).toMatch(/^sent\/2022-02-28\/[0-9a-f]{64}\.json$/);
    expect(JSON.parse(body)).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('blacklisted'),
    });
    expect(body).not.toContain('cat@');
    expect(body).not.toContain('throttle.example');
  });
});

describe('quarantine replay command', () => {
  it('survives the shell for a key with a space, a quote and Unicode', async () => {
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const key = "reports/O'Brien's été report $(rm -rf x) `id`.txt";
    await new S3DigestStore('my-bucket', client()).quarantine(
      key,
      'empty: nothing to read',
      new Uint8Array(),
    );
    const record = JSON.parse([...putBodies().values()][0] ?? '{}') as { replay: string };
    expect(record.replay).toMatch(/^aws s3 cp '/);
    // The shell splits the command into words as `aws` would receive them; printf shows those words.
    const words = execFileSync('/bin/sh', ['-c', record.replay.replace(/^aws /, "printf '%s\\n' ")], {
      encoding: 'utf8',
    });
    const url = `s3://my-bucket/incoming/${key}`;
    expect(words.split('\n').filter(Boolean)).toEqual([
      's3',
      'cp',
      url,
      url,
      '--metadata-directive',
      'REPLACE',
    ]);
  });
});

describe('S3 input without a ContentLength', () => {
  function bodyOf(chunks: number, chunkBytes: number) {
    let produced = 0;
    const stream = Readable.from(
      (function* () {
        for (let i = 0; i < chunks; i++) {
          produced += chunkBytes;
          yield new Uint8Array(chunkBytes).fill(65);
        }
      })(),
    );
    // What the SDK returns in Node: the Readable, with its transform helpers mixed in.
    const body = Object.assign(stream, {
      transformToByteArray: async () => {
        const parts: Uint8Array[] = [];
        for await (const part of stream) parts.push(part as Uint8Array);
        return new Uint8Array(Buffer.concat(parts));
      },
    });
    return { body: body as never, produced: () => produced };
  }

  it('is rejected as too large once the read passes the limit, without reading the rest', async () => {
    const chunkBytes = 1024 * 1024;
    const totalChunks = Math.ceil(MAX_INPUT_BYTES / chunkBytes) * 3; // three times the limit
    const { body, produced } = bodyOf(totalChunks, chunkBytes);
    s3Mock.on(GetObjectCommand).resolves({ Body: body, LastModified: new Date() });
    const error = await new S3ArticleSource('bucket', client()).read('big.txt').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputRejectedError);
    expect((error as InputRejectedError).code).toBe('too-large');
    expect((error as Error).message).toContain(String(MAX_INPUT_BYTES));
    expect(produced()).toBeLessThanOrEqual(MAX_INPUT_BYTES + 2 * chunkBytes);
  });

  it('is read whole when it is within the limit', async () => {
    const { body } = bodyOf(3, 1000);
    s3Mock.on(GetObjectCommand).resolves({ Body: body, LastModified: new Date('2022-02-28T00:00:00Z') });
    const read = await new S3ArticleSource('bucket', client()).read('small.txt');
    expect(read?.bytes.byteLength).toBe(3000);
    expect(read?.bytes.buffer.byteLength).toBe(3000); // its own buffer, transferable to a worker
    expect(read?.arrivedAt.toISOString()).toBe('2022-02-28T00:00:00.000Z');
  });
});
