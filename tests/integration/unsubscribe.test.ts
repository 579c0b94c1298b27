/**
 * The unsubscribe endpoint against real local S3: a valid signed token removes the address, a forged
 * one is refused with 403 and changes nothing, and answers never reveal whether an address is listed.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { S3SubscriberStore } from '../../functions/adapters/s3-subscriber-store.ts';
import {
  signLegacyUnsubscribeToken,
  signUnsubscribeToken as signWithKey,
  UNSUBSCRIBE_VALID_DAYS,
} from '../../functions/core/render/unsubscribe-token.ts';
import { createUnsubscribeHandler } from '../../functions/handlers/unsubscribe.ts';
import { useLocalAws } from './support/aws-env.ts';

const SECRET = 'integration-unsubscribe-secret';
/** The clock the handler judges expiry by: a fixed day, so the tests do not depend on the date they run. */
const NOW = new Date('2027-01-15T12:00:00Z');
const ISSUED = new Date('2027-01-10T07:00:00Z');

/** A current-format token, signed as the send function signs it (key version 1 of a plain secret). */
function signUnsubscribeToken(email: string, secret: string): string {
  return signWithKey(email, { version: 1, secret }, ISSUED);
}

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
  handler = createUnsubscribeHandler({ subscribers, secret: async () => SECRET, now: () => NOW });
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

describe('unsubscribe links across formats and key rotation', () => {
  const rotated = JSON.stringify({
    version: 2,
    secret: 'the-new-key',
    previous: { version: 1, secret: SECRET },
  });
  const rotatedHandler = () =>
    createUnsubscribeHandler({ subscribers, secret: async () => rotated, now: () => NOW });

  it('still unsubscribes with a legacy link (no version, no expiry) already in an inbox', async () => {
    await subscribers.add('old@example.org');
    const legacy = signLegacyUnsubscribeToken('old@example.org', SECRET);
    expect((await unsubscribe(request('POST', legacy))).statusCode).toBe(200);
    expect((await subscribers.list()).map((s) => s.email)).not.toContain('old@example.org');
  });

  it('refuses an expired link with 403 and changes nothing', async () => {
    await subscribers.add('late@example.org');
    const expired = signWithKey(
      'late@example.org',
      { version: 1, secret: SECRET },
      new Date(NOW.getTime() - (UNSUBSCRIBE_VALID_DAYS + 1) * 86_400_000),
    );
    expect((await unsubscribe(request('POST', expired))).statusCode).toBe(403);
    expect((await subscribers.list()).map((s) => s.email)).toContain('late@example.org');
  });

  it('keeps links signed with the previous key working after a rotation, and takes the new key', async () => {
    await subscribers.add('kept@example.org');
    await subscribers.add('fresh@example.org');
    const before = signUnsubscribeToken('kept@example.org', SECRET);
    const after = signWithKey('fresh@example.org', { version: 2, secret: 'the-new-key' }, ISSUED);
    const endpoint = rotatedHandler();
    const answers = [await endpoint(request('POST', before)), await endpoint(request('POST', after))];
    expect(answers.map((a) => (a as Exclude<LambdaFunctionURLResult, string>).statusCode)).toEqual([
      200, 200,
    ]);
    const left = (await subscribers.list()).map((s) => s.email);
    expect(left).not.toContain('kept@example.org');
    expect(left).not.toContain('fresh@example.org');
  });
});
