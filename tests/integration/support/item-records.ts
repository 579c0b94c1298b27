/**
 * What the deployed ingest leaves in the item table, read back for assertions: the article records
 * (DESIGN.md §3's fields, one per input file, in first-seen order) from the article and story items, and
 * a snapshot of every item with its version. Tests only: it scans the table, which the stack grants no
 * function.
 */
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { isEntrySetPartition } from '../../../functions/adapters/dynamo-entry-sets.ts';
import { DynamoItemStore } from '../../../functions/adapters/dynamo-item-store.ts';
import { ENV_NAMES, ITEM_TABLE } from '../../../functions/contracts.ts';
import { StoryEngine } from '../../../functions/core/stories/story-engine.ts';
import type { EngineItem } from '../../../functions/core/stories/story-items.ts';
import type { ArticleRecord } from '../../../functions/core/types.ts';
import { type ItemKey, itemKeyId, type StoredItem } from '../../../functions/ports.ts';

/** The item store on the table and bucket the environment names (useItemTable, useLocalAws). */
export function itemStoreFromEnv(): DynamoItemStore {
  const bucket = process.env[ENV_NAMES.bucketName] ?? '';
  return new DynamoItemStore({
    table: process.env[ENV_NAMES.itemTableName] ?? '',
    client: new DynamoDBClient({}),
    largeValues: { bucket, client: new S3Client({ forcePathStyle: true }) },
  });
}

/** Every key in the table (a Scan of the key attributes only). */
async function allKeys(): Promise<ItemKey[]> {
  const client = new DynamoDBClient({});
  const keys: ItemKey[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: process.env[ENV_NAMES.itemTableName] ?? '',
        ProjectionExpression: '#pk, #sk',
        ExpressionAttributeNames: { '#pk': ITEM_TABLE.partitionKey, '#sk': ITEM_TABLE.sortKey },
        ...(startKey ? { ExclusiveStartKey: startKey as never } : {}),
      }),
    );
    for (const item of page.Items ?? [])
      keys.push({
        partition: item[ITEM_TABLE.partitionKey]?.S ?? '',
        sort: (item[ITEM_TABLE.sortKey]?.S ?? '#').slice(1),
      });
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return keys;
}

/** Every item of the table with its value and version, sorted by key: equal snapshots mean nothing changed. */
export async function itemSnapshot(): Promise<StoredItem[]> {
  const store = itemStoreFromEnv();
  const keys = await allKeys();
  const found = await store.getMany(keys);
  // An entry-set partition is one item in the table; its entries are what the port shows.
  const sets = await store.listPartitions(
    keys.filter((key) => isEntrySetPartition(key.partition)).map((key) => key.partition),
  );
  for (const entries of sets.values()) for (const entry of entries) found.set(itemKeyId(entry.key), entry);
  return [...found.values()].sort((a, b) =>
    `${a.key.partition}\u0000${a.key.sort}` < `${b.key.partition}\u0000${b.key.sort}` ? -1 : 1,
  );
}

/** The article records the item table holds: one per input file, as `articles.jsonl` lists them. */
export async function itemRecords(): Promise<ArticleRecord[]> {
  const keys = (await allKeys()).filter(
    (key) => key.partition.startsWith('article#') || key.partition.startsWith('story#'),
  );
  const found = await itemStoreFromEnv().getMany(keys);
  const items: EngineItem[] = [...found.values()].map((item) => ({
    key: item.key,
    value: item.value as EngineItem['value'],
  }));
  return StoryEngine.fromItems(items).records();
}
