/**
 * Publication dates: metadata values (ISO strings, news-please `date_publish`, URL paths) and dates
 * written in the text, resolved against the arrival time with chrono-node.
 *
 * The text rule is "evidence first": a dateline near the top beats a full date in the body, which beats
 * "on Thursday"; a date that is merely mentioned ("the invasion began Feb. 24", "since Monday") or lies in
 * the future of the arrival is never taken when anything better exists.
 */
import * as chrono from 'chrono-node/en';
import type { Day, FoundDate } from '../types.ts';
import {
  dayOfUtc,
  isAfterArrival,
  lastWeekdayOnOrBefore,
  MIN_PUBLICATION_YEAR,
  mostRecentMonthDay,
  plausibleYear,
  toDay,
  weekdayIndex,
  yearForWeekday,
} from './calendar-days.ts';
import { arabicWrittenDate } from './month-names.ts';

export { isAfterArrival, MIN_PUBLICATION_YEAR, toDay, weekdayIndex, yearForWeekday };

/**
 * How many characters of the text are searched for a date. Datelines and "published" lines sit at
 * the top; dates deep in the body are mentions of other events.
 */
export const TEXT_DATE_SEARCH_CHARS = 3000;

/** The "top" of an article, where a date counts as a dateline rather than a mention. */
export const DATELINE_ZONE_CHARS = 300;

/** Words right before a date that mark it as a mention of another event, not the report's own date. */
const MENTION_CUES =
  /\b(?:since|began|begun|begin|started|until|till|by|before|after|from|as of|last|next|ago|earlier|previously|between|through|ended|invaded|annexed|scheduled|expected|due|planned|born|died|founded)\s+(?:on\s+|in\s+)?(?:the\s+)?$/i;

/** Words that introduce the report's own date. */
const DATELINE_CUES = /(?:published|posted|updated|date|dated|released|last modified|am|on)\s*:?\s*$/i;

/** A written calendar date: a month name or a numeric d/m(/y) group. */
const EXPLICIT_CALENDAR_DATE =
  /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\b|\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?/i;

/**
 * A machine date from metadata: ISO 8601 (`2020-05-17T10:00:00-04:00` → the day as written),
 * `YYYY/MM/DD`, `YYYYMMDD`, `DD.MM.YYYY`, epoch seconds/millis, or anything Date/chrono can read.
 */
export function parseMetadataDate(value: string | number | null | undefined, arrivedAt?: Date): Day | null {
  if (value === null || value === undefined) return null;
  const s = String(value).trim();
  if (s.length === 0) return null;
  const accept = (d: Day | null): Day | null => {
    if (!d) return null;
    const year = Number(d.slice(0, 4));
    if (year < MIN_PUBLICATION_YEAR) return null;
    if (arrivedAt && isAfterArrival(d, arrivedAt)) return null;
    return d;
  };
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T\s_])/.exec(s) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})\b/.exec(s);
  if (m) return accept(toDay(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{4})(\d{2})(\d{2})(?:$|T)/.exec(s);
  if (m) return accept(toDay(Number(m[1]), Number(m[2]), Number(m[3])));
  m = /^(\d{1,2})[./](\d{1,2})[./](\d{4})\b/.exec(s);
  if (m) return accept(toDay(Number(m[3]), Number(m[2]), Number(m[1])));
  if (/^\d{9,13}$/.test(s)) {
    const n = Number(s);
    const ms = s.length >= 12 ? n : n * 1000;
    return accept(dayOfUtc(new Date(ms)));
  }
  const parsed = Date.parse(s);
  if (!Number.isNaN(parsed) && /\d{4}/.test(s)) {
    // Keep the calendar day the string names (RFC 2822 "Sun, 17 May 2020 23:00:00 -0400" is 17 May).
    const r = chrono.parse(s, arrivedAt ?? new Date(parsed))[0];
    if (r?.start.isCertain('year') && r.start.isCertain('day')) {
      return accept(toDay(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!));
    }
    // "Jul., 2001" parses as 1 July: a month is not a publication day.
    if (r && !r.start.isCertain('day')) return null;
    return accept(dayOfUtc(new Date(parsed)));
  }
  const arabic = arabicWrittenDate(s);
  if (arabic) return accept(arabic);
  const r = chrono.parse(s, arrivedAt ?? new Date())[0];
  if (r?.start.isCertain('year') && r.start.isCertain('day')) {
    return accept(toDay(r.start.get('year')!, r.start.get('month')!, r.start.get('day')!));
  }
  return null;
}

