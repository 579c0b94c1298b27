/**
 * Deterministic hashing for ids and fingerprints. Ids must be stable across runs and machines,
 * so nothing here depends on random seeds or insertion order.
 */
import { createHash } from 'node:crypto';

/** Hex characters kept from a SHA-1 digest for ids: 16 hex = 64 bits, collision-free at any realistic volume. */
const ID_HEX_LENGTH = 16;

/** A short, stable, hex id for a string (article ids from their source key, story ids from their seed article). */
export function stableId(prefix: string, value: string): string {
  return `${prefix}${createHash('sha1').update(value).digest('hex').slice(0, ID_HEX_LENGTH)}`;
}

/** SHA-1 hex of a string: used for the exact-duplicate content hash. */
export function sha1Hex(value: string): string {
  return createHash('sha1').update(value).digest('hex');
}

/** 32-bit FNV-1a of a string: fast and stable, used to turn shingles and terms into numbers. */
export function fnv1a32(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Murmur3's 32-bit finaliser: spreads the bits of `x ^ seed` so each seed acts as an independent hash function. */
export function mix32(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
