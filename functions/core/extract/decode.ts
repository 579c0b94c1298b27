/**
 * Bytes → text. Gzip, byte-order marks, UTF-16 without BOM, strict UTF-8, `<meta charset>`
 * and a Windows-1252 fallback for legacy 8-bit files; binary and undecodable files are rejected
 * with a reason a contributor can act on.
 */
import { gunzipSync } from 'node:zlib';
import { InputRejectedError } from '../errors.ts';
import { MAX_INPUT_BYTES } from '../limits.ts';

/**
 * Largest decompressed size accepted from a gzip input: the plain-file limit, so the parsers never
 * see more text than a plain upload could give them, and a gzip bomb (1 KB → GBs) stops there.
 */
export const MAX_DECOMPRESSED_BYTES = MAX_INPUT_BYTES;

/** How many leading bytes the binary and UTF-16 sniffers look at: enough for a stable ratio, cheap on big files. */
export const SNIFF_BYTES = 8192;

/**
 * Share of C0 control bytes (other than tab, newline, CR, form feed, ESC) above which a file is binary.
 * Text has essentially none; random binary data has about 12%. 1% tolerates a stray control char or two.
 */
export const MAX_CONTROL_BYTE_RATIO = 0.01;

/**
 * UTF-16 without a BOM: in Latin-script text every other byte is NUL. If at least this share of the
 * odd (LE) or even (BE) positions are NUL and almost none of the others, it is UTF-16.
 */
export const UTF16_NUL_SHARE = 0.4;

/**
 * A legacy 8-bit file is accepted as Windows-1252 only if at most this share of its non-ASCII characters
 * look implausible (see implausibleHighCharRatio). Mojibake and random bytes
 * score far higher; a real Latin-1 article scores 0.
 */
export const MAX_IMPLAUSIBLE_HIGH_CHAR_RATIO = 0.1;

/** Bytes that Windows-1252 leaves undefined: a file containing them is not Windows-1252 text. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

export interface DecodedText {
  readonly text: string;
  /** The encoding that was used, for diagnostics. */
  readonly encoding: string;
  /** True when the input was gzip-compressed. */
  readonly gzipped: boolean;
}

const MAGIC_NUMBERS: ReadonlyArray<{ name: string; bytes: readonly number[] }> = [
  { name: 'PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { name: 'ZIP archive (or docx/xlsx)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { name: 'RIFF media (WebP/WAV/AVI)', bytes: [0x52, 0x49, 0x46, 0x46] },
  { name: '7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'Word 97-2003 / OLE document', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
];

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  if (bytes.length < prefix.length) return false;
  return prefix.every((b, i) => bytes[i] === b);
}

export function isGzip(key: string, bytes: Uint8Array): boolean {
  return startsWith(bytes, [0x1f, 0x8b]) || (/\.gz$/i.test(key) && bytes.length > 0);
}

/** Decompresses gzip input with a hard output limit (gzip bombs). */
export function gunzip(bytes: Uint8Array, maxBytes = MAX_DECOMPRESSED_BYTES): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new InputRejectedError(
        'too-large',
        `gzip input expands beyond ${Math.round(maxBytes / 1024 / 1024)} MiB; upload the article itself, not an archive`,
        { cause: error },
      );
    }
    throw new InputRejectedError(
      'binary',
      'the file is named or marked as gzip but does not decompress; upload it uncompressed or re-compress it with gzip',
      { cause: error },
    );
  }
}

function magicName(bytes: Uint8Array): string | null {
  for (const magic of MAGIC_NUMBERS) if (startsWith(bytes, magic.bytes)) return magic.name;
  return null;
}

/** 'le' | 'be' when the bytes look like BOM-less UTF-16, else null. */
export function sniffUtf16(bytes: Uint8Array): 'le' | 'be' | null {
  const n = Math.min(bytes.length, SNIFF_BYTES) & ~1;
  if (n < 4) return null;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul / pairs >= UTF16_NUL_SHARE && evenNul / pairs < 0.05) return 'le';
  if (evenNul / pairs >= UTF16_NUL_SHARE && oddNul / pairs < 0.05) return 'be';
  return null;
}

function controlByteRatio(bytes: Uint8Array): number {
  const n = Math.min(bytes.length, SNIFF_BYTES);
  if (n === 0) return 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b) control++;
  }
  return control / n;
}

function rejectBinary(what: string): never {
  throw new InputRejectedError(
    'binary',
    `the file is ${what}, not text; upload the article as .txt, .md, .html or news-please .json`,
  );
}

