/**
 * The one-click unsubscribe endpoint under attack: forged and tampered tokens are refused and change
 * nothing; a replayed token is harmless and gets the same answer; and no response (status, headers or
 * body) reveals whether an address is on the list. Neither the address nor the token reaches the logs.
 */
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  signLegacyUnsubscribeToken,
  signUnsubscribeToken,
} from '../../../functions/core/render/unsubscribe-token.ts';
import { createUnsubscribeHandler } from '../../../functions/handlers/unsubscribe.ts';

import { MemorySubscriberStore } from '../../support/memory-subscribers.ts';
import { captureOutput } from './capture-logs.ts';

const SECRET = 'unit-test-unsubscribe-secret-0123456789';
const KEY = { version: 1, secret: SECRET };
/** The clock the handler judges expiry by, and when the links were sent: fixed, not the test's date. */
const NOW = new Date('2027-01-15T12:00:00Z');
const ISSUED = new Date('2027-01-10T07:00:00Z');

let store: MemorySubscriberStore;
let handler: ReturnType<typeof createUnsubscribeHandler>;

beforeEach(() => {
  store = new MemorySubscriberStore([
    { email: 'ada@example.org', subscribedAt: 'x' },
    { email: 'grace@example.net', subscribedAt: 'x' },
  ]);
  handler = createUnsubscribeHandler({ subscribers: store, secret: async () => SECRET, now: () => NOW });
});

function event(method: string, token: string | undefined): LambdaFunctionURLEvent {
  return {
    requestContext: { http: { method } },
    queryStringParameters: token === undefined ? undefined : { token },
    body: method === 'POST' ? 'List-Unsubscribe=One-Click' : undefined,
    headers: {},
  } as unknown as LambdaFunctionURLEvent;
}

async function call(method: string, token: string | undefined) {
  return (await handler(event(method, token))) as Exclude<LambdaFunctionURLResult, string>;
}

/** Flips one character of the token at `index` to another base64url character. */
function flip(token: string, index: number): string {
  const ch = token[index];
  const other = ch === 'A' ? 'B' : 'A';
  return `${token.slice(0, index)}${other}${token.slice(index + 1)}`;
}

const valid = (email: string) => signUnsubscribeToken(email, KEY, ISSUED);
/** A link in the format sent before keyed tokens, still accepted for a grace period. */
const legacy = (email: string) => signLegacyUnsubscribeToken(email, SECRET);

const [adaAddress, adaMac] = legacy('ada@example.org').split('.') as [string, string];
const graceMac = legacy('grace@example.net').split('.')[1] as string;
const [, adaClaims, adaSignature] = valid('ada@example.org').split('.') as [string, string, string];
const [, graceClaims, graceSignature] = valid('grace@example.net').split('.') as [string, string, string];

const TAMPERED: readonly (readonly [string, string | undefined])[] = [
  ['no token at all', undefined],
  ['empty token', ''],
  [
    'forged with another secret',
    signUnsubscribeToken('ada@example.org', { version: 1, secret: 'guessed' }, ISSUED),
  ],
  [
    'forged with an empty-ish secret',
    signUnsubscribeToken('ada@example.org', { version: 1, secret: ' ' }, ISSUED),
  ],
  [
    'signed with a key version the endpoint does not hold',
    signUnsubscribeToken('ada@example.org', { version: 2, secret: SECRET }, ISSUED),
  ],
  ['version changed, claims and MAC kept', `v2.${adaClaims}.${adaSignature}`],
  ['claims of another address, MAC kept', `v1.${graceClaims}.${adaSignature}`],
  ["MAC of another address's claims", `v1.${adaClaims}.${graceSignature}`],
  ['expired', signUnsubscribeToken('ada@example.org', KEY, new Date('2025-01-01T00:00:00Z'))],
  [
    'issued for another purpose',
    `v1.${Buffer.from(JSON.stringify({ p: 'preferences', s: 'ada@example.org', i: 1, e: 2e9 })).toString('base64url')}.${adaSignature}`,
  ],
  ['legacy link forged with another secret', signLegacyUnsubscribeToken('ada@example.org', 'guessed-secret')],
  ['legacy link forged with an empty-ish secret', signLegacyUnsubscribeToken('ada@example.org', ' ')],
  ['address swapped, MAC kept', `${Buffer.from('grace@example.net').toString('base64url')}.${adaMac}`],
  ['MAC of another address', `${adaAddress}.${graceMac}`],
  ['one MAC character changed', flip(valid('ada@example.org'), valid('ada@example.org').length - 5)],
  ['one claims character changed', flip(valid('ada@example.org'), 5)],
  ['MAC truncated', valid('ada@example.org').slice(0, -1)],
  ['MAC extended', `${valid('ada@example.org')}A`],
  ['one legacy MAC character changed', flip(legacy('ada@example.org'), legacy('ada@example.org').length - 5)],
  ['one legacy address character changed', flip(legacy('ada@example.org'), 2)],
  [
    'address in upper case, MAC of lower case',
    `${Buffer.from('ADA@example.org').toString('base64url')}.${adaMac}`,
  ],
  ['standard base64 padding', `${Buffer.from('ada@example.org').toString('base64')}.${adaMac}=`],
  ['only the address part', adaAddress],
  ['only the MAC', adaMac],
  ['four parts', `${valid('ada@example.org')}.extra`],
  ['legacy link with three parts', `${legacy('ada@example.org')}.extra`],
  ['huge token', `${'A'.repeat(100_000)}.${adaMac}`],
  ['plain address instead of a token', 'ada@example.org'],
  ['script injection', `<script>alert(1)</script>.${adaMac}`],
];

