import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { InputRejectedError } from '../../../functions/core/errors.ts';
import { decodeBytes, gunzip, MAX_DECOMPRESSED_BYTES } from '../../../functions/core/extract/decode.ts';
import { extractArticle } from '../../../functions/core/extract/index.ts';
import { MAX_INPUT_BYTES } from '../../../functions/core/limits.ts';

const ARTICLE =
  'Café owners in Zürich said on Monday that the new rules would cost them “dearly” this winter.\n';

/** Windows-1252 bytes 0x80–0x9F, written out here rather than taken from the decoder under test. */
const CP1252_PUNCTUATION: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  ƒ: 0x83,
  '„': 0x84,
  '…': 0x85,
  '†': 0x86,
  '‡': 0x87,
  ˆ: 0x88,
  '‰': 0x89,
  Š: 0x8a,
  '‹': 0x8b,
  Œ: 0x8c,
  Ž: 0x8e,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '˜': 0x98,
  '™': 0x99,
  š: 0x9a,
  '›': 0x9b,
  œ: 0x9c,
  ž: 0x9e,
  Ÿ: 0x9f,
};

function windows1252(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = CP1252_PUNCTUATION[ch] ?? ch.charCodeAt(0);
      if (code > 0xff) throw new Error(`${ch} has no Windows-1252 byte`);
      return code;
    }),
  );
}

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

  it('rejects ASCII text with UTF-16 byte-order marks or a broken UTF-8 sequence spliced into it', () => {
    const ascii = 'Talks between the two delegations resumed on Monday near the border, officials said. ';
    const spliced = (junk: number[], glue = ' ') =>
      Buffer.concat([
        Buffer.from(ascii.repeat(3) + glue),
        Buffer.from(junk),
        Buffer.from(glue + ascii.repeat(3)),
      ]);
    for (const bytes of [
      spliced([0xff, 0xfe, 0xc3, 0x28]), // "ÿþÃ(" on its own
      spliced([0xff, 0xfe, 0xc3, 0x28], ''), // glued to the neighbouring words
      spliced([0xfe, 0xff, 0xfe, 0xff, 0xfe]),
      spliced([0xfe, 0xff, 0xfe, 0xff, 0xfe], ''),
      spliced([0xc3, 0xd0, 0xe2]), // three lead bytes that never form a word: "ÃÐâ"
    ]) {
      const error = rejection(() => decodeBytes('spliced.txt', bytes));
      expect(error.code).toBe('invalid-encoding');
      expect(error.message).toMatch(/Windows-1252/);
    }
  });

  it('reads real Latin-1 / Windows-1252 sentences in several languages', () => {
    const sentences = [
      // French: one-letter words (à), c’est-à-dire, guillemets, cp1252 dash and apostrophe.
      "L’été dernier, le président a déclaré à la presse : « Ça suffit » – c'est-à-dire qu’il n’ira pas à Noël.",
      'À Paris, les délégués ont reçu l’Œuvre complète à 9 h.',
      // German: umlauts, ß, low-9 and high-6 quotes from cp1252.
      'Die Bürger in Köln und München äußerten sich „sehr zufrieden“ über die Straßenbahn…',
      // Spanish: inverted marks, ñ, acute accents.
      '¿Qué pasó? El niño, según la señora Núñez, llegó a Málaga el miércoles.',
      // Portuguese: ã/ç inside words, one-letter é and à.
      'O governo não é contra a reforma, disse o ministro à imprensa em São Paulo; é uma questão de negociação.',
      // Italian: one-letter è, final accents.
      'La città è più bella perché è così, ha detto il sindaco — e nessuno l’ha contraddetto.',
      // Scandinavian and Finnish: å/ø/æ words, a one-letter word, doubled non-ASCII letters.
      'Strömmen gick i Västerås och Malmö; på Ærø och i Tromsø var det värre än väntat.',
      'Pääministeri sanoi, että hyvää yötä ei toivoteta ennen kello 22:ta.',
      // Icelandic: þ and ð inside words, one-letter í.
      'Þingið samþykkti frumvarpið í gær með 40 atkvæðum gegn 12.',
      // Czech names that cp1252 can spell (Š, Ž), Swiss guillemets and the per-mille, euro and dagger signs.
      'Škoda’s profit rose 4‰ to €2.1bn, said Mr Žák, calling it ‹solid›. † Figures unaudited.',
    ];
    for (const sentence of sentences) {
      const { text, encoding } = decodeBytes('legacy.txt', windows1252(`${sentence}\n`));
      expect(text).toBe(`${sentence}\n`);
      expect(encoding).toBe('windows-1252');
    }
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

  it('lets gzip input expand to the plain-file limit and no further, so both transports carry the same text', () => {
    expect(MAX_DECOMPRESSED_BYTES).toBe(MAX_INPUT_BYTES);
    const over = gzipSync(Buffer.alloc(MAX_INPUT_BYTES + 1, 0x61));
    expect(over.byteLength).toBeLessThan(MAX_INPUT_BYTES);
    const refused = rejection(() => decodeBytes('big.txt.gz', over));
    expect(refused.code).toBe('too-large');
    expect(refused.message).toMatch(/expands beyond 10 MiB/);
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
