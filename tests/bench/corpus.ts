/**
 * Benchmark corpus: real-length articles made by recombining real sentences. The sentences come from
 * the project's seeds and, when ../shared/eval is present, from the clustering set's article texts,
 * read at run time and never written into the repository. Generation is seeded, so every run
 * measures the same corpus.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitSentences } from '../../functions/core/text.ts';
import { seededRandom } from '../support/random.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Sentences per generated article: ~15 sentences of ~25 words is a typical 350–600 word news story. */
const SENTENCES_PER_ARTICLE = 15;
/** Distinct events the corpus is spread over, so clustering sees realistic story sizes (~10 per event). */
const ARTICLES_PER_EVENT = 10;

function sentencePool(evalDir: string | null): string[] {
  const texts: string[] = [];
  for (const name of readdirSync(join(ROOT, 'seeds')))
    texts.push(readFileSync(join(ROOT, 'seeds', name), 'utf8'));
  const articlesDir = evalDir ? join(evalDir, 'clustering', 'articles') : null;
  if (articlesDir && existsSync(articlesDir)) {
    for (const name of readdirSync(articlesDir)) {
      const json = JSON.parse(readFileSync(join(articlesDir, name), 'utf8')) as {
        text?: string;
        maintext?: string;
      };
      texts.push(json.text ?? json.maintext ?? '');
    }
  }
  return texts
    .flatMap((text) => splitSentences(text))
    .filter((sentence) => sentence.split(' ').length >= 8 && /[.!?]["”']?$/.test(sentence));
}

export interface GeneratedArticle {
  readonly key: string;
  readonly text: string;
}

/** Distinct place names so that each generated event has entities of its own. */
const PLACES = [
  'Aberdeen',
  'Bergen',
  'Cork',
  'Dresden',
  'Esbjerg',
  'Faro',
  'Ghent',
  'Haarlem',
  'Innsbruck',
  'Jena',
];

/**
 * `count` articles, ~10 per event. `day` is the day every lead names, or a function giving article i's day
 * (keep an event's articles on one day); `from` is the first article's index (a later slice of the corpus).
 */
export function generateTextArticles(
  count: number,
  evalDir: string | null,
  day: string | ((index: number) => string) = '2022-03-08',
  from = 0,
): GeneratedArticle[] {
  const pool = sentencePool(evalDir);
  const random = seededRandom(20221122 + from);
  const articles: GeneratedArticle[] = [];
  for (let i = from; i < from + count; i++) {
    const event = Math.floor(i / ARTICLES_PER_EVENT);
    const eventRandom = seededRandom(event + 1);
    const place = `${PLACES[event % PLACES.length]} ${Math.floor(event / PLACES.length)}`;
    const lead = `Officials in ${place} said on ${typeof day === 'string' ? day : day(i)} that event ${event} had drawn attention across the region.`;
    const body: string[] = [];
    // Half of each article is the event's shared core (so articles cluster), half is outlet-specific.
    for (let s = 0; s < SENTENCES_PER_ARTICLE; s++) {
      const source = s % 2 === 0 ? eventRandom : random;
      body.push(pool[Math.floor(source() * pool.length)] ?? '');
    }
    articles.push({
      key: `bench/${String(i).padStart(6, '0')}.txt`,
      text: `Event ${event} in ${place} (report ${i})\n\n${lead}\n\n${body.join('\n\n')}\n`,
    });
  }
  return articles;
}

/** HTML pages wrapping generated articles in realistic page furniture (nav, related links, footer). */
export function generateHtmlPages(count: number, evalDir: string | null): GeneratedArticle[] {
  return generateTextArticles(count, evalDir).map((article) => {
    const [title, ...paragraphs] = article.text.trim().split('\n\n');
    return {
      key: article.key.replace(/\.txt$/, '.html'),
      text: `<!doctype html><html><head><meta charset="utf-8"><title>${title} | Example News</title>
<meta property="og:site_name" content="Example News"><meta property="article:published_time" content="2022-03-08T09:00:00Z"></head>
<body><header><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>${title}</h1><p class="byline">By A. Reporter</p>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article>
<aside><h2>Related</h2><ul><li><a href="/a">Markets rally</a></li><li><a href="/b">Weather warning</a></li></ul></aside></main>
<footer><p>© Example News. All rights reserved.</p><p>We use cookies to improve your experience.</p></footer></body></html>`,
    };
  });
}
