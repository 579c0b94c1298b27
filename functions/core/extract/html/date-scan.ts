/**
 * Date evidence in the page body when metadata has none (htmldate's fallbacks): elements whose
 * class/id says "date"/"time"/"published" (their attributes and text), then dates written in the page
 * in common numeric forms. Language-neutral patterns first; chrono's locales for written months.
 */
import * as chrono from 'chrono-node';
import { isTimestampLine } from '../clean/byline.ts';
import { isAfterArrival, MIN_PUBLICATION_YEAR, toDay } from '../dates.ts';
import { arabicWrittenDate } from '../month-names.ts';
import type { DomDocument, DomElement, DomNode } from './dom.ts';

/** Class/id names of elements that show a page's date. */
const DATE_HINT =
  /(?:date|time|publish|posted|posted-on|created|entry-meta|byline|dateline|meta-info|article-info|timestamp)/i;

/** Elements checked for a hinted date; the first few in document order are the article's own. */
export const MAX_HINTED_ELEMENTS = 40;

/** Attributes that carry machine dates on hinted elements. */
const DATE_ATTRIBUTES = [
  'datetime',
  'content',
  'title',
  'data-date',
  'data-time',
  'data-published',
  'dc:date',
];

const CHRONO_LOCALES = [
  chrono.en,
  chrono.fr,
  chrono.de,
  chrono.es,
  chrono.pt,
  chrono.it,
  chrono.nl,
  chrono.ru,
  chrono.uk,
];

/** Matches of one numeric pattern tried before giving up on it (bounds the work on huge pages). */
export const MAX_NUMERIC_MATCHES = 20;

