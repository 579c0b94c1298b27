/**
 * Date evidence in the page body when metadata has none (htmldate's fallbacks): elements whose
 * class/id says "date"/"time"/"published" (their attributes and text), then dates written in the page
 * in common numeric forms. Language-neutral patterns first; chrono's locales for written months.
 */
import * as chrono from 'chrono-node';
import { isAfterArrival, MIN_PUBLICATION_YEAR, toDay } from '../dates.ts';
import { arabicWrittenDate } from '../month-names.ts';
import type { DomDocument } from './dom.ts';

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
      const day = toDay(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!);
      if (day && r.start.get('year')! >= MIN_PUBLICATION_YEAR && !isAfterArrival(day, arrivedAt)) return day;
    }
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
    if (/\b(?:update|modif|comment|related|footer|copyright)/i.test(hint)) continue;
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim();
    if (text.length > 200) continue;
    checked++;
    for (const a of DATE_ATTRIBUTES) {
      const v = el.getAttribute(a);
      const d = v ? numericDate(v, arrivedAt) : null;
      if (d) return d;
    }
    const d = numericDate(text, arrivedAt) ?? writtenDate(text, arrivedAt);
    if (d) return d;
  }
  return null;
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

/** Last resort: the first numeric date written anywhere in the page's visible text. */
export function firstBodyDate(doc: DomDocument, arrivedAt: Date): string | null {
  const text = (doc.body?.textContent ?? '').replace(/\s+/g, ' ');
  return numericDate(text, arrivedAt);
}