/** Date in a URL path: /2020/05/17/, /2020-05-17/, /20200517/ (within a path segment). */
export function dateFromUrl(url: string | null | undefined, arrivedAt?: Date): Day | null {
  if (!url) return null;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    path = url;
  }
  const patterns = [
    /\/((?:19|20)\d{2})[/_-](0?[1-9]|1[0-2])[/_-](0?[1-9]|[12]\d|3[01])(?:\/|[_-]|$|\.)/,
    /(?:\/|[_-])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:\/|[_-]|$|\.)/,
  ];
  for (const re of patterns) {
    const m = re.exec(path);
    if (m) {
      const d = toDay(Number(m[1]), Number(m[2]), Number(m[3]));
      if (d && Number(m[1]) >= MIN_PUBLICATION_YEAR && !(arrivedAt && isAfterArrival(d, arrivedAt))) return d;
    }
  }
  return null;
}

/** Evidence classes for a date found in the text, best first. */
enum Evidence {
  Dateline = 0,
  /** "Updated 5 March 2021": the page's own date, but of an edit; a "Published" dateline beats it. */
  UpdatedDateline = 1,
  FullDate = 2,
  WeekdayMonthDay = 3,
  OnWeekday = 4,
  Mentioned = 5,
}

/** Words that say which of the page's own dates follows; the last one before a date names it. */
const DATE_KIND_CUES =
  /\b(?:(first\s+)?published|posted|released|(last\s+)?updated|modified|edited|revised)\b/gi;

/** Characters before a date searched for the cue that names it ("Updated 10:32 GMT, 5 March 2021"). */
export const DATE_KIND_CUE_CHARS = 50;

/** True when the nearest cue before the date says it is an edit's date ("Updated", "Modified"). */
function isUpdateDate(text: string, index: number): boolean {
  const cues = [...text.slice(Math.max(0, index - DATE_KIND_CUE_CHARS), index).matchAll(DATE_KIND_CUES)];
  const last = cues.at(-1)?.[0];
  return last !== undefined && /updated|modified|edited|revised/i.test(last);
}

interface Candidate {
  readonly day: Day;
  readonly evidence: Evidence;
  readonly index: number;
}

function isMention(text: string, index: number): boolean {
  return MENTION_CUES.test(text.slice(Math.max(0, index - 40), index));
}

/**
 * Merges chrono's "Monday" + "(February 28)" (two results) into one weekday+month/day reading.
 */
