/**
 * The archive's feeds: Atom 1.0 (`feed.xml`) and JSON Feed 1.1 (`feed.json`), one entry per day with
 * the day's stories as HTML. An entry's id is its day page's URL, so it never changes; `updated` is
 * when that day's digest last changed (from the site manifest), so a re-run leaves the feeds as they
 * were and a changed day moves its entry's date.
 */
import { escapeHtml } from '../render/safe.ts';
import type { Day } from '../types.ts';

/** Days a feed carries: a month of briefings is what a feed reader catches up on. */
export const FEED_DAYS = 30;

export interface FeedEntry {
  readonly day: Day;
  readonly title: string;
  /** Absolute URL of the day page. */
  readonly url: string;
  /** The day's stories as HTML with absolute links. */
  readonly html: string;
  /** ISO-8601. */
  readonly updated: string;
  readonly summary: string;
}

export interface FeedMeta {
  readonly title: string;
  readonly description: string;
  /** Absolute site URL, ending in `/`. */
  readonly home: string;
}

/** Characters XML 1.0 does not allow, even escaped. */
const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

function xml(value: string): string {
  return escapeHtml(value.replace(NOT_XML, ''));
}

/** The feed-wide `updated`: the newest entry's, or the Unix epoch for an empty feed (stable, not the clock). */
function newest(entries: readonly FeedEntry[]): string {
  return entries.reduce(
    (max, entry) => (entry.updated > max ? entry.updated : max),
    '1970-01-01T00:00:00.000Z',
  );
}

export function atomFeed(meta: FeedMeta, entries: readonly FeedEntry[]): string {
  const items = entries.map(
    (entry) => `<entry>
<id>${xml(entry.url)}</id>
<title>${xml(entry.title)}</title>
<link rel="alternate" type="text/html" href="${xml(entry.url)}"/>
<published>${xml(`${entry.day}T00:00:00Z`)}</published>
<updated>${xml(entry.updated)}</updated>
<summary>${xml(entry.summary)}</summary>
<content type="html">${xml(entry.html)}</content>
</entry>`,
  );
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>${xml(meta.home)}</id>
<title>${xml(meta.title)}</title>
<subtitle>${xml(meta.description)}</subtitle>
<link rel="self" type="application/atom+xml" href="${xml(`${meta.home}feed.xml`)}"/>
<link rel="alternate" type="text/html" href="${xml(meta.home)}"/>
<updated>${xml(newest(entries))}</updated>
<author><name>${xml(meta.title)}</name></author>
${items.join('\n')}
</feed>
`;
}

export function jsonFeed(meta: FeedMeta, entries: readonly FeedEntry[]): string {
  const feed = {
    version: 'https://jsonfeed.org/version/1.1',
    title: meta.title,
    description: meta.description,
    home_page_url: meta.home,
    feed_url: `${meta.home}feed.json`,
    language: 'en',
    authors: [{ name: meta.title }],
    items: entries.map((entry) => ({
      id: entry.url,
      url: entry.url,
      title: entry.title,
      summary: entry.summary,
      content_html: entry.html,
      date_published: `${entry.day}T00:00:00Z`,
      date_modified: entry.updated,
    })),
  };
  return `${JSON.stringify(feed, null, 2)}\n`;
}
