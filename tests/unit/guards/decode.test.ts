/**
 * What each guard of byte decoding is for: a file that is not text (an image, an archive, binary
 * data, a gzip bomb), or text in no encoding we can trust, is refused with a reason the contributor can
 * act on; every encoding we do accept is read exactly, and the encoding is reported.
 */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import {
  declaredHtmlCharset,
  decodeBytes,
  decodeWindows1252,
  gunzip,
  implausibleHighCharRatio,
  isGzip,
  scanUtf8,
  sniffUtf16,
} from '../../../functions/core/extract/decode.ts';

function rejection(fn: () => unknown): InputRejectedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const TEXT = 'Officials said on Monday that talks would resume next week.\n';

describe('magic numbers', () => {
  it.each([
    ['PNG image', [0x89, 0x50, 0x4e, 0x47]],
    ['PDF document', [0x25, 0x50, 0x44, 0x46, 0x2d]],
    ['ZIP archive (or docx/xlsx)', [0x50, 0x4b, 0x03, 0x04]],
    ['GIF image', [0x47, 0x49, 0x46, 0x38]],
    ['JPEG image', [0xff, 0xd8, 0xff]],
    ['ELF executable', [0x7f, 0x45, 0x4c, 0x46]],
    ['RIFF media (WebP/WAV/AVI)', [0x52, 0x49, 0x46, 0x46]],
    ['7-Zip archive', [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]],
    ['Word 97-2003 / OLE document', [0xd0, 0xcf, 0x11, 0xe0]],
  ])('refuses a %s by its first bytes, naming it', (name, magic) => {
    const error = rejection(() => decodeBytes('upload.txt', bytes(magic, TEXT)));
    expect(error.code).toBe('binary');
    expect(error.message).toBe(
      `the file is a ${name}, not text; upload the article as .txt, .md, .html or news-please .json`,
    );
  });

  it('needs the whole magic number, not a prefix of it', () => {
    expect(decodeBytes('a.txt', bytes('GIF7 was the code name.')).text).toBe('GIF7 was the code name.');
    expect(decodeBytes('a.txt', bytes('%PDF is a format.')).text).toBe('%PDF is a format.');
  });
});

describe('gzip', () => {
  it('is recognised by its magic bytes whatever the name, or by a .gz name in any case', () => {
    expect(isGzip('article.txt', Buffer.from([0x1f, 0x8b, 0x08]))).toBe(true);
    expect(isGzip('article.txt.GZ', Buffer.from('x'))).toBe(true);
    expect(isGzip('article.gz.txt', Buffer.from('x'))).toBe(false);
    expect(isGzip('article.txt', Buffer.from([0x1f, 0x8c]))).toBe(false);
    expect(isGzip('article.txt', Buffer.from([0x1f]))).toBe(false);
    expect(isGzip('article.gz', new Uint8Array())).toBe(false);
  });

  it('is decompressed and reported as gzipped', () => {
    const decoded = decodeBytes('a.txt', gzipSync(Buffer.from(TEXT)));
    expect(decoded).toEqual({ text: TEXT, encoding: 'utf-8', gzipped: true });
    expect(decodeBytes('a.txt', Buffer.from(TEXT)).gzipped).toBe(false);
  });

  it('refuses a bomb beyond the limit, saying the limit in MiB, and takes output up to it', () => {
    const twoMiB = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(gunzip(twoMiB, 2 * 1024 * 1024)).toHaveLength(2 * 1024 * 1024);
    const error = rejection(() => gunzip(twoMiB, 1024 * 1024));
    expect(error.code).toBe('too-large');
    expect(error.message).toBe('gzip input expands beyond 1 MiB; upload the article itself, not an archive');
    expect(error.cause).toBeDefined();
  });

  it('refuses a file named .gz that does not decompress, keeping the cause', () => {
    const error = rejection(() => decodeBytes('a.txt.gz', Buffer.from(TEXT)));
    expect(error.code).toBe('binary');
    expect(error.message).toBe(
      'the file is named or marked as gzip but does not decompress; upload it uncompressed or re-compress it with gzip',
    );
    expect(error.cause).toBeDefined();
  });
});

