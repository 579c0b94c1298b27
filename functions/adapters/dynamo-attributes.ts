/**
 * How the item store's keys and counters look as DynamoDB attributes (layout in functions/contracts.ts
 * ITEM_TABLE), and which DynamoDB errors mean a lost condition or a store to retry later.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { ITEM_TABLE } from '../contracts.ts';
import type { ItemKey } from '../ports.ts';
import { isTransient } from './s3-errors.ts';

const T = ITEM_TABLE;

/** DynamoDB's limits on key attribute values, in UTF-8 bytes. */
const MAX_PARTITION_KEY_BYTES = 2048;
const MAX_SORT_KEY_BYTES = 1024 - 1;

export function isConditionFailed(error: unknown): boolean {
  return (error as { name?: string } | undefined)?.name === 'ConditionalCheckFailedException';
}

export function isThrottled(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  return (
    name === 'ProvisionedThroughputExceededException' ||
    name === 'RequestLimitExceeded' ||
    name === 'ThrottlingException' ||
    isTransient(error)
  );
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function keyAttributes(key: ItemKey): Record<string, AttributeValue> {
  if (key.partition === '' || utf8Bytes(key.partition) > MAX_PARTITION_KEY_BYTES) {
    throw new RangeError(
      `An item's partition must be 1 to ${MAX_PARTITION_KEY_BYTES} bytes; "${key.partition.slice(0, 80)}" is not. Hash long keys before storing them.`,
    );
  }
  if (utf8Bytes(key.sort) > MAX_SORT_KEY_BYTES) {
    throw new RangeError(
      `An item's sort key must be at most ${MAX_SORT_KEY_BYTES} bytes; "${key.sort.slice(0, 80)}…" is longer. Hash long keys before storing them.`,
    );
  }
  return { [T.partitionKey]: { S: key.partition }, [T.sortKey]: { S: `#${key.sort}` } };
}

export function keyOf(item: Record<string, AttributeValue>): ItemKey {
  return { partition: item[T.partitionKey]?.S ?? '', sort: (item[T.sortKey]?.S ?? '#').slice(1) };
}

export function countersOf(item: Record<string, AttributeValue>): Record<string, number> {
  const counters: Record<string, number> = {};
  for (const [attribute, value] of Object.entries(item)) {
    if (attribute.startsWith(T.counterPrefix) && value.N !== undefined) {
      counters[attribute.slice(T.counterPrefix.length)] = Number(value.N);
    }
  }
  return counters;
}

/** An update expression's parts: the expression, and the names and values it refers to. */
export interface UpdateParts {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, AttributeValue>;
}

/**
 * ADD of each delta to the number attribute `attributeOf(name)` names, and the item's expiry: set to
 * `expiresAt`, removed for null, left alone when undefined.
 */
export function counterUpdate(
  deltas: readonly (readonly [string, number])[],
  attributeOf: (name: string) => string,
  expiresAt: number | null | undefined,
): UpdateParts {
  const names: Record<string, string> = {};
  const values: Record<string, AttributeValue> = {};
  const adds = deltas.map(([name, delta], i) => {
    names[`#c${i}`] = attributeOf(name);
    values[`:c${i}`] = { N: String(delta) };
    return `#c${i} :c${i}`;
  });
  const clauses = adds.length > 0 ? [`ADD ${adds.join(', ')}`] : [];
  if (expiresAt === null) {
    names['#exp'] = T.expiresAt;
    clauses.push('REMOVE #exp');
  } else if (expiresAt !== undefined) {
    names['#exp'] = T.expiresAt;
    values[':exp'] = { N: String(expiresAt) };
    clauses.push('SET #exp = :exp');
  }
  return { expression: clauses.join(' '), names, values };
}
