/**
 * The unsubscribe endpoint against real local S3: a valid signed token removes the address, a forged
 * one is refused with 403 and changes nothing, and answers never reveal whether an address is listed.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3SubscriberStore } from '../../functions/adapters/s3-subscriber-store.ts';
import { signUnsubscribeToken } from '../../functions/core/render/unsubscribe-token.ts';
import { createUnsubscribeHandler } from '../../functions/handlers/unsubscribe.ts';
import { useLocalAws } from './support/aws-env.ts';

const SECRET = 'integration-unsubscribe-secret';

function request(method: 'GET' | 'POST', token: string): LambdaFunctionURLEvent {
  return {
    requestContext: { http: { method } },
    queryStringParameters: { token },
    body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
    headers: {},
  } as unknown as LambdaFunctionURLEvent;
}

let subscribers: S3SubscriberStore;
let handler: ReturnType<typeof createUnsubscribeHandler>;

/** The endpoint always answers with a structured result (never a bare string). */
async function unsubscribe(event: LambdaFunctionURLEvent) {
  return (await handler(event)) as Exclude<LambdaFunctionURLResult, string>;
}

beforeAll(async () => {
  const aws = await useLocalAws();
  subscribers = new S3SubscriberStore(aws.bucket);
  await subscribers.add('ada@example.org');
  await subscribers.add('grace@example.net');
  handler = createUnsubscribeHandler({ subscribers, secret: async () => SECRET });
});

describe('unsubscribe endpoint', () => {
  it('refuses a forged token with 403 and changes nothing', async () => {
    const forged = signUnsubscribeToken('ada@example.org', 'not-the-secret');
    const response = await unsubscribe(request('POST', forged));
    expect(response.statusCode).toBe(403);
    expect((await subscribers.list()).map((s) => s.email).sort()).toEqual([
      'ada@example.org',
      'grace@example.net',
    ]);
  });

  it('only shows a confirmation page on GET, so link scanners cannot unsubscribe anyone', async () => {
    const response = await unsubscribe(request('GET', signUnsubscribeToken('ada@example.org', SECRET)));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('method="post"');
    expect((await subscribers.list()).map((s) => s.email)).toContain('ada@example.org');
  });

  it('removes the address on a one-click POST with a valid token', async () => {
    const response = await unsubscribe(request('POST', signUnsubscribeToken('ada@example.org', SECRET)));
    expect(response.statusCode).toBe(200);
    expect((await subscribers.list()).map((s) => s.email)).toEqual(['grace@example.net']);
  });

  it('answers a replayed token and an unknown address exactly like a first unsubscribe', async () => {
    const replay = await unsubscribe(request('POST', signUnsubscribeToken('ada@example.org', SECRET)));
    const stranger = await unsubscribe(request('POST', signUnsubscribeToken('nobody@example.com', SECRET)));
    const first = await unsubscribe(request('POST', signUnsubscribeToken('grace@example.net', SECRET)));
    expect(replay).toEqual(first);
    expect(stranger).toEqual(first);
    expect(await subscribers.list()).toEqual([]);
  });
});