/** Counts well-formed multi-byte UTF-8 sequences and bytes that cannot belong to one. */
export function scanUtf8(bytes: Uint8Array): { validMultiByte: number; invalid: number } {
  let validMultiByte = 0;
  let invalid = 0;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let min = 0;
    if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      invalid++;
      i++;
      continue;
    }
    let cp = b & (0x3f >> need);
    let ok = i + need < bytes.length;
    for (let k = 1; ok && k <= need; k++) {
      const c = bytes[i + k]!;
      if ((c & 0xc0) !== 0x80) ok = false;
      else cp = (cp << 6) | (c & 0x3f);
    }
    if (ok && cp >= min && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) {
      validMultiByte++;
      i += need + 1;
    } else {
      invalid++;
      i++;
    }
  }
  return { validMultiByte, invalid };
}

/** Punctuation and signs of Latin-1 and of Windows-1252's 0x80–0x9F block: plausible wherever they stand. */
const TYPOGRAPHIC = new Set('’‘“”„‚‹›–—…•†‡‰€£¥©®™°«»·§¶×±²³¹½¼¾¿¡ ´¨¸ªº¢'.split(''));

/**
 * The UTF-16 byte-order marks (FF FE, FE FF) read as Windows-1252. No language writes ÿ and þ side by
 * side, and a BOM at the very start of a file is consumed as UTF-16 before the legacy fallback runs, so
 * a pair found here is the debris of a UTF-16 file spliced into an 8-bit one.
 */
const BYTE_ORDER_MARK_PAIR = /ÿþ|þÿ/g;

/** A run of letters (a word), or a single non-ASCII character that is not a letter. */
const WORD_OR_HIGH_SYMBOL = /\p{L}+|[^\p{L}\0-\x7f]/gu;

/**
 * What may stand right before / after a one-letter word such as French and Italian “à”, “è”,
 * Portuguese “é”, Icelandic “í” or Swedish “å”: spaces, hyphens (c’est-à-dire), quotes, and opening
 * brackets before or closing punctuation after. A letter glued to anything else (`Ã(`) is not a word.
 */
