/**
 * The digest builder as deployed, on s3rver and dynalite: the ingest handler leaves digest requests, the
 * builder's queue delivers them in one batch, and each requested day's digest is rebuilt once. A message
 * that is not a request, or a day whose rebuild fails, fails only its own messages.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import type { Digest } from '../../functions/core/types.ts';
import { createDigestBuilderHandler } from '../../functions/handlers/digest-builder.ts';
import type { DigestStore } from '../../functions/ports.ts';
import { requestedDigestKeys } from '../support/requested-digests.ts';
import { type LocalAws, sqsEventFor, useLocalAws } from './support/aws-env.ts';
import { itemStoreFromEnv } from './support/item-records.ts';
import { useItemTable } from './support/item-table.ts';

const SEED = readFileSync(join(import.meta.dirname, '../../seeds/000_43da1c7f9cb7f9a2.txt'));
const HARBOUR =
  'Harbour reopens after storm\n\nThe harbour in Portsmouth reopened on Tuesday, March 8, 2022, after storm damage was repaired, the port authority said. Ferries resumed crossings to the Isle of Wight in the afternoon.\n';

type Handler = (event: never) => Promise<SQSBatchResponse>;
let aws: LocalAws;
let ingest: Handler;

beforeAll(async () => {
  aws = await useLocalAws();
  await useItemTable();
  ({ handler: ingest } = (await import('../../functions/handlers/ingest.ts')) as never);
  await aws.put('incoming/seed.txt', SEED);
  await aws.put('incoming/harbour.txt', HARBOUR);
  const response = await ingest(
    sqsEventFor(aws.bucket, ['incoming/seed.txt', 'incoming/harbour.txt']) as never,
  );
  expect(response.batchItemFailures).toEqual([]);
});

/** The builder on the environment's table and bucket, its digest store wrapped by `wrap`. */
function builder(wrap: (store: DigestStore) => DigestStore = (store) => store) {
  return createDigestBuilderHandler({
    items: itemStoreFromEnv(),
    store: wrap(new S3DigestStore(aws.bucket)),
  });
}

const digestOf = async (day: string) =>
  JSON.parse((await aws.getText(`digests/${day}.json`)) ?? 'null') as Digest | null;

describe('digest builder handler', () => {
  it('fails only the messages of a day whose rebuild failed; their redelivery writes the digest', async () => {
    const keys = await requestedDigestKeys(aws.s3, aws.bucket);
    expect(keys).toEqual(['digest-requests/2022-02-28', 'digest-requests/2022-03-08']);
    const event = sqsEventFor(aws.bucket, keys) as unknown as SQSEvent;
    const failing = builder((store) =>
      Object.assign(Object.create(store) as DigestStore, {
        putDigest: (digest: Digest, revision?: number) =>
          digest.date === '2022-03-08'
            ? Promise.reject(new Error('S3 is having a moment'))
            : store.putDigest(digest, revision),
      }),
    );
    const response = await failing(event);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: event.Records[1]?.messageId }]);
    expect((await digestOf('2022-02-28'))?.stories.length).toBeGreaterThan(0);
    expect(await digestOf('2022-03-08')).toBeNull();

    const again = await builder()(sqsEventFor(aws.bucket, [keys[1] as string]) as unknown as SQSEvent);
    expect(again.batchItemFailures).toEqual([]);
    expect(JSON.stringify(await digestOf('2022-03-08'))).toContain('Portsmouth');
  });

  it('sends a message that is not a digest request to the dead-letter queue, and builds the others', async () => {
    const event = sqsEventFor(aws.bucket, ['digest-requests/2022-02-28', 'incoming/seed.txt']);
    const garbled = { ...event.Records[0], messageId: 'garbled', body: 'not json' };
    const response = await builder()({ Records: [...event.Records, garbled] } as unknown as SQSEvent);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(
      [event.Records[1]?.messageId, 'garbled'].sort(),
    );
  });

  it('rebuilds a day again only after ingest changed it', async () => {
    const before = await aws.getText('digests/2022-03-08.json');
    const put: string[] = [];
    const watching = builder((store) =>
      Object.assign(Object.create(store) as DigestStore, {
        putDigest: (digest: Digest, revision?: number) => {
          put.push(digest.date);
          return store.putDigest(digest, revision);
        },
      }),
    );
    const request = sqsEventFor(aws.bucket, ['digest-requests/2022-03-08']) as unknown as SQSEvent;
    expect((await watching(request)).batchItemFailures).toEqual([]);
    expect(put).toEqual([]);
    expect(await aws.getText('digests/2022-03-08.json')).toBe(before);

    await aws.put(
      'incoming/ferry.txt',
      'Ferry timetable restored\n\nFerries between Portsmouth and the Isle of Wight ran to their full timetable on Tuesday, March 8, 2022, after the storm, the operator said.\n',
    );
    expect(
      (await ingest(sqsEventFor(aws.bucket, ['incoming/ferry.txt']) as never)).batchItemFailures,
    ).toEqual([]);
    expect((await watching(request)).batchItemFailures).toEqual([]);
    expect(put).toEqual(['2022-03-08']);
    expect(await aws.getText('digests/2022-03-08.json')).toContain('ferry.txt');
  });
});
