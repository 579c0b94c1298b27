/**
 * HTML articles: metadata from the head (before anything mutates the DOM), main content via Readability
 * on linkedom, then the project's post-filters and a fallback when Readability finds nothing.
 */
import { parseHTML } from 'linkedom';
import { InputRejectedError } from '../../errors.ts';
import type { ExtractedArticle, FoundDate, RawDocument } from '../../types.ts';
import { isTimestampLine } from '../clean/byline.ts';
import { dateFromUrl } from '../dates.ts';
import { outletFrom } from '../outlet.ts';
import { resolvePublicationDate } from '../resolve-date.ts';
import { wordSize } from '../size.ts';
import type { Block } from './blocks.ts';
import { blocksOf } from './blocks.ts';
import { firstBodyDate, headlineZoneDate, hintedElementDate, rawMarkupDates } from './date-scan.ts';
import type { DomDocument, DomElement } from './dom.ts';
import { filterBlocks, filterParagraphs, pruneFurniture } from './filter.ts';
import { modifiedDates, readMetadata } from './metadata.ts';
import { pageZoneOffset } from './page-zone.ts';
import { runReadability } from './readability.ts';
import { selfLinks } from './self-links.ts';
import { missingOpening, pageParagraphs } from './split-article.ts';

/** Arrival stand-in when the caller has none: no date is "in the future" then. */
const FAR_FUTURE = new Date('9999-12-31T00:00:00Z');

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
  /** Dates from the page body (date-hinted elements, raw markup), weaker than metadata. */
  readonly pageDates: string[];
  /** The date the page shows in a date-labelled element, if any. */
  readonly visibleDate: string | null;
  /** The publisher's UTC offset (minutes) from the page's own offset timestamps, or null. */
  readonly zoneOffsetMinutes: number | null;
  /** Date-only lines of the article content, read before the body by the date finder. */
  readonly datelines: string[];
  /** Every address the page declares for itself (canonical, og:url, AMP, JSON-LD), best first. */
  readonly declaredUrls: string[];
  /** Dated links the page makes to itself (share buttons, permalinks), best match first. */
  readonly selfLinkUrls: string[];
}

/** Main content and metadata of an HTML page (pure; no date resolution). */
export function extractHtmlContent(html: string, sourceUrl: string | null, arrivedAt?: Date): HtmlContent {
  const document = parseHTML(html).document as unknown as DomDocument;
  const meta = readMetadata(document, sourceUrl);
  // Read before Readability removes share bars and permalinks.
  const selfLinkUrls = selfLinks(document, meta.title, (u) => dateFromUrl(u, arrivedAt) !== null);
  const modified = modifiedDates(document);
  const pageDates = rawMarkupDates(html);
  const hinted = hintedElementDate(document, arrivedAt ?? FAR_FUTURE);
  // Machine-written datePublished left in scripts beats a date shown in some element of the page.
  if (hinted) pageDates.push(hinted);
  // A date shown as its own line under the headline is the article's dateline (text evidence).
  const headlineDay = hinted
    ? null
    : headlineZoneDate(document, arrivedAt ?? FAR_FUTURE, pageTitleOf(document));
  // The share image's upload path (/2020/03/04/…) is the CMS's own day, as htmldate's image search.
  const imageDay = hinted ? null : dateFromUrl(meta.imageUrl, arrivedAt);
  if (imageDay) pageDates.push(imageDay);
  // The first numeric date anywhere in the page is the weakest guess: a dateline under the headline beats it.
  const bodyDate =
    hinted || imageDay || headlineDay ? null : firstBodyDate(document, arrivedAt ?? FAR_FUTURE);
  if (bodyDate) pageDates.push(bodyDate);
  let blocks: Block[] = [];
  let readTitle: string | null = null;
  let datelines: string[] = [];
  const ownParagraphs = pageParagraphs(document);
  const result = runReadability(document);
  const opening = result?.content ? missingOpening(ownParagraphs, result.content) : [];
  if (result?.content) {
    datelines = datelinesOf(result.content);
    pruneFurniture(result.content);
    blocks = blocksOf(result.content);
    readTitle = result.title;
  }
  if (headlineDay) datelines.unshift(headlineDay);
  const title = meta.title ?? readTitle;
  let paragraphs = filterBlocks(blocks, title);
  if (opening.length > 0) paragraphs = [...opening, ...paragraphs];
  if (wordSize(paragraphs.join(' ')) < MIN_HTML_ARTICLE_WORDS) {
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
    pageDates,
    visibleDate: hinted ?? headlineDay,
    zoneOffsetMinutes: pageZoneOffset(html),
    datelines,
    declaredUrls: meta.declaredUrls,
    selfLinkUrls,
  };
}

/** The page's own title (og:title, else <title>), before any site-name stripping. */
function pageTitleOf(document: DomDocument): string | null {
  const og = document.querySelector('meta[property="og:title"]')?.getAttribute('content');
  return og?.trim() || document.querySelector('title')?.textContent?.trim() || null;
}

/** Most date-only lines kept from the article content; the first ones are the article's own. */
export const MAX_DATELINES = 3;

/**
 * Date-only lines inside the article content ("January 18, 2020", "Published 10:32 GMT …"). The
 * post-filters drop them as furniture, but they are the article's own dateline for the date finder.
 */
function datelinesOf(content: DomElement): string[] {
  const out: string[] = [];
  const elements = content.querySelectorAll('p, time, span, div');
  for (let i = 0; i < elements.length && out.length < MAX_DATELINES; i++) {
    const text = (elements[i]!.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text.length > 0 && text.length <= 120 && isTimestampLine(text)) out.push(text);
  }
  return out;
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

function dateOf(content: HtmlContent, text: string, doc: RawDocument): FoundDate | null {
  return resolveHtmlDate(content, text, doc);
}

function resolveHtmlDate(content: HtmlContent, text: string, doc: RawDocument): FoundDate | null {
  return resolvePublicationDate({
    metadata: [...content.dates],
    url: content.url,
    alternateUrl: doc.sourceUrl ?? null,
    declaredUrls: content.declaredUrls,
    selfLinkUrls: content.selfLinkUrls,
    // A date in the URL path is the publisher's own calendar day; meta timestamps are often UTC.
    preferUrlDate: true,
    fallbackMetadata: [...content.pageDates, ...content.modified],
    shownDay: content.visibleDate,
    zoneOffsetMinutes: content.zoneOffsetMinutes,
    text: [...content.datelines, text].join('\n'),
    arrivedAt: doc.arrivedAt,
  });
}

/** The publication date of an HTML page, whether or not it holds article text (for evaluation and tools). */
export function htmlPublicationDate(html: string, doc: RawDocument) {
  const content = extractHtmlContent(html, doc.sourceUrl ?? null, doc.arrivedAt);
  return dateOf(content, content.paragraphs.join('\n\n'), doc);
}

export function extractHtml(html: string, doc: RawDocument): ExtractedArticle {
  const content = extractHtmlContent(html, doc.sourceUrl ?? null, doc.arrivedAt);
  const text = content.paragraphs.join('\n\n').trim();
  if (wordSize(text) < MIN_HTML_ARTICLE_WORDS) {
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
    date: dateOf(content, text, doc),
    description: content.description,
  };
}
