/**
 * DynamoDB cost per article of the item path (ingestBatchOnItems): `events` × `reports` generated event
 * reports (tests/hostile/articles.ts eventReport; with `--corpus wire`, 4–5 KB wire-copy articles made
 * of real paragraphs from `--data`, wire-corpus.ts), report r of every event before report r + 1, in
 * batches of 10, through the DynamoDB item store on dynalite (in this process). Every call asks for its
 * consumed capacity, so the units are DynamoDB's own rules applied to the items the adapter really writes
 * and reads (sizes rounded up to 1 KB a write, 4 KB a read, halved for an eventually consistent read).
 * Prints one JSON line: store calls and billed units per article, both by item kind (the partition's
 * prefix; a term's document frequency, kept in the term's partition, as `df`, though a listing of the
 * partition reads it with the postings as `term`), and the on-demand price per 1,000 articles. The
 * document-frequency deltas still listed at the end (frequency-deltas.ts) are folded and counted.
 *   npx tsx tests/bench/item-costs.ts [--events 20] [--reports 3] [--corpus events|wire] [--data ../shared/eval]
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoItemStore } from '../../functions/adapters/dynamo-item-store.ts';
import { FsArticleSource, FsDigestStore } from '../../functions/adapters/fs-store.ts';
import { DEFAULT_DELTAS_BEFORE_FOLD, foldFrequencyDeltas } from '../../functions/app/frequency-deltas.ts';
import { ingestBatchOnItems } from '../../functions/app/ingest-items.ts';
import { ITEM_TABLE } from '../../functions/contracts.ts';
import { DF_SORT } from '../../functions/core/stories/item-keys.ts';
import type { ItemKey, ItemStore } from '../../functions/ports.ts';
import { eventReport } from '../hostile/articles.ts';
import { createItemTable, startDynalite } from '../support/emulator-processes.ts';
import { generateWireArticles } from './wire-corpus.ts';

/** On-demand prices in us-east-1 (USD): a read unit, a write unit. */
const USD_PER_READ_UNIT = 0.125 / 1_000_000;
const USD_PER_WRITE_UNIT = 0.625 / 1_000_000;

/** Articles per event in the wire corpus (wire-corpus.ts), consecutive there. */
const WIRE_REPORTS_PER_EVENT = 10;

/** dynalite's own capacity rule for one item (dynalite/db, pinned 4.0.0). */
const { capacityUnits } = createRequire(import.meta.url)('dynalite/db/index.js') as {
  capacityUnits: (item: unknown, isRead: boolean, isConsistent: boolean) => number;
};

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '20' },
    reports: { type: 'string', default: '3' },
    corpus: { type: 'string', default: 'events' },
    data: { type: 'string', default: '../shared/eval' },
  },
});
if (values.corpus !== 'events' && values.corpus !== 'wire')
  throw new Error(`--corpus must be "events" or "wire", not "${values.corpus}".`);

type Tally = Record<string, number>;
const add = (tally: Tally, kind: string, n: number) => {
  tally[kind] = (tally[kind] ?? 0) + n;
};
const kindOf = (partition: string) => partition.split('#')[0] as string;
const partitionOf = (attributes: Record<string, AttributeValue> | undefined) =>
  attributes?.[ITEM_TABLE.partitionKey]?.S ?? '';
/** A stored item's kind: its partition's prefix, but 'df' for a term's document frequency. */
const kindOfStored = (attributes: Record<string, AttributeValue> | undefined) =>
  attributes?.[ITEM_TABLE.sortKey]?.S === `#${DF_SORT}` ? 'df' : kindOf(partitionOf(attributes));
type Capacity = { CapacityUnits?: number } | undefined;
const unitsOf = (consumed: Capacity | Capacity[]) =>
  (Array.isArray(consumed) ? consumed : [consumed]).reduce((sum, c) => sum + (c?.CapacityUnits ?? 0), 0);