function weekdayBefore(results: readonly Reading[], i: number, text: string): number | null {
  const prev = results[i - 1];
  const cur = results[i];
  if (!prev || !cur) return null;
  const wd = prev.start.get('weekday');
  if (wd === null || prev.start.isCertain('day')) return null;
  const gap = text.slice(prev.index + prev.text.length, cur.index);
  return /^[\s,(]{0,4}$/.test(gap) ? wd : null;
}

function datelineKind(text: string, index: number): Evidence {
  return isUpdateDate(text, index) ? Evidence.UpdatedDateline : Evidence.Dateline;
}

function candidateFrom(
  result: Reading,
  weekdayHint: number | null,
  text: string,
  arrivedAt: Date,
): Candidate | null {
  const s = result.start;
  const index = result.index;
  const mention = isMention(text, index) && !/^on\b/i.test(result.text);
  const inDatelineZone = index < DATELINE_ZONE_CHARS;
  const dateline =
    inDatelineZone && (index < 40 || DATELINE_CUES.test(text.slice(Math.max(0, index - 30), index)));
  const weekday = s.get('weekday') ?? weekdayHint;
  // "today", "last night", "one day after" carry no calendar date of their own: never evidence.
  if (s.isCertain('day') && s.isCertain('month') && EXPLICIT_CALENDAR_DATE.test(result.text)) {
    const month = s.get('month')!;
    const day = s.get('day')!;
    if (s.isCertain('year')) {
      const year = s.get('year')!;
      const d = toDay(year, month, day);
      if (!d || !plausibleYear(year, arrivedAt) || isAfterArrival(d, arrivedAt)) return null;
      return {
        day: d,
        evidence: mention ? Evidence.Mentioned : dateline ? datelineKind(text, index) : Evidence.FullDate,
        index,
      };
    }
    if (weekday !== null && weekday !== undefined) {
      const year = yearForWeekday(month, day, weekday, arrivedAt);
      const d = year === null ? null : toDay(year, month, day);
      if (!d) return null;
      return {
        day: d,
        evidence: mention
          ? Evidence.Mentioned
          : dateline
            ? datelineKind(text, index)
            : Evidence.WeekdayMonthDay,
        index,
      };
    }
    // Month and day without year or weekday: only a dateline at the very top is trusted.
    if (dateline && !mention) {
      const d = mostRecentMonthDay(month, day, arrivedAt);
      return d ? { day: d, evidence: datelineKind(text, index), index } : null;
    }
    return null;
  }
  if (weekday !== null && weekday !== undefined && !s.isCertain('day') && /^on\s/i.test(result.text)) {
    // "on Thursday": the most recent such weekday; the weakest evidence, used only when nothing else exists.
    return { day: lastWeekdayOnOrBefore(weekday, arrivedAt), evidence: Evidence.OnWeekday, index };
  }
  return null;
}

/**
 * Words and numbers without which chrono finds no date the rules below accept: month and weekday names
 * and numeric dates. chrono runs only on short windows around them, not over the whole text (it costs
 * ~5 ms per 3,000 characters, and most of an article holds no date).
 */
const DATE_WORD =
  /\b(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)\b|\d{1,4}[./-]\d{1,2}/gi;

/** Characters kept before a date word (room for "on", "published", "10am GMT on"). */
export const WINDOW_BEFORE_CHARS = 40;

/** Characters kept after a date word (room for "(February 28), 2022 at 10:00"). */
export const WINDOW_AFTER_CHARS = 60;

interface Window {
  start: number;
  end: number;
}

const WEEKDAY_WORD = /^(?:mon|tue|wed|thu|fri|sat|sun)/i;

/**
 * A weekday is evidence only as "on Monday" (a weekday next to a month is reached from the month's
 * window); a month name only with a number beside it ("May 5", "5 May") — "may" alone is a verb.
 */
function worthParsing(text: string, index: number, word: string): boolean {
  if (/^\d/.test(word)) return true;
  if (WEEKDAY_WORD.test(word)) return /\bon\s+$/i.test(text.slice(Math.max(0, index - 4), index));
  return /\d/.test(text.slice(Math.max(0, index - 8), index + word.length + 10));
}

/**
 * Merged windows around every date word of the text, snapped outwards to whitespace, in text order.
 * Lazy: the search usually stops at the first window.
 */
export function* dateWindows(text: string): Generator<Window> {
  let open: Window | null = null;
  for (const m of text.matchAll(DATE_WORD)) {
    if (!worthParsing(text, m.index, m[0])) continue;
    let start = Math.max(0, m.index - WINDOW_BEFORE_CHARS);
    while (start > 0 && !/\s/.test(text[start - 1]!)) start--;
    let end = Math.min(text.length, m.index + m[0].length + WINDOW_AFTER_CHARS);
    while (end < text.length && !/\s/.test(text[end]!)) end++;
    if (open && start <= open.end) {
      open.end = Math.max(open.end, end);
      continue;
    }
    if (open) yield open;
    open = { start, end };
  }
  if (open) yield open;
}

/** One chrono reading, with its index into the whole text. */
interface Reading {
  readonly index: number;
  readonly text: string;
  readonly start: chrono.ParsedResult['start'];
}

/** chrono's readings of one window, with indices into the whole text. */
function parseWindow(text: string, w: Window, arrivedAt: Date): Reading[] {
  try {
    return chrono
      .parse(text.slice(w.start, w.end), arrivedAt, { forwardDate: false })
      .map((r) => ({ index: r.index + w.start, text: r.text, start: r.start }));
  } catch {
    return [];
  }
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH_NAME = String.raw`(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?`;

/** Full dates in the three commonest written forms: ISO, "March 4, 2022", "4 March 2022". */
const FULL_DATE_FORMS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => [number, string | number, number]]> = [
  [/(?<![\d-])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)/, (m) => [Number(m[1]), Number(m[2]), Number(m[3])]],
  [
    new RegExp(String.raw`\b${MONTH_NAME}\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b`, 'i'),
    (m) => [Number(m[3]), m[1]!, Number(m[2])],
  ],
  [
    new RegExp(String.raw`\b(\d{1,2})(?:st|nd|rd|th)?\s+${MONTH_NAME},?\s+(\d{4})\b`, 'i'),
    (m) => [Number(m[3]), m[2]!, Number(m[1])],
  ],
];

