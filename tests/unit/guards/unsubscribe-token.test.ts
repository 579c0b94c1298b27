/**
 * What each check of unsubscribe-token verification is for. The HMAC alone would stop a forgery; these
 * checks make sure only the exact text we issued is accepted, so a token cannot be stretched, re-spelled
 * or pointed at an address form we never sign. Tokens for the checks below are built by the documented
 * format: base64url(address) "." base64url(HMAC-SHA256(secret, "unsubscribe:v1:" address)).
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  normaliseAddress,
  signUnsubscribeToken,
  verifyUnsubscribeToken,
} from '../../../functions/core/render/unsubscribe-token.ts';

const SECRET = 'a-long-random-secret-from-secrets-manager';

/** A token for `address` exactly as given (signUnsubscribeToken would normalise it first). */
function tokenFor(
  address: string,
  encodedAddress = Buffer.from(address, 'utf8').toString('base64url'),
): string {
  const mac = createHmac('sha256', SECRET).update(`unsubscribe:v1:${address}`, 'utf8').digest('base64url');
  return `${encodedAddress}.${mac}`;
}

describe('verifyUnsubscribeToken', () => {
  it('accepts a token built by the documented format, and the signer builds exactly that', () => {
    expect(signUnsubscribeToken('ann@example.org', SECRET)).toBe(tokenFor('ann@example.org'));
    expect(verifyUnsubscribeToken(tokenFor('ann@example.org'), SECRET)).toBe('ann@example.org');
  });

  it('accepts a token with the whitespace a mail client or a copy-paste adds around it', () => {
    expect(verifyUnsubscribeToken(` ${tokenFor('ann@example.org')}\r\n`, SECRET)).toBe('ann@example.org');
  });

  it('refuses anything before or after the token, even when the token inside is good', () => {
    const token = tokenFor('ann@example.org');
    expect(verifyUnsubscribeToken(`x.${token}`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(`!${token}`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(`${token}x`, SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(`${token}.x`, SECRET)).toBeNull();
  });

  it('refuses a correctly signed address in a form we never issue (not lower-cased, padded)', () => {
    expect(verifyUnsubscribeToken(tokenFor('Ann@Example.org'), SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(tokenFor(' ann@example.org'), SECRET)).toBeNull();
  });

  it('refuses a correctly signed address longer than any real one, and takes one of 320 characters', () => {
    const longest = `${'a'.repeat(320 - '@example.org'.length)}@example.org`;
    expect(verifyUnsubscribeToken(tokenFor(longest), SECRET)).toBe(longest);
    expect(verifyUnsubscribeToken(tokenFor(`a${longest}`), SECRET)).toBeNull();
  });

  it('refuses a correctly signed empty address', () => {
    expect(verifyUnsubscribeToken(tokenFor('', 'A'), SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(tokenFor('', ''), SECRET)).toBeNull();
  });

  it('refuses a non-canonical spelling of the address part, though it decodes to the signed address', () => {
    // "ann@example.or" is 14 bytes: its base64url ends in a character with four spare bits.
    const address = 'ann@example.or';
    const canonical = Buffer.from(address).toString('base64url');
    const last = canonical.at(-1) ?? '';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${canonical.slice(0, -1)}${alphabet[alphabet.indexOf(last) + 1]}`;
    expect(Buffer.from(respelled, 'base64url').toString('utf8')).toBe(address);
    expect(verifyUnsubscribeToken(tokenFor(address), SECRET)).toBe(address);
    expect(verifyUnsubscribeToken(tokenFor(address, respelled), SECRET)).toBeNull();
  });

  it('refuses an address part that is not valid UTF-8', () => {
    const invalid = Buffer.from([0x61, 0xff, 0x40, 0x62, 0x2e, 0x63, 0x6f]).toString('base64url');
    const decoded = Buffer.from(invalid, 'base64url').toString('utf8');
    expect(verifyUnsubscribeToken(tokenFor(decoded, invalid), SECRET)).toBeNull();
  });

  it('refuses a MAC part of another length', () => {
    const token = tokenFor('ann@example.org');
    expect(verifyUnsubscribeToken(token.slice(0, -1), SECRET)).toBeNull();
    expect(verifyUnsubscribeToken(`${token}A`, SECRET)).toBeNull();
  });

  it('refuses every token when the secret is empty', () => {
    expect(verifyUnsubscribeToken(tokenFor('ann@example.org'), '')).toBeNull();
    expect(verifyUnsubscribeToken(tokenFor('ann@example.org'), new Uint8Array())).toBeNull();
  });

  it('works with a secret given as bytes', () => {
    const key = new TextEncoder().encode(SECRET);
    const token = signUnsubscribeToken('ann@example.org', key);
    expect(token).toBe(tokenFor('ann@example.org'));
    expect(verifyUnsubscribeToken(token, key)).toBe('ann@example.org');
  });
});

describe('signUnsubscribeToken', () => {
  it('refuses an empty secret, saying so', () => {
    expect(() => signUnsubscribeToken('ann@example.org', '')).toThrow(
      new TypeError('The unsubscribe secret must not be empty.'),
    );
  });

  it('signs the normalised address', () => {
    expect(normaliseAddress('  Ann@Example.ORG\n')).toBe('ann@example.org');
    expect(signUnsubscribeToken('  Ann@Example.ORG\n', SECRET)).toBe(tokenFor('ann@example.org'));
  });
});