describe('UTF-16', () => {
  const le = Buffer.from(TEXT, 'utf16le');
  const be = Buffer.from(le).swap16();

  it('is read with a byte-order mark in either order, and reported', () => {
    expect(decodeBytes('a.txt', bytes([0xff, 0xfe], [...le]))).toMatchObject({
      text: TEXT,
      encoding: 'utf-16le',
    });
    expect(decodeBytes('a.txt', bytes([0xfe, 0xff], [...be]))).toMatchObject({
      text: TEXT,
      encoding: 'utf-16be',
    });
  });

  it('is sniffed without a byte-order mark in either order, and reported', () => {
    expect(decodeBytes('a.txt', le)).toMatchObject({ text: TEXT, encoding: 'utf-16le' });
    expect(decodeBytes('a.txt', be)).toMatchObject({ text: TEXT, encoding: 'utf-16be' });
  });

  it('is sniffed from 40% NUL bytes on one side and under 5% on the other', () => {
    // Ten pairs: four with a NUL on the odd (LE) side, none on the even side.
    const pairs = (nulOdd: number, nulEven: number, count: number) =>
      Buffer.from(
        Array.from({ length: count }, (_, i) => [i < nulEven ? 0 : 0x41, i < nulOdd ? 0 : 0x42]).flat(),
      );
    expect(sniffUtf16(pairs(4, 0, 10))).toBe('le');
    expect(sniffUtf16(pairs(3, 0, 10))).toBeNull();
    expect(sniffUtf16(Buffer.from(pairs(4, 0, 10)).swap16())).toBe('be');
    expect(sniffUtf16(Buffer.from(pairs(3, 0, 10)).swap16())).toBeNull();
    expect(sniffUtf16(pairs(20, 1, 20))).toBeNull();
    expect(sniffUtf16(pairs(20, 0, 20))).toBe('le');
    expect(sniffUtf16(Buffer.from(pairs(20, 1, 20)).swap16())).toBeNull();
    expect(sniffUtf16(pairs(40, 1, 40))).toBe('le');
    expect(sniffUtf16(Buffer.from(pairs(40, 1, 40)).swap16())).toBe('be');
  });

  it('needs at least two pairs to sniff, and ignores an odd last byte', () => {
    expect(sniffUtf16(Buffer.from([0x41, 0]))).toBeNull();
    expect(sniffUtf16(Buffer.from([0x41, 0, 0x42]))).toBeNull();
    expect(sniffUtf16(Buffer.from([0x41, 0, 0x42, 0]))).toBe('le');
    expect(sniffUtf16(Buffer.from([0x41, 0, 0x42, 0, 0]))).toBe('le');
  });

  it('looks only at the first 8 KiB', () => {
    const head = Buffer.from('a'.repeat(4096), 'utf16le');
    expect(sniffUtf16(Buffer.concat([head, Buffer.from('b'.repeat(20_000))]))).toBe('le');
    expect(sniffUtf16(Buffer.concat([Buffer.from('b'.repeat(8192)), head]))).toBeNull();
  });
});

describe('binary data without a magic number', () => {
  it('is refused for a NUL byte in the first 8 KiB, but not after it', () => {
    const error = rejection(() => decodeBytes('a.txt', bytes('abc', [0], 'def ghi jkl')));
    expect(error.code).toBe('binary');
    expect(error.message).toBe(
      'the file is binary data (it contains NUL bytes), not text; upload the article as .txt, .md, .html or news-please .json',
    );
    const late = bytes('a'.repeat(8192), [0], ' tail');
    expect(decodeBytes('a.txt', late).text).toHaveLength(8198);
  });

  it('is refused for more than 1% control bytes, not for 1%', () => {
    const withControls = (n: number) => bytes('a'.repeat(100 - n), Array(n).fill(0x02));
    expect(decodeBytes('a.txt', withControls(1)).text).toHaveLength(100);
    const error = rejection(() => decodeBytes('a.txt', withControls(2)));
    expect(error.code).toBe('binary');
    expect(error.message).toMatch(/^the file is binary data \(many control bytes\), not text/);
  });

  it('counts tab, line breaks, form feed and escape as text, and other controls below space as binary', () => {
    expect(decodeBytes('a.txt', bytes('a\t\n\r\f\x1b'.repeat(20))).text).toHaveLength(120);
    expect(rejection(() => decodeBytes('a.txt', bytes('ab\x1f'.repeat(20)))).code).toBe('binary');
    expect(rejection(() => decodeBytes('a.txt', bytes('ab\x01'.repeat(20)))).code).toBe('binary');
    expect(decodeBytes('a.txt', bytes('ab '.repeat(20), '\x7f')).text).toHaveLength(61);
  });

  it('judges the ratio on the first 8 KiB only', () => {
    const controlsLate = bytes('a'.repeat(8192), Array(200).fill(0x02));
    expect(decodeBytes('a.txt', controlsLate).text).toHaveLength(8392);
  });
});

