/**
 * Key figures ("4,500 Russian troops", "500,000 refugees", "30 %", "$1.13bn") with their subject,
 * and disagreements: different figures given for the same quantity (e.g. Russian deaths),
 * side by side with the article that gave each.
 */

import { lruMemo } from '../memo.ts';
import { isWordCodeUnit, STOP_WORDS, splitSentences } from '../text.ts';
import { tunableOverrides } from '../tunables.ts';
import type { Disagreement, KeyFigure } from '../types.ts';
import { isReadableFigure } from './figure-readability.ts';

/** Figures kept per story in the digest: a handful, or the card turns into a table. */
export const MAX_FIGURES_KEPT = 6;
/** Two figures for one quantity disagree when the larger exceeds the smaller by more than this share. */
export const DISAGREEMENT_MIN_RATIO = 1.2;
/** Words after the number read as its subject ("Russian troops had been killed" -> "Russian troops killed"). */
export const SUBJECT_WORDS = 4;
/** Words either side of a figure searched for whose figure it is (Russian, Ukrainian, children...). */
const GROUP_WINDOW_WORDS = 6;

const SCALE_WORDS: Record<string, number> = {
  thousand: 1e3,
  million: 1e6,
  billion: 1e9,
  trillion: 1e12,
  bn: 1e9,
  m: 1e6,
  k: 1e3,
};
const WORD_NUMBERS: Record<string, number> = {
  'half a million': 5e5,
  'a million': 1e6,
  'one million': 1e6,
  'a billion': 1e9,
  'a thousand': 1e3,
  dozens: 24,
  hundreds: 200,
  thousands: 2000,
};

/** Quantity categories: what kind of thing is counted, recognised by the subject's words. */
const CATEGORIES: readonly [string, RegExp][] = [
  ['deaths', /\b(?:killed|dead|deaths?|died|casualties|fatalities|lives)\b/i],
  ['injured', /\b(?:wounded|injured|injuries|hurt)\b/i],
  ['refugees', /\b(?:refugees|fled|fleeing|displaced|evacuated)\b/i],
  ['missiles', /\b(?:missiles?|rockets?|shells?)\b/i],
];

