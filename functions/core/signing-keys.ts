/**
 * The stack secret's value as signing keys. A plain string is key version 1 (every secret made before
 * rotation existed). To rotate, the operator stores JSON naming the new key and keeping the old one:
 *
 *   {"version": 2, "secret": "<new>", "previous": {"version": 1, "secret": "<old>"}}
 *
 * New tokens are signed with the first key; verification accepts both, so links already in inboxes keep
 * working until the previous key is dropped after the grace period (README, Operations).
 */
import type { SigningKey } from './signed-token.ts';

/** A key from parsed JSON; a primitive or an array has no `version` and fails the checks below. */
function keyFrom(value: unknown): SigningKey | null {
  if (value === null) return null;
  const { version, secret } = value as { version?: unknown; secret?: unknown };
  if (!Number.isInteger(version)) return null;
  const number = version as number;
  if (number < 1 || number > 9999) return null;
  if (typeof secret !== 'string' || secret.length === 0) return null;
  return { version: number, secret };
}

/** The keys in `secretValue`, the current one first; throws when a JSON value is not a valid key set. */
export function signingKeysFrom(secretValue: string): readonly SigningKey[] {
  if (secretValue.length === 0) throw new TypeError('The stack secret must not be empty.');
  if (!secretValue.trimStart().startsWith('{')) return [{ version: 1, secret: secretValue }];
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretValue);
  } catch {
    return [{ version: 1, secret: secretValue }];
  }
  const current = keyFrom(parsed);
  if (current === null) {
    throw new TypeError('The stack secret is JSON but names no key: expected {"version": n, "secret": "…"}.');
  }
  const previousValue = (parsed as { previous?: unknown }).previous;
  if (previousValue === undefined) return [current];
  const previous = keyFrom(previousValue);
  if (previous === null || previous.version === current.version) {
    throw new TypeError('The stack secret\'s "previous" key needs its own version and a non-empty secret.');
  }
  return [current, previous];
}

/** The key new tokens and keyed names use. */
export function currentSigningKey(secretValue: string): SigningKey {
  return signingKeysFrom(secretValue)[0] as SigningKey;
}
