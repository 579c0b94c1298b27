/**
 * DynamoDB under load: throttling and unprocessed keys, injected into the real SDK client (a middleware
 * in front of dynalite), so the adapter's retries run against a real table.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { DynamoItemStore } from '../../functions/adapters/dynamo-item-store.ts';
import { TransientError } from '../../functions/core/errors.ts';
import { itemKeyId } from '../../functions/ports.ts';
import { useItemTable } from './support/item-table.ts';

/** Retries without waiting, so the tests take no time. */
const FAST_RETRY = { attempts: 4, baseDelayMs: 1 };

function throttlingError(): Error {
  return Object.assign(new Error('Rate of requests exceeds the allowed throughput.'), {
    name: 'ThrottlingException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400 },
  });
}

/** A client on the test table whose `command` calls fail with throttling `times` times (Infinity: always). */
function throttledClient(command: string, times: number): { client: DynamoDBClient; calls: () => number } {
  const client = new DynamoDBClient({});
  let calls = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName !== command) return next(args);
      calls += 1;
      if (calls <= times) throw throttlingError();
      return next(args);
    },
    { step: 'initialize', name: 'injectThrottling' },
  );
  return { client, calls: () => calls };
}

describe('DynamoItemStore faults', () => {
  let table: string;
  beforeAll(async () => {
    ({ table } = await useItemTable());
  });

  it('rides out throttling with backoff and then writes once', async () => {
    const { client, calls } = throttledClient('PutItemCommand', 2);
    const store = new DynamoItemStore({ table, client, retry: FAST_RETRY });
    const key = { partition: 'throttled', sort: '' };
    expect(await store.put({ key, value: 'ok', expectedVersion: null })).toBe(1);
    expect(calls()).toBe(3);
    expect((await store.getMany([key])).get(itemKeyId(key))?.version).toBe(1);
  });

  it('fails as transient when throttling outlasts the retries, having written nothing', async () => {
    const { client, calls } = throttledClient('PutItemCommand', Number.POSITIVE_INFINITY);
    const store = new DynamoItemStore({ table, client, retry: FAST_RETRY });
    const key = { partition: 'throttled-for-good', sort: '' };
    await expect(store.put({ key, value: 'never', expectedVersion: null })).rejects.toBeInstanceOf(
      TransientError,
    );
    expect(calls()).toBe(FAST_RETRY.attempts);
    const reader = new DynamoItemStore({ table, client: new DynamoDBClient({}) });
    expect((await reader.getMany([key])).size).toBe(0);
  });

  it('asks again for the keys a batch read left unprocessed', async () => {
    const writer = new DynamoItemStore({ table, client: new DynamoDBClient({}) });
    const keys = Array.from({ length: 12 }, (_, i) => ({ partition: 'unprocessed', sort: String(i) }));
    for (const key of keys) await writer.put({ key, value: key.sort, expectedVersion: null });

    const client = new DynamoDBClient({});
    const requested: number[] = [];
    // Like DynamoDB under load: each call serves only its first three keys and hands back the rest.
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchGetItemCommand') return next(args);
        const input = args.input as { RequestItems: Record<string, { Keys: unknown[] }> };
        const all = input.RequestItems[table]?.Keys ?? [];
        requested.push(all.length);
        const served = {
          ...input,
          RequestItems: { [table]: { ...input.RequestItems[table], Keys: all.slice(0, 3) } },
        };
        const result = await next({ ...args, input: served });
        const output = result.output as { UnprocessedKeys?: Record<string, { Keys: unknown[] }> };
        if (all.length > 3) output.UnprocessedKeys = { [table]: { Keys: all.slice(3) } };
        return result;
      },
      { step: 'initialize', name: 'leaveKeysUnprocessed' },
    );
    const store = new DynamoItemStore({ table, client, retry: { attempts: 10, baseDelayMs: 1 } });
    const found = await store.getMany(keys);
    expect([...found.values()].map((item) => item.value).sort()).toEqual(keys.map((k) => k.sort).sort());
    expect(requested).toEqual([12, 9, 6, 3]);

    const impatient = new DynamoItemStore({ table, client, retry: { attempts: 2, baseDelayMs: 1 } });
    await expect(impatient.getMany(keys)).rejects.toBeInstanceOf(TransientError);
  });
});
