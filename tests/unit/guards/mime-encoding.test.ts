/**
 * What each rule of the MIME encoders is for: RFC 2047 caps an encoded-word at 75 characters, RFC 5322
 * asks for header lines of at most 78, RFC 2045 caps quoted-printable lines at 76 and requires `=` and
 * non-ASCII bytes to be escaped; a header built from untrusted text must stay one header.
 */
import { describe, expect, it } from 'vitest';
import {
  encodeDisplayName,
  encodeQuotedPrintable,
  encodeUnstructured,
  encodeWords,
  foldHeader,
  isPrintableAscii,
} from '../../../functions/core/render/mime-encoding.ts';

const decodeWord = (word: string) => {
  const base64 = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(word)?.[1];
  if (base64 === undefined) throw new Error(`not a UTF-8 B encoded-word: ${word}`);
  return Buffer.from(base64, 'base64').toString('utf8');
};

describe('isPrintableAscii', () => {
  it('is true for printable ASCII, space and tab, including an empty value', () => {
    expect(isPrintableAscii(' ~Az09\t!')).toBe(true);
    expect(isPrintableAscii('')).toBe(true);
  });

  it('is false for any non-ASCII or control character, wherever it stands', () => {
    expect(isPrintableAscii('é')).toBe(false);
    expect(isPrintableAscii('café')).toBe(false);
    expect(isPrintableAscii('écrit')).toBe(false);
    expect(isPrintableAscii('a\nb')).toBe(false);
    expect(isPrintableAscii('\u007f')).toBe(false);
  });
});

describe('encodeWords', () => {
  it('fills each word with up to 45 bytes, the most a 75-character encoded-word holds', () => {
    const words = encodeWords('a'.repeat(100));
    expect(words.map((w) => w.length)).toEqual([72, 72, 28]);
    expect(words.map(decodeWord)).toEqual(['a'.repeat(45), 'a'.repeat(45), 'a'.repeat(10)]);
  });

  it('sizes only the first word to the room left on its line, then uses the full limit', () => {
    const words = encodeWords('a'.repeat(100), 40);
    expect(words.map(decodeWord)).toEqual(['a'.repeat(21), 'a'.repeat(45), 'a'.repeat(34)]);
    expect(words[0]?.length).toBeLessThanOrEqual(40);
  });

  it('never makes a first word longer than 75 characters, however much room the line has', () => {
    expect(encodeWords('a'.repeat(100), 200).map(decodeWord)).toEqual([
      'a'.repeat(45),
      'a'.repeat(45),
      'a'.repeat(10),
    ]);
  });

  it('still moves forward, three bytes a word, when the first line has no room at all', () => {
    expect(encodeWords('abcdefg', 5).map(decodeWord)).toEqual(['abc', 'abcdefg'.slice(3)]);
  });

  it('keeps a multi-byte character whole when it does not fit in a word', () => {
    const words = encodeWords(`${'a'.repeat(44)}é`);
    expect(words.map(decodeWord)).toEqual(['a'.repeat(44), 'é']);
  });

  it('gives no word for empty text', () => {
    expect(encodeWords('')).toEqual([]);
  });
});

describe('foldHeader', () => {
  it('keeps a header of exactly 78 characters on one line and folds one of 79', () => {
    const at78 = foldHeader('Subject', ['a'.repeat(60), 'b'.repeat(8)]);
    expect(at78).toBe(`Subject: ${'a'.repeat(60)} ${'b'.repeat(8)}`);
    expect(at78.length).toBe(78);
    expect(foldHeader('Subject', ['a'.repeat(60), 'b'.repeat(9)])).toBe(
      `Subject: ${'a'.repeat(60)}\r\n ${'b'.repeat(9)}`,
    );
  });

  it('keeps an over-long first token on the header-name line instead of leaving that line empty', () => {
    const url = `<https://example.com/${'x'.repeat(100)}>`;
    expect(foldHeader('List-Unsubscribe', [url, '<mailto:u@example.com>'])).toBe(
      `List-Unsubscribe: ${url}\r\n <mailto:u@example.com>`,
    );
  });

  it('folds as often as needed, each continuation line starting with a space', () => {
    const folded = foldHeader('X', ['a'.repeat(70), 'b'.repeat(70), 'c'.repeat(70)]);
    expect(folded).toBe(`X: ${'a'.repeat(70)}\r\n ${'b'.repeat(70)}\r\n ${'c'.repeat(70)}`);
  });
});