/** chrono-like components of a date read without chrono (year, month and day all certain). */
function certainComponents(year: number, month: number, day: number): Reading['start'] {
  const values: Record<string, number> = { year, month, day };
  return {
    get: (c: string) => values[c] ?? null,
    isCertain: (c: string) => c in values,
  } as unknown as Reading['start'];
}

/**
 * A dateline read without chrono: the first full date of the window in a common form, when it is a
 * dateline by the same rules. chrono costs ~0.1 ms a window; most articles that carry a date at all
 * carry it this way at the top.
 */
function fastDateline(text: string, w: Window, arrivedAt: Date): Candidate | null {
  const slice = text.slice(w.start, w.end);
  let first: Reading | null = null;
  for (const [re, pick] of FULL_DATE_FORMS) {
    const m = re.exec(slice);
    if (!m || (first && first.index <= m.index + w.start)) continue;
    const [year, month, day] = pick(m);
    const monthNumber =
      typeof month === 'number' ? month : MONTHS.indexOf(month.slice(0, 3).toLowerCase()) + 1;
    first = { index: m.index + w.start, text: m[0], start: certainComponents(year, monthNumber, day) };
  }
  if (!first) return null;
  const c = candidateFrom(first, null, text, arrivedAt);
  return c?.evidence === Evidence.Dateline ? c : null;
}

/** Finds the publication date written in a text, or null. `source` is `text`. */
export function findTextDate(text: string, arrivedAt: Date): FoundDate | null {
  const head = text.slice(0, TEXT_DATE_SEARCH_CHARS);
  let best: Candidate | null = null;
  for (const w of dateWindows(head)) {
    const fast = best ? null : fastDateline(head, w, arrivedAt);
    if (fast) return { day: fast.day, source: 'text' };
    const results = parseWindow(head, w, arrivedAt);
    for (let i = 0; i < results.length; i++) {
      const c = candidateFrom(results[i]!, weekdayBefore(results, i, head), head, arrivedAt);
      if (!c) continue;
      if (!best || c.evidence < best.evidence || (c.evidence === best.evidence && c.index < best.index))
        best = c;
    }
    // Windows come in text order: nothing after the first dateline can beat it.
    if (best?.evidence === Evidence.Dateline) break;
  }
  return best ? { day: best.day, source: 'text' } : null;
}
