/**
 * `tsx tests/bench/write-corpus.ts <text|html|wire> <count> <dir> <evalDir|->`
 *
 * Writes a generated corpus into <dir> and prints its keys, oldest first, and where its paragraphs
 * came from (JSON). It runs in a process of its own so that the end-to-end scenarios measure the
 * pipeline's memory, not the generator's.
 */
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARRIVAL } from './arrival.ts';
import { generateHtmlPages, generateTextArticles } from './corpus.ts';
import { generateWireArticles } from './wire-corpus.ts';

const [kind, count, dir, evalDir] = process.argv.slice(2);
if ((kind !== 'text' && kind !== 'html' && kind !== 'wire') || count === undefined || dir === undefined) {
  process.stderr.write('usage: write-corpus.ts <text|html|wire> <count> <dir> <evalDir|->\n');
  process.exit(2);
}
const data = evalDir && evalDir !== '-' ? evalDir : null;
const wire = kind === 'wire' ? generateWireArticles(Number(count), data) : null;
const articles =
  wire?.articles ??
  (kind === 'text' ? generateTextArticles(Number(count), data) : generateHtmlPages(Number(count), data));
for (const [i, article] of articles.entries()) {
  const path = join(dir, article.key);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, article.text);
  // Distinct mtimes keep the "oldest first" order identical to the generation order.
  const time = new Date(ARRIVAL.getTime() - (articles.length - i) * 1000);
  utimesSync(path, time, time);
}
process.stdout.write(
  JSON.stringify({
    keys: articles.map((article) => article.key),
    ...(wire ? { paragraphSource: wire.paragraphSource, distinctParagraphs: wire.distinctParagraphs } : {}),
  }),
);
