/**
 * Header lines at the top of a plain-text article: `date 2022-03-04`, `URL: https://…`,
 * `Source: Reuters`, `Title: …`. A header line may carry junk glued on after its value
 * (" date 2022-03-04 This site uses cookies…"); that remainder goes back to the body for cleaning.
 */

/** Header lines are only looked for in the first lines; deeper "Source:" lines are prose or captions. */
export const MAX_HEADER_LINES = 8;

export interface Headers {
  title?: string;
  date?: string;
  url?: string;
  source?: string;
}

export interface HeaderParse {
  readonly headers: Headers;
  /** Lines left for the body: non-header lines and the remainders of header lines. */
  readonly lines: string[];
}

const KEY_ALIASES: Readonly<Record<string, keyof Headers>> = {
  title: 'title',
  headline: 'title',
  date: 'date',
  published: 'date',
  'published at': 'date',
  'publication date': 'date',
  dated: 'date',
  url: 'url',
  link: 'url',
  'canonical url': 'url',
  source: 'source',
  outlet: 'source',
  publisher: 'source',
  'source url': 'url',
};

/** A date token at the start of a header value: ISO, `4 March 2022`, `March 4, 2022`, `04/03/2022`. */
const LEADING_DATE =
  /^(\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{1,2}[./]\d{1,2}[./]\d{4})\b/;

const HEADER_LINE =
  /^\s*(title|headline|date|published at|publication date|published|dated|url|link|canonical url|source url|source|outlet|publisher)\s*(:|=|\s)\s*(.*)$/i;

function parseHeaderLine(line: string): { key: keyof Headers; value: string; rest: string } | null {
  const m = HEADER_LINE.exec(line);
  if (!m) return null;
  const key = KEY_ALIASES[m[1]!.toLowerCase()];
  const separator = m[2]!;
  const value = m[3]!.trim();
  if (!key || value.length === 0) return null;
  if (key === 'date') {
    const d = LEADING_DATE.exec(value);
    if (!d) return null;
    return { key, value: d[1]!, rest: value.slice(d[0].length).replace(/^[\s,;|–—-]+/, '') };
  }
  if (key === 'url') {
    const u = /^(https?:\/\/\S+)/i.exec(value);
    if (!u) return null;
    return { key, value: u[1]!, rest: value.slice(u[0].length).trim() };
  }
  // Title and source need an explicit "Key:" so "Source said …" or "Title fights …" stay prose.
  if (separator.trim().length === 0) return null;
  if (value.split(/\s+/).length > (key === 'source' ? 8 : 30)) return null;
  return { key, value, rest: '' };
}

/** Pulls header lines out of the first lines of a plain-text file. */
export function parseHeaders(lines: readonly string[]): HeaderParse {
  const headers: Headers = {};
  const out: string[] = [];
  let seen = 0;
  for (const line of lines) {
    if (line.trim().length === 0) {
      out.push(line);
      continue;
    }
    seen++;
    const h = seen <= MAX_HEADER_LINES ? parseHeaderLine(line) : null;
    if (h && headers[h.key] === undefined) {
      headers[h.key] = h.value;
      if (h.rest.length > 0) out.push(h.rest);
    } else {
      out.push(line);
    }
  }
  return { headers, lines: out };
}
