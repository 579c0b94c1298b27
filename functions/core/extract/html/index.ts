/**
 * HTML articles: metadata from the head (before anything mutates the DOM), main content via Readability
 * on linkedom, then the project's post-filters and a fallback when Readability finds nothing.
 */
import { parseHTML } from 'linkedom';
import { InputRejectedError } from '../../errors.ts';
import type { ExtractedArticle, RawDocument } from '../../types.ts';
import { outletFrom } from '../outlet.ts';
import { resolvePublicationDate } from '../resolve-date.ts';
import type { Block } from './blocks.ts';
import { blocksOf } from './blocks.ts';
import type { DomDocument } from './dom.ts';
import { filterBlocks, filterParagraphs, pruneFurniture } from './filter.ts';
import { modifiedDates, readMetadata } from './metadata.ts';
import { runReadability } from './readability.ts';

/** Fewest words for an HTML page to yield an article. */
export const MIN_HTML_ARTICLE_WORDS = 15;

export interface HtmlContent {
  readonly paragraphs: string[];
  readonly title: string | null;
  readonly url: string | null;
  readonly outlet: string | null;
  readonly description: string | null;
  readonly dates: string[];
  readonly modified: string[];
}

/** Main content and metadata of an HTML page (pure; no date resolution). */
export function extractHtmlContent(html: string, sourceUrl: string | null): HtmlContent {
  const document = parseHTML(html).document as unknown as DomDocument;
  const meta = readMetadata(document, sourceUrl);
  const modified = modifiedDates(document);
  let blocks: Block[] = [];
  let readTitle: string | null = null;
  const result = runReadability(document);
  if (result?.content) {
    pruneFurniture(result.content);
    blocks = blocksOf(result.content);
    readTitle = result.title;
  }
  const title = meta.title ?? readTitle;
  let paragraphs = filterBlocks(blocks, title);
  if (paragraphs.join(' ').split(/\s+/).length < MIN_HTML_ARTICLE_WORDS) {
    const fresh = parseHTML(html).document as unknown as DomDocument;
    paragraphs = filterParagraphs(fallbackParagraphs(fresh), title);
  }
  return {
    paragraphs,
    title,
    url: meta.url,
    outlet: outletFrom(meta.siteName ?? result?.siteName, meta.url),
    description: meta.description,
    dates: result?.publishedTime ? [...meta.dates, result.publishedTime] : meta.dates,
    modified,
  };
}

/** When Readability finds nothing: every <p> of the page with real sentences. */
function fallbackParagraphs(document: DomDocument): string[] {
  const ps = document.querySelectorAll('p');
  const out: string[] = [];
  for (const p of Array.from(ps)) {
    const t = (p.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (t.split(' ').length >= 8 && /[.!?]["'”’)]?$/.test(t)) out.push(t);
  }
  return out;
}

export function extractHtml(html: string, doc: RawDocument): ExtractedArticle {
  const content = extractHtmlContent(html, doc.sourceUrl ?? null);
  const text = content.paragraphs.join('\n\n').trim();
  if (text.split(/\s+/).filter(Boolean).length < MIN_HTML_ARTICLE_WORDS) {
    throw new InputRejectedError(
      'no-article-text',
      'the HTML page has no article text that could be found; upload the article page itself (not an index or a login page)',
    );
  }
  return {
    format: 'html',
    title: content.title,
    text,
    url: content.url,
    outlet: content.outlet,
    date: resolvePublicationDate({
      metadata: [...content.dates],
      url: content.url,
      fallbackMetadata: content.modified,
      text,
      arrivedAt: doc.arrivedAt,
    }),
    description: content.description,
  };
}