describe('encodeUnstructured', () => {
  it('writes ASCII as plain words, collapsing runs of spaces and tabs', () => {
    expect(encodeUnstructured('Subject', '  Morning\t briefing  ')).toBe('Subject: Morning briefing');
  });

  it('turns line breaks into spaces so the value cannot start a header of its own', () => {
    expect(encodeUnstructured('Subject', 'Hi\r\n\r\nBcc: x@y.org')).toBe('Subject: Hi Bcc: x@y.org');
  });

  it('writes an empty value as the bare header name', () => {
    expect(encodeUnstructured('Subject', '')).toBe('Subject:');
  });

  it('encodes non-ASCII text, trimmed and with each run of line breaks as one space', () => {
    const header = encodeUnstructured('Subject', ' Grüße\r\n\r\naus Köln ');
    const words = header.replace(/^Subject: /, '').split('\r\n ');
    expect(words.map(decodeWord).join('')).toBe('Grüße aus Köln');
  });

  it('sizes the first encoded-word to fit beside the header name within 78 characters', () => {
    const header = encodeUnstructured('Subject', 'é'.repeat(60));
    const lines = header.split('\r\n');
    expect(lines[0]).toMatch(/^Subject: =\?UTF-8\?B\?/);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(78);
    expect(lines.map((l) => decodeWord(l.replace(/^(Subject:)? /, ''))).join('')).toBe('é'.repeat(60));
    expect(decodeWord(lines[0]?.slice('Subject: '.length) ?? '')).toBe('é'.repeat(21));
  });
});

describe('encodeDisplayName', () => {
  it('quotes an ASCII name, escaping quotes and backslashes', () => {
    expect(encodeDisplayName('Ann "The" Reader\\')).toEqual(['"Ann \\"The\\" Reader\\\\"']);
  });

  it('keeps a name on one line and trims it', () => {
    expect(encodeDisplayName(' News\r\nDesk ')).toEqual(['"News Desk"']);
  });

  it('encodes a non-ASCII name, trimmed, line breaks as one space', () => {
    expect(encodeDisplayName(' Zoë\r\n\r\nDesk ').map(decodeWord).join('')).toBe('Zoë Desk');
  });
});

describe('encodeQuotedPrintable', () => {
  it('escapes = and every byte outside printable ASCII, upper-case hex, and keeps the rest literal', () => {
    expect(encodeQuotedPrintable('a=b é\u0001~!<>')).toBe('a=3Db =C3=A9=01~!<>');
  });

  it('escapes a space or tab only at the end of a line', () => {
    expect(encodeQuotedPrintable('a b\tc \nd\t')).toBe('a b\tc=20\r\nd=09');
  });

  it('writes every line break (LF, CR or CRLF) as CRLF', () => {
    expect(encodeQuotedPrintable('a\nb\rc\r\nd')).toBe('a\r\nb\r\nc\r\nd');
  });

  it('keeps a line of exactly 76 characters and soft-wraps one of 77', () => {
    expect(encodeQuotedPrintable('a'.repeat(76))).toBe('a'.repeat(76));
    expect(encodeQuotedPrintable('a'.repeat(77))).toBe(`${'a'.repeat(75)}=\r\n${'aa'}`);
  });

  it('keeps a remainder of exactly 76 characters as the last line', () => {
    expect(encodeQuotedPrintable('a'.repeat(151))).toBe(`${'a'.repeat(75)}=\r\n${'a'.repeat(76)}`);
  });

  it('wraps long lines as often as needed', () => {
    expect(encodeQuotedPrintable('a'.repeat(200)).split('\r\n')).toEqual([
      `${'a'.repeat(75)}=`,
      `${'a'.repeat(75)}=`,
      'a'.repeat(50),
    ]);
  });

  it('never splits an =XX escape across a soft line break, wherever it falls', () => {
    // The escape's "=" at column 74 or 75 of the first 75 moves whole to the next line.
    expect(encodeQuotedPrintable(`${'a'.repeat(73)}é`)).toBe(`${'a'.repeat(73)}=\r\n=C3=A9`);
    expect(encodeQuotedPrintable(`${'a'.repeat(74)}=b`)).toBe(`${'a'.repeat(74)}=\r\n=3Db`);
    expect(encodeQuotedPrintable(`${'a'.repeat(72)}=bcd`)).toBe(`${'a'.repeat(72)}=3D=\r\nbcd`);
  });
});
