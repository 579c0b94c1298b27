/**
 * What each check of reader-token verification is for: a token acts only for its purpose, under a key
 * the service still holds, until it expires, and only in exactly the shape this module issues. Tokens
 * with other contents are built here by the format in signed-token.ts, with a real MAC, so each check
 * is the only thing refusing them.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  epochSeconds,
  type SigningKey,
  signToken,
  type TokenClaims,
  verifyToken,
} from '../../../functions/core/signed-token.ts';

const KEY: SigningKey = { version: 1, secret: 'reader-secret' };
const NOW = new Date('2026-03-01T06:00:00Z');
const CLAIMS: TokenClaims = {
  purpose: 'confirm',
  subject: 'ann@example.org',
  issuedAt: epochSeconds(NOW),
  expiresAt: epochSeconds(NOW) + 3600,
};

/** A token with this payload (any JSON text), signed under `key` by the module's format. */
function tokenWith(json: string, key: SigningKey = KEY): string {
  const payload = Buffer.from(json, 'utf8').toString('base64url');
  const mac = createHmac('sha256', key.secret)
    .update(`news-digest:reader-token:v1:${key.version}.${payload}`, 'utf8')
    .digest('base64url');
  return `v${key.version}.${payload}.${mac}`;
}
const claimsJson = (overrides: Record<string, unknown>) =>
  JSON.stringify({
    p: 'confirm',
    s: 'ann@example.org',
    i: CLAIMS.issuedAt,
    e: CLAIMS.expiresAt,
    ...overrides,
  });

describe('verifyToken', () => {
  it('gives back the claims of a token it issued, and the signer builds the documented format', () => {
    expect(signToken(CLAIMS, KEY)).toBe(tokenWith(claimsJson({})));
    expect(verifyToken(signToken(CLAIMS, KEY), 'confirm', [KEY], NOW)).toEqual(CLAIMS);
  });

  it('refuses a token for another purpose', () => {
    expect(verifyToken(signToken(CLAIMS, KEY), 'preferences', [KEY], NOW)).toBeNull();
  });

  it('is valid until just before its expiry second and refused from it on', () => {
    const token = signToken(CLAIMS, KEY);
    expect(verifyToken(token, 'confirm', [KEY], new Date(CLAIMS.expiresAt * 1000 - 1))).toEqual(CLAIMS);
    expect(verifyToken(token, 'confirm', [KEY], new Date(CLAIMS.expiresAt * 1000))).toBeNull();
  });

  it('picks the key the token names, so a rotated-out key version is refused', () => {
    const next: SigningKey = { version: 12, secret: 'next-secret' };
    const token = signToken(CLAIMS, next);
    expect(token.startsWith('v12.')).toBe(true);
    expect(verifyToken(token, 'confirm', [KEY, next], NOW)).toEqual(CLAIMS);
    expect(verifyToken(token, 'confirm', [KEY], NOW)).toBeNull();
    expect(
      verifyToken(signToken(CLAIMS, { version: 2, secret: KEY.secret }), 'confirm', [KEY], NOW),
    ).toBeNull();
  });

  it('never verifies with a key whose secret is empty', () => {
    const empty: SigningKey = { version: 3, secret: '' };
    expect(verifyToken(tokenWith(claimsJson({}), empty), 'confirm', [empty], NOW)).toBeNull();
  });

  it('refuses a token signed with another secret under the same version', () => {
    const other = signToken(CLAIMS, { version: 1, secret: 'other-secret' });
    expect(verifyToken(other, 'confirm', [KEY], NOW)).toBeNull();
  });

  it('refuses anything before or after the token, or a MAC of another length', () => {
    const token = signToken(CLAIMS, KEY);
    for (const bad of [`x${token}`, ` ${token}`, `${token}x`, `${token}.x`, token.slice(0, -1)]) {
      expect(verifyToken(bad, 'confirm', [KEY], NOW)).toBeNull();
    }
  });

  it('refuses a token longer than any it issues', () => {
    const long = tokenWith(claimsJson({ s: `${'a'.repeat(600)}@example.org` }));
    expect(long.length).toBeGreaterThan(800);
    expect(verifyToken(long, 'confirm', [KEY], NOW)?.subject).toHaveLength(612);
    const tooLong = tokenWith(claimsJson({ s: `${'a'.repeat(700)}@example.org` }));
    expect(verifyToken(tooLong, 'confirm', [KEY], NOW)).toBeNull();
  });

  it('refuses a correctly signed payload that is not JSON', () => {
    expect(verifyToken(tokenWith('not json'), 'confirm', [KEY], NOW)).toBeNull();
  });

  it('refuses correctly signed claims without a subject, or with times that are not numbers', () => {
    for (const overrides of [
      { s: '' },
      { s: 42 },
      { s: undefined },
      { i: '1' },
      { e: String(CLAIMS.expiresAt) },
    ]) {
      expect(verifyToken(tokenWith(claimsJson(overrides)), 'confirm', [KEY], NOW)).toBeNull();
    }
  });
});

describe('signToken', () => {
  it('refuses an empty secret, saying so', () => {
    expect(() => signToken(CLAIMS, { version: 1, secret: '' })).toThrow(
      new TypeError('The signing secret must not be empty.'),
    );
  });
});

describe('epochSeconds', () => {
  it('counts whole seconds, rounding down', () => {
    expect(epochSeconds(new Date(1_700_000_000_999))).toBe(1_700_000_000);
  });
});
