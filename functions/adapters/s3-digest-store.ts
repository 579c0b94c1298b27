/**
 * The pipeline's durable state in S3 (DigestStore): the engine state under state/, written with
 * If-Match / If-None-Match so no update is lost; the derived digests and article records, written
 * newer-wins; and the quarantine records of rejected files.
 */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES, FIXED_KEYS } from '../contracts.ts';
import { requireCalendarDay } from '../core/day.ts';
import { ConcurrentWriteError } from '../core/errors.ts';
import { quarantineRecordName } from '../core/quarantine-key.ts';
import type { ArticleRecord, Day, Digest } from '../core/types.ts';
import type { DerivedOutput, DigestStore, QuarantineOptions, Versioned } from '../ports.ts';
import { s3Client } from './clients.ts';
import { jsonBytes, jsonLinesBytes } from './json-bytes.ts';
import { replayCommand } from './replay-command.ts';
import { translateS3Error } from './s3-errors.ts';
import { getObject, headRevision, putObject } from './s3-objects.ts';

/** Attempts for a newer-wins write of a derived object while other writers keep changing it. */
const DERIVED_WRITE_ATTEMPTS = 10;

export class S3DigestStore implements DigestStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  async loadState(): Promise<Versioned<unknown> | null> {
    const object = await getObject(this.client, this.bucket, FIXED_KEYS.engineState);
    if (object === null) return null;
    return { value: JSON.parse(new TextDecoder().decode(object.body)) as unknown, version: object.etag };
  }

  async saveState(state: unknown, expectedVersion: string | null): Promise<string> {
    return putObject(
      this.client,
      this.bucket,
      FIXED_KEYS.engineState,
      jsonBytes(state),
      expectedVersion === null ? { ifNoneMatch: '*' } : { ifMatch: expectedVersion },
    );
  }

  private keyOf(target: DerivedOutput): string {
    return target === 'records'
      ? FIXED_KEYS.articleRecords
      : `${BUCKET_PREFIXES.digests}${target.digest}.json`;
  }

  async derivedRevision(target: DerivedOutput): Promise<number | null> {
    return (await headRevision(this.client, this.bucket, this.keyOf(target)))?.revision ?? null;
  }

  /**
   * Writes a derived object unless a newer revision is already stored. The revision travels as object
   * metadata and the write is conditional on the ETag just read, so out-of-order writers cannot
   * replace a newer digest with an older one.
   */
  private async putIfNewer(
    key: string,
    body: string | Uint8Array,
    revision: number | undefined,
    contentType: string,
  ) {
    if (revision === undefined) {
      await putObject(this.client, this.bucket, key, body, {}, contentType);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const current = await headRevision(this.client, this.bucket, key);
      if (current !== null && current.revision !== null && current.revision >= revision) return;
      try {
        await putObject(
          this.client,
          this.bucket,
          key,
          body,
          current === null ? { ifNoneMatch: '*' } : { ifMatch: current.etag },
          contentType,
          { revision: String(revision) },
        );
        return;
      } catch (error) {
        if (error instanceof ConcurrentWriteError && attempt < DERIVED_WRITE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async putDigest(digest: Digest, revision?: number): Promise<void> {
    await this.putIfNewer(
      this.keyOf({ digest: digest.date }),
      JSON.stringify(digest, null, 2),
      revision,
      'application/json',
    );
  }

  async getDigest(day: Day): Promise<Digest | null> {
    const key = `${BUCKET_PREFIXES.digests}${requireCalendarDay(day, 'The digest day')}.json`;
    const object = await getObject(this.client, this.bucket, key);
    return object === null ? null : (JSON.parse(new TextDecoder().decode(object.body)) as Digest);
  }

  async listDigestDays(): Promise<Day[]> {
    const days: Day[] = [];
    let token: string | undefined;
    do {
      try {
        const page = await this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: BUCKET_PREFIXES.digests,
            ContinuationToken: token,
          }),
        );
        for (const object of page.Contents ?? []) {
          const match = /^digests\/(\d{4}-\d{2}-\d{2})\.json$/.exec(object.Key ?? '');
          if (match?.[1]) days.push(match[1]);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (error) {
        return translateS3Error(error, `Listing s3://${this.bucket}/${BUCKET_PREFIXES.digests}`);
      }
    } while (token);
    return days.sort();
  }

  async putArticleRecords(records: readonly ArticleRecord[], revision?: number): Promise<void> {
    await this.putIfNewer(
      FIXED_KEYS.articleRecords,
      jsonLinesBytes(records),
      revision,
      'application/x-ndjson',
    );
  }

  async quarantine(
    key: string,
    reason: string,
    bytes: Uint8Array | null,
    options: QuarantineOptions = {},
  ): Promise<void> {
    const record = {
      key: `${BUCKET_PREFIXES.incoming}${key}`,
      reason,
      size: bytes?.byteLength ?? null,
      quarantinedAt: new Date().toISOString(),
      replay: replayCommand(`s3://${this.bucket}/${BUCKET_PREFIXES.incoming}${key}`),
    };
    try {
      await putObject(
        this.client,
        this.bucket,
        `${BUCKET_PREFIXES.quarantine}${quarantineRecordName(key)}`,
        JSON.stringify(record, null, 2),
        options.keepExisting ? { ifNoneMatch: '*' } : {},
      );
    } catch (error) {
      // Kept: the record is already there.
      if (!(options.keepExisting && error instanceof ConcurrentWriteError)) throw error;
    }
  }
}
