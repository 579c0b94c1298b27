/**
 * The name of a rejected file's quarantine record, relative to the quarantine/ prefix (S3) or folder
 * (local store): `<key>.json` when the key is already a plain, short path, otherwise a readable
 * prefix of it followed by a digest of the whole key. Names are therefore
 * - bounded: at most QUARANTINE_NAME_MAX_BYTES of UTF-8, far below S3's 1,024-byte key limit and a
 *   file system's 255-byte name limit, whatever the incoming key's length;
 * - collision-free: two keys share a name only if they are equal (a plain name never ends in a digest,
 *   a digested one always does, and the digest is of the key as it came);
 * - readable: the key itself, or as much of it as fits, with dot segments and control characters gone.
 */
import { createHash } from 'node:crypto';

/** UTF-8 bytes of the readable part of a name; the digest and `.json` come on top. */
export const QUARANTINE_READABLE_MAX_BYTES = 200;
/** Hex digits of the SHA-256 of the key: 128 bits. */
const DIGEST_HEX = 32;
const DIGEST_SEPARATOR = '~';
/** The longest name this module makes, in UTF-8 bytes. */
export const QUARANTINE_NAME_MAX_BYTES = QUARANTINE_READABLE_MAX_BYTES + 1 + DIGEST_HEX + '.json'.length;

const DIGESTED_SUFFIX = new RegExp(`${DIGEST_SEPARATOR}[0-9a-f]{${DIGEST_HEX}}$`);
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f\\]/g;

/** The key as a path of plain segments: no empty, `.` or `..` segment, no control character or backslash. */
function plainPath(key: string): string {
  return key
    .replace(UNSAFE_CHARACTERS, '_')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.' && segment !== '..')
    .join('/');
}

/** The longest prefix of `text` of at most `maxBytes` UTF-8 bytes that does not split a character. */
function utf8Prefix(text: string, maxBytes: number): string {
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char, 'utf8');
    if (bytes > maxBytes) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** The quarantine record's name for an incoming key, `/`-separated, ending in `.json`. */
export function quarantineRecordName(key: string): string {
  const plain = plainPath(key);
  if (
    plain === key &&
    plain !== '' &&
    Buffer.byteLength(plain, 'utf8') <= QUARANTINE_READABLE_MAX_BYTES &&
    !DIGESTED_SUFFIX.test(plain)
  ) {
    return `${plain}.json`;
  }
  const digest = createHash('sha256').update(key, 'utf8').digest('hex').slice(0, DIGEST_HEX);
  // A cut segment must not end in a bare '/' or leave an empty name before the digest.
  const readable = utf8Prefix(plain, QUARANTINE_READABLE_MAX_BYTES).replace(/\/+$/, '');
  return `${readable}${DIGEST_SEPARATOR}${digest}.json`;
}
