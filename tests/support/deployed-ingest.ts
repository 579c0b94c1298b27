/**
 * Driving the deployed ingest path from a harness: the ingest handler wired as the Lambda wires it (S3
 * source and digests, the DynamoDB item store with large values in the bucket), the DynamoDB capacity it
 * consumes counted on the real SDK client, and concurrent writers that redeliver failed messages as SQS
 * would.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { s3Client } from '../../functions/adapters/clients.ts';
import { DynamoItemStore } from '../../functions/adapters/dynamo-item-store.ts';
import { S3ArticleSource } from '../../functions/adapters/s3-article-source.ts';
import { S3DigestRequests } from '../../functions/adapters/s3-digest-requests.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import type { ItemIngestDependencies } from '../../functions/app/ingest-items.ts';
import { DEFAULTS } from '../../functions/contracts.ts';
import { stableId } from '../../functions/core/stories/hash.ts';
import { type ArticleItem, articleKey } from '../../functions/core/stories/story-items.ts';
import { createIngestHandler } from '../../functions/handlers/ingest.ts';
import { type ItemStore, itemKeyId } from '../../functions/ports.ts';
import { sqsEventFor } from './sqs-events.ts';

/** What one DynamoDB client was asked for: billed request units (as the table reports them) and items. */
export interface DynamoUse {
  readUnits: number;
  writeUnits: number;
  itemsRead: number;
  itemsWritten: number;
  /** Wall time spent waiting for DynamoDB (overlapping calls each count). */
  callMs: number;
  calls: number;
  /** Calls by command name (QueryCommand, BatchGetItemCommand, ...). */
  callsByCommand: Record<string, number>;
}

const READS = new Set(['BatchGetItemCommand', 'GetItemCommand', 'QueryCommand', 'ScanCommand']);
const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

type Capacity = { CapacityUnits?: number } | undefined;

function unitsOf(consumed: Capacity | Capacity[]): number {
  const all = Array.isArray(consumed) ? consumed : [consumed];
  return all.reduce((sum, c) => sum + (c?.CapacityUnits ?? 0), 0);
}

/**
 * Asks every call of `client` to return its consumed capacity and adds it up. Writes refused by their
 * condition return none here; DynamoDB bills them too, so lost races are undercounted.
 */
export function countDynamoUse(client: DynamoDBClient): DynamoUse {
  const use: DynamoUse = {
    readUnits: 0,
    writeUnits: 0,
    itemsRead: 0,
    itemsWritten: 0,
    callMs: 0,
    calls: 0,
    callsByCommand: {},
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as { ReturnConsumedCapacity?: string; ConsistentRead?: boolean };
      input.ReturnConsumedCapacity = 'TOTAL';
      const started = performance.now();
      const result = await next(args);
      use.callMs += performance.now() - started;
      use.calls += 1;
      const output = result.output as {
        ConsumedCapacity?: Capacity | Capacity[];
        Responses?: Record<string, unknown[]>;
        Items?: unknown[];
      };
      const command = context.commandName ?? '';
      use.callsByCommand[command] = (use.callsByCommand[command] ?? 0) + 1;
      if (READS.has(command)) {
        // A Query bills at least one unit (half when eventually consistent) even when it finds nothing,
        // which dynalite reports as 0.
        const least = command === 'QueryCommand' ? (input.ConsistentRead === true ? 1 : 0.5) : 0;
        use.readUnits += Math.max(least, unitsOf(output.ConsumedCapacity));
        use.itemsRead +=
          output.Items?.length ??
          Object.values(output.Responses ?? {}).reduce((sum, items) => sum + items.length, 0);
      } else if (WRITES.has(command)) {
        use.writeUnits += unitsOf(output.ConsumedCapacity);
        use.itemsWritten += 1;
      }
      return result;
    },
    { step: 'initialize', name: 'countDynamoUse' },
  );
  return use;
}

export type IngestHandler = ReturnType<typeof createIngestHandler>;

/**
 * The deployed ingest handler on the environment's bucket and table, with the dependencies the function
 * builds (adapters/ingest-dependencies.ts) but on the given DynamoDB client, and extracting in process
 * rather than on the time-boxed worker (whose bundle only a build makes). As deployed, it asks for the
 * changed days' digests (digest-requests/) rather than building them: see requested-digests.ts.
 */
export function deployedIngest(client: DynamoDBClient): { handler: IngestHandler; items: ItemStore } {
  const bucket = process.env.BUCKET_NAME ?? '';
  const items = new DynamoItemStore({
    table: process.env.ITEM_TABLE_NAME ?? '',
    client,
    largeValues: { bucket, client: s3Client() },
  });
  const deps: ItemIngestDependencies = {
    source: new S3ArticleSource(bucket),
    store: new S3DigestStore(bucket),
    items,
    activeDays: DEFAULTS.activeDays,
    digestRequests: new S3DigestRequests(bucket),
  };
  return { handler: createIngestHandler(deps), items };
}

/** Delivers one batch of incoming/ keys to the handler; returns the keys whose messages failed. */
export async function deliver(handler: IngestHandler, keys: readonly string[], eventTime: string) {
  const bucket = process.env.BUCKET_NAME ?? '';
  const event = sqsEventFor(bucket, keys, eventTime);
  const response = await handler(event as never);
  const failed = new Set(response.batchItemFailures.map((f) => f.itemIdentifier));
  return keys.filter((_, i) => failed.has(event.Records[i]?.messageId ?? ''));
}

export interface WritersReport {
  /** Messages delivered again after their first delivery failed. */
  readonly redelivered: number;
  /** Keys still failing after MAX_DELIVERIES. */
  readonly failed: readonly string[];
}

/** Deliveries of one message before it would go to the dead-letter queue (the stack's maxReceiveCount). */
const MAX_DELIVERIES = 5;

/**
 * Runs `writers` handler invocations at a time over the batches, in order, as the event source mapping
 * would; a batch's failed messages are queued again as a batch of their own.
 */
export async function runWriters(
  handler: IngestHandler,
  batches: readonly (readonly string[])[],
  writers: number,
  eventTime: string,
): Promise<WritersReport> {
  const queue = batches.map((keys) => ({ keys, delivery: 1 }));
  let redelivered = 0;
  const failed: string[] = [];
  const writer = async () => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const again = await deliver(handler, next.keys, eventTime);
      if (again.length === 0) continue;
      if (next.delivery >= MAX_DELIVERIES) failed.push(...again);
      else {
        redelivered += again.length;
        queue.push({ keys: again, delivery: next.delivery + 1 });
      }
    }
  };
  await Promise.all(Array.from({ length: writers }, writer));
  return { redelivered, failed };
}

/** The article items (records) of the given sources (keys under incoming/), by source. */
export async function articleItems(
  items: ItemStore,
  sources: readonly string[],
): Promise<Map<string, ArticleItem>> {
  const keyOf = (source: string) => articleKey(stableId('a', source));
  const found = await items.getMany(sources.map(keyOf));
  const bySource = new Map<string, ArticleItem>();
  for (const source of sources) {
    const item = found.get(itemKeyId(keyOf(source)));
    if (item) bySource.set(source, item.value as ArticleItem);
  }
  return bySource;
}
