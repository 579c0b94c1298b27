/**
 * Signed, expiring tokens for the reader's links (sign-up confirmation, preferences). A token names its
 * purpose, the address, when it was issued and when it expires, and the version of the key that signed
 * it, so the key can be rotated: verification accepts every key it is given (the current one and the
 * previous one during a grace period) and picks the one the token names.
 *
 *   token = "v" keyVersion "." base64url(JSON {p, s, i, e}) "." base64url(HMAC-SHA256(key, context))
 *
 * Built for issue 17; the unsubscribe token (core/render/unsubscribe-token.ts) is one more purpose.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type TokenPurpose = 'confirm' | 'preferences' | 'unsubscribe';

export interface SigningKey {
  /** Small whole number; bump it when the secret is rotated. */
  readonly version: number;
  readonly secret: string;
}

export interface TokenClaims {
  readonly purpose: TokenPurpose;
  /** The normalised address the token acts for. */
  readonly subject: string;
  /** Seconds since the epoch. */
  readonly issuedAt: number;
  /** Seconds since the epoch. */
  readonly expiresAt: number;
}

/** Domain-separates these MACs from the unsubscribe tokens signed with the same secret. */
const CONTEXT = 'news-digest:reader-token:v1:';
/** Anything longer is not a token this module issued (a 320-byte address encodes to ~500). */
const MAX_TOKEN_LENGTH = 1024;
const SHAPE = /^v(\d{1,4})\.([A-Za-z0-9_-]{1,900})\.([A-Za-z0-9_-]{43})$/;

function mac(key: SigningKey, payload: string): string {
  return createHmac('sha256', key.secret).update(`${CONTEXT}${key.version}.${payload}`).digest('base64url');
}

export function signToken(claims: TokenClaims, key: SigningKey): string {
  if (key.secret.length === 0) throw new TypeError('The signing secret must not be empty.');
  const payload = Buffer.from(
    JSON.stringify({ p: claims.purpose, s: claims.subject, i: claims.issuedAt, e: claims.expiresAt }),
  ).toString('base64url');
  return `v${key.version}.${payload}.${mac(key, payload)}`;
}

/**
 * The claims of a token for `purpose` signed by one of `keys` and not expired at `now`; null for every
 * other token (malformed, forged, another purpose, an unknown key, expired), so callers refuse all alike.
 */
export function verifyToken(
  token: string,
  purpose: TokenPurpose,
  keys: readonly SigningKey[],
  now: Date,
): TokenClaims | null {
  if (token.length > MAX_TOKEN_LENGTH) return null;
  const match = SHAPE.exec(token);
  if (!match) return null;
  const version = Number(match[1]);
  const key = keys.find((k) => k.version === version && k.secret.length > 0);
  if (!key) return null;
  // Stryker disable next-line StringLiteral: the pattern's groups always match.
  const payload = match[2] ?? '';
  // Stryker disable next-line StringLiteral: the group always matches, and base64url text is the same bytes in ascii and utf8.
  const given = Buffer.from(match[3] ?? '', 'ascii');
  // Stryker disable next-line StringLiteral: base64url text is the same bytes in ascii and utf8.
  const expected = Buffer.from(mac(key, payload), 'ascii');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claims: { p?: unknown; s?: unknown; i?: unknown; e?: unknown };
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (claims.p !== purpose || typeof claims.s !== 'string' || claims.s.length === 0) return null;
  if (typeof claims.i !== 'number' || typeof claims.e !== 'number') return null;
  if (now.getTime() / 1000 >= claims.e) return null;
  return { purpose, subject: claims.s, issuedAt: claims.i, expiresAt: claims.e };
}

/** Seconds since the epoch, whole. */
export function epochSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
