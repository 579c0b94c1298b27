import { describe, expect, it } from 'vitest';
import {
  LEGACY_UNSUBSCRIBE_TOKENS_UNTIL,
  signLegacyUnsubscribeToken,
  signUnsubscribeToken,
  UNSUBSCRIBE_VALID_DAYS,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from '../../../functions/core/render/unsubscribe-token.ts';
import { signToken } from '../../../functions/core/signed-token.ts';

const SECRET = 'a-long-random-secret-from-secrets-manager';
const KEY = { version: 1, secret: SECRET };
const KEYS = [KEY];
const ISSUED = new Date('2026-12-01T07:00:00Z');
const LATER = new Date('2027-01-15T12:00:00Z');
const DAY_MS = 86_400_000;

describe('unsubscribe tokens', () => {
  it('round-trip to the normalised address, in the versioned signed-token shape', () => {
    const token = signUnsubscribeToken('  Reader@Example.ORG ', KEY, ISSUED);
    expect(token).toMatch(/^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(token, KEYS, LATER)).toBe('reader@example.org');
  });

  it('are deterministic per address, key and issue time', () => {
    expect(signUnsubscribeToken('a@b.com', KEY, ISSUED)).toBe(signUnsubscribeToken('A@B.com', KEY, ISSUED));
    expect(signUnsubscribeToken('a@b.com', KEY, ISSUED)).not.toBe(
      signUnsubscribeToken('a@b.com', { version: 1, secret: `${SECRET}x` }, ISSUED),
    );
  });

  it('reject a token signed with another secret', () => {
    const token = signUnsubscribeToken('a@b.com', { version: 1, secret: 'other' }, ISSUED);
    expect(verifyUnsubscribeToken(token, KEYS, LATER)).toBeNull();
  });

  it('reject a token for another purpose signed with the same key', () => {
    const preferences = signToken(
      { purpose: 'preferences', subject: 'a@b.com', issuedAt: 1_790_000_000, expiresAt: 1_900_000_000 },
      KEY,
    );
    expect(verifyUnsubscribeToken(preferences, KEYS, LATER)).toBeNull();
  });

  it(`expire ${UNSUBSCRIBE_VALID_DAYS} days after issue`, () => {
    const token = signUnsubscribeToken('a@b.com', KEY, ISSUED);
    const expiry = ISSUED.getTime() + UNSUBSCRIBE_VALID_DAYS * DAY_MS;
    expect(verifyUnsubscribeToken(token, KEYS, new Date(expiry - 1000))).toBe('a@b.com');
    expect(verifyUnsubscribeToken(token, KEYS, new Date(expiry))).toBeNull();
  });

  it('survive a rotation while the previous key is kept, and stop working once it is dropped', () => {
    const oldLink = signUnsubscribeToken('a@b.com', KEY, ISSUED);
    const next = { version: 2, secret: 'the-rotated-secret' };
    expect(verifyUnsubscribeToken(oldLink, [next, KEY], LATER)).toBe('a@b.com');
    expect(verifyUnsubscribeToken(signUnsubscribeToken('a@b.com', next, LATER), [next, KEY], LATER)).toBe(
      'a@b.com',
    );
    expect(verifyUnsubscribeToken(oldLink, [next], LATER)).toBeNull();
  });

  it('reject a token naming a version whose key it was not signed with', () => {
    const token = signUnsubscribeToken('a@b.com', { version: 2, secret: 'the-rotated-secret' }, ISSUED);
    expect(verifyUnsubscribeToken(token.replace(/^v2\./, 'v1.'), KEYS, LATER)).toBeNull();
  });

  it('accept a legacy link (no version, no expiry) with any accepted key until the grace period ends', () => {
    const legacy = signLegacyUnsubscribeToken('Reader@example.org', SECRET);
    expect(legacy).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(legacy, KEYS, LATER)).toBe('reader@example.org');
    expect(verifyUnsubscribeToken(legacy, [{ version: 2, secret: 'new' }, KEY], LATER)).toBe(
      'reader@example.org',
    );
    expect(verifyUnsubscribeToken(legacy, [{ version: 2, secret: 'new' }], LATER)).toBeNull();
    const end = LEGACY_UNSUBSCRIBE_TOKENS_UNTIL.getTime();
    expect(verifyUnsubscribeToken(legacy, KEYS, new Date(end - 1000))).toBe('reader@example.org');
    expect(verifyUnsubscribeToken(legacy, KEYS, new Date(end))).toBeNull();
  });

  it('reject a forged address with a copied signature', () => {
    const real = signUnsubscribeToken('me@example.org', KEY, ISSUED);
    const [version, , signature] = real.split('.');
    const payload = Buffer.from(
      JSON.stringify({ p: 'unsubscribe', s: 'victim@example.org', i: 1_796_108_400, e: 1_830_668_400 }),
    ).toString('base64url');
    expect(verifyUnsubscribeToken(`${version}.${payload}.${signature}`, KEYS, LATER)).toBeNull();
  });

  it.each(['', '.', 'abc', 'abc.def', 'a.b.c', `${'x'.repeat(10)}.${'y'.repeat(43)}`, '!!!.###', 'v1..x'])(
    'reject the malformed token %j',
    (token) => {
      expect(verifyUnsubscribeToken(token, KEYS, LATER)).toBeNull();
    },
  );

  it('reject every single-character change, including spare bits of the last character', () => {
    const token = signUnsubscribeToken('reader@example.org', KEY, ISSUED);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    const accepted: string[] = [];
    for (let index = 0; index < token.length; index++) {
      for (const replacement of alphabet) {
        if (token[index] === replacement) continue;
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        if (verifyUnsubscribeToken(tampered, KEYS, LATER) !== null) accepted.push(tampered);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuse to sign with an empty secret, and accept nothing with no key', () => {
    expect(() => signUnsubscribeToken('a@b.com', { version: 1, secret: '' }, ISSUED)).toThrow();
    expect(verifyUnsubscribeToken(signUnsubscribeToken('a@b.com', KEY, ISSUED), [], LATER)).toBeNull();
    expect(verifyUnsubscribeToken(signLegacyUnsubscribeToken('a@b.com', SECRET), [], LATER)).toBeNull();
  });

  it('go in the URL as a query parameter, keeping existing ones', () => {
    const token = signUnsubscribeToken('a@b.com', KEY, ISSUED);
    const url = new URL(unsubscribeUrl('https://example.com/u?list=daily', token));
    expect(url.searchParams.get('token')).toBe(token);
    expect(url.searchParams.get('list')).toBe('daily');
    expect(verifyUnsubscribeToken(url.searchParams.get('token') ?? '', KEYS, LATER)).toBe('a@b.com');
  });
});
