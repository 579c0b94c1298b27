import { describe, expect, it } from 'vitest';
import {
  signUnsubscribeToken,
  unsubscribeUrl,
  verifyUnsubscribeToken,
} from '../../../functions/core/render/unsubscribe-token.ts';

const SECRET = 'a-long-random-secret-from-secrets-manager';

describe('unsubscribe tokens', () => {
  it('round-trip to the normalised address', () => {
    const token = signUnsubscribeToken('  Reader@Example.ORG ', SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyUnsubscribeToken(token, SECRET)).toBe('reader@example.org');
  });

  it('are deterministic per address and secret', () => {
    expect(signUnsubscribeToken('a@b.com', SECRET)).toBe(signUnsubscribeToken('A@B.com', SECRET));
    expect(signUnsubscribeToken('a@b.com', SECRET)).not.toBe(signUnsubscribeToken('a@b.com', `${SECRET}x`));
  });

  it('reject a token signed with another secret', () => {
    expect(verifyUnsubscribeToken(signUnsubscribeToken('a@b.com', 'other'), SECRET)).toBeNull();
  });

  it('reject a forged address with a copied signature', () => {
    const real = signUnsubscribeToken('me@example.org', SECRET);
    const signature = real.split('.')[1];
    const forged = `${Buffer.from('victim@example.org').toString('base64url')}.${signature}`;
    expect(verifyUnsubscribeToken(forged, SECRET)).toBeNull();
  });

  it.each(['', '.', 'abc', 'abc.def', 'a.b.c', `${'x'.repeat(10)}.${'y'.repeat(43)}`, '!!!.###'])(
    'reject the malformed token %j',
    (token) => {
      expect(verifyUnsubscribeToken(token, SECRET)).toBeNull();
    },
  );

  it('reject every single-character change, including spare bits of the last character', () => {
    const token = signUnsubscribeToken('reader@example.org', SECRET);
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    const accepted: string[] = [];
    for (let index = 0; index < token.length; index++) {
      for (const replacement of alphabet) {
        if (token[index] === replacement) continue;
        const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
        if (verifyUnsubscribeToken(tampered, SECRET) !== null) accepted.push(tampered);
      }
    }
    expect(accepted).toEqual([]);
  });

  it('refuse to sign with an empty secret', () => {
    expect(() => signUnsubscribeToken('a@b.com', '')).toThrow();
    expect(verifyUnsubscribeToken(signUnsubscribeToken('a@b.com', 'x'), '')).toBeNull();
  });

  it('go in the URL as a query parameter, keeping existing ones', () => {
    const token = signUnsubscribeToken('a@b.com', SECRET);
    const url = new URL(unsubscribeUrl('https://example.com/u?list=daily', token));
    expect(url.searchParams.get('token')).toBe(token);
    expect(url.searchParams.get('list')).toBe('daily');
    expect(verifyUnsubscribeToken(url.searchParams.get('token') ?? '', SECRET)).toBe('a@b.com');
  });
});
