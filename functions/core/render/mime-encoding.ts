/**
 * The encodings a MIME message needs: RFC 2047 encoded-words for non-ASCII header text,
 * quoted-printable bodies (RFC 2045 §6.7) and header folding (RFC 5322 §2.2.3).
 */

/** RFC 2045: encoded lines are at most 76 characters, excluding CRLF. */
export const QP_LINE_LIMIT = 76;
/** RFC 5322: header lines SHOULD be at most 78 characters; MUST be at most 998. */
export const HEADER_SOFT_LIMIT = 78;
/** RFC 2047 §2: an encoded-word is at most 75 characters. */
const ENCODED_WORD_LIMIT = 75;

/** True when the value is printable US-ASCII (plus space/tab) and needs no encoding. */
export function isPrintableAscii(value: string): boolean {
  return /^[\x20-\x7e\t]*$/.test(value);
}

/**
 * Encodes text as a sequence of RFC 2047 `=?UTF-8?B?...?=` words, each ≤ 75 characters and never
 * splitting a UTF-8 character between words. Returns the words; join them with folding whitespace.
 */
export function encodeWords(value: string, firstWordLimit = ENCODED_WORD_LIMIT): string[] {
  const prefix = '=?UTF-8?B?';
  const suffix = '?=';
  // Base64 grows 3 bytes into 4 characters; what is left of an encoded-word holds this many bytes.
  const bytesFor = (limit: number) =>
    Math.max(3, Math.floor((limit - prefix.length - suffix.length) / 4) * 3);
  let maxBytes = bytesFor(Math.min(firstWordLimit, ENCODED_WORD_LIMIT));
  const words: string[] = [];
  let chunk: Buffer[] = [];
  let size = 0;
  const flush = () => {
    if (size === 0) return;
    words.push(`${prefix}${Buffer.concat(chunk).toString('base64')}${suffix}`);
    maxBytes = bytesFor(ENCODED_WORD_LIMIT);
    chunk = [];
    size = 0;
  };
  for (const char of value) {
    const bytes = Buffer.from(char);
    if (size + bytes.length > maxBytes) flush();
    chunk.push(bytes);
    size += bytes.length;
  }
  flush();
  return words;
}

/**
 * Folds a header into lines of at most 78 characters where it has whitespace to fold at. A single
 * token longer than that (a long URL) stays whole: still far below the hard 998 limit.
 */
export function foldHeader(name: string, tokens: readonly string[]): string {
  const lines: string[] = [];
  let line = `${name}:`;
  for (const token of tokens) {
    if (line.length + 1 + token.length > HEADER_SOFT_LIMIT && line.length > name.length + 1) {
      lines.push(line);
      line = ` ${token}`;
    } else {
      line = `${line} ${token}`;
    }
  }
  lines.push(line);
  return lines.join('\r\n');
}

/** An unstructured header (Subject): plain words when ASCII, encoded-words otherwise. */
export function encodeUnstructured(name: string, value: string): string {
  const clean = value.replace(/[\r\n]+/g, ' ').trim();
  if (isPrintableAscii(clean)) return foldHeader(name, clean.split(/[ \t]+/).filter(Boolean));
  // The first word shares its line with "Name: ".
  return foldHeader(name, encodeWords(clean, HEADER_SOFT_LIMIT - name.length - 2));
}

/** A display name for From/To: a quoted string when ASCII, encoded-words otherwise. */
export function encodeDisplayName(name: string): string[] {
  const clean = name.replace(/[\r\n]+/g, ' ').trim();
  if (isPrintableAscii(clean)) return [`"${clean.replace(/["\\]/g, '\\$&')}"`];
  return encodeWords(clean);
}

/** Each byte's quoted-printable escape, computed once; only bytes that must be escaped are looked up. */
const QP_TOKENS: readonly string[] = Array.from(
  { length: 256 },
  (_, byte) => `=${byte.toString(16).toUpperCase().padStart(2, '0')}`,
);

/** Bytes that must be escaped anywhere on a line: everything but printable ASCII (minus '='), space and tab. */
const QP_MUST_ESCAPE = /[^\x21-\x3c\x3e-\x7e \t]/g;

function escapeQpByte(char: string): string {
  return QP_TOKENS[char.charCodeAt(0)] as string;
}

/** Encodes one line (as latin1 characters, one per UTF-8 byte) and soft-wraps it at 76 columns. */
function encodeQpLine(bytesAsLatin1: string): string {
  // Space and tab stay literal except at the end of a line, where transports may strip them.
  const encoded = bytesAsLatin1.replace(QP_MUST_ESCAPE, escapeQpByte).replace(/[ \t]$/, escapeQpByte);
  // A line within the limit passes the loop untouched, as one slice of the whole.
  let wrapped = '';
  let position = 0;
  while (encoded.length - position > QP_LINE_LIMIT) {
    // Leave room for the soft line break '=', and never split an =XX escape.
    let end = position + QP_LINE_LIMIT - 1;
    if (encoded[end - 1] === '=') end -= 1;
    else if (encoded[end - 2] === '=') end -= 2;
    wrapped += `${encoded.slice(position, end)}=\r\n`;
    position = end;
  }
  return wrapped + encoded.slice(position);
}

/**
 * Quoted-printable encoding of UTF-8 text with CRLF line breaks, soft-wrapped at 76 columns.
 * Never splits an `=XX` escape; trailing whitespace before a line break is encoded. It runs per
 * subscriber on ~100 KB bodies, so it works on whole lines with one regular expression each.
 */
export function encodeQuotedPrintable(text: string): string {
  const bytesAsLatin1 = Buffer.from(text.replace(/\r\n?/g, '\n')).toString('latin1');
  return bytesAsLatin1.split('\n').map(encodeQpLine).join('\r\n');
}
