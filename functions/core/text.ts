/**
 * Text primitives shared by cleaning, fingerprinting, clustering and summarising:
 * sentence splitting, word tokens and a stop-word list.
 */

/**
 * Abbreviations that end with a period but do not end a sentence.
 * Without them "U.N. human rights chief" or "Gen. Konashenkov" would split mid-sentence.
 */
const NON_TERMINAL_ABBREVIATIONS = new Set([
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'gen',
  'lt',
  'col',
  'sgt',
  'capt',
  'maj',
  'rep',
  'sen',
  'gov',
  'pres',
  'st',
  'jr',
  'sr',
  'inc',
  'ltd',
  'co',
  'corp',
  'vs',
  'etc',
  'no',
  'vol',
  'fig',
  'approx',
  'est',
  'jan',
  'feb',
  'mar',
  'apr',
  'jun',
  'jul',
  'aug',
  'sep',
  'sept',
  'oct',
  'nov',
  'dec',
  'mon',
  'tue',
  'wed',
  'thu',
  'fri',
  'sat',
  'sun',
  'a.m',
  'p.m',
  'u.s',
  'u.k',
  'u.n',
  'e.g',
  'i.e',
]);

function isAbbreviationBefore(text: string, periodIndex: number): boolean {
  let start = periodIndex;
  while (start > 0) {
    const c = text.charCodeAt(start - 1);
    if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46)) break;
    start--;
  }
  const word = text.slice(start, periodIndex).toLowerCase();
  if (word.length === 0) return false;
  if (NON_TERMINAL_ABBREVIATIONS.has(word)) return true;
  // Single capital initials ("J. Smith") and dotted acronyms ("U.S.") are not sentence ends.
  return /^[a-z]$/.test(word) || /^([a-z]\.)+[a-z]$/.test(word);
}

/** How a sentence may start: a capital, digit, quote or bracket (tested on its first code point). */
const SENTENCE_START = /^[\p{Lu}\p{N}"'“‘([«—–-]/u;

function startsLikeSentence(line: string, i: number): boolean {
  const c = line.charCodeAt(i);
  if (c < 128)
    return (
      (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 34 || c === 39 || c === 40 || c === 91 || c === 45
    );
  return SENTENCE_START.test(line.slice(i, i + 2));
}

function isStopMark(c: number): boolean {
  return c === 46 || c === 33 || c === 63;
}

/** Closing quotes and brackets that may follow a sentence-ending mark and still belong to that sentence: " ' ” ’ ) ] ». */
function isTrailingCloser(c: number): boolean {
  return c === 34 || c === 39 || c === 0x201d || c === 0x2019 || c === 41 || c === 93 || c === 0xbb;
}

/** Whether String.prototype.trim removes each code unit outside ASCII (0 not yet asked, 1 yes, 2 no). */
const TRIMMED_CODE_UNIT = new Uint8Array(0x10000);

function isTrimmedSpace(c: number): boolean {
  if (c < 128) return c === 32 || (c >= 9 && c <= 13);
  let v = TRIMMED_CODE_UNIT[c]!;
  if (v === 0) {
    v = String.fromCharCode(c).trim().length === 0 ? 1 : 2;
    TRIMMED_CODE_UNIT[c] = v;
  }
  return v === 1;
}

/**
 * Splits prose into sentences. Paragraph breaks (newlines) always end a sentence,
 * since cleaned article text keeps one paragraph per line group.
 * Scans character codes rather than one-character strings and sliced remainders: it runs on every
 * article several times (terms, sentence analysis, figures).
 */
export function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const paragraph of text.split(/\n+/)) {
    const line = paragraph.trim();
    const n = line.length;
    if (n === 0) continue;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const ch = line.charCodeAt(i);
      if (!isStopMark(ch)) continue;
      let end = i + 1;
      while (end < n && isStopMark(line.charCodeAt(end))) end++;
      while (end < n && isTrailingCloser(line.charCodeAt(end))) end++;
      if (end < n && line.charCodeAt(end) !== 32) continue;
      // The next sentence must start like one: a capital, digit, quote or bracket.
      let next = end;
      while (next < n && isTrimmedSpace(line.charCodeAt(next))) next++;
      if (next < n && !startsLikeSentence(line, next)) continue;
      if (ch === 46 && isAbbreviationBefore(line, i)) continue;
      const sentence = line.slice(start, end).trim();
      if (sentence.length > 0) sentences.push(sentence);
      start = end;
      i = end - 1;
    }
    const rest = line.slice(start).trim();
    if (rest.length > 0) sentences.push(rest);
  }
  return sentences;
}

