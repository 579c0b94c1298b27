import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { decodeBytes, gunzip, MAX_DECOMPRESSED_BYTES } from '../../../functions/core/extract/decode.ts';
import { extractArticle } from '../../../functions/core/extract/index.ts';

const ARTICLE =
  'Café owners in Zürich said on Monday that the new rules would cost them “dearly” this winter.\n';

function rejection(fn: () => unknown): InputRejectedError {
  try {
    fn();
  } catch (error) {
    if (error instanceof InputRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('decodeBytes', () => {
  it('reads UTF-8 with and without a BOM', () => {
    expect(decodeBytes('a.txt', Buffer.from(ARTICLE)).text).toBe(ARTICLE);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ARTICLE)]);
    expect(decodeBytes('a.txt', bom).text).toBe(ARTICLE);
  });

  it('reads UTF-16 LE/BE with a BOM and LE without one', () => {
    const le = Buffer.from(ARTICLE, 'utf16le');
    expect(decodeBytes('a.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), le])).text).toBe(ARTICLE);
    const be = Buffer.from(le);
    be.swap16();
    expect(decodeBytes('a.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), be])).text).toBe(ARTICLE);
    expect(decodeBytes('a.txt', le).text).toBe(ARTICLE);
    expect(decodeBytes('a.txt', be).text).toBe(ARTICLE);
  });

  it('reads a Latin-1 / Windows-1252 article', () => {
    const latin1 = Buffer.from(
      'Caf\xe9 owners in Z\xfcrich said the \x93new\x94 rules would hurt.\n',
      'latin1',
    );
    const { text, encoding } = decodeBytes('a.txt', latin1);
    expect(text).toBe('Café owners in Zürich said the “new” rules would hurt.\n');
    expect(encoding).toBe('windows-1252');
  });

  it('rejects UTF-8 that mixes valid characters with invalid bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from('Talks résumé ', 'utf8'),
      Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xff]),
      Buffer.from(' more text\n'),
    ]);
    const error = rejection(() => decodeBytes('bad.txt', bytes));
    expect(error.code).toBe('invalid-encoding');
    expect(error.message).toMatch(/UTF-8/);
  });

  it('rejects 8-bit bytes that do not read as Windows-1252 text', () => {
    const bytes = Buffer.from([0x41, 0x20, 0xff, 0xfe, 0xa0, 0xa1, 0x20, 0xbf, 0xd7, 0x42, 0x0a]);
    expect(rejection(() => decodeBytes('bad.txt', bytes)).code).toBe('invalid-encoding');
    expect(rejection(() => decodeBytes('bad.txt', Buffer.from('Hello \x81 world', 'latin1'))).code).toBe(
      'invalid-encoding',
    );
  });

  it('honours <meta charset> in HTML', () => {
    const html = Buffer.from(
      '<html><head><meta charset="windows-1252"></head><body><p>Caf\xe9</p></body></html>',
      'latin1',
    );
    expect(decodeBytes('a.html', html).text).toContain('Café');
    const koi8 = Buffer.from([
      ...Buffer.from('<meta charset="koi8-r"><p>'),
      0xf0,
      0xd2,
      0xc9,
      ...Buffer.from('</p>'),
    ]);
    expect(decodeBytes('a.html', koi8).text).toContain('При');
  });

  it('rejects empty and whitespace-only files', () => {
    expect(rejection(() => decodeBytes('e.txt', new Uint8Array())).code).toBe('empty');
    expect(rejection(() => decodeBytes('e.txt', Buffer.from(' \n\t\n'))).code).toBe('empty');
  });

  it('rejects binary files by magic number, NUL bytes and control bytes', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(rejection(() => decodeBytes('x.txt', png)).code).toBe('binary');
    expect(rejection(() => decodeBytes('x.txt', Buffer.from('%PDF-1.7\n...'))).code).toBe('binary');
    expect(rejection(() => decodeBytes('x.txt', Buffer.from('abc\0def ghi jkl mno'))).code).toBe('binary');
    const control = Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 5 === 0 ? 0x02 : 0x61)));
    expect(rejection(() => decodeBytes('x.txt', control)).code).toBe('binary');
  });

  it('gunzips .gz input and stops gzip bombs', () => {
    expect(decodeBytes('a.txt.gz', gzipSync(Buffer.from(ARTICLE))).text).toBe(ARTICLE);
    const bomb = gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x61));
    expect(rejection(() => gunzip(bomb, 1024 * 1024)).code).toBe('too-large');
    expect(MAX_DECOMPRESSED_BYTES).toBeLessThanOrEqual(64 * 1024 * 1024);
    expect(rejection(() => decodeBytes('broken.txt.gz', Buffer.from('not gzip at all'))).code).toBe('binary');
  });
});

describe('extractArticle rejections', () => {
  const arrivedAt = new Date('2026-11-22T10:00:00Z');
  const run = (key: string, text: string) => extractArticle({ key, bytes: Buffer.from(text), arrivedAt });

  it('rejects JSON that is not a news article', async () => {
    await expect(run('a.json', '{"name": "x", "items": [1, 2]}')).rejects.toMatchObject({
      code: 'not-an-article',
    });
    await expect(run('a.json', '[1, 2, 3]')).rejects.toMatchObject({ code: 'not-an-article' });
    await expect(run('a.json', '{"title": "Only a title"}')).rejects.toMatchObject({
      code: 'no-article-text',
    });
  });

  it('rejects absurdly nested JSON before parsing it', async () => {
    await expect(run('a.json', `${'['.repeat(100_000)}${']'.repeat(100_000)}`)).rejects.toMatchObject({
      code: 'too-deep',
    });
  });

  it('rejects a text with nothing but page furniture', async () => {
    await expect(run('a.txt', 'READ MORE SUN STORIES\n\nlatest from russia\n')).rejects.toMatchObject({
      code: 'no-article-text',
    });
  });
});