/** Whose figure it is: the nearest group word decides ("Russian troops", "children"). */
const GROUPS: readonly [string, RegExp][] = [
  ['children', /^(?:children|child|kids)$/i],
  ['civilians', /^(?:civilians?|people|residents)$/i],
  ['russian', /^(?:russian?|russia's|moscow|kremlin)$/i],
  ['ukrainian', /^(?:ukrainian?s?|ukraine's|kyiv)$/i],
];

const MONTHS = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i;

interface RawFigure {
  readonly value: number;
  readonly display: string;
  readonly subject: string;
  readonly quantity: string | null;
  readonly sentence: string;
  /** The subject names what was counted or measured (figure-readability.ts): only these are shown. */
  readonly readable: boolean;
}

const NUMBER_RE =
  /(?:half a million|a million|one million|a billion|a thousand)|[$£€]?\d+(?:,\d{3})*(?:\.\d+)?(?:\s?(?:%|per ?cent|percent))?(?:\s?(?:thousand|million|billion|trillion|bn|m|k)\b)?\+?/gi;

function parseValue(text: string): number | null {
  const lower = text.toLowerCase();
  if (lower in WORD_NUMBERS) return WORD_NUMBERS[lower] ?? null;
  const m = lower.match(/(\d+(?:,\d{3})*(?:\.\d+)?)/);
  if (!m?.[1]) return null;
  let value = Number(m[1].replace(/,/g, ''));
  const scale = lower.match(/(thousand|million|billion|trillion|bn|m|k)\b/);
  if (scale?.[1]) value *= SCALE_WORDS[scale[1]] ?? 1;
  return Number.isFinite(value) ? value : null;
}

/** A letter or digit made of a surrogate pair (tested on the pair). */
const ASTRAL_WORD_CHAR = /^[\p{L}\p{N}]/u;

/** Code units of a word character of `words` at `i` (letter, digit, apostrophe or hyphen): 1, 2 for a pair, or 0. */
function wordUnitsAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c < 128)
    return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 39 || c === 45
      ? 1
      : 0;
  if (c === 0x2019) return 1;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) return ASTRAL_WORD_CHAR.test(s.slice(i, i + 2)) ? 2 : 0;
  return isWordCodeUnit(c) ? 1 : 0;
}

/**
 * The matches of /[\p{L}\p{N}'’-]+/gu, scanned by hand: the Unicode regex was most of the cost of
 * figure extraction, which reads the words around every number of every summarised article.
 */
function words(s: string): string[] {
  const out: string[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    let w = wordUnitsAt(s, i);
    if (w === 0) {
      i++;
      continue;
    }
    const start = i;
    do {
      i += w;
      w = i < n ? wordUnitsAt(s, i) : 0;
    } while (w > 0);
    out.push(s.slice(start, i));
  }
  return out;
}

/**
 * Characters read either side of a figure when looking for its words. The figure's context is a
 * dozen words at most, and splitting the whole sentence into words for every figure in it made
 * figure extraction cost more than the rest of the summary.
 */
const CONTEXT_CHARS = 240;

/** The first `n` words of a text, reading only as far as they can reach. */
function leadingWords(text: string, n: number): string[] {
  if (text.length <= CONTEXT_CHARS) return words(text).slice(0, n);
  const found = words(text.slice(0, CONTEXT_CHARS));
  // The last word may be cut by the window: trust it only if more words than needed were found.
  return found.length > n ? found.slice(0, n) : words(text).slice(0, n);
}

/** The last `n` words of a text, reading only as far back as they can reach. */
function trailingWords(text: string, n: number): string[] {
  if (text.length <= CONTEXT_CHARS) return words(text).slice(-n);
  const found = words(text.slice(-CONTEXT_CHARS));
  // The first word may be cut by the window: trust it only if more words than needed were found.
  return found.length > n ? found.slice(-n) : words(text).slice(-n);
}

/** Auxiliaries and articles skipped in a subject ("16 children had been killed" -> "children killed"). */
const SKIPPED_SUBJECT_WORDS = /^(?:had|have|has|been|were|was|are|is|be|so|far|the|a|an)$/;
/** Auxiliaries between a subject's modifier and its verb ("civilians in Ukraine have been killed"). */
const AUXILIARIES = /^(?:had|have|has|been|were|was|are|is|be|being)$/;
/**
 * Words that open a clause or a coordination of its own: the figure's subject ends before them, not
 * inside them ("16 children killed since Russia invaded" -> "children killed", not "children killed
 * since Russia"; "rates rose to 20% and announced a raft" -> no subject for 20%).
 */
const SUBJECT_ENDS_BEFORE: ReadonlySet<string> = new Set(
  (
    'since after before when whenever as while whilst until because although though unless whereas ' +
    'amid despite following and but or nor'
  ).split(' '),
);
/**
 * Words read past a modifier ("in Ukraine") for the subject's verb: a short prepositional phrase sits
 * between "102 civilians" and "have been killed"; further on, the verb belongs to another clause.
 */
export const MODIFIER_LOOKAHEAD_WORDS = 3;
/** Past participles that do not end in "-ed". */
const IRREGULAR_PARTICIPLES: ReadonlySet<string> = new Set(
  'hurt shot held taken left fled lost seen given hit struck slain caught sent kept found'.split(' '),
);

function isParticiple(word: string): boolean {
  const lower = word.toLowerCase();
  return IRREGULAR_PARTICIPLES.has(lower) || (/^[a-z]{3,}ed$/.test(word) && lower !== 'hundred');
}

/**
 * The verb of a subject after its modifier: "in Ukraine have been killed" -> "killed". Only a
 * participle after an auxiliary counts, so "in Kyiv on Monday" or "in the city said" give nothing.
 */
function verbAfterModifier(rest: readonly string[], lookahead: number): string | null {
  for (let i = 1; i <= lookahead && i < rest.length; i++) {
    if (!AUXILIARIES.test(rest[i]?.toLowerCase() ?? '')) continue;
    let j = i;
    while (j < rest.length && AUXILIARIES.test(rest[j]?.toLowerCase() ?? '')) j++;
    const verb = rest[j];
    return verb !== undefined && isParticiple(verb) ? verb : null;
  }
  return null;
}

/**
 * The words a figure's subject is read from: those up to the first punctuation that ends a phrase, so
 * a subject never runs on into the next clause ("4,500 casualties, Zelensky said" -> "casualties").
 */
function phraseAfter(after: string): string {
  const end = after.search(/[,;:()]|\s[—–-]\s/);
  return end < 0 ? after : after.slice(0, end);
}

/**
 * The subject after a figure: up to SUBJECT_WORDS content words, skipping auxiliaries ("had been"),
 * ending before a clause of its own and, past a modifier, at the subject's verb.
 */
function subjectAfter(following: readonly string[], subjectWords: number, lookahead: number): string {
  const out: string[] = [];
  const read = following.slice(0, subjectWords + 3);
  for (let i = 0; i < read.length; i++) {
    const w = read[i]!;
    const lower = w.toLowerCase();
    if (SUBJECT_ENDS_BEFORE.has(lower)) break;
    if (SKIPPED_SUBJECT_WORDS.test(lower)) continue;
    if (STOP_WORDS.has(lower) && out.length > 0) {
      const verb = out.some(isParticiple) ? null : verbAfterModifier(following.slice(i), lookahead);
      if (verb) out.push(verb);
      break;
    }
    if (STOP_WORDS.has(lower)) continue;
    if (/^\d/.test(w)) break;
    out.push(w);
    if (out.length >= subjectWords) break;
  }
  return out.join(' ');
}

function categoryOf(text: string): string | null {
  for (const [name, re] of CATEGORIES) if (re.test(text)) return name;
  return null;
}

function groupNear(before: string[], after: string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  const consider = (w: string, distance: number): void => {
    for (const [name, re] of GROUPS) {
      if (!re.test(w)) continue;
      // Children and civilians are more specific than a nationality: they win ties within the window.
      const d = name === 'children' || name === 'civilians' ? distance - 0.5 : distance;
      if (!best || d < best.distance) best = { name, distance: d };
    }
  };
  const nearAfter = after.slice(0, GROUP_WINDOW_WORDS);
  for (let i = 0; i < nearAfter.length; i++) consider(nearAfter[i]!, i + 1);
  const nearBefore = before.slice(-GROUP_WINDOW_WORDS).reverse();
  for (let i = 0; i < nearBefore.length; i++) consider(nearBefore[i]!, i + 1);
  return (best as { name: string } | null)?.name ?? null;
}

/**
 * Words that make the number after them a label, not a count: "Day 5 of the invasion", "Article 5",
 * "round 2 of talks".
 */
const LABEL_WORDS =
  /^(?:day|week|round|phase|stage|article|section|chapter|no|number|page|level|category|grade)$/i;

/** True for numbers that are dates, times, ages, years or labels rather than counts. */
function isNonFigure(display: string, previousWord: string, after: string, before: string): boolean {
  if (/^\d{4}$/.test(display) && Number(display) >= 1900 && Number(display) <= 2100) return true;
  if (LABEL_WORDS.test(previousWord) && /^\d+$/.test(display)) return true;
  // Part of a date, range or code written with digits on both sides ("2022-03-04", "3/4", "10-15").
  if (/\d[-/.]$/.test(before) || /^[-/]\d/.test(after)) return true;
  if (MONTHS.test(previousWord) && /^\d{1,2}$/.test(display)) return true;
  if (/^\s*(?:am|pm|a\.m|p\.m|gmt|et|bst)\b/i.test(after)) return true;
  if (/^(?:st|nd|rd|th)\b/i.test(after)) return true; // "45th anniversary", "the 1st time": an ordinal
  if (/^\s*,\s*(?:said|says|\d{4})/.test(after)) return true; // "Zelenskyy, 44, said"
  if (/^-[\p{L}]/u.test(after)) return true; // "27-nation bloc", "10-year plan": a descriptor, not a count
  if (/^\s*(?:years?|months?|weeks?|days?|hours?|minutes?)\s+(?:old|ago)\b/i.test(after)) return true;
  return false;
}

/** All figures of a text with their subject and, when recognisable, the quantity they measure. */
export function extractFigures(text: string): RawFigure[] {
  const out: RawFigure[] = [];
  const t = tunableOverrides();
  const subjectWords = t.figureSubjectWords ?? SUBJECT_WORDS;
  const lookahead = t.figureModifierLookaheadWords ?? MODIFIER_LOOKAHEAD_WORDS;
  for (const sentence of splitSentences(text)) {
    for (const m of sentence.matchAll(NUMBER_RE)) {
      const display = m[0].trim();
      const index = m.index ?? 0;
      const before = sentence.slice(0, index);
      const after = sentence.slice(index + m[0].length);
      const preceding = trailingWords(before, GROUP_WINDOW_WORDS);
      if (isNonFigure(display, preceding.at(-1) ?? '', after, before)) continue;
      const value = parseValue(display);
      if (value === null || value === 0) continue;
      const percent = /%|per ?cent/i.test(display);
      const money = /^[$£€]/.test(display);
      const following = leadingWords(after, Math.max(subjectWords + 4, GROUP_WINDOW_WORDS));
      const subject = subjectAfter(
        leadingWords(phraseAfter(after), subjectWords + 4),
        subjectWords,
        lookahead,
      );
      if (!subject && !percent && !money) continue;
      const clause = `${subject} ${following.slice(0, subjectWords + 4).join(' ')}`;
      const category = percent || money ? null : categoryOf(clause);
      const group = category ? groupNear(preceding, following) : null;
      const quantity = category ? (group ? `${group} ${category}` : category) : null;
      const readable = isReadableFigure({ display, subject, before, after, quantity });
      out.push({ value, display, subject, quantity, sentence, readable });
    }
  }
  return out;
}

/**
 * Texts whose figures are kept: a story is re-summarised whenever a member joins and re-reads the
 * figures of its whole summary pool, so each member's figures are extracted once, not per re-summary.
 */
export const FIGURES_CACHE_SIZE = 512;
const cachedFigures = lruMemo(FIGURES_CACHE_SIZE, (text: string) => Object.freeze(extractFigures(text)));

/** One member article's figures a reader can use (readable ones), attributed to it. */
export function articleFigures(articleId: string, outlet: string | null, text: string): KeyFigure[] {
  return cachedFigures(text)
    .filter((f) => f.readable)
    .map((f) => ({
      value: f.value,
      display: f.display,
      subject: f.subject,
      articleId,
      outlet,
      sentence: f.sentence,
      ...(f.quantity ? { quantity: f.quantity } : {}),
    }));
}

type FigureWithQuantity = KeyFigure & { readonly quantity?: string };

/**
 * Disagreements: quantities for which the story's sources give figures differing by more than
 * DISAGREEMENT_MIN_RATIO. Each side keeps its first source.
 */
export function findDisagreements(figures: readonly FigureWithQuantity[]): Disagreement[] {
  const byQuantity = new Map<string, FigureWithQuantity[]>();
  for (const f of figures) {
    if (!f.quantity) continue;
    const list = byQuantity.get(f.quantity) ?? [];
    list.push(f);
    byQuantity.set(f.quantity, list);
  }
  const out: Disagreement[] = [];
  for (const [quantity, list] of byQuantity) {
    const distinct: FigureWithQuantity[] = [];
    for (const f of list) {
      if (
        !distinct.some(
          (d) => Math.max(d.value, f.value) / Math.min(d.value, f.value) < DISAGREEMENT_MIN_RATIO,
        )
      ) {
        distinct.push(f);
      }
    }
    if (distinct.length >= 2) out.push({ quantity, figures: distinct.sort((a, b) => b.value - a.value) });
  }
  return out;
}

/**
 * Units whose figures are circumstance, not news: how long a meeting lasted ("90 minutes"), how soon
 * something may happen ("the next 24 hours"). A reader scanning the key figures wants what was
 * counted (deaths, refugees, money), so these show only when a story has no other figure.
 */
const MINOR_UNITS = /^(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|times)$/i;

/** True for a figure that measures a duration or a repetition rather than a newsworthy quantity. */
export function isMinorFigure(figure: Pick<KeyFigure, 'subject'>): boolean {
  const unit = figure.subject.split(/\s+/)[0] ?? '';
  return MINOR_UNITS.test(unit);
}

/**
 * The story's key figures: those in disagreements first, then counted quantities, then the rest;
 * minor figures (isMinorFigure) only when there is nothing else.
 */
export function keyFigures(
  figures: readonly FigureWithQuantity[],
  disagreements: readonly Disagreement[],
): KeyFigure[] {
  const inDispute = new Set(disagreements.flatMap((d) => d.figures));
  const rank = (f: FigureWithQuantity): number => (inDispute.has(f) ? 0 : f.quantity ? 1 : 2);
  const major = figures.filter((f) => inDispute.has(f) || !isMinorFigure(f));
  const shown = major.length > 0 ? major : figures;
  const seen = new Set<string>();
  const out: KeyFigure[] = [];
  for (const f of [...shown].sort((a, b) => rank(a) - rank(b))) {
    const key = `${f.value}|${f.quantity ?? f.subject.toLowerCase()}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(f);
    if (out.length >= MAX_FIGURES_KEPT) break;
  }
  return out;
}