/** A letter or digit outside ASCII (one code point). */
const NON_ASCII_WORD_CHAR = /^[\p{L}\p{N}]$/u;

/** Code units of a word character starting at `i` (1, or 2 for an astral letter/digit), else 0. */
function wordCharAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) ? 1 : 0;
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    return NON_ASCII_WORD_CHAR.test(text.slice(i, i + 2)) ? 2 : 0;
  }
  return isWordCodeUnit(c) ? 1 : 0;
}

/**
 * The regex's verdict on each single UTF-16 code unit outside ASCII (0 not yet asked, 1 letter or
 * digit, 2 neither), filled on first sight: curly quotes and dashes are in most news sentences, and a
 * regex test per character (with a one-character string made for it) cost more than the scan itself.
 */
const CODE_UNIT_CLASS = new Uint8Array(0x10000);

/** True for a code unit that is on its own a letter or digit (a lone surrogate never is). */
export function isWordCodeUnit(c: number): boolean {
  let v = CODE_UNIT_CLASS[c]!;
  if (v === 0) {
    v = NON_ASCII_WORD_CHAR.test(String.fromCharCode(c)) ? 1 : 2;
    CODE_UNIT_CLASS[c] = v;
  }
  return v === 1;
}

/**
 * Lower-cased word tokens (letters and digits, inner apostrophes and hyphens kept): the matches of
 * /[\p{L}\p{N}]+(?:['-][\p{L}\p{N}]+)* (flags gu) on the NFKC-normalised, lower-cased text with curly
 * apostrophes straightened. A hand-written scanner: the Unicode regex cost ~4x more on news text,
 * and this runs on every article several times.
 */
export function tokenize(text: string): string[] {
  let t = text.toLowerCase();
  // NFKC leaves pure ASCII unchanged; skip it there.
  if (/[^\x00-\x7f]/.test(t)) t = t.normalize('NFKC');
  const tokens: string[] = [];
  const n = t.length;
  let i = 0;
  while (i < n) {
    let w = wordCharAt(t, i);
    if (w === 0) {
      i++;
      continue;
    }
    const start = i;
    let hasCurly = false;
    i += w;
    for (;;) {
      while (i < n) {
        w = wordCharAt(t, i);
        if (w === 0) break;
        i += w;
      }
      const c = t.charCodeAt(i);
      // An apostrophe (straight or curly) or hyphen continues the token only before another word char.
      if (i < n && (c === 39 || c === 45 || c === 0x2019 || c === 0x2018) && i + 1 < n) {
        const next = wordCharAt(t, i + 1);
        if (next > 0) {
          if (c !== 39 && c !== 45) hasCurly = true;
          i += 1 + next;
          continue;
        }
      }
      break;
    }
    const token = t.slice(start, i);
    tokens.push(hasCurly ? token.replace(/[’‘]/g, "'") : token);
  }
  return tokens;
}

/** Collapses runs of spaces and tabs and trims each line; keeps paragraph breaks. */
export function normaliseWhitespace(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/[\t\u00a0\u2000-\u200b\u202f\u205f\u3000]+/g, ' ')
    .split('\n')
    .map((line) => line.replace(/ {2,}/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** English month names, January first (index + 1 is the month's number). */
export const ENGLISH_MONTHS: readonly string[] = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** English weekday names, Monday first. */
export const ENGLISH_WEEKDAYS: readonly string[] = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
];

/** English function words: ignored by similarity measures and counted by boilerplate density checks. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below ' +
    'between both but by can could did do does doing down during each few for from further had has have ' +
    'having he her here hers herself him himself his how i if in into is it its itself just me more most ' +
    'my myself no nor not now of off on once only or other our ours ourselves out over own same she should ' +
    'so some such than that the their theirs them themselves then there these they this those through to ' +
    'too under until up very was we were what when where which while who whom why will with would you your ' +
    "yours yourself yourselves also said says say its it's that's there's he's she's they're we're i'm " +
    'would could may might must shall one two new like get got made make us'
  ).split(' '),
);
