/**
 * What each check of legacy unsubscribe-token verification is for (links sent before keyed tokens, still
 * accepted for a grace period). The HMAC alone would stop a forgery; these
 * checks make sure only the exact text we issued is accepted, so a token cannot be stretched, re-spelled
 * or pointed at an address form we never sign. Tokens for the checks below are built by the documented
 * format: base64url(address) "." base64url(HMAC-SHA256(secret, "unsubscribe:v1:" address)).
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  normaliseAddress,
  signLegacyUnsubscribeToken,
  verifyLegacyUnsubscribeToken,
} from '../../../functions/core/render/unsubscribe-token.ts';

const SECRET = 'a-long-random-secret-from-secrets-manager';

/** A token for `address` exactly as given (signLegacyUnsubscribeToken would normalise it first). */
function tokenFor(
  address: string,
  encodedAddress = Buffer.from(address, 'utf8').toString('base64url'),
): string {
  const mac = createHmac('sha256', SECRET).update(`unsubscribe:v1:${address}`, 'utf8').digest('base64url');
  return `${encodedAddress}.${mac}`;
}

describe('verifyLegacyUnsubscribeToken', () => {
  it('accepts a token built by the documented format, and the signer builds exactly that', () => {
    expect(signLegacyUnsubscribeToken('ann@example.org', SECRET)).toBe(tokenFor('ann@example.org'));
    expect(verifyLegacyUnsubscribeToken(tokenFor('ann@example.org'), SECRET)).toBe('ann@example.org');
  });

  it('accepts a token with the whitespace a mail client or a copy-paste adds around it', () => {
    expect(verifyLegacyUnsubscribeToken(` ${tokenFor('ann@example.org')}\r\n`, SECRET)).toBe(
      'ann@example.org',
    );
  });

  it('refuses anything before or after the token, even when the token inside is good', () => {
    const token = tokenFor('ann@example.org');
    expect(verifyLegacyUnsubscribeToken(`x.${token}`, SECRET)).toBeNull();
    expect(verifyLegacyUnsubscribeToken(`!${token}`, SECRET)).toBeNull();
    expect(verifyLegacyUnsubscribeToken(`${token}x`, SECRET)).toBeNull();
    expect(verifyLegacyUnsubscribeToken(`${token}.x`, SECRET)).toBeNull();
  });

  it('refuses a correctly signed address in a form we never issue (not lower-cased, padded)', () => {
    expect(verifyLegacyUnsubscribeToken(tokenFor('Ann@Example.org'), SECRET)).toBeNull();
    expect(verifyLegacyUnsubscribeToken(tokenFor(' ann@example.org'), SECRET)).toBeNull();
  });

  it('refuses a correctly signed address longer than any real one, and takes one of 320 characters', () => {
    const longest = `${'a'.repeat(320 - '@example.org'.length)}@example.org`;
    expect(verifyLegacyUnsubscribeToken(tokenFor(longest), SECRET)).toBe(longest);
    expect(verifyLegacyUnsubscribeToken(tokenFor(`a${longest}`), SECRET)).toBeNull();
  });

  it('refuses a correctly signed empty address', () => {
    expect(verifyLegacyUnsubscribeToken(tokenFor('', 'A'), SECRET)).toBeNull();
    expect(verifyLegacyUnsubscribeToken(tokenFor('', ''), SECRET)).toBeNull();
  });

  it('refuses a non-canonical spelling of the address part, though it decodes to the signed address', () => {
    // "ann@example.or" is 14 bytes: its base64url ends in a character with four spare bits.
    const address = 'ann@example.or';
    const canonical = Buffer.from(address).toString('base64url');
    const last = canonical.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${canonical.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`;
    expect(Buffer.from(respelled, 'base64url').toString('utf8')).toBe(address);
    expect(verifyLegacyUnsubscribeToken(tokenFor(address), SECRET)).toBe(address);
    expect(verifyLegacyUnsubscribeToken(tokenFor(address, respelled), SECRET)).toBeNull();
  });

  it('refuses an address part that is not valid UTF-8', () => {
    const invalid = Buffer.from([0x61, 0xff, 0x40, 0x62, 0x2e, 0x63, 0x6f]).toString('base64url');
    const decoded = Buffer.from(invalid, 'base64url').toString('utf8');
    expect(verifyLegacyUnsubscribeToken(tokenFor(decoded, invalid), SECRET)).toBeNull();
  });

  it('refuses a MAC part of another length', () => {
    const token = tokenFor('ann@example.org');
    expect(verifyLegacyUnsubscribeToken(token.slice(0, -1), SECRET)).toBeNull();
    expect(verifyLegacyUnsubscribeToken(`${token}A`, SECRET)).toBeNull();
  });

  it('refuses every token when the secret is empty', () => {
    expect(verifyLegacyUnsubscribeToken(tokenFor('ann@example.org'), '')).toBeNull();
    expect(verifyLegacyUnsubscribeToken(tokenFor('ann@example.org'), new Uint8Array())).toBeNull();
  });

  it('works with a secret given as bytes', () => {
    const key = new TextEncoder().encode(SECRET);
    const token = signLegacyUnsubscribeToken('ann@example.org', key);
    expect(token).toBe(tokenFor('ann@example.org'));
    expect(verifyLegacyUnsubscribeToken(token, key)).toBe('ann@example.org');
  });
});

describe('signLegacyUnsubscribeToken', () => {
  it('refuses an empty secret, saying so', () => {
    expect(() => signLegacyUnsubscribeToken('ann@example.org', '')).toThrow(
      new TypeError('The unsubscribe secret must not be empty.'),
    );
  });

  it('signs the normalised address', () => {
    expect(normaliseAddress('  Ann@Example.ORG\n')).toBe('ann@example.org');
    expect(signLegacyUnsubscribeToken('  Ann@Example.ORG\n', SECRET)).toBe(tokenFor('ann@example.org'));
  });
});
