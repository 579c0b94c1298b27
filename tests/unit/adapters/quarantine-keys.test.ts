/**
 * Quarantine record names (issue 18.2): bounded whatever the incoming key's length (a ~1,010-byte key
 * used to pass S3's 1,024-byte limit and fail its batch on every delivery), collision-free (`a/../b.txt`
 * and `b.txt` used to share one record), readable, and never outside quarantine/. Each record is
 * written on its own: one failing write fails only its file, and its next delivery writes it.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { FsArticleSource, FsDigestStore } from '../../../functions/adapters/fs-store.ts';
import { S3DigestStore } from '../../../functions/adapters/s3-digest-store.ts';
import { ingestBatch } from '../../../functions/app/ingest-batch.ts';
import { TransientError } from '../../../functions/core/errors.ts';
import { QUARANTINE_NAME_MAX_BYTES, quarantineRecordName } from '../../../functions/core/quarantine-key.ts';
import type { DigestStore } from '../../../functions/ports.ts';

const S3_KEY_MAX_BYTES = 1024;
const ARRIVED = new Date('2022-03-20T08:00:00Z');
const bytesOf = (text: string) => Buffer.byteLength(text, 'utf8');
const base = mkdtempSync(join(tmpdir(), 'quarantine-keys-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('quarantineRecordName', () => {
  it('keeps a plain, short key as it is', () => {
    expect(quarantineRecordName('empty.txt')).toBe('empty.txt.json');
    expect(quarantineRecordName('news/wire copy+1 été.txt')).toBe('news/wire copy+1 été.txt.json');
  });

  it('gives a 1,010-byte key a name that fits S3 with the prefix, starting with the key', () => {
    const key = `reports/${'a'.repeat(1_000)}.txt`;
    const name = quarantineRecordName(key);
    expect(bytesOf(`quarantine/${name}`)).toBeLessThanOrEqual(S3_KEY_MAX_BYTES);
    expect(name.startsWith('reports/aaaa')).toBe(true);
    expect(name).toMatch(/~[0-9a-f]{32}\.json$/);
  });

  it('does not cut a multi-byte character, and keeps every path segment under 255 bytes', () => {
    const name = quarantineRecordName('é'.repeat(600) + '😀'.repeat(100));
    expect(name).not.toContain('\uFFFD');
    expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    for (const segment of name.split('/')) expect(bytesOf(segment)).toBeLessThanOrEqual(255);
  });

  it('tells apart keys that only differ in dot segments, slashes or a digest-like ending', () => {
    const keys = ['b.txt', 'a/../b.txt', './b.txt', '/b.txt', 'x//b.txt', 'x/b.txt'];
    const spoof = quarantineRecordName('a/../b.txt').replace(/\.json$/, '');
    keys.push(spoof);
    const names = keys.map(quarantineRecordName);
    expect(new Set(names).size).toBe(keys.length);
    for (const name of names) expect(name.split('/')).not.toContain('..');
  });

  it('is bounded, stays below quarantine/ and never maps two keys to one name', () => {
    const segment = fc.oneof(
      fc.constantFrom('.', '..', '', 'a', 'b.txt', '~', 'x~0123456789abcdef0123456789abcdef'),
      fc.string({ unit: 'grapheme', maxLength: 300 }),
    );
    const key = fc.array(segment, { minLength: 1, maxLength: 8 }).map((parts) => parts.join('/'));
    fc.assert(
      fc.property(fc.uniqueArray(key, { minLength: 2, maxLength: 6 }), (keys) => {
        const names = keys.map(quarantineRecordName);
        expect(new Set(names).size).toBe(keys.length);
        for (const name of names) {
          expect(bytesOf(name)).toBeLessThanOrEqual(QUARANTINE_NAME_MAX_BYTES);
          expect(name.split('/')).not.toContain('..');
          expect(name.startsWith('/')).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('S3DigestStore.quarantine', () => {
  const s3Mock = mockClient(S3Client);
  afterEach(() => s3Mock.reset());

  it('writes the record of a 1,010-byte key under a key S3 accepts, with the whole key inside', async () => {
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"e"' });
    const key = `reports/${'a'.repeat(1_000)}.txt`;
    await new S3DigestStore('bucket', new S3Client({ region: 'eu-west-1' })).quarantine(
      key,
      'empty: x',
      null,
    );
    const input = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(bytesOf(input?.Key ?? '')).toBeLessThanOrEqual(S3_KEY_MAX_BYTES);
    expect(input?.Key?.startsWith('quarantine/reports/')).toBe(true);
    expect(JSON.parse(String(input?.Body)).key).toBe(`incoming/${key}`);
  });
});

describe('quarantine records in a batch', () => {
  it('are written one by one: a failing write fails only its file, and its next delivery writes it', async () => {
    const input = join(base, 'in');
    const out = join(base, 'out');
    rmSync(input, { recursive: true, force: true });
    mkdirSync(input, { recursive: true });
    writeFileSync(join(input, 'empty-1.txt'), '');
    writeFileSync(join(input, 'empty-2.txt'), '');
    const fsStore = new FsDigestStore(out);
    let failing = true;
    const store: DigestStore = Object.assign(Object.create(fsStore) as DigestStore, {
      quarantine: (...args: Parameters<DigestStore['quarantine']>) =>
        failing && args[0] === 'empty-1.txt'
          ? Promise.reject(new TransientError('S3 throttled the write'))
          : fsStore.quarantine(...args),
    });
    const requests = ['empty-1.txt', 'empty-2.txt'].map((key) => ({ key, arrivedAt: ARRIVED }));
    const source = new FsArticleSource(input);

    const first = await ingestBatch(requests, { source, store });
    expect(first.files.map((f) => [f.key, f.outcome.kind])).toEqual([
      ['empty-1.txt', 'failed'],
      ['empty-2.txt', 'rejected'],
    ]);
    expect(readdirSync(join(out, 'quarantine'))).toEqual(['empty-2.txt.json']);

    failing = false;
    const retry = await ingestBatch(requests.slice(0, 1), { source, store });
    expect(retry.files.map((f) => f.outcome.kind)).toEqual(['unchanged']);
    expect(readdirSync(join(out, 'quarantine')).sort()).toEqual(['empty-1.txt.json', 'empty-2.txt.json']);
    const written = readFileSync(join(out, 'quarantine', 'empty-2.txt.json'), 'utf8');
    await ingestBatch(requests.slice(1), { source, store });
    // A record already there is kept as it was.
    expect(readFileSync(join(out, 'quarantine', 'empty-2.txt.json'), 'utf8')).toBe(written);
  });
});