describe('forged and tampered tokens', () => {
  it.each(TAMPERED)('refuses %s with 403 and changes nothing', async (_name, token) => {
    for (const method of ['GET', 'POST']) {
      const response = await call(method, token);
      expect(response.statusCode).toBe(403);
    }
    expect(store.removals).toEqual([]);
    expect((await store.list()).map((s) => s.email)).toEqual(['ada@example.org', 'grace@example.net']);
  });

  it('gives every refusal the same answer, so a guess learns nothing from the response', async () => {
    const answers = new Set<string>();
    for (const [, token] of TAMPERED) answers.add(JSON.stringify(await call('POST', token)));
    expect(answers.size).toBe(1);
  });

  it('never unsubscribes on GET (link scanners prefetch), even with a valid token', async () => {
    const response = await call('GET', valid('ada@example.org'));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('method="post"');
    expect(store.removals).toEqual([]);
  });

  it('refuses other methods without touching the list', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      expect((await call(method, valid('ada@example.org'))).statusCode).toBe(405);
    }
    expect(store.removals).toEqual([]);
  });
});

describe('replay', () => {
  it('is idempotent: the same valid token replayed gets the same answer and leaves the address removed', async () => {
    const first = await call('POST', valid('ada@example.org'));
    const second = await call('POST', valid('ada@example.org'));
    const third = await call('POST', valid('ada@example.org'));
    expect(first.statusCode).toBe(200);
    expect(second).toEqual(first);
    expect(third).toEqual(first);
    expect((await store.list()).map((s) => s.email)).toEqual(['grace@example.net']);
  });

  it('cannot be turned against another subscriber by editing the replayed token', async () => {
    await call('POST', valid('ada@example.org'));
    const edited = `v1.${graceClaims}.${adaSignature}`;
    expect((await call('POST', edited)).statusCode).toBe(403);
    const editedLegacy = `${Buffer.from('grace@example.net').toString('base64url')}.${adaMac}`;
    expect((await call('POST', editedLegacy)).statusCode).toBe(403);
    expect((await store.list()).map((s) => s.email)).toEqual(['grace@example.net']);
  });
});

describe('user enumeration', () => {
  it('answers a subscribed and an unknown address identically (status, headers, body)', async () => {
    const subscribed = await call('POST', valid('grace@example.net'));
    const unknown = await call('POST', valid('nobody@example.com'));
    expect(unknown).toEqual(subscribed);
    expect(subscribed.body).not.toContain('grace');
  });

  it('shows the same confirmation page for a subscribed and an unknown address, apart from the token', async () => {
    const subscribedToken = valid('grace@example.net');
    const unknownToken = valid('nobody@example.com');
    const subscribed = await call('GET', subscribedToken);
    const unknown = await call('GET', unknownToken);
    expect(unknown.statusCode).toBe(subscribed.statusCode);
    expect(unknown.headers).toEqual(subscribed.headers);
    expect(unknown.body?.replace(unknownToken, 'TOKEN')).toBe(
      subscribed.body?.replace(subscribedToken, 'TOKEN'),
    );
    expect(subscribed.body).not.toContain('grace@example.net');
  });

  it('sends no-store and no-referrer so the token does not leak through caches or links', async () => {
    const response = await call('GET', valid('grace@example.net'));
    expect(response.headers).toMatchObject({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
  });

  it('writes neither the address nor the token to the logs', async () => {
    const token = valid('grace@example.net');
    const { output } = await captureOutput(async () => {
      await call('GET', token);
      await call('POST', token);
      await call('POST', valid('nobody@example.com'));
      await call('POST', signUnsubscribeToken('grace@example.net', { version: 1, secret: 'forged' }, ISSUED));
    });
    expect(output).toContain('Unsubscribed an address'); // the capture works
    expect(output).not.toContain('grace@example.net');
    expect(output).not.toContain('nobody@example.com');
    expect(output).not.toContain(token.split('.')[1]);
    expect(output).not.toContain(token.split('.')[2]);
  });
});

describe('legacy links during the grace period', () => {
  it('still unsubscribes with a link sent before keyed tokens (RFC 8058 one-click POST)', async () => {
    const response = await call('POST', legacy('ada@example.org'));
    expect(response.statusCode).toBe(200);
    expect((await store.list()).map((s) => s.email)).toEqual(['grace@example.net']);
  });
});
