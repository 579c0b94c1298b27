/**
 * The deployed-batch bench's measuring process: the ingest handler and its SDK clients alone, pointed
 * (by the environment) at stand-ins another process runs and has filled with history, so this process's
 * peak RSS is the function's. Delivers the given batches one after another, times each invocation, and
 * prints one JSON line: per-batch milliseconds, the DynamoDB use of the timed batches, and the peak RSS.
 *
 * Usage: deployed-batch-measure.ts <batches as JSON: string[][]> <event time> <warm-up batches>
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { countDynamoUse, deliver, deployedIngest } from '../support/deployed-ingest.ts';

const [batchesJson, eventTime, warmUpText] = process.argv.slice(2);
const batches = JSON.parse(batchesJson ?? '[]') as string[][];
const warmUp = Number(warmUpText ?? '1');
const client = new DynamoDBClient({});
const use = countDynamoUse(client);
const { handler } = deployedIngest(client);
const batchMs: number[] = [];
let articles = 0;
let counted = { ...use };
for (const [i, keys] of batches.entries()) {
  if (i === warmUp) counted = { ...use, callsByCommand: { ...use.callsByCommand } };
  const started = performance.now();
  const failed = await deliver(handler, keys, eventTime ?? new Date().toISOString());
  const ms = performance.now() - started;
  if (failed.length > 0)
    throw new Error(`The handler failed ${failed.length} message(s): ${failed.join(', ')}`);
  if (i >= warmUp) {
    batchMs.push(ms);
    articles += keys.length;
  }
}
process.stdout.write(
  `${JSON.stringify({
    batchMs,
    articles,
    readUnits: use.readUnits - counted.readUnits,
    writeUnits: use.writeUnits - counted.writeUnits,
    itemsRead: use.itemsRead - counted.itemsRead,
    itemsWritten: use.itemsWritten - counted.itemsWritten,
    dynamoCalls: use.calls - counted.calls,
    dynamoCallMs: Math.round(use.callMs - counted.callMs),
    dynamoCallsByCommand: Object.fromEntries(
      Object.entries(use.callsByCommand).map(([name, n]) => [name, n - (counted.callsByCommand[name] ?? 0)]),
    ),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
