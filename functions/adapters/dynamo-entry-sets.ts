/**
 * Entry-set partitions on DynamoDB (ITEM_TABLE.entrySetPartitions): the unversioned entries of a term's
 * postings or an LSH band's bucket are kept as attributes of one item, `e:<sort key>` holding the entry's
 * value and expiry as JSON. A batch reads a whole partition as one key of a BatchGetItem instead of a
 * Query each, and writes an entry with one UpdateItem that sets or removes its attribute: commutative,
 * so concurrent writers of one partition never collide. The port sees the entries as items of their own.
 */
import type { AttributeValue, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { ITEM_TABLE } from '../contracts.ts';
import type { ItemKey, StoredItem } from '../ports.ts';
import { counterUpdate } from './dynamo-attributes.ts';

const T = ITEM_TABLE;

export function isEntrySetPartition(partition: string): boolean {
  return T.entrySetPartitions.some((prefix) => partition.startsWith(prefix));
}

/** What an entry's attribute holds: its value, and its own expiry (the item's is the latest write's). */
interface StoredEntry {
  readonly v: unknown;
  readonly x: number | null;
}

/** The entry-set item that holds a partition's entries (sort key '', which no entry has). */
export const entrySetKey = (partition: string): ItemKey => ({ partition, sort: '' });

/** Separates an entry's sort key from a counter's name in a counter attribute's name. */
const COUNTER_NAME_MARK = '\u0001';

/**
 * The live entries of an entry-set item, in sort-key order: each entry at version 1 (unversioned), and
 * each counter item kept in it (a term's document frequency) with its counters, at version 0.
 */
export function entriesOf(
  partition: string,
  item: Record<string, AttributeValue>,
  now: number,
): StoredItem[] {
  const entries: StoredItem[] = [];
  const itemExpiry = item[T.expiresAt]?.N === undefined ? null : Number(item[T.expiresAt]?.N);
  const counters = new Map<string, Record<string, number>>();
  for (const [attribute, value] of Object.entries(item)) {
    if (attribute.startsWith(T.entryCounterPrefix) && value.N !== undefined) {
      const [sort, name] = attribute.slice(T.entryCounterPrefix.length).split(COUNTER_NAME_MARK) as [
        string,
        string,
      ];
      counters.set(sort, { ...counters.get(sort), [name]: Number(value.N) });
      continue;
    }
    if (!attribute.startsWith(T.entryPrefix) || value.S === undefined) continue;
    const entry = JSON.parse(value.S) as StoredEntry;
    if (entry.x !== null && entry.x <= now) continue;
    const key = { partition, sort: attribute.slice(T.entryPrefix.length) };
    entries.push({ key, value: entry.v, version: 1, expiresAt: entry.x });
  }
  if (itemExpiry === null || itemExpiry > now)
    for (const [sort, value] of counters)
      entries.push({ key: { partition, sort }, value, version: 0, expiresAt: itemExpiry });
  return entries.sort((a, b) => (a.key.sort < b.key.sort ? -1 : a.key.sort > b.key.sort ? 1 : 0));
}

/**
 * The UpdateItem that adds to the counters of a counter item kept in an entry-set item (`k:<sort key>`,
 * a mark, the counter's name): commutative, like every counter, and in the item the partition's listing
 * reads anyway. `expiresAt`, when given, becomes the item's expiry.
 */
export function entryCountsUpdate(
  table: string,
  key: ItemKey,
  keyAttributes: Record<string, AttributeValue>,
  deltas: readonly (readonly [string, number])[],
  expiresAt: number | null | undefined,
): UpdateItemCommandInput {
  const { expression, names, values } = counterUpdate(
    deltas,
    (name) => `${T.entryCounterPrefix}${key.sort}${COUNTER_NAME_MARK}${name}`,
    expiresAt,
  );
  return {
    TableName: table,
    Key: keyAttributes,
    UpdateExpression: expression,
    ExpressionAttributeNames: names,
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/**
 * The UpdateItem that sets an entry (value, or null to remove it) in its partition's item. The item
 * takes the expiry of the latest entry written: the entries are index entries, each written again with a
 * later expiry whenever a batch touches it, and each is also checked against its own expiry on read.
 */
export function entryUpdate(
  table: string,
  key: ItemKey,
  keyAttributes: Record<string, AttributeValue>,
  entry: { readonly value: unknown; readonly expiresAt: number | null } | null,
): UpdateItemCommandInput {
  const names: Record<string, string> = { '#e': `${T.entryPrefix}${key.sort}` };
  if (entry === null) {
    // Only from an item that exists: an update of an absent item would create an empty one.
    names['#pk'] = T.partitionKey;
    return {
      TableName: table,
      Key: keyAttributes,
      UpdateExpression: 'REMOVE #e',
      ConditionExpression: 'attribute_exists(#pk)',
      ExpressionAttributeNames: names,
    };
  }
  const stored: StoredEntry = { v: entry.value, x: entry.expiresAt };
  const values: Record<string, AttributeValue> = { ':e': { S: JSON.stringify(stored) } };
  names['#exp'] = T.expiresAt;
  let expression = 'SET #e = :e';
  if (entry.expiresAt === null) expression += ' REMOVE #exp';
  else {
    values[':exp'] = { N: String(entry.expiresAt) };
    expression += ', #exp = :exp';
  }
  return {
    TableName: table,
    Key: keyAttributes,
    UpdateExpression: expression,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export function unversionedOnly(key: ItemKey): RangeError {
  return new RangeError(
    `Item ${key.partition}/${key.sort} is an entry of an entry-set partition: write and delete it with expectedVersion 'any'.`,
  );
}
