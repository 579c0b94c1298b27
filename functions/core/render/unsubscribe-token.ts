/**
 * Signed one-click unsubscribe tokens: the `unsubscribe` purpose of core/signed-token.ts (address, issue
 * and expiry time, key version), so the unsubscribe endpoint needs no lookup and no stored token, and
 * the secret can be rotated. Links sent before keyed tokens (no version, no expiry) are still accepted
 * until LEGACY_UNSUBSCRIBE_TOKENS_UNTIL:
 *
 *   legacy token = base64url(address) "." base64url(HMAC-SHA256(secret, "unsubscribe:v1:" address))
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { epochSeconds, type SigningKey, signToken, verifyToken } from '../signed-token.ts';

/** How long an unsubscribe link works: long, since readers unsubscribe from old mail too. */
export const UNSUBSCRIBE_VALID_DAYS = 400;
/** Legacy links never expire on their own; past this date (a year after keyed tokens) they are refused. */
export const LEGACY_UNSUBSCRIBE_TOKENS_UNTIL = new Date('2027-12-31T00:00:00Z');

/** Domain-separates these MACs from any other use of the same secret; bump to revoke all tokens. */
const TOKEN_CONTEXT = 'unsubscribe:v1:';
/** Longest address RFC 5321 allows (plus slack): anything longer is not a token we issued. */
const MAX_ADDRESS_LENGTH = 320;

/** The form addresses are compared in: trimmed and lower-cased. */
export function normaliseAddress(email: string): string {
  return email.trim().toLowerCase();
}

function mac(address: string, secret: string | Uint8Array): Buffer {
  return createHmac('sha256', secret).update(`${TOKEN_CONTEXT}${address}`).digest();
}

/** A token for `email`, signed with `key`, valid UNSUBSCRIBE_VALID_DAYS from `issuedAt`. */
export function signUnsubscribeToken(email: string, key: SigningKey, issuedAt: Date): string {
  const address = normaliseAddress(email);
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH) {
    throw new TypeError('An unsubscribe token needs an address of 1 to 320 characters.');
  }
  const issued = epochSeconds(issuedAt);
  return signToken(
    {
      purpose: 'unsubscribe',
      subject: address,
      issuedAt: issued,
      expiresAt: issued + UNSUBSCRIBE_VALID_DAYS * 86_400,
    },
    key,
  );
}

/**
 * The address an unsubscribe link acts for, or null when it is malformed, forged, expired, signed by a
 * key no longer accepted, or a legacy link past its grace period.
 */
export function verifyUnsubscribeToken(token: string, keys: readonly SigningKey[], now: Date): string | null {
  const trimmed = token.trim();
  const claims = verifyToken(trimmed, 'unsubscribe', keys, now);
  if (claims !== null) return claims.subject === normaliseAddress(claims.subject) ? claims.subject : null;
  if (now.getTime() >= LEGACY_UNSUBSCRIBE_TOKENS_UNTIL.getTime()) return null;
  for (const key of keys) {
    const address = verifyLegacyUnsubscribeToken(trimmed, key.secret);
    if (address !== null) return address;
  }
  return null;
}

/** The legacy format's signer, kept for the tests that pin what verification still accepts. */
export function signLegacyUnsubscribeToken(email: string, secret: string | Uint8Array): string {
  if (secret.length === 0) throw new TypeError('The unsubscribe secret must not be empty.');
  const address = normaliseAddress(email);
  return `${Buffer.from(address).toString('base64url')}.${mac(address, secret).toString('base64url')}`;
}

/** The address a legacy token was issued for, or null when it is malformed, forged or tampered with. */
export function verifyLegacyUnsubscribeToken(token: string, secret: string | Uint8Array): string | null {
  if (secret.length === 0) return null;
  const match = /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(token.trim());
  if (!match) return null;
  const address = Buffer.from(match[1] ?? '', 'base64url').toString('utf8');
  if (address.length === 0 || address.length > MAX_ADDRESS_LENGTH || address !== normaliseAddress(address)) {
    return null;
  }
  // Re-encoding must give the same text: rejects non-canonical base64url and invalid UTF-8.
  if (Buffer.from(address).toString('base64url') !== match[1]) return null;
  // Compare the encoded text, not decoded bytes: base64url's last character has spare bits, so two
  // spellings decode to the same MAC, and only the canonical one was issued.
  // Stryker disable next-line StringLiteral: both groups always match, and base64url text is the same bytes in ascii and utf8.
  const given = Buffer.from(match[2] ?? '', 'ascii');
  const expected = Buffer.from(mac(address, secret).toString('base64url'), 'ascii');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return address;
}

/** The subscriber's one-click unsubscribe URL: the base URL with `token=` in its query. */
export function unsubscribeUrl(baseUrl: string, token: string): string {
  const url = new URL(baseUrl);
  url.searchParams.set('token', token);
  return url.href;
}