describe('scanUtf8', () => {
  it('counts well-formed 2-, 3- and 4-byte sequences', () => {
    expect(scanUtf8(Buffer.from('aé€😀'))).toEqual({ validMultiByte: 3, invalid: 0 });
    expect(scanUtf8(Buffer.from('\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}'))).toEqual({
      validMultiByte: 6,
      invalid: 0,
    });
  });

  it('counts overlong forms, surrogates, code points past U+10FFFF and stray bytes as invalid', () => {
    expect(scanUtf8(Buffer.from([0xc0, 0x80])).invalid).toBeGreaterThan(0);
    expect(scanUtf8(Buffer.from([0xc1, 0xbf])).invalid).toBeGreaterThan(0);
    expect(scanUtf8(Buffer.from([0xe0, 0x9f, 0xbf]))).toEqual({ validMultiByte: 0, invalid: 3 });
    expect(scanUtf8(Buffer.from([0xf0, 0x8f, 0xbf, 0xbf]))).toEqual({ validMultiByte: 0, invalid: 4 });
    expect(scanUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toEqual({ validMultiByte: 0, invalid: 3 });
    expect(scanUtf8(Buffer.from([0xed, 0xbf, 0xbf]))).toEqual({ validMultiByte: 0, invalid: 3 });
    expect(scanUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toEqual({ validMultiByte: 0, invalid: 4 });
    expect(scanUtf8(Buffer.from([0xf5, 0x80, 0x80, 0x80]))).toEqual({ validMultiByte: 0, invalid: 4 });
    expect(scanUtf8(Buffer.from([0x80, 0xbf]))).toEqual({ validMultiByte: 0, invalid: 2 });
  });

  it('counts a sequence cut short by the end of the file, or by a non-continuation byte, as invalid', () => {
    expect(scanUtf8(Buffer.from([0x61, 0xe2, 0x82]))).toEqual({ validMultiByte: 0, invalid: 2 });
    expect(scanUtf8(Buffer.from([0xe2, 0x41, 0xac]))).toEqual({ validMultiByte: 0, invalid: 2 });
    expect(scanUtf8(Buffer.from([0xc3]))).toEqual({ validMultiByte: 0, invalid: 1 });
  });

  it('resumes right after a bad lead byte, so the next character still counts', () => {
    expect(scanUtf8(Buffer.from([0xe2, 0xc3, 0xa9]))).toEqual({ validMultiByte: 1, invalid: 1 });
  });
});

describe('implausibleHighCharRatio', () => {
  it('is 0 for plain ASCII and for accented words and typographic punctuation', () => {
    expect(implausibleHighCharRatio('plain text')).toBe(0);
    expect(implausibleHighCharRatio('Café “à” 5 °C – façade')).toBe(0);
  });

  it('counts letters that only border other non-ASCII letters, and stray symbols', () => {
    expect(implausibleHighCharRatio('ÃÐâ')).toBe(1);
    expect(implausibleHighCharRatio('Café ÃÐ')).toBeCloseTo(2 / 3);
    expect(implausibleHighCharRatio('Café ¤')).toBe(0.5);
  });

  it('counts a UTF-16 byte-order mark pair as implausible even inside a word', () => {
    expect(implausibleHighCharRatio('abÿþcd')).toBe(1);
    expect(implausibleHighCharRatio('abþÿcd')).toBe(1);
    expect(implausibleHighCharRatio('abÿcd þ')).toBe(0);
  });

  it('takes a one-letter word between spaces, hyphens, quotes or brackets, not one glued to a symbol', () => {
    expect(implausibleHighCharRatio('à')).toBe(0);
    expect(implausibleHighCharRatio('c’est-à-dire (é) «à»')).toBe(0);
    expect(implausibleHighCharRatio('x=à=y')).toBe(1);
    expect(implausibleHighCharRatio('Ã(')).toBe(1);
    expect(implausibleHighCharRatio('=à b')).toBe(1);
  });
});

describe('declaredHtmlCharset', () => {
  it('reads <meta charset> and http-equiv declarations, quoted or not, lower-cased', () => {
    expect(declaredHtmlCharset(Buffer.from('<meta charset="ISO-8859-2">'))).toBe('iso-8859-2');
    expect(declaredHtmlCharset(Buffer.from("<META CHARSET = 'koi8-r' >"))).toBe('koi8-r');
    expect(declaredHtmlCharset(Buffer.from('<meta charset=windows-1251>'))).toBe('windows-1251');
    expect(
      declaredHtmlCharset(
        Buffer.from('<meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS">'),
      ),
    ).toBe('shift_jis');
  });

  it('reads an XML prolog encoding', () => {
    expect(declaredHtmlCharset(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><html>'))).toBe(
      'iso-8859-1',
    );
    expect(declaredHtmlCharset(Buffer.from('<?xml version="1.0" encoding = "koi8-r"?>'))).toBe('koi8-r');
  });

  it('looks only at the first 4 KiB, and is null without a declaration', () => {
    expect(declaredHtmlCharset(Buffer.from(`${' '.repeat(4096)}<meta charset="koi8-r">`))).toBeNull();
    expect(declaredHtmlCharset(Buffer.from('<meta name="x" content="y"><p>charset=koi8-r</p>'))).toBeNull();
  });
});

describe('Windows-1252', () => {
  it('maps 0x80–0x9F to its own punctuation and the rest as Latin-1', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x93, 0x94, 0x9f, 0xa0, 0xe9, 0x41]))).toBe('€“”Ÿ\u00a0éA');
  });

  it('decodes a file longer than one chunk completely', () => {
    const long = Buffer.from(`${'é'.repeat(10_000)}€`, 'latin1');
    long[long.length - 1] = 0x80;
    expect(decodeWindows1252(long)).toBe(`${'é'.repeat(10_000)}€`);
  });

  it('refuses a byte Windows-1252 leaves undefined, naming it', () => {
    for (const b of [0x81, 0x8d, 0x8f, 0x90, 0x9d]) {
      const error = rejection(() => decodeBytes('a.txt', bytes('Caf', [0xe9, b], ' au lait')));
      expect(error.code).toBe('invalid-encoding');
      expect(error.message).toBe(
        `the file is neither valid UTF-8 nor Windows-1252 (byte 0x${b.toString(16)} is undefined there); re-save it as UTF-8`,
      );
    }
  });

  it('refuses 8-bit text whose non-ASCII characters are mostly implausible, saying the share', () => {
    const error = rejection(() =>
      decodeBytes('a.txt', bytes('Talks resumed ', [0xc3, 0xd0, 0xe2], ' today.')),
    );
    expect(error.code).toBe('invalid-encoding');
    expect(error.message).toBe(
      'the file is not valid UTF-8 and does not read as Windows-1252/Latin-1 either (100% of its non-ASCII characters are implausible); re-save it as UTF-8',
    );
  });

  it('accepts up to 10% implausible non-ASCII characters and refuses more', () => {
    // Nine plausible accented words and one stray symbol: 1 of 10 non-ASCII characters.
    const tenth = bytes('caf', [0xe9], ' '.repeat(1)).toString('latin1').repeat(9);
    expect(decodeBytes('a.txt', bytes(tenth, [0xa4])).encoding).toBe('windows-1252');
    const more = bytes('caf', [0xe9], ' ').toString('latin1').repeat(8);
    expect(rejection(() => decodeBytes('a.txt', bytes(more, [0xa4]))).code).toBe('invalid-encoding');
  });
});

