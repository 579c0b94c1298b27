/**
 * A second, independent check of main-content extraction on pages nobody tuned on: the 200 article
 * pages of the dates set (htmldate's MediaCloud set), none of which is in the extraction benchmark.
 * They carry no hand-made ground truth, so the text we keep is compared (the benchmark's token F1 on
 * 4-token shingles, extraction.ts) with what the page says its own article is, the `articleBody` of its
 * JSON-LD, where it has one of at least MIN_REFERENCE_WORDS words; and, on the other pages, with
 * Readability.js alone (jsdom), as agreement with a well-known extractor rather than accuracy.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHTML } from 'linkedom';
import { decodeBytes } from '../../functions/core/extract/decode.ts';
import { metricsFrom, ourBody, readabilityBody, shingleMatching, type TpFpFn } from './extraction.ts';
import type { Metric } from './run.ts';

export async function evaluate(dataDir: string): Promise<Metric[]> {
  if (
    !existsSync(join(dataDir, 'dates', 'eval_mediacloud_2020.json')) ||
    !existsSync(join(dataDir, 'extraction'))
  )
    return [{ metric: 'extraction-unseen-check', skipped: `no dates or extraction data under ${dataDir}` }];
  return [await evaluateUnseen(dataDir)];
}

/** A JSON-LD body shorter than this is a teaser (a standfirst), not the article. */
const MIN_REFERENCE_WORDS = 80;

/**
 * The text of an `articleBody`: some CMSs write it as HTML (tables, links) or with character
 * references (`Amazon&#x2019;s`), whose tag names and entity numbers would count as words that no
 * extractor's text holds. Tags become spaces (cells and paragraphs stay apart); references are decoded.
 */
export function articleBodyText(body: string): string {
  if (!/[<&]/.test(body)) return body;
  const spaced = body.replace(/<[^>]*>/g, ' ').replace(/</g, '&lt;');
  const { document } = parseHTML(`<!doctype html><html><body><div>${spaced}</div></body></html>`);
  return (document.body.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The longest `articleBody` string anywhere in the page's JSON-LD blocks (with @graph and arrays), as text. */
export function jsonLdArticleBody(html: string): string | null {
  let best: string | null = null;
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) for (const n of node) visit(n);
    else if (node && typeof node === 'object') {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'articleBody' && typeof value === 'string') {
          if (best === null || value.length > best.length) best = value;
        } else visit(value);
      }
    }
  };
  for (const m of html.matchAll(/<script[^>]*application\/ld\+json[^>]*>([\s\S]*?)<\/script>/gi)) {
    try {
      visit(JSON.parse(m[1] ?? ''));
    } catch {
      // A malformed block is the page's problem: it just gives no reference.
    }
  }
  return best === null ? null : articleBodyText(best);
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

function scored(rows: readonly TpFpFn[]): Record<string, number> {
  if (rows.length === 0) return { pages: 0 };
  const m = metricsFrom(rows);
  return { pages: rows.length, precision: round(m.precision), recall: round(m.recall), f1: round(m.f1) };
}

export async function evaluateUnseen(dataDir: string): Promise<Metric> {
  const dir = join(dataDir, 'dates');
  const raw = readFileSync(join(dir, 'eval_mediacloud_2020.json'), 'utf8').replace(/:\s*NaN\b/g, ': null');
  const truth = JSON.parse(raw) as Record<string, { file: string }>;
  const benchmark = JSON.parse(
    readFileSync(join(dataDir, 'extraction', 'ground-truth.json'), 'utf8'),
  ) as Record<string, { url?: string }>;
  const tunedOn = new Set(Object.values(benchmark).map((p) => p.url ?? ''));
  const withJsonLd: TpFpFn[] = [];
  const withReadability: TpFpFn[] = [];
  let skipped = 0;
  for (const [url, { file }] of Object.entries(truth)) {
    if (tunedOn.has(url)) {
      skipped++;
      continue;
    }
    const key = `${file}.gz`;
    const html = decodeBytes(key, new Uint8Array(readFileSync(join(dir, 'html', key)))).text;
    const page = { id: file, url, truth: '', html };
    const ours = ourBody(page);
    const body = jsonLdArticleBody(html);
    if (body !== null && body.split(/\s+/).length >= MIN_REFERENCE_WORDS)
      withJsonLd.push(shingleMatching(body, ours));
    else withReadability.push(shingleMatching(readabilityBody(page), ours));
  }
  return {
    metric: 'extraction-unseen-check',
    set: 'dates pages (not in the extraction benchmark)',
    inBenchmarkSkipped: skipped,
    againstJsonLdArticleBody: scored(withJsonLd),
    againstReadabilityJs: scored(withReadability),
  };
}