const BEFORE_ONE_LETTER_WORD = /[\s\-–—([«“‘„‚"']/u;
const AFTER_ONE_LETTER_WORD = /[\s\-–—)\].,;:!?…»”’"']/u;

function isOneLetterWord(text: string, at: number): boolean {
  const before = at === 0 ? ' ' : text[at - 1]!;
  const after = at + 1 >= text.length ? ' ' : text[at + 1]!;
  return BEFORE_ONE_LETTER_WORD.test(before) && AFTER_ONE_LETTER_WORD.test(after);
}

/**
 * Plausibility of text decoded as Windows-1252. In real Latin-1 text (Café, Zürich, façade, Pääministeri)
 * every accented letter sits in a word that also has ASCII letters, or is a one-letter word (à, é, í),
 * and other high characters are typographic punctuation. Letters that only border other non-ASCII
 * letters (`ÿþÃ(`), UTF-16 byte-order-mark pairs and stray symbols are implausible. Returns the share of
 * implausible high characters.
 */
export function implausibleHighCharRatio(text: string): number {
  const inByteOrderMark = new Set<number>();
  for (const pair of text.matchAll(BYTE_ORDER_MARK_PAIR)) {
    inByteOrderMark.add(pair.index);
    inByteOrderMark.add(pair.index + 1);
  }
  let high = 0;
  let bad = 0;
  for (const token of text.matchAll(WORD_OR_HIGH_SYMBOL)) {
    const chars = token[0];
    const at = token.index;
    const latinWord = /[A-Za-z]/.test(chars) || (chars.length === 1 && isOneLetterWord(text, at));
    for (let k = 0; k < chars.length; k++) {
      const ch = chars[k]!;
      if (ch.charCodeAt(0) < 0x80) continue;
      high++;
      if (inByteOrderMark.has(at + k)) bad++;
      else if (TYPOGRAPHIC.has(ch)) continue;
      else if (!latinWord || !/\p{L}/u.test(ch)) bad++;
    }
  }
  return high === 0 ? 0 : bad / high;
}

/** The charset an HTML document declares in its first bytes (`<meta charset>` or http-equiv), lower-cased. */
export function declaredHtmlCharset(bytes: Uint8Array): string | null {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  return m?.[1]?.toLowerCase() ?? null;
}

function isUtf8Label(label: string): boolean {
  return label === 'utf-8' || label === 'utf8' || label === 'unicode-1-1-utf-8';
}

/** Strict UTF-8 decoder, made once: every text file goes through it. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function tryDecoder(label: string, bytes: Uint8Array, fatal: boolean): string | null {
  try {
    if (fatal && label === 'utf-8') return STRICT_UTF8.decode(bytes);
    return new TextDecoder(label, { fatal }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Windows-1252 code points for bytes 0x80–0x9F (the rest equals Latin-1). Node's TextDecoder maps
 * 'windows-1252' to plain Latin-1 (so 0x93 becomes a C1 control instead of “), hence our own table.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d,
  0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a,
  0x153, 0x9d, 0x17e, 0x178,
];

export function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const codes: number[] = [];
    const end = Math.min(bytes.length, start + CHUNK);
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      codes.push(b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : b);
    }
    chunks.push(String.fromCharCode(...codes));
  }
  return chunks.join('');
}

function decodeLegacy8Bit(bytes: Uint8Array): string {
  for (const b of bytes) {
    if (CP1252_UNDEFINED.has(b)) {
      throw new InputRejectedError(
        'invalid-encoding',
        `the file is neither valid UTF-8 nor Windows-1252 (byte 0x${b.toString(16)} is undefined there); re-save it as UTF-8`,
      );
    }
  }
  const text = decodeWindows1252(bytes);
  const ratio = implausibleHighCharRatio(text);
  if (ratio > MAX_IMPLAUSIBLE_HIGH_CHAR_RATIO) {
    throw new InputRejectedError(
      'invalid-encoding',
      `the file is not valid UTF-8 and does not read as Windows-1252/Latin-1 either (${Math.round(ratio * 100)}% of its non-ASCII characters are implausible); re-save it as UTF-8`,
    );
  }
  return text;
}

function decodeUtf8OrLegacy(bytes: Uint8Array): { text: string; encoding: string } {
  const strict = tryDecoder('utf-8', bytes, true);
  if (strict !== null) return { text: strict, encoding: 'utf-8' };
  const { validMultiByte, invalid } = scanUtf8(bytes);
  if (validMultiByte > 0) {
    throw new InputRejectedError(
      'invalid-encoding',
      `the file is UTF-8 with ${invalid} invalid byte(s) among ${validMultiByte} valid multi-byte characters, so it is corrupt; re-save it as UTF-8`,
    );
  }
  return { text: decodeLegacy8Bit(bytes), encoding: 'windows-1252' };
}

/**
 * Decodes one input file to text. Throws InputRejectedError (`empty`, `binary`, `invalid-encoding`,
 * `too-large`) for files that cannot be read as text.
 */
export function decodeBytes(key: string, input: Uint8Array): DecodedText {
  if (input.length === 0) throw new InputRejectedError('empty', 'the file is empty; upload the article text');
  const gzipped = isGzip(key, input);
  const bytes = gzipped ? gunzip(input) : input;
  const magic = magicName(bytes);
  if (magic) rejectBinary(`a ${magic}`);

  let text: string;
  let encoding: string;
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    ({ text, encoding } = decodeUtf8OrLegacy(bytes.subarray(3)));
  } else if (startsWith(bytes, [0xff, 0xfe])) {
    text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
    encoding = 'utf-16le';
  } else if (startsWith(bytes, [0xfe, 0xff])) {
    text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
    encoding = 'utf-16be';
  } else {
    const utf16 = sniffUtf16(bytes);
    if (utf16) {
      encoding = `utf-16${utf16}`;
      text = new TextDecoder(encoding).decode(bytes);
    } else {
      if (bytes.subarray(0, SNIFF_BYTES).includes(0)) rejectBinary('binary data (it contains NUL bytes)');
      if (controlByteRatio(bytes) > MAX_CONTROL_BYTE_RATIO) rejectBinary('binary data (many control bytes)');
      ({ text, encoding } = decodeDeclaredOrSniffed(bytes));
    }
  }
  if (!/[^\s\u200b-\u200d\u2060\ufeff]/.test(text)) {
    throw new InputRejectedError('empty', 'the file holds only whitespace; upload the article text');
  }
  return { text, encoding, gzipped };
}

/** HTML may declare its charset; a declared legacy charset is honoured unless the bytes are clearly UTF-8. */
function decodeDeclaredOrSniffed(bytes: Uint8Array): { text: string; encoding: string } {
  const declared = declaredHtmlCharset(bytes);
  if (declared && !isUtf8Label(declared)) {
    // Pages often declare ISO-8859-1 while serving UTF-8. Valid UTF-8 with multi-byte characters is
    // practically never legacy text, so the bytes win over the label then.
    const strict = tryDecoder('utf-8', bytes, true);
    if (strict !== null && scanUtf8(bytes).validMultiByte > 0) return { text: strict, encoding: 'utf-8' };
    if (/^(?:windows-1252|cp1252|iso-8859-1|iso8859-1|latin-?1|us-ascii|ascii|x-cp1252|l1)$/.test(declared)) {
      return { text: decodeWindows1252(bytes), encoding: 'windows-1252' };
    }
    const text = tryDecoder(declared, bytes, false);
    if (text !== null) return { text, encoding: declared };
  }
  if (declared && isUtf8Label(declared)) {
    // Declared UTF-8 but with stray invalid bytes: a browser shows U+FFFD and so do we, instead of
    // rejecting a whole web page for one bad byte.
    const strict = tryDecoder('utf-8', bytes, true);
    if (strict !== null) return { text: strict, encoding: 'utf-8' };
    const { validMultiByte } = scanUtf8(bytes);
    if (validMultiByte > 0)
      return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8 (lossy)' };
  }
  return decodeUtf8OrLegacy(bytes);
}
