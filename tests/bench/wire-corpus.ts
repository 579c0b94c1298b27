/**
 * Benchmark corpus in the shape of wire copy: 4–5 KB articles made of whole real paragraphs, where each
 * event has a wire story that its articles reprint in part, and every paragraph recurs across many
 * articles (the pool is finite, as a wire service's output is). The paragraphs come from the article
 * texts in ../shared/eval (clustering, summaries and extraction sets), read at run time and never
 * written into the repository; without that folder only the seeds' paragraphs are used, a far smaller
 * pool that the corpus names in its `paragraphSource`. Generation is seeded, so every run measures the
 * same corpus.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../support/random.ts';
import type { GeneratedArticle } from './corpus.ts';

const ROOT = join(import.meta.dirname, '../..');

/** Article size in UTF-8 bytes: a typical 600–800 word wire story. */
export const WIRE_ARTICLE_MIN_BYTES = 4000;
export const WIRE_ARTICLE_MAX_BYTES = 5000;
/** Articles per event: an event's wire story reprinted by ten outlets. */
const ARTICLES_PER_EVENT = 10;
/** Paragraphs in an event's wire story; each outlet keeps most of them, in order. */
const WIRE_STORY_PARAGRAPHS = 14;
const WIRE_PARAGRAPH_KEPT = 0.7;
/** After each wire paragraph, the chance that the outlet adds one of its own from the whole pool. */
const OWN_PARAGRAPH_CHANCE = 0.25;
/** Paragraph lengths taken from the sources: long enough to be prose, short enough to fit 4–5 KB. */
const MIN_PARAGRAPH_CHARS = 120;
const MAX_PARAGRAPH_CHARS = 1200;

export type ParagraphSource = 'eval' | 'seeds';

export interface WireParagraphs {
  readonly source: ParagraphSource;
  readonly paragraphs: readonly string[];
}

const sorted = (dir: string) => readdirSync(dir).sort();

function evalTexts(evalDir: string): string[] {
  const texts: string[] = [];
  const clustering = join(evalDir, 'clustering', 'articles');
  if (existsSync(clustering)) {
    for (const name of sorted(clustering)) {
      const json = JSON.parse(readFileSync(join(clustering, name), 'utf8')) as { text?: string };
      texts.push(json.text ?? '');
    }
  }
  const summaries = join(evalDir, 'summaries', 'corpus', 'article');
  if (existsSync(summaries)) {
    for (const topic of sorted(summaries)) {
      for (const name of sorted(join(summaries, topic))) {
        // The first line is the title.
        texts.push(
          readFileSync(join(summaries, topic, name), 'utf8')
            .split('\n')
            .slice(1)
            .join('\n'),
        );
      }
    }
  }
  const extraction = join(evalDir, 'extraction', 'ground-truth.json');
  if (existsSync(extraction)) {
    const truth = JSON.parse(readFileSync(extraction, 'utf8')) as Record<string, { articleBody?: string }>;
    for (const id of Object.keys(truth).sort()) texts.push(truth[id]?.articleBody ?? '');
  }
  return texts;
}

/** Distinct real paragraphs of prose length that end like a sentence, in a fixed order. */
export function wireParagraphs(evalDir: string | null): WireParagraphs {
  const fromEval = evalDir ? evalTexts(evalDir) : [];
  const source: ParagraphSource = fromEval.length > 0 ? 'eval' : 'seeds';
  const texts =
    source === 'eval'
      ? fromEval
      : sorted(join(ROOT, 'seeds')).map((name) => readFileSync(join(ROOT, 'seeds', name), 'utf8'));
  const paragraphs = new Set<string>();
  for (const text of texts) {
    for (const line of text.split(/\n+/)) {
      const paragraph = line.replace(/\s+/g, ' ').trim();
      if (paragraph.length < MIN_PARAGRAPH_CHARS || paragraph.length > MAX_PARAGRAPH_CHARS) continue;
      if (!/[.!?]["”’')]?$/.test(paragraph)) continue;
      paragraphs.add(paragraph);
    }
  }
  return { source, paragraphs: [...paragraphs] };
}

const PLACES = ['Arlon', 'Bree', 'Colmar', 'Delft', 'Eupen', 'Fulda', 'Gouda', 'Hamar', 'Ieper', 'Jaca'];

export interface WireCorpus {
  readonly paragraphSource: ParagraphSource;
  readonly distinctParagraphs: number;
  readonly articles: GeneratedArticle[];
}

/**
 * `count` articles, ten per event. An article is the event's dateline lead, then the event's wire
 * paragraphs (each kept with WIRE_PARAGRAPH_KEPT) with now and then a paragraph of the outlet's own
 * from the whole pool, then more pool paragraphs until it reaches 4 KB; a paragraph that would take it
 * past 5 KB is skipped.
 */
export function generateWireArticles(count: number, evalDir: string | null, day = '2022-03-08'): WireCorpus {
  const { source, paragraphs: pool } = wireParagraphs(evalDir);
  const encoder = new TextEncoder();
  const bytes = (text: string) => encoder.encode(text).length;
  const random = seededRandom(20261207);
  const pick = (from: () => number) => pool[Math.floor(from() * pool.length)] ?? '';
  const articles: GeneratedArticle[] = [];
  for (let i = 0; i < count; i++) {
    const event = Math.floor(i / ARTICLES_PER_EVENT);
    const eventRandom = seededRandom(event + 7919);
    const wire = Array.from({ length: WIRE_STORY_PARAGRAPHS }, () => pick(eventRandom));
    const place = `${PLACES[event % PLACES.length]} ${Math.floor(event / PLACES.length)}`;
    const title = `${place}: ${wire[0]?.split(' ').slice(0, 8).join(' ')} (report ${i})`;
    const lead = `Officials in ${place} said on ${day} that event ${event} had drawn attention across the region.`;
    const body: string[] = [lead];
    // The title and lead with their separators and the final newline.
    let size = bytes(title) + bytes(lead) + 3;
    const add = (paragraph: string) => {
      const added = bytes(paragraph) + 2;
      if (size + added > WIRE_ARTICLE_MAX_BYTES || body.includes(paragraph)) return;
      body.push(paragraph);
      size += added;
    };
    for (const paragraph of wire) {
      if (size >= WIRE_ARTICLE_MIN_BYTES) break;
      if (random() < WIRE_PARAGRAPH_KEPT) add(paragraph);
      if (random() < OWN_PARAGRAPH_CHANCE) add(pick(random));
    }
    while (size < WIRE_ARTICLE_MIN_BYTES) add(pick(random));
    articles.push({
      key: `bench/${String(i).padStart(6, '0')}.txt`,
      text: `${title}\n\n${body.join('\n\n')}\n`,
    });
  }
  return { paragraphSource: source, distinctParagraphs: pool.length, articles };
}
