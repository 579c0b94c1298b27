/**
 * Puts N articles of history into the item table before the deployed-batch bench times a batch. Going
 * through the handler would take hours at 50k (each item is one conditional PutItem, and dynalite
 * stores a few hundred a second here), so the history is built the way a one-shot local run builds it:
 * one in-memory StoryEngine ingests every article, its items() export becomes the store writes the item
 * path makes (itemChanges, storeChanges, DynamoItemStore's put and addCounts: the same code), and those writes
 * are stored straight into dynalite's storage instead of one HTTP request each. The last day's digest is
 * then rebuilt through the real store, as a batch would.
 */
import type { AttributeValue, DynamoDBClient, UpdateItemCommandInput } from '@aws-sdk/client-dynamodb';
import { s3Client } from '../../functions/adapters/clients.ts';
import { DynamoItemStore } from '../../functions/adapters/dynamo-item-store.ts';
import { S3DigestStore } from '../../functions/adapters/s3-digest-store.ts';
import { writeDayDigests } from '../../functions/app/day-digests.ts';
import { storeChanges } from '../../functions/app/engine-items.ts';
import { ITEM_TABLE } from '../../functions/contracts.ts';
import { extractArticle } from '../../functions/core/extract/index.ts';
import { StoryEngine } from '../../functions/core/stories/story-engine.ts';
import { itemChanges } from '../../functions/core/stories/story-items.ts';
import { toWireAttribute, type WireAttribute } from '../support/emulator-processes.ts';
import type { HarnessAws } from '../support/harness-aws.ts';
import type { GeneratedArticle } from './corpus.ts';

/** Items handed to dynalite's storage at once. */
const BULK_CHUNK = 20_000;
const SECONDS_PER_DAY = 86_400;

/** The item a counter update (DynamoItemStore.addCounts) makes on an absent item: ADD x :v, SET #exp = :e. */
function counterItem(input: UpdateItemCommandInput): Record<string, AttributeValue> {
  const item: Record<string, AttributeValue> = { ...input.Key };
  const names = input.ExpressionAttributeNames ?? {};
  const values = input.ExpressionAttributeValues ?? {};
  for (const [, name, value] of (input.UpdateExpression ?? '').matchAll(/(#\w+) =? ?(:\w+)/g)) {
    const attribute = names[name as string];
    const given = values[value as string];
    if (attribute !== undefined && given !== undefined) item[attribute] = given;
  }
  return item;
}

/**
 * A DynamoDB client that keeps the items it is asked to put (or to create as counters) instead of
 * sending them, so DynamoItemStore encodes the history exactly as it encodes a batch's writes.
 */
function capturingClient(onItem: (item: Record<string, WireAttribute>) => Promise<void>): DynamoDBClient {
  const wire = (item: Record<string, AttributeValue>) =>
    Object.fromEntries(Object.entries(item).map(([name, value]) => [name, toWireAttribute(value)]));
  return {
    send: async (command: { constructor: { name: string }; input: unknown }) => {
      const kind = command.constructor.name;
      if (kind === 'PutItemCommand')
        await onItem(wire((command.input as { Item: Record<string, AttributeValue> }).Item));
      else if (kind === 'UpdateItemCommand')
        await onItem(wire(counterItem(command.input as UpdateItemCommandInput)));
      else throw new Error(`The history loader only puts items, not ${kind}.`);
      return {};
    },
  } as unknown as DynamoDBClient;
}

export interface History {
  readonly items: number;
  readonly seconds: number;
}

/**
 * Ingests `articles` (each arriving at noon on its day) into a one-shot engine and stores its items in
 * the harness's table, with the expiry a batch at `lastDay` would give them; the digest of `lastDay` is
 * written to the bucket.
 */
export async function loadHistory(
  aws: HarnessAws,
  articles: readonly GeneratedArticle[],
  dayOf: (index: number) => string,
  activeDays: number,
  nowSeconds: number,
): Promise<History> {
  const started = performance.now();
  const engine = StoryEngine.empty({ activeDays });
  for (const [i, generated] of articles.entries()) {
    const arrivedAt = new Date(`${dayOf(i)}T12:00:00Z`);
    const bytes = new TextEncoder().encode(generated.text);
    const article = await extractArticle({ key: generated.key, bytes, arrivedAt });
    engine.ingest({ source: generated.key, article, arrivedAt });
  }
  const lastDay = dayOf(articles.length - 1);
  const engineItems = engine.items();
  const { changes, listings } = storeChanges(
    new Map(),
    itemChanges(new Map(), engineItems),
    nowSeconds + activeDays * SECONDS_PER_DAY,
  );
  // An entry-set item (a term's postings and frequency, a band's bucket) takes one update per entry:
  // the attributes of every update of one key are merged into the one item stored.
  const pending = new Map<string, Record<string, WireAttribute>>();
  const keyOf = (item: Record<string, WireAttribute>) =>
    `${JSON.stringify(item[ITEM_TABLE.partitionKey])}\u0000${JSON.stringify(item[ITEM_TABLE.sortKey])}`;
  const capture = new DynamoItemStore({
    table: aws.table,
    client: capturingClient(async (item) => {
      const key = keyOf(item);
      pending.set(key, { ...pending.get(key), ...item });
    }),
    largeValues: { bucket: aws.bucket, client: s3Client() },
  });
  // One at a time: nothing here can conflict, and writeChanges' grouping is built for a batch, not 2M items.
  for (const put of [...listings, ...changes.puts]) await capture.put(put);
  for (const count of changes.counts ?? []) await capture.addCounts(count.key, count.deltas, count.expiresAt);
  const all = [...pending.values()];
  pending.clear();
  for (let start = 0; start < all.length; start += BULK_CHUNK)
    await aws.bulkPut(all.slice(start, start + BULK_CHUNK));
  const stored = all.length;
  const items = new DynamoItemStore({
    table: aws.table,
    client: aws.dynamo,
    largeValues: { bucket: aws.bucket, client: s3Client() },
  });
  await writeDayDigests(items, new S3DigestStore(aws.bucket), [lastDay]);
  return { items: stored, seconds: (performance.now() - started) / 1000 };
}
