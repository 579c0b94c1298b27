/**
 * The conditional write of digests/<day>.json (S3DigestStore.putDigest with a revision): a 412 from a
 * concurrent writer makes it read the object again and retry with the new ETag, a newer revision stored
 * meanwhile wins, and a write that keeps losing gives up with the typed ConcurrentWriteError.
 * Faults are injected with aws-sdk-client-mock (as in tests/integration/faults.test.ts).
 */
import {
  HeadObjectCommand,
  PutObjectCommand,
  type PutObjectCommandInput,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3DigestStore } from '../../../functions/adapters/s3-digest-store.ts';
import { ConcurrentWriteError } from '../../../functions/core/errors.ts';
import { seedsLikeDigest } from '../render/fixtures.ts';

/** DERIVED_WRITE_ATTEMPTS in functions/adapters/s3-digest-store.ts. */
const MAX_ATTEMPTS = 10;

const s3Mock = mockClient(S3Client);

afterEach(() => {
  s3Mock.reset();
});

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

const digest = seedsLikeDigest();
const KEY = `digests/${digest.date}.json`;

function store(): S3DigestStore {
  return new S3DigestStore('bucket', new S3Client({ region: 'eu-west-2' }));
}

function puts(): PutObjectCommandInput[] {
  return s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input);
}

describe('S3DigestStore.putDigest: conditional write of digests/<day>.json', () => {
  it('re-reads after a 412 and writes again with the new ETag', async () => {
    s3Mock
      .on(HeadObjectCommand, { Key: KEY })
      .resolvesOnce({ ETag: '"v1"', Metadata: { revision: '3' } })
      .resolvesOnce({ ETag: '"v2"', Metadata: { revision: '4' } });
    s3Mock
      .on(PutObjectCommand, { Key: KEY })
      .rejectsOnce(s3Error('PreconditionFailed', 412))
      .resolves({ ETag: '"v3"' });

    await store().putDigest(digest, 5);

    expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(2);
    expect(puts().map((input) => [input.Key, input.IfMatch, input.IfNoneMatch, input.Metadata])).toEqual([
      [KEY, '"v1"', undefined, { revision: '5' }],
      [KEY, '"v2"', undefined, { revision: '5' }],
    ]);
    expect(JSON.parse(String(puts()[1]?.Body))).toEqual(digest);
  });

  it('creates with If-None-Match, and after losing the create race updates the object that won', async () => {
    s3Mock
      .on(HeadObjectCommand, { Key: KEY })
      .rejectsOnce(s3Error('NotFound', 404))
      .resolvesOnce({ ETag: '"theirs"', Metadata: { revision: '1' } });
    s3Mock
      .on(PutObjectCommand, { Key: KEY })
      .rejectsOnce(s3Error('PreconditionFailed', 412))
      .resolves({ ETag: '"ours"' });

    await store().putDigest(digest, 2);

    expect(puts().map((input) => [input.IfNoneMatch, input.IfMatch])).toEqual([
      ['*', undefined],
      [undefined, '"theirs"'],
    ]);
  });

  it('keeps a newer revision written by the concurrent writer (no second write)', async () => {
    s3Mock
      .on(HeadObjectCommand, { Key: KEY })
      .resolvesOnce({ ETag: '"v1"', Metadata: { revision: '3' } })
      .resolvesOnce({ ETag: '"v2"', Metadata: { revision: '9' } });
    s3Mock.on(PutObjectCommand, { Key: KEY }).rejectsOnce(s3Error('PreconditionFailed', 412));

    await store().putDigest(digest, 5);

    expect(puts()).toHaveLength(1);
    expect(s3Mock.commandCalls(HeadObjectCommand)).toHaveLength(2);
  });

  it(`gives up after ${MAX_ATTEMPTS} lost races with a ConcurrentWriteError`, async () => {
    let etag = 0;
    s3Mock
      .on(HeadObjectCommand, { Key: KEY })
      .callsFake(() => ({ ETag: `"v${++etag}"`, Metadata: { revision: '1' } }));
    s3Mock.on(PutObjectCommand, { Key: KEY }).rejects(s3Error('PreconditionFailed', 412));

    const error = await store()
      .putDigest(digest, 2)
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ConcurrentWriteError);
    expect((error as Error).message).toContain(`s3://bucket/${KEY}`);
    expect(puts()).toHaveLength(MAX_ATTEMPTS);
    // Every attempt read the object again and used the ETag it just read.
    expect(puts().map((input) => input.IfMatch)).toEqual(
      Array.from({ length: MAX_ATTEMPTS }, (_, i) => `"v${i + 1}"`),
    );
  });

  it('does not retry an error that is not a lost race', async () => {
    s3Mock.on(HeadObjectCommand, { Key: KEY }).resolves({ ETag: '"v1"', Metadata: { revision: '1' } });
    s3Mock.on(PutObjectCommand, { Key: KEY }).rejects(s3Error('AccessDenied', 403));

    await expect(store().putDigest(digest, 2)).rejects.toMatchObject({ name: 'AccessDenied' });
    expect(puts()).toHaveLength(1);
  });
});