type Item = Record<string, AttributeValue>;
/** The parts of the calls' inputs and outputs the count reads. */
interface CallInput {
  ReturnConsumedCapacity?: string;
  RequestItems?: Record<string, { Keys: Item[]; ConsistentRead?: boolean }>;
  ExpressionAttributeValues?: Item;
  ExpressionAttributeNames?: Record<string, string>;
  ConsistentRead?: boolean;
  Item?: Item;
  Key?: Item;
}
interface CallOutput {
  ConsumedCapacity?: Capacity | Capacity[];
  Responses?: Record<string, Item[]>;
  UnprocessedKeys?: Record<string, { Keys: Item[] }>;
}
const idOf = (item: Item) => `${partitionOf(item)}\u0000${item[ITEM_TABLE.sortKey]?.S}`;

/**
 * Billed units of every call `client` makes, by item kind. A BatchGetItem bills each key on its own (a
 * missing one as one item of up to 4 KB), so its units are split by key with the emulator's rule and
 * checked against the total it reports. A Query bills at least one unit (half when eventually
 * consistent) even when the partition is empty, which dynalite reports as 0.
 */
function countUnits(client: DynamoDBClient) {
  const reads: Tally = {};
  const writes: Tally = {};
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as CallInput;
      input.ReturnConsumedCapacity = 'TOTAL';
      const result = await next(args);
      const output = result.output as CallOutput;
      const reported = unitsOf(output.ConsumedCapacity);
      const command = context.commandName ?? '';
      if (command === 'BatchGetItemCommand') {
        for (const [table, request] of Object.entries(input.RequestItems ?? {})) {
          const found = new Map((output.Responses?.[table] ?? []).map((item) => [idOf(item), item]));
          const unprocessed = new Set((output.UnprocessedKeys?.[table]?.Keys ?? []).map(idOf));
          let total = 0;
          for (const key of request.Keys) {
            if (unprocessed.has(idOf(key))) continue;
            const units = capacityUnits(found.get(idOf(key)), true, request.ConsistentRead === true);
            add(reads, kindOfStored(key), units);
            total += units;
          }
          if (total !== reported)
            throw new Error(`BatchGetItem: ${total} units split by key, but the table reported ${reported}.`);
        }
      } else if (command === 'QueryCommand') {
        const least = input.ConsistentRead === true ? 1 : 0.5;
        add(reads, kindOf(input.ExpressionAttributeValues?.[':pk']?.S ?? ''), Math.max(least, reported));
      } else if (command === 'PutItemCommand') {
        add(writes, kindOfStored(input.Item), reported);
      } else if (command === 'UpdateItemCommand' || command === 'DeleteItemCommand') {
        // A term's document frequency is a counter kept in its partition's entry-set item (dynamo-entry-sets.ts).
        const dfCounter = Object.values(input.ExpressionAttributeNames ?? {}).some((name) =>
          name.startsWith(`${ITEM_TABLE.entryCounterPrefix}${DF_SORT}`),
        );
        add(writes, dfCounter ? 'df' : kindOfStored(input.Key), reported);
      } else {
        throw new Error(`The bench does not count ${command}.`);
      }
      return result;
    },
    { step: 'initialize', name: 'countUnits' },
  );
  return { reads, writes };
}

/** The store with its calls (keys asked for, partitions listed, items written) counted by item kind. */
function countCalls(inner: ItemStore) {
  const reads: Tally = {};
  const writes: Tally = {};
  const note = (tally: Tally, key: ItemKey) =>
    add(tally, key.sort === DF_SORT ? 'df' : kindOf(key.partition), 1);
  const store: ItemStore = {
    getMany: (keys, options) => {
      for (const key of keys) note(reads, key);
      return inner.getMany(keys, options);
    },
    listPartition: (partition, options) => {
      note(reads, { partition, sort: '' });
      return inner.listPartition(partition, options);
    },
    put: (write) => {
      note(writes, write.key);
      return inner.put(write);
    },
    delete: (key, version) => {
      note(writes, key);
      return inner.delete(key, version);
    },
    addCounts: (key, deltas, expiresAt) => {
      note(writes, key);
      return inner.addCounts(key, deltas, expiresAt);
    },
  };
  return { store, reads, writes };
}

