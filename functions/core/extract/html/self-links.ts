/**
 * The addresses a page gives itself, for a date in their path when the file arrives without its URL.
 *
 * Two kinds, as readability's small named rules: the page's declared addresses (canonical, og:url,
 * twitter:url, the AMP and short links, the JSON-LD article's url or mainEntityOfPage), and links to
 * itself in the body (share buttons, "permalink", a language switch) found by their slug sharing the
 * headline's words. The first are the page's own word; the second are a guess, so the date resolution
 * uses them only to settle a timestamp's local day or when nothing else dates the page.
 */
/** What the address readers need of a document (linkedom's, or the metadata reader's view of it). */
interface Queryable {
  querySelector(selector: string): { getAttribute(name: string): string | null } | null;
  querySelectorAll(selector: string): ArrayLike<{ getAttribute(name: string): string | null }>;
}

/** Declared self-address elements, best first: the canonical link is the one a CMS keeps exact. */
const DECLARED_SELECTORS: ReadonlyArray<[string, string]> = [
  ['link[rel="canonical"]', 'href'],
  ['meta[property="og:url"]', 'content'],
  ['meta[name="twitter:url"], meta[property="twitter:url"]', 'content'],
  ['link[rel="amphtml"]', 'href'],
  ['link[rel="shortlink"]', 'href'],
];

/** Every address the page declares for itself (attribute values as written), best first, no repeats. */
export function declaredSelfUrls(
  doc: Queryable,
  jsonLdArticles: ReadonlyArray<Record<string, unknown>> = [],
): string[] {
  const out: string[] = [];
  for (const [selector, attribute] of DECLARED_SELECTORS) {
    const v = doc.querySelector(selector)?.getAttribute(attribute)?.trim();
    if (v) out.push(v);
  }
  for (const article of jsonLdArticles) {
    for (const value of [article.url, article.mainEntityOfPage, article['@id']]) {
      const url =
        typeof value === 'string'
          ? value
          : value && typeof value === 'object'
            ? (value as Record<string, unknown>)['@id']
            : null;
      if (typeof url === 'string' && url.trim()) out.push(url.trim());
    }
  }
  return [...new Set(out)];
}

/** Query parameters share buttons put the page's own address in (`?u=…`, `?url=…`). */
const SHARE_PARAMETERS = ['url', 'u', 'link', 'href', 'original_referer'];

/** Fewest headline words a link's slug must share to be read as a link to the page itself. */
export const SELF_LINK_MIN_SHARED_WORDS = 3;

/**
 * Share of the slug's words that must be headline words. WHY: a link to a related story shares a
 * topic word or two with the headline; the page's own slug is made from the headline.
 */
export const SELF_LINK_SLUG_OVERLAP = 0.6;

/** Links read at most (bounds the work on link-farm pages; share bars sit near the article). */
export const MAX_SELF_LINK_CANDIDATES = 2000;

/** Lower-case words of three or more letters or digits: a slug's or a headline's content words. */
function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 3 && !/^\d+$/.test(w));
}

/** The address a share link carries in its query, or the link itself. */
function carriedUrl(href: string): string {
  let parsed: URL;
  try {
    parsed = new URL(href, 'https://page.invalid/');
  } catch {
    return href;
  }
  for (const name of SHARE_PARAMETERS) {
    const v = parsed.searchParams.get(name);
    if (v && /^https?:\/\//i.test(v)) return v;
  }
  return href;
}

/** The words of a URL's wordiest path segment: its slug. */
function slugWords(url: string): string[] {
  let path: string;
  try {
    path = new URL(url, 'https://page.invalid/').pathname;
  } catch {
    path = url;
  }
  const segments = path.split('/').filter((s) => s.length > 0);
  const slug = segments.reduce((a, b) => (words(b).length > words(a).length ? b : a), '');
  return words(decodeURIComponentSafe(slug));
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/**
 * Links in the page whose slug is made of the headline's words (share buttons, permalinks), as
 * absolute or relative addresses; `hasDate` keeps only those worth reading (a date in the path).
 * The best match first: most shared words.
 */
export function selfLinks(
  doc: Queryable,
  headline: string | null,
  hasDate: (url: string) => boolean,
): string[] {
  if (!headline) return [];
  const title = new Set(words(headline));
  if (title.size < SELF_LINK_MIN_SHARED_WORDS) return [];
  const anchors = doc.querySelectorAll('a[href]');
  const scored: Array<{ url: string; shared: number }> = [];
  const seen = new Set<string>();
  for (let i = 0; i < anchors.length && i < MAX_SELF_LINK_CANDIDATES; i++) {
    const url = carriedUrl(anchors[i]!.getAttribute('href') ?? '');
    if (seen.has(url) || !hasDate(url)) continue;
    seen.add(url);
    const slug = slugWords(url);
    const shared = slug.filter((w) => title.has(w)).length;
    if (shared >= SELF_LINK_MIN_SHARED_WORDS && shared >= SELF_LINK_SLUG_OVERLAP * slug.length)
      scored.push({ url, shared });
  }
  return scored.sort((a, b) => b.shared - a.shared).map((s) => s.url);
}