describe('UTF-8', () => {
  it('is read with its byte-order mark dropped, and reported', () => {
    expect(decodeBytes('a.txt', bytes([0xef, 0xbb, 0xbf], [...Buffer.from('Zürich')]))).toEqual({
      text: 'Zürich',
      encoding: 'utf-8',
      gzipped: false,
    });
  });

  it('after a byte-order mark, still falls back to Windows-1252 for legacy bytes', () => {
    expect(decodeBytes('a.txt', bytes([0xef, 0xbb, 0xbf], 'Caf', [0xe9]))).toMatchObject({
      text: 'Café',
      encoding: 'windows-1252',
    });
  });

  it('refuses UTF-8 with invalid bytes among valid characters, counting both', () => {
    const error = rejection(() => decodeBytes('a.txt', bytes([...Buffer.from('résumé ')], [0xff], ' x')));
    expect(error.code).toBe('invalid-encoding');
    expect(error.message).toBe(
      'the file is UTF-8 with 1 invalid byte(s) among 2 valid multi-byte characters, so it is corrupt; re-save it as UTF-8',
    );
  });
});

describe('declared charsets', () => {
  const html = (charset: string, ...body: (string | number[])[]) =>
    bytes(`<html><head><meta charset="${charset}"></head><body><p>`, ...body, '</p></body></html>');

  it('prefer valid UTF-8 with multi-byte characters over a declared legacy charset', () => {
    expect(decodeBytes('a.html', html('iso-8859-1', [...Buffer.from('Zürich')]))).toMatchObject({
      encoding: 'utf-8',
    });
  });

  it.each([
    'windows-1252',
    'cp1252',
    'iso-8859-1',
    'iso8859-1',
    'latin1',
    'latin-1',
    'us-ascii',
    'ascii',
    'x-cp1252',
    'l1',
  ])('read %s as Windows-1252', (charset) => {
    const decoded = decodeBytes('a.html', html(charset, 'Caf', [0xe9, 0x93]));
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toContain('Café“');
  });

  it('read another declared legacy charset with its own decoder', () => {
    const decoded = decodeBytes('a.html', html('iso-8859-5', [0xbc, 0xde, 0xe1]));
    expect(decoded).toMatchObject({ encoding: 'iso-8859-5' });
    expect(decoded.text).toContain('Мос');
  });

  it('fall back to sniffing for a charset no decoder knows', () => {
    expect(decodeBytes('a.html', html('x-unknown-charset', 'Caf', [0xe9])).encoding).toBe('windows-1252');
    expect(decodeBytes('a.html', html('windows-1252-ish', 'Caf', [0xe9])).encoding).toBe('windows-1252');
  });

  it('read declared UTF-8 with a stray bad byte as a browser would, with U+FFFD', () => {
    const decoded = decodeBytes('a.html', html('utf-8', [...Buffer.from('Zürich ')], [0xff]));
    expect(decoded.encoding).toBe('utf-8 (lossy)');
    expect(decoded.text).toContain('Zürich \ufffd');
  });

  it('take every spelling of the UTF-8 label', () => {
    for (const label of ['utf-8', 'UTF8', 'unicode-1-1-utf-8']) {
      expect(decodeBytes('a.html', html(label, [...Buffer.from('Zürich ')], [0xff])).encoding).toBe(
        'utf-8 (lossy)',
      );
    }
  });

  it('read declared UTF-8 without any valid multi-byte character as legacy text', () => {
    expect(decodeBytes('a.html', html('utf-8', 'Caf', [0xe9])).encoding).toBe('windows-1252');
  });

  it('read declared UTF-8 that is valid as UTF-8', () => {
    expect(decodeBytes('a.html', html('utf-8', [...Buffer.from('Zürich')])).encoding).toBe('utf-8');
  });
});

describe('empty files', () => {
  it('refuses a file of nothing but whitespace and zero-width characters, saying so', () => {
    const error = rejection(() => decodeBytes('a.txt', Buffer.from(' \n\u200b\u200c\u200d\u2060\ufeff\t')));
    expect(error.code).toBe('empty');
    expect(error.message).toBe('the file holds only whitespace; upload the article text');
    expect(rejection(() => decodeBytes('a.txt', new Uint8Array())).message).toBe(
      'the file is empty; upload the article text',
    );
  });

  it('accepts a single visible character', () => {
    expect(decodeBytes('a.txt', Buffer.from(' \u200b x ')).text).toBe(' \u200b x ');
  });
});