const events = Number(values.events);
const reports = Number(values.reports);
const folder = mkdtempSync(join(tmpdir(), 'item-costs-'));
const dynamo = await startDynalite();
try {
  mkdirSync(join(folder, 'in'));
  const wire =
    values.corpus === 'wire'
      ? generateWireArticles(events * WIRE_REPORTS_PER_EVENT, existsSync(values.data) ? values.data : null)
      : null;
  if (wire !== null && reports > WIRE_REPORTS_PER_EVENT)
    throw new Error(`The wire corpus has ${WIRE_REPORTS_PER_EVENT} reports per event.`);
  const keys: string[] = [];
  for (let r = 0; r < reports; r++)
    for (let e = 0; e < events; e++) {
      const key = `e${e}-r${r}.txt`;
      const text = wire ? wire.articles[e * WIRE_REPORTS_PER_EVENT + r]?.text : eventReport(e, r).text;
      writeFileSync(join(folder, 'in', key), text ?? '');
      keys.push(key);
    }
  const client = new DynamoDBClient({
    endpoint: dynamo.url,
    region: 'us-east-1',
    credentials: { accessKeyId: 'DYNALITE', secretAccessKey: 'DYNALITE' },
  });
  await createItemTable(client, 'items');
  const units = countUnits(client);
  const now = () => 1_700_000_000;
  const calls = countCalls(new DynamoItemStore({ table: 'items', client, now }));
  const deps = {
    source: new FsArticleSource(join(folder, 'in')),
    items: calls.store,
    store: new FsDigestStore(join(folder, 'out')),
    activeDays: 30,
    now,
  };
  const arrivedAt = new Date('2022-03-20T08:00:00Z');
  for (let i = 0; i < keys.length; i += 10)
    await ingestBatchOnItems(
      keys.slice(i, i + 10).map((key) => ({ key, arrivedAt })),
      deps,
    );
  // The deltas still listed are folded too, so every increment's cost is in (over a shorter run than the
  // batches fold at, which costs more per article than a fold of a full run would).
  const pending = await foldFrequencyDeltas(calls.store, 1, now() + deps.activeDays * 86_400);
  const n = keys.length;
  const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;
  const perArticle = (tally: Tally) =>
    Object.fromEntries(Object.entries(tally).map(([kind, count]) => [kind, round(count / n)]));
  const sum = (tally: Tally) => Object.values(tally).reduce((a, b) => a + b, 0);
  console.log(
    JSON.stringify({
      scenario: 'item-costs',
      corpus: wire ? `wire (${wire.paragraphSource} paragraphs)` : 'events',
      articles: n,
      deltasBeforeFold: DEFAULT_DELTAS_BEFORE_FOLD,
      deltasFoldedAtEnd: pending.folded,
      readUnitsPerArticle: round(sum(units.reads) / n),
      writeUnitsPerArticle: round(sum(units.writes) / n),
      usdPer1000Articles: round(
        ((sum(units.reads) * USD_PER_READ_UNIT + sum(units.writes) * USD_PER_WRITE_UNIT) / n) * 1000,
        4,
      ),
      readUnitsPerArticleByKind: perArticle(units.reads),
      writeUnitsPerArticleByKind: perArticle(units.writes),
      readsPerArticle: round(sum(calls.reads) / n),
      writesPerArticle: round(sum(calls.writes) / n),
      readsPerArticleByKind: perArticle(calls.reads),
      writesPerArticleByKind: perArticle(calls.writes),
    }),
  );
} finally {
  dynamo.server.close();
  rmSync(folder, { recursive: true, force: true });
}
