/**
 * The ItemStore port on one DynamoDB table (layout in functions/contracts.ts). Each write is a single
 * PutItem/DeleteItem conditioned on the version attribute; reads are BatchGetItem calls (strongly
 * consistent unless the caller says otherwise) whose unprocessed keys are asked again. Throttling is retried with backoff here, then surfaces as
 * a TransientError, which fails the queue message so that SQS redelivers it (and parks it in the DLQ
 * after the queue's receive limit). Values too large for an item go to the bucket (dynamo-item-values.ts).
 */
import {
  type AttributeValue,
  BatchGetItemCommand,
  DeleteItemCommand,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { ITEM_TABLE } from '../contracts.ts';
import { ConcurrentWriteError, TransientError } from '../core/errors.ts';
import {
  type ItemKey,
  type ItemPut,
  type ItemReadOptions,
  type ItemStore,
  itemKeyId,
  type StoredItem,
} from '../ports.ts';
import { counterUpdate, isConditionFailed, isThrottled, keyAttributes, keyOf } from './dynamo-attributes.ts';
import {
  entriesOf,
  entryCountsUpdate,
  entrySetKey,
  entryUpdate,
  isEntrySetPartition,
  unversionedOnly,
} from './dynamo-entry-sets.ts';
import { ItemValueCodec, type LargeValues } from './dynamo-item-values.ts';
import { aCounter, checkExpectedVersion, checkedCounts, notACounter } from './item-counters.ts';

/** BatchGetItem takes at most 100 keys a call. */
const BATCH_GET_LIMIT = 100;

export interface DynamoRetryPolicy {
  /** Calls made for one operation before a throttled store counts as unavailable. */
  readonly attempts: number;
  /** Pause before the second call; it doubles for each further call (with jitter). */
  readonly baseDelayMs: number;
}

/** About 3 s of backoff in all: long enough to ride out a burst, short enough for the Lambda's timeout. */
export const DEFAULT_RETRY: DynamoRetryPolicy = { attempts: 6, baseDelayMs: 100 };

export interface DynamoItemStoreOptions {
  readonly table: string;
  readonly client: DynamoDBClient;
  /** Where values too large for an item go; without it such a write fails with a clear error. */
  readonly largeValues?: LargeValues;
  readonly retry?: DynamoRetryPolicy;
  /** Seconds since the epoch, for expiry; the system clock when absent. */
  readonly now?: () => number;
}

const T = ITEM_TABLE;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export class DynamoItemStore implements ItemStore {
  private readonly table: string;
  private readonly client: DynamoDBClient;
  private readonly values: ItemValueCodec;
  private readonly retry: DynamoRetryPolicy;
  private readonly now: () => number;

  constructor(options: DynamoItemStoreOptions) {
    this.table = options.table;
    this.client = options.client;
    this.retry = options.retry ?? DEFAULT_RETRY;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.values = new ItemValueCodec(options.largeValues, (action, call) => this.withBackoff(action, call));
  }

  /** Runs one call, retrying throttling and 5xx with exponential backoff, then fails as transient. */
  private async withBackoff<R>(action: string, call: () => Promise<R>): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isThrottled(error)) throw error;
        if (attempt >= this.retry.attempts) {
          throw new TransientError(
            `${action}: DynamoDB stayed throttled or unavailable through ${attempt} attempts; the batch will be retried.`,
            { cause: error },
          );
        }
        await sleep(this.backoffMs(attempt));
      }
    }
  }

  private backoffMs(attempt: number): number {
    const ceiling = this.retry.baseDelayMs * 2 ** (attempt - 1);
    return ceiling / 2 + Math.random() * (ceiling / 2);
  }

  async getMany(keys: readonly ItemKey[], options: ItemReadOptions = {}): Promise<Map<string, StoredItem>> {
    const consistent = options.consistent ?? true;
    const found = new Map<string, StoredItem>();
    const entryKeys = keys.filter((key) => isEntrySetPartition(key.partition));
    const unique = new Map(
      keys.filter((key) => !isEntrySetPartition(key.partition)).map((key) => [itemKeyId(key), key]),
    );
    const all = [...unique.values()];
    for (let start = 0; start < all.length; start += BATCH_GET_LIMIT) {
      const raw = await this.batchGet(all.slice(start, start + BATCH_GET_LIMIT), consistent);
      const decoded = await Promise.all(raw.map((item) => this.decode(item)));
      for (const item of decoded) if (item !== null) found.set(itemKeyId(item.key), item);
    }
    if (entryKeys.length > 0) {
      const sets = await this.listPartitions([...new Set(entryKeys.map((key) => key.partition))], options);
      const wanted = new Set(entryKeys.map(itemKeyId));
      for (const entries of sets.values())
        for (const entry of entries)
          if (wanted.has(itemKeyId(entry.key))) found.set(itemKeyId(entry.key), entry);
    }
    return found;
  }

  /** Entry-set partitions in BatchGetItem calls of 100; any other partition with a Query of its own. */
  async listPartitions(
    partitions: readonly string[],
    options: ItemReadOptions = {},
  ): Promise<Map<string, StoredItem[]>> {
    const listed = new Map<string, StoredItem[]>();
    const sets = [...new Set(partitions.filter(isEntrySetPartition))];
    for (let start = 0; start < sets.length; start += BATCH_GET_LIMIT) {
      const chunk = sets.slice(start, start + BATCH_GET_LIMIT);
      const raw = await this.batchGet(chunk.map(entrySetKey), options.consistent ?? true);
      for (const partition of chunk) listed.set(partition, []);
      const now = this.now();
      for (const item of raw) {
        const { partition } = keyOf(item);
        listed.set(partition, entriesOf(partition, item, now));
      }
    }
    for (const partition of partitions)
      if (!listed.has(partition)) listed.set(partition, await this.listPartition(partition, options));
    return listed;
  }

  /** One chunk of keys, asking again for whatever DynamoDB left unprocessed (it does so under load). */
  private async batchGet(
    keys: readonly ItemKey[],
    consistent: boolean,
  ): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let pending: Record<string, AttributeValue>[] = keys.map(keyAttributes);
    for (let round = 1; pending.length > 0; round++) {
      const response = await this.withBackoff('Reading items', () =>
        this.client.send(
          new BatchGetItemCommand({
            RequestItems: { [this.table]: { Keys: pending, ConsistentRead: consistent } },
          }),
        ),
      );
      items.push(...(response.Responses?.[this.table] ?? []));
      pending = response.UnprocessedKeys?.[this.table]?.Keys ?? [];
      if (pending.length === 0) break;
      if (round >= this.retry.attempts) {
        throw new TransientError(
          `Reading items: DynamoDB left ${pending.length} key(s) unprocessed through ${round} rounds; the batch will be retried.`,
        );
      }
      await sleep(this.backoffMs(round));
    }
    return items;
  }

  async put(write: ItemPut): Promise<number> {
    checkExpectedVersion(write.expectedVersion);
    if (isEntrySetPartition(write.key.partition)) {
      if (write.expectedVersion !== 'any') throw unversionedOnly(write.key);
      const entry = { value: write.value, expiresAt: write.expiresAt ?? null };
      await this.withBackoff('Writing an entry', () =>
        this.client.send(
          new UpdateItemCommand(
            entryUpdate(this.table, write.key, this.entrySetAttributes(write.key), entry),
          ),
        ),
      );
      return 1;
    }
    const now = this.now();
    const expected = write.expectedVersion;
    const version = expected === 'any' ? 1 : (expected ?? 0) + 1;
    const item: Record<string, AttributeValue> = {
      ...keyAttributes(write.key),
      [T.version]: { N: String(version) },
      ...(await this.values.encode(write.value)),
    };
    if (write.expiresAt !== undefined && write.expiresAt !== null) {
      item[T.expiresAt] = { N: String(write.expiresAt) };
    }
    // An expired item that TTL has not removed yet counts as absent, and must not be overwritten as live;
    // an unversioned write may replace anything but a counter item (which has no version attribute).
    const condition =
      expected === 'any'
        ? 'attribute_not_exists(#pk) OR attribute_exists(#ver)'
        : expected === null
          ? 'attribute_not_exists(#pk) OR #exp <= :now'
          : '#ver = :expected AND (attribute_not_exists(#exp) OR #exp > :now)';
    const names: Record<string, string> =
      expected === 'any'
        ? { '#pk': T.partitionKey, '#ver': T.version }
        : expected === null
          ? { '#pk': T.partitionKey, '#exp': T.expiresAt }
          : { '#ver': T.version, '#exp': T.expiresAt };
    const values: Record<string, AttributeValue> | undefined =
      expected === 'any'
        ? undefined
        : {
            ':now': { N: String(now) },
            ...(expected === null ? {} : { ':expected': { N: String(expected) } }),
          };
    try {
      await this.withBackoff('Writing an item', () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.table,
            Item: item,
            ConditionExpression: condition,
            ExpressionAttributeNames: names,
            ...(values ? { ExpressionAttributeValues: values } : {}),
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailed(error)) {
        if (expected === 'any') throw aCounter(write.key);
        throw this.conflict(write.key, expected, error);
      }
      throw error;
    }
    return version;
  }

  async delete(key: ItemKey, expectedVersion: number | 'any'): Promise<void> {
    if (isEntrySetPartition(key.partition)) {
      if (expectedVersion !== 'any') throw unversionedOnly(key);
      try {
        await this.withBackoff('Deleting an entry', () =>
          this.client.send(
            new UpdateItemCommand(entryUpdate(this.table, key, this.entrySetAttributes(key), null)),
          ),
        );
      } catch (error) {
        // No item holds the partition's entries: the entry is absent, which is no error for 'any'.
        if (!isConditionFailed(error)) throw error;
      }
      return;
    }
    if (expectedVersion === 'any') {
      await this.withBackoff('Deleting an item', () =>
        this.client.send(new DeleteItemCommand({ TableName: this.table, Key: keyAttributes(key) })),
      );
      return;
    }
    try {
      await this.withBackoff('Deleting an item', () =>
        this.client.send(
          new DeleteItemCommand({
            TableName: this.table,
            Key: keyAttributes(key),
            ConditionExpression: '#ver = :expected',
            ExpressionAttributeNames: { '#ver': T.version },
            ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw this.conflict(key, expectedVersion, error);
      throw error;
    }
  }

  async listPartition(partition: string, options: ItemReadOptions = {}): Promise<StoredItem[]> {
    if (isEntrySetPartition(partition))
      return (await this.listPartitions([partition], options)).get(partition) ?? [];
    const items: StoredItem[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.withBackoff('Listing items', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': T.partitionKey },
            ExpressionAttributeValues: { ':pk': { S: partition } },
            ConsistentRead: options.consistent ?? true,
            ...(startKey ? { ExclusiveStartKey: startKey } : {}),
          }),
        ),
      );
      for (const raw of page.Items ?? []) {
        const item = await this.decode(raw);
        if (item !== null) items.push(item);
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  async addCounts(
    key: ItemKey,
    deltas: Readonly<Record<string, number>>,
    expiresAt?: number | null,
  ): Promise<void> {
    const entries = checkedCounts(deltas);
    if (entries.length === 0 && expiresAt === undefined) return;
    if (isEntrySetPartition(key.partition)) {
      await this.withBackoff('Adding to counters', () =>
        this.client.send(
          new UpdateItemCommand(
            entryCountsUpdate(this.table, key, this.entrySetAttributes(key), entries, expiresAt),
          ),
        ),
      );
      return;
    }
    const { expression, names, values } = counterUpdate(
      entries,
      (name) => `${T.counterPrefix}${name}`,
      expiresAt,
    );
    names['#ver'] = T.version;
    try {
      await this.withBackoff('Adding to counters', () =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.table,
            Key: keyAttributes(key),
            UpdateExpression: expression,
            ConditionExpression: 'attribute_not_exists(#ver)',
            ExpressionAttributeNames: names,
            ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
          }),
        ),
      );
    } catch (error) {
      if (isConditionFailed(error)) throw notACounter(key);
      throw error;
    }
  }

  /** The key attributes of the item that holds `key`'s entry set (its sort key checked as an entry's). */
  private entrySetAttributes(key: ItemKey): Record<string, AttributeValue> {
    if (key.sort === '') throw unversionedOnly(key);
    keyAttributes(key);
    return keyAttributes(entrySetKey(key.partition));
  }

  private conflict(key: ItemKey, expected: number | null, cause: unknown): ConcurrentWriteError {
    return new ConcurrentWriteError(
      `Item ${key.partition}/${key.sort} is no longer at ${expected === null ? 'absent' : `version ${expected}`}: another writer changed it first; read it again and reapply the change.`,
      { cause },
    );
  }

  private async decode(item: Record<string, AttributeValue>): Promise<StoredItem | null> {
    const expiresAt = item[T.expiresAt]?.N === undefined ? null : Number(item[T.expiresAt]?.N);
    if (expiresAt !== null && expiresAt <= this.now()) return null;
    const key = keyOf(item);
    return {
      key,
      value: await this.values.valueOf(item, key),
      version: Number(item[T.version]?.N ?? 0),
      expiresAt,
    };
  }
}
