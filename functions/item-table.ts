/**
 * The item table's layout, shared by the stack (infra/constructs/item-table.ts) and the DynamoDB
 * adapter (functions/adapters/dynamo-item-store.ts), so a key or attribute name is written once.
 * Constants only, so any bundle may include it.
 */
export const ITEM_TABLE = {
  /** Partition key (string). */
  partitionKey: 'pk',
  /** Sort key (string); stored with a leading '#' because DynamoDB refuses an empty key string. */
  sortKey: 'sk',
  /** Version of the item, the attribute every conditional write names (number). */
  version: 'ver',
  /** Expiry in seconds since the epoch: the table's TTL attribute (number; absent: kept for good). */
  expiresAt: 'exp',
  /** The value as JSON text, when small. */
  json: 'v',
  /** The value as gzipped JSON, when larger. */
  gzip: 'z',
  /** The bucket key of the gzipped JSON, when it is too large for an item (DynamoDB's 400 KB). */
  largeValueKey: 'ref',
} as const;

/** The environment variable that names the table for the ingest function. */
export const ITEM_TABLE_ENV = 'ITEM_TABLE_NAME';

/** Bucket prefix of item values too large for the table, content-addressed: state/items/<sha256>.json.gz. */
export const LARGE_ITEM_VALUE_PREFIX = 'state/items/';
