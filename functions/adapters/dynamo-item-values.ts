/**
 * An item value as DynamoDB attributes: JSON text when small, gzipped JSON when larger, and a reference
 * to an object in the bucket when even that would not fit in an item.
 */
import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES, ITEM_TABLE } from '../contracts.ts';
import type { ItemKey } from '../ports.ts';
import { countersOf, utf8Bytes } from './dynamo-attributes.ts';

/** Values up to this size travel as JSON text; above it gzip costs less than the write units it saves. */
const PLAIN_JSON_BYTES = 1024;
/** Gzipped values above this go to the bucket: an item (names and all) must stay under DynamoDB's 400 KB. */
const LARGE_VALUE_BYTES = 350 * 1024;

const T = ITEM_TABLE;

/** Where values too large for an item go. */
export interface LargeValues {
  readonly bucket: string;
  readonly client: S3Client;
}

/** Runs a call with the store's retries (DynamoItemStore.withBackoff). */
export type WithBackoff = <R>(action: string, call: () => Promise<R>) => Promise<R>;

export class ItemValueCodec {
  constructor(
    private readonly largeValues: LargeValues | undefined,
    private readonly withBackoff: WithBackoff,
  ) {}

  /** The attributes that hold `value`; a large one is put in the bucket first. */
  async encode(value: unknown): Promise<Record<string, AttributeValue>> {
    const json = JSON.stringify(value);
    if (json === undefined) throw new TypeError('An item value must be JSON (not undefined or a function).');
    if (utf8Bytes(json) <= PLAIN_JSON_BYTES) return { [T.json]: { S: json } };
    const gzip = gzipSync(json);
    if (gzip.byteLength <= LARGE_VALUE_BYTES) return { [T.gzip]: { B: gzip } };
    if (this.largeValues === undefined) {
      throw new RangeError(
        `An item value of ${gzip.byteLength} gzipped bytes does not fit in a DynamoDB item, and no bucket was given for large values.`,
      );
    }
    const key = `${BUCKET_PREFIXES.itemValues}${createHash('sha256').update(gzip).digest('hex')}.json.gz`;
    const { bucket, client } = this.largeValues;
    // Named by its content, so a replayed write puts the same object again and needs no condition.
    await this.withBackoff('Writing a large item value', () =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: gzip })),
    );
    return { [T.largeValueKey]: { S: key } };
  }

  /** The value an item holds (its counters, for a counter item). */
  async valueOf(item: Record<string, AttributeValue>, key: ItemKey): Promise<unknown> {
    if (item[T.version] === undefined) return countersOf(item);
    const json = item[T.json]?.S;
    if (json !== undefined) return JSON.parse(json);
    const gzip = item[T.gzip]?.B;
    if (gzip !== undefined) return JSON.parse(gunzipSync(gzip).toString('utf8'));
    const reference = item[T.largeValueKey]?.S;
    if (reference === undefined || this.largeValues === undefined) {
      throw new Error(`Item ${key.partition}/${key.sort} has no value this store can read.`);
    }
    const { bucket, client } = this.largeValues;
    const response = await this.withBackoff('Reading a large item value', () =>
      client.send(new GetObjectCommand({ Bucket: bucket, Key: reference })),
    );
    const body = await response.Body?.transformToByteArray();
    if (body === undefined) throw new Error(`The large value s3://${bucket}/${reference} is empty.`);
    return JSON.parse(gunzipSync(body).toString('utf8'));
  }
}
