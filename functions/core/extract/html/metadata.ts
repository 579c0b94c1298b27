/**
 * HTML metadata: canonical URL, title, outlet and publication-date candidates from meta tags,
 * JSON-LD (including @graph), <time datetime> and the URL. Read before Readability mutates the DOM.
 */
import { declaredSelfUrls } from './self-links.ts';

/** Meta keys (name/property/itemprop, lower-cased) that carry the publication time, best first. */
export const PUBLISHED_META_KEYS = [
  'article:published_time',
  'og:article:published_time',
  'article:published',
  'og:published_time',
  'published_time',
  'datepublished',
  'parsely-pub-date',
  'sailthru.date',
  'article.published',
  'article_date_original',
  'publish-date',
  'publish_date',
  'publishdate',
  'published-date',
  'publication_date',
  'pubdate',
  'date_published',
  'citation_publication_date',
  'citation_date',
  'dc.date.issued',
  'dc.date.created',
  'dc.date',
  'dcterms.issued',
  'dcterms.created',
  'dcterms.date',
  'rnews:datepublished',
  'cxenseparse:recs:publishtime',
  'originalpublicationdate',
  'original-publish-date',
  'article.created',
  'date_created',
  'created',
  'date',
  'datecreated',
  'og:updated_time',
  'article:modified_time',
  'datemodified',
  'last-modified',
  'dcterms.modified',
];

export interface HtmlMetadata {
  readonly url: string | null;
  readonly title: string | null;
  readonly siteName: string | null;
  readonly description: string | null;
  /** Publication date strings, best evidence first. */
  readonly dates: string[];
  /** The page's share image (og:image); CMSs file uploads under /yyyy/mm/dd/. */
  readonly imageUrl: string | null;
  /** Every address the page declares for itself (canonical, og:url, AMP, JSON-LD…), best first. */
  readonly declaredUrls: string[];
}

interface ElementLike {
  getAttribute(name: string): string | null;
  textContent: string | null;
  readonly tagName?: string;
  readonly parentElement?: ElementLike | null;
}

interface DocumentLike {
  querySelectorAll(selector: string): ArrayLike<ElementLike>;
  querySelector(selector: string): ElementLike | null;
}

function metaMap(doc: DocumentLike): Map<string, string> {
  const map = new Map<string, string>();
  const metas = doc.querySelectorAll('meta');
  for (let i = 0; i < metas.length; i++) {
    const m = metas[i]!;
    const content = m.getAttribute('content') ?? m.getAttribute('datetime') ?? m.getAttribute('value');
    if (!content?.trim()) continue;
    for (const attr of ['property', 'name', 'itemprop', 'http-equiv']) {
      const key = m.getAttribute(attr)?.trim().toLowerCase();
      if (key && !map.has(key)) map.set(key, content.trim());
    }
  }
  return map;
}

const ARTICLE_TYPES =
  /(?:NewsArticle|Article|BlogPosting|ReportageNews|AnalysisNewsArticle|WebPage|LiveBlogPosting|Report|OpinionNewsArticle)/;

/** All JSON-LD objects of the page, flattened through arrays and @graph. */
function jsonLdObjects(doc: DocumentLike): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const scripts = doc.querySelectorAll('script[type="application/ld+json"]');
  const visit = (value: unknown, depth: number) => {
    if (depth > 6 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
      return;
    }
    const obj = value as Record<string, unknown>;
    out.push(obj);
    if (obj['@graph']) visit(obj['@graph'], depth + 1);
    if (obj.mainEntity) visit(obj.mainEntity, depth + 1);
  };
  for (let i = 0; i < scripts.length; i++) {
    const raw = scripts[i]!.textContent ?? '';
    try {
      visit(JSON.parse(raw.replace(/^\s*<!\[CDATA\[|\]\]>\s*$/g, '')), 0);
    } catch {
      // Broken JSON-LD is common; the page's other metadata still counts.
    }
  }
  return out;
}

function typeOf(obj: Record<string, unknown>): string {
  const t = obj['@type'];
  return Array.isArray(t) ? t.join(' ') : typeof t === 'string' ? t : '';
}

function jsonLdDates(objects: Array<Record<string, unknown>>): string[] {
  const articles = objects.filter((o) => ARTICLE_TYPES.test(typeOf(o)) && !/WebPage/.test(typeOf(o)));
  const pages = objects.filter((o) => /WebPage/.test(typeOf(o)));
  const out: string[] = [];
  for (const group of [articles, pages, objects]) {
    for (const o of group) {
      for (const key of ['datePublished', 'dateCreated', 'uploadDate']) {
        const v = o[key];
        if (typeof v === 'string' && v.trim()) out.push(v.trim());
      }
    }
  }
  return out;
}

/** Class, id or itemprop of a time that is not the publication time (edits, comments). */
const NOT_PUBLICATION_TIME = /update|modif|comment|expir/i;

/**
 * Containers of other stories' times: lists of related, latest or popular stories, widgets, comments,
 * site navigation. Their class or id says so; aside and nav elements are such by tag.
 */
const OTHER_STORIES_CONTAINER =
  /related|recommend|sidebar|widget|trending|popular|most-?read|latest|recent|more-?stories|read-?more|comment|teaser|(?:^|[\s_-])nav/i;

