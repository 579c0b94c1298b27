/**
 * Fault injection with aws-sdk-client-mock (mocks are for faults only; the happy paths run against
 * s3rver and aws-ses-v2-local): SES throttling, a 412 on the conditional state write, an S3 timeout.
 */
import {
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { SESClient, SendRawEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { SesMailer } from '../../functions/adapters/ses-mailer.ts';
import { ingestBatch } from '../../functions/app/ingest-batch.ts';
import { ConcurrentWriteError, TransientError } from '../../functions/core/errors.ts';
import type { ArticleSource } from '../../functions/ports.ts';

const s3Mock = mockClient(S3Client);
const sesMock = mockClient(SESClient);

afterEach(() => {
  s3Mock.reset();
  sesMock.reset();
});

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

const ARTICLE = new TextEncoder().encode(
  'Harbour reopens after storm\n\nThe harbour in Portsmouth reopened on Tuesday, March 8, 2022, after storm damage was repaired, the port authority said.\n',
);

describe('SES faults', () => {
  it('maps throttling to a transient error that the sender backs off from', async () => {
    sesMock
      .on(SendRawEmailCommand)
      .rejectsOnce(Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' }))
      .resolves({ MessageId: 'ok-1' });
    const mailer = new SesMailer(new SESClient({ region: 'us-east-1' }));
    const mail = { from: 'a@example.com', to: 'b@example.com', raw: new Uint8Array([65]) };
    await expect(mailer.send(mail)).rejects.toBeInstanceOf(TransientError);
    await expect(mailer.send(mail)).resolves.toEqual({ messageId: 'ok-1' });
  });

  it('keeps a refusal of one address permanent (not retried as throttling)', async () => {
    sesMock
      .on(SendRawEmailCommand)
      .rejects(Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' }));
    const mailer = new SesMailer(new SESClient({ region: 'us-east-1' }));
    const error = await mailer
      .send({ from: 'a@example.com', to: 'b@example.com', raw: new Uint8Array([65]) })
      .catch((e) => e);
    expect(error).not.toBeInstanceOf(TransientError);
    expect((error as Error).name).toBe('MessageRejected');
  });
});

describe('S3 faults', () => {
  it('turns a 412 on the conditional state write into a ConcurrentWriteError', async () => {
    s3Mock.on(PutObjectCommand).rejects(s3Error('PreconditionFailed', 412));
    const store = new S3DigestStore('bucket', new S3Client({ region: 'us-east-1' }));
    await expect(store.saveState({ version: 1 }, '"etag"')).rejects.toBeInstanceOf(ConcurrentWriteError);
  });

  it('re-applies the batch on the newer state after losing the race once', async () => {
    let stateWrites = 0;
    s3Mock.on(GetObjectCommand).rejects(s3Error('NoSuchKey', 404));
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    s3Mock.on(PutObjectCommand).callsFake((input: { Key: string }) => {
      if (input.Key !== 'state/newsroom.json') return { ETag: '"derived"' };
      stateWrites++;
      if (stateWrites === 1) throw s3Error('PreconditionFailed', 412);
      return { ETag: '"committed"' };
    });
    const source: ArticleSource = {
      read: async () => ({ bytes: ARTICLE, arrivedAt: new Date('2022-03-08T10:00:00Z') }),
    };
    const report = await ingestBatch([{ key: 'harbour.txt' }], {
      source,
      store: new S3DigestStore('bucket', new S3Client({ region: 'us-east-1' })),
    });
    expect(stateWrites).toBe(2);
    expect(report.files.map((f) => f.outcome.kind)).toEqual(['story']);
  });

  it('leaves a file whose read timed out for the retry and ingests the others', async () => {
    s3Mock
      .on(GetObjectCommand, { Key: 'incoming/slow.txt' })
      .rejects(Object.assign(new Error('socket timeout'), { name: 'TimeoutError' }));
    s3Mock.on(GetObjectCommand, { Key: 'state/newsroom.json' }).rejects(s3Error('NoSuchKey', 404));
    s3Mock.on(GetObjectCommand, { Key: 'incoming/fine.txt' }).resolves({
      Body: { transformToByteArray: async () => ARTICLE } as never,
      ContentLength: ARTICLE.byteLength,
    });
    s3Mock.on(HeadObjectCommand).rejects(s3Error('NotFound', 404));
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"x"' });
    const client = new S3Client({ region: 'us-east-1' });
    const report = await ingestBatch([{ key: 'slow.txt' }, { key: 'fine.txt' }], {
      source: new S3ArticleSource('bucket', client),
      store: new S3DigestStore('bucket', client),
    });
    const outcomes = Object.fromEntries(report.files.map((f) => [f.key, f.outcome.kind]));
    expect(outcomes).toEqual({ 'slow.txt': 'failed', 'fine.txt': 'story' });
  });
});