/** Numeric date patterns: y-m-d (any separator), d.m.y / d/m/y, CJK y年m月d日. */
export function numericDate(text: string, arrivedAt: Date): string | null {
  const patterns: Array<[RegExp, (m: RegExpExecArray) => [number, number, number]]> = [
    [/((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/, (m) => [Number(m[1]), Number(m[2]), Number(m[3])]],
    [
      /((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/,
      (m) => [Number(m[1]), Number(m[2]), Number(m[3])],
    ],
    [
      /(?<!\d)(\d{1,2})[./-](\d{1,2})[./-]((?:19|20)\d{2})(?!\d)/,
      (m) => dayFirst(Number(m[1]), Number(m[2]), Number(m[3])),
    ],
  ];
  for (const [re, pick] of patterns) {
    // Every match, not just the first: a version number or an impossible date may come earlier.
    let checked = 0;
    for (const m of text.matchAll(new RegExp(re.source, 'g'))) {
      const [y, mo, d] = pick(m);
      const day = toDay(y, mo, d);
      if (day && y >= MIN_PUBLICATION_YEAR && !isAfterArrival(day, arrivedAt)) return day;
      if (++checked >= MAX_NUMERIC_MATCHES) break;
    }
  }
  return null;
}

/** d/m/y unless the first number cannot be a day-of-month-first reading (US m/d/y). */
function dayFirst(a: number, b: number, year: number): [number, number, number] {
  return b > 12 && a <= 12 ? [year, a, b] : [year, b, a];
}

function writtenDate(text: string, arrivedAt: Date): string | null {
  const arabic = arabicWrittenDate(text.slice(0, 200));
  if (arabic && !isAfterArrival(arabic, arrivedAt)) return arabic;
  for (const locale of CHRONO_LOCALES) {
    let results: chrono.ParsedResult[];
    try {
      results = locale.parse(text.slice(0, 200), arrivedAt);
    } catch {
      continue;
    }
    for (const r of results) {
      if (!(r.start.isCertain('year') && r.start.isCertain('month') && r.start.isCertain('day'))) continue;
      // "Today" (in "USA TODAY"), "yesterday": relative words name the reading day, not a written date.
      if (!/\d/.test(r.text)) continue;
      const day = toDay(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!);
      if (day && r.start.get('year')! >= MIN_PUBLICATION_YEAR && !isAfterArrival(day, arrivedAt)) return day;
    }
  }
  return null;
}

/**
 * Attributes where scripts keep a machine timestamp as epoch seconds or milliseconds
 * (`<span class="timestamp" data-time="1594448702">`); the element's text is often a short
 * "Jul 10" or "3h" that has no year.
 */
const EPOCH_ATTRIBUTES = [
  'data-time',
  'data-time-ms',
  'data-timestamp',
  'data-utime',
  'data-epoch',
  'data-unix',
];

/**
 * The UTC day of an epoch timestamp in a date-hinted element's attributes. WHY: the instant is exact
 * where the shown text is abbreviated; 10 digits are seconds, 13 milliseconds (other lengths are ids).
 */
export function epochAttributeDay(
  el: { getAttribute(name: string): string | null },
  arrivedAt: Date,
): string | null {
  for (const a of EPOCH_ATTRIBUTES) {
    const v = el.getAttribute(a)?.trim();
    if (!v || !/^(?:\d{10}|\d{13})$/.test(v)) continue;
    const ms = v.length === 13 ? Number(v) : Number(v) * 1000;
    const day = new Date(ms).toISOString().slice(0, 10);
    if (Number(day.slice(0, 4)) >= MIN_PUBLICATION_YEAR && !isAfterArrival(day, arrivedAt)) return day;
  }
  return null;
}

/** The first date shown by a date-hinted element (attribute first, then its text). */
export function hintedElementDate(doc: DomDocument, arrivedAt: Date): string | null {
  const candidates = doc.querySelectorAll('[class], [id], [itemprop]');
  let checked = 0;
  for (let i = 0; i < candidates.length && checked < MAX_HINTED_ELEMENTS; i++) {
    const el = candidates[i]!;
    const hint = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''} ${el.getAttribute('itemprop') ?? ''}`;
    if (!DATE_HINT.test(hint)) continue;
    // No word boundary: camel-cased itemprops ("dateModified") name the modified time too.
    if (/(?:update|modif|comment|related|footer|copyright)/i.test(hint)) continue;
    // A site-wide clock ("sitenav__time", "current-date") shows the reading day, not the article's.
    if (/nav|clock|current|today|weather/i.test(hint)) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text.length > 200) continue;
    checked++;
    for (const a of DATE_ATTRIBUTES) {
      const v = el.getAttribute(a);
      const d = v ? numericDate(v, arrivedAt) : null;
      if (d) return d;
    }
    // After written machine dates, which may carry the local day; before the (often abbreviated) text.
    const epoch = epochAttributeDay(el, arrivedAt);
    if (epoch) return epoch;
    const d = numericDate(text, arrivedAt) ?? writtenDate(text, arrivedAt);
    if (d) return d;
  }
  return null;
}

/** Elements read after the headline while looking for its dateline (bylines and dates sit right under it). */
export const HEADLINE_ZONE_ELEMENTS = 40;

/** Words of a paragraph that mark the start of the article body: the dateline zone is over. */
export const BODY_PARAGRAPH_WORDS = 15;

/** Longest element text read as a dateline ("August 06, 2019", "Published 10:32, 4 March 2022"). */
const MAX_DATELINE_CHARS = 80;

/**
 * The date shown as its own line between the headline and the first paragraph of the body. WHY: most
 * article templates put the date under the headline, often in an element whose class says nothing
 * ("gutter-half-bottom"); a date written inside the body's first sentence ("On July 31, 2019,
 * senators…") is an event the article reports, not its publication day. Only whole-element dates
 * count, so a headline or sentence that mentions a date is never read as one.
 */
export function headlineZoneDate(doc: DomDocument, arrivedAt: Date, pageTitle: string | null): string | null {
  const elements = doc.querySelectorAll('h1, p, div, span, time, li, small, strong, em, td, dd');
  let start = -1;
  for (let i = 0; i < elements.length; i++) {
    const el = elements[i]!;
    if (el.tagName.toUpperCase() === 'H1' && isHeadlineOf(el.textContent ?? '', pageTitle)) {
      start = i;
      break;
    }
  }
  if (start < 0) return null;
  const end = Math.min(elements.length, start + 1 + HEADLINE_ZONE_ELEMENTS);
  for (let i = start + 1; i < end; i++) {
    const el = elements[i]!;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (el.tagName.toUpperCase() === 'P' && text.split(' ').length >= BODY_PARAGRAPH_WORDS) return null;
    if (text.length === 0 || text.length > MAX_DATELINE_CHARS || !isDatelineText(text)) continue;
    const hint = `${el.getAttribute('class') ?? ''} ${el.getAttribute('id') ?? ''}`;
    if (/\b(?:update|modif|comment)|today|current|clock|weather/i.test(hint)) continue;
    const d = numericDate(text, arrivedAt) ?? writtenDate(text, arrivedAt);
    if (d) return d;
  }
  return null;
}

/** Most words of a short line that holds a year, read as a dateline in any language ("6 août 2024"). */
export const MAX_DATELINE_WORDS = 6;

/**
 * A line that is a date and little else: an English timestamp line, or a few words with a year
 * (the month names of other languages are left to chrono's locales when the date is parsed).
 */
function isDatelineText(text: string): boolean {
  if (isTimestampLine(text)) return true;
  return /(?<!\d)(?:19|20)\d{2}(?!\d)/.test(text) && text.split(' ').length <= MAX_DATELINE_WORDS;
}

/** Share of an h1's words the page title must hold for the h1 to be the article's headline. */
export const HEADLINE_TITLE_OVERLAP = 0.5;

/**
 * True when the h1 is the article's headline rather than the site's masthead ("Daily Legal News"),
 * whose neighbour is a "today is …" date: most of its words are in the page title. Without a page
 * title, the first h1 is taken.
 */
function isHeadlineOf(h1: string, pageTitle: string | null): boolean {
  const words = h1
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
  if (words.length === 0) return false;
  if (!pageTitle) return true;
  const title = new Set(pageTitle.toLowerCase().split(/[^\p{L}\p{N}]+/u));
  return words.filter((w) => title.has(w)).length >= HEADLINE_TITLE_OVERLAP * words.length;
}

/** Machine dates left in raw markup: `"datePublished": "…"` in broken JSON-LD or scripts, `dc:date="…"`. */
export function rawMarkupDates(html: string): string[] {
  const out: string[] = [];
  const re =
    /["']?(?:datePublished|dc:date|publish(?:ed)?_?(?:date|time)|pubDate)["']?\s*[:=]\s*["']([^"']{8,40})["']/gi;
  for (const m of html.matchAll(re)) {
    out.push(m[1]!);
    if (out.length >= 5) break;
  }
  return out;
}

/** Elements whose text a reader never sees: code and styles, not writing. */
const INVISIBLE_ELEMENTS = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE', 'SVG']);

/** Cap on the visible text gathered for the last-resort scan (the page's own date sits near the top). */
export const MAX_VISIBLE_TEXT_CHARS = 200_000;

/**
 * The text a reader sees in the body. WHY: `textContent` also returns script bodies, where trackers
 * and app state keep timestamps that are not the page's date (a session's `createTime`, a user's
 * account date); a date the page shows is written in its visible text.
 */
export function visibleText(root: DomElement | null): string {
  if (!root) return '';
  const parts: string[] = [];
  let size = 0;
  const walk = (node: DomNode): void => {
    if (size >= MAX_VISIBLE_TEXT_CHARS) return;
    if (node.nodeType === TEXT_NODE) {
      const t = node.textContent ?? '';
      parts.push(t);
      size += t.length;
      return;
    }
    if (node.nodeType !== ELEMENT_NODE) return;
    const tag = node.nodeName.toUpperCase();
    if (INVISIBLE_ELEMENTS.has(tag) && !(tag === 'SCRIPT' && isRenderingCall(node))) return;
    const children = node.childNodes;
    for (let i = 0; i < children.length; i++) walk(children[i]!);
  };
  walk(root);
  return parts.join(' ').replace(/\s+/g, ' ');
}

/**
 * Longest inline script read as visible text. WHY: a short script in the body flow is a rendering
 * call that writes what the reader sees (`<script>showDate("2020/04/17 01:43")</script>`,
 * `document.write(…)`); app state and trackers, where foreign timestamps live, are object literals
 * and long blobs.
 */
export const MAX_RENDERING_SCRIPT_CHARS = 160;

function isRenderingCall(script: DomNode): boolean {
  const code = script.textContent ?? '';
  // Object and array literals are data (app state, configs), not text being written.
  return code.length <= MAX_RENDERING_SCRIPT_CHARS && !/[{[]/.test(code);
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Last resort: the first numeric date written anywhere in the page's visible text. */
export function firstBodyDate(doc: DomDocument, arrivedAt: Date): string | null {
  return numericDate(visibleText(doc.body), arrivedAt);
}