/** Ancestors looked at for an other-stories container (a list sits a few levels above its times). */
export const TIME_CONTAINER_DEPTH = 8;

function hintOf(el: ElementLike): string {
  return `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''} ${el.getAttribute('itemprop') ?? ''}`;
}

function inOtherStories(el: ElementLike): boolean {
  let node = el.parentElement ?? null;
  for (let depth = 0; node && depth < TIME_CONTAINER_DEPTH; depth++, node = node.parentElement ?? null) {
    if (/^(?:aside|nav)$/i.test(node.tagName ?? '')) return true;
    if (OTHER_STORIES_CONTAINER.test(hintOf(node))) return true;
  }
  return false;
}

/**
 * The article's `<time datetime>` and itemprop="datePublished" values, in page order. WHY: a page
 * also shows the times of other stories (related and latest lists, comments) and its own edit time;
 * any of them read as the publication time dates the page by another story.
 */
export function articleTimeValues(doc: DocumentLike): string[] {
  const times = doc.querySelectorAll('time[datetime], [itemprop="datePublished"]');
  const out: string[] = [];
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const published = t.getAttribute('itemprop') === 'datePublished' || t.getAttribute('pubdate') !== null;
    if (!published && (NOT_PUBLICATION_TIME.test(hintOf(t)) || inOtherStories(t))) continue;
    const v = t.getAttribute('datetime') ?? t.getAttribute('content') ?? t.textContent;
    if (v?.trim()) out.push(v.trim());
  }
  return out;
}

function absolute(url: string | null | undefined, base: string | null): string | null {
  if (!url?.trim()) return null;
  try {
    return new URL(url.trim(), base ?? undefined).toString();
  } catch {
    return null;
  }
}

/** Title without the site suffix/prefix ("Story title | Site" → "Story title"). */
export function stripSiteFromTitle(title: string, siteName: string | null): string {
  const parts = title.split(/\s+[|–—·•»:-]\s+|\s+-\s+/);
  if (parts.length < 2) return title.trim();
  if (siteName) {
    const site = siteName.toLowerCase();
    const kept = parts.filter((p) => {
      const lp = p.toLowerCase().trim();
      return !(lp === site || site.includes(lp) || lp.includes(site));
    });
    if (kept.length > 0 && kept.length < parts.length) return kept.join(' - ').trim();
  }
  // Without a known site name, keep the longest part: headlines are longer than site names.
  return parts.reduce((a, b) => (b.trim().length > a.trim().length ? b : a)).trim();
}

export function readMetadata(doc: DocumentLike, sourceUrl: string | null): HtmlMetadata {
  const meta = metaMap(doc);
  const ld = jsonLdObjects(doc);
  const canonical = doc.querySelector('link[rel="canonical"]')?.getAttribute('href');
  const url = absolute(canonical, sourceUrl) ?? absolute(meta.get('og:url'), sourceUrl) ?? sourceUrl;
  const ldSite = ld
    .map((o) => o.publisher as Record<string, unknown> | undefined)
    .find((p) => p && typeof p === 'object' && typeof p.name === 'string')?.name as string | undefined;
  const siteName = meta.get('og:site_name') ?? meta.get('application-name') ?? ldSite ?? null;
  const ldHeadline = ld.find((o) => ARTICLE_TYPES.test(typeOf(o)) && typeof o.headline === 'string')
    ?.headline as string | undefined;
  const h1 = doc.querySelector('h1')?.textContent?.replace(/\s+/g, ' ').trim();
  const docTitle = doc.querySelector('title')?.textContent?.replace(/\s+/g, ' ').trim();
  const rawTitle = meta.get('og:title') ?? meta.get('twitter:title') ?? ldHeadline ?? h1 ?? docTitle ?? null;
  const title = rawTitle ? stripSiteFromTitle(rawTitle, siteName) : null;

  const dates: string[] = [];
  for (const key of PUBLISHED_META_KEYS.slice(0, PUBLISHED_META_KEYS.indexOf('og:updated_time'))) {
    const v = meta.get(key);
    if (v) dates.push(v);
  }
  dates.push(...jsonLdDates(ld));
  dates.push(...articleTimeValues(doc));
  return {
    url,
    title: title && title.length > 0 ? title : null,
    siteName,
    description: meta.get('og:description') ?? meta.get('description') ?? null,
    dates,
    imageUrl: meta.get('og:image') ?? meta.get('twitter:image') ?? null,
    declaredUrls: declaredSelfUrls(
      doc,
      ld.filter((o) => ARTICLE_TYPES.test(typeOf(o))),
    )
      // A relative address still carries its path's date.
      .map((u) => absolute(u, sourceUrl) ?? u),
  };
}

/** Modified-time metadata: weaker evidence than any published time, used after the URL. */
export function modifiedDates(doc: DocumentLike): string[] {
  const meta = metaMap(doc);
  return PUBLISHED_META_KEYS.slice(PUBLISHED_META_KEYS.indexOf('og:updated_time'))
    .map((k) => meta.get(k))
    .filter((v): v is string => Boolean(v));
}
