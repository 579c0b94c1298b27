/**
 * Terms for clustering: light stemming, named-entity detection and the weighted term-frequency
 * profile of an article (title, lead and entities weigh more than body words).
 * The profile depends only on the article, so it can be recomputed at any time (e.g. on removal).
 */
import {
  ENGLISH_MONTHS,
  ENGLISH_WEEKDAYS,
  isWordCodeUnit,
  STOP_WORDS,
  splitSentences,
  tokenize,
} from '../text.ts';

/**
 * Share of an article vector's squared norm given to its headline, whatever the body's length.
 * The title and the body are L2-normalised separately and then combined, so the cosine of two
 * articles is about TITLE_SHARE × (headline agreement) + (1 − TITLE_SHARE) × (body agreement).
 * A fixed share, not a per-word weight: with a per-word weight a long body (or a page whose body
 * is a category list, a video player, a "chat with us" stub) drowned the headline, and two reports
 * of one event with near-identical headlines scored as strangers. The headline names the event;
 * the body still holds most of the weight, so same-topic headlines ("North Korea fires ...") cannot
 * carry a join alone. A quarter: with less, a short body that happens to share a place name
 * (a record snowfall in Erie and an Erie woman's $284bn power bill, a day apart) outweighs two
 * unrelated headlines; shares from 0.2 to 0.4 cluster our evaluation set alike.
 */
export const TITLE_SHARE = 0.25;
/** The standfirst/description is a second, shorter headline. */
export const DESCRIPTION_WEIGHT = 1.5;
/** Sentences at the top of a story (the news lead) say what happened; later ones drift to background. */
export const LEAD_SENTENCES = 5;
export const LEAD_WEIGHT = 1.5;
/**
 * Extra weight of a named entity (a capitalised word inside a sentence, or a multi-word name).
 * Names of people, places and organisations separate events better than topic words.
 */
export const ENTITY_BONUS = 0.25;
/** Body text beyond this many words is ignored: tails of long pages are background or page junk. */
export const MAX_BODY_WORDS = 1200;

/** Words that are capitalised for grammar, not because they are names. */
const CAPITALISED_NON_ENTITIES = new Set([
  ...ENGLISH_WEEKDAYS,
  ...ENGLISH_MONTHS,
  'mr',
  'mrs',
  'ms',
  'dr',
  'the',
]);

/**
 * Harman's "S" stemmer plus a transliteration fold for names (Zelenskiy / Zelenskyy / Zelensky,
 * Oleksii / Oleksiy): conservative, so distinct words never collapse.
 */
export function stem(word: string): string {
  // endsWith tests rather than regular expressions: this runs on every word of every article.
  let w = word.endsWith("'s") || word.endsWith('’s') ? word.slice(0, -2) : word;
  if (w.length > 4 && (w.endsWith('iy') || w.endsWith('yy') || w.endsWith('ii'))) w = `${w.slice(0, -2)}y`;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && !w.endsWith('eies') && !w.endsWith('aies')) return `${w.slice(0, -3)}y`;
  if (w.endsWith('es') && !w.endsWith('aes') && !w.endsWith('ees') && !w.endsWith('oes')) {
    // "buses", "crashes": drop "es" only after s/x/z/ch/sh; otherwise only the "s" ("rates" -> "rate").
    const before = w.charCodeAt(w.length - 3);
    if (before === 115 || before === 120 || before === 122 || w.endsWith('ches') || w.endsWith('shes'))
      return w.slice(0, -2);
    return w.slice(0, -1);
  }
  if (w.endsWith('s') && !w.endsWith('us') && !w.endsWith('ss') && !w.endsWith('is')) return w.slice(0, -1);
  return w;
}

/** True for a token worth indexing: not a stop word, not a lone letter, not a bare small number. */
export function isContentToken(token: string): boolean {
  if (token.length < 2) return false;
  if (STOP_WORDS.has(token)) return false;
  // Bare numbers below 100 ("2", "45") say little about an event; years and large counts do.
  if (token.length < 3 && isDigits(token)) return false;
  return true;
}

function isDigits(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return token.length > 0;
}

/** Stemmed content terms of a text. */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  for (const token of tokenize(numbersJoined(text))) if (isContentToken(token)) out.push(stem(token));
  return out;
}

/** "4,500" and "1,000,000" become one token each, so figures act as terms. */
function numbersJoined(text: string): string {
  return hasDigitComma(text) ? text.replace(/(\d),(?=\d{3}\b)/g, '$1') : text;
}

/** True when some comma has a digit on both sides: most sentences have none, and then need no regex. */
function hasDigitComma(text: string): boolean {
  for (let i = text.indexOf(',', 1); i >= 0 && i + 1 < text.length; i = text.indexOf(',', i + 1)) {
    const before = text.charCodeAt(i - 1);
    const after = text.charCodeAt(i + 1);
    if (before >= 48 && before <= 57 && after >= 48 && after <= 57) return true;
  }
  return false;
}

/**
 * Named entities of a sentence: capitalised words that do not start the sentence, joined into
 * multi-word names when adjacent ("Vladimir Putin" -> "vladimir_putin" plus its parts). With
 * `names`, the sentence's names are also collected there (see NameEvidence).
 */
export function sentenceEntities(sentence: string, names?: NameEvidence): string[] {
  const words = entityWords(sentence);
  const out: string[] = [];
  // The current run of adjacent names is the last `run` entries of `out` (nothing else is pushed
  // while a run lasts), so it needs no array of its own, and no closure is made per sentence.
  let run = 0;
  // For `names` only: the sentence's first word, when it could be a name ("Ralvasba Group said").
  let opener: string | null = null;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] ?? '';
    // The opening word matters only before another capitalised word.
    if (startsUppercase(word) && (i > 0 || (names && words.length > 1 && startsUppercase(words[1]!)))) {
      const raw = withoutTrailingPunctuation(word);
      const lower = raw.toLowerCase();
      if (!CAPITALISED_NON_ENTITIES.has(lower) && !STOP_WORDS.has(lower)) {
        // A plain ASCII word is its own single token: skip the tokenizer (this runs on every name).
        const t = stem(isAsciiAlphanumeric(lower) ? lower : tokenize(raw).join(''));
        if (t.length >= 2) {
          if (i === 0) {
            opener = t;
            continue;
          }
          out.push(t);
          run++;
          continue;
        }
      }
    }
    endRun(out, run, names, run === i - 1 ? opener : null);
    run = 0;
  }
  endRun(out, run, names, run === words.length - 1 ? opener : null);
  return out;
}

/**
 * Closes a run of adjacent names (the last `run` entries of `out`): a multi-word name is joined.
 * `opener` is the capitalised word that opened the sentence right before the run: not counted as a
 * name in the term vector (most sentences open with a capital), but part of the run for `names`, or
 * "Ralvasba Group said" would give the lone name "Group".
 */
function endRun(out: string[], run: number, names: NameEvidence | undefined, opener: string | null): void {
  if (run === 0) return;
  const start = out.length - run;
  if (run > 1) out.push(out.slice(start).join('_'));
  if (!names) return;
  if (opener !== null) names.noteRun(`${opener}_${run > 1 ? out[out.length - 1]! : out[start]!}`);
  else if (run > 1) names.noteRun(out[out.length - 1]!);
  else names.noteSingle(out[start]!);
}

/**
 * Marks a part of a multi-word name (see nameParts): "~road" for "Murdozem Road". Term stems never
 * start with it, since "~" is not a word character.
 */
export const NAME_PART_MARK = '~';

/**
 * Collects an article's names as evidence of which event it reports: every multi-word name whole
 * ("vera_nikzemgar", "murdozem_road") and every lone capitalised word of three letters or more
 * ("fernford", "portnow"). Lone words of two letters are mostly generic abbreviations ("MP", "US").
 * The parts of the multi-word names count too, but only against a whole name (see nameParts).
 */
export class NameEvidence {
  private readonly names = new Set<string>();

  /** A name word that stood alone. */
  noteSingle(stemmed: string): void {
    if (stemmed.length > 2) this.names.add(stemmed);
  }

  /** A multi-word name, its stemmed words joined with "_". */
  noteRun(joined: string): void {
    this.names.add(joined);
  }

  /** The article's names, in the order first read. */
  found(): string[] {
    return [...this.names];
  }
}

/**
 * The parts of an article's multi-word names, each marked with NAME_PART_MARK: their words, and in a
 * name of three words or more its adjacent pairs ("~las_vega" in "Las Vegas, Nevada"). A part is
 * evidence only against a whole name ("Portnow" said; "Neil Portnow" wrote), never against another
 * part: the generic halves of names ("Road", "Partners", "Development Corporation", first names) are
 * shared by unrelated events. Derived from the names, so never stored.
 */
export function nameParts(names: readonly string[]): string[] {
  const parts = new Set<string>();
  for (const name of names) {
    if (!name.includes('_')) continue;
    const words = name.split('_');
    for (let i = 0; i < words.length; i++) {
      parts.add(NAME_PART_MARK + words[i]!);
      if (words.length > 2 && i > 0) parts.add(`${NAME_PART_MARK}${words[i - 1]!}_${words[i]!}`);
    }
  }
  return [...parts];
}

/** The word without trailing dots and apostrophes ("U.S." -> "U.S", "Jones'" -> "Jones"). */
function withoutTrailingPunctuation(word: string): string {
  let end = word.length;
  while (end > 0) {
    const c = word.charCodeAt(end - 1);
    if (c !== 46 && c !== 39 && c !== 0x2019) break;
    end--;
  }
  return end === word.length ? word : word.slice(0, end);
}

function isAsciiAlphanumeric(word: string): boolean {
  for (let i = 0; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 48 && c <= 57))) return false;
  }
  return true;
}

const UPPERCASE_START = /^\p{Lu}/u;
const WORD_START = /^[\p{L}\p{N}]/u;

function startsUppercase(word: string): boolean {
  const c = word.charCodeAt(0);
  if (c < 128) return c >= 65 && c <= 90;
  return UPPERCASE_START.test(word);
}

function isWordStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57);
  // Only a surrogate pair needs the regex; any other code unit is a letter or digit on its own or not at all.
  if (c >= 0xd800 && c <= 0xdbff) return WORD_START.test(text.slice(i, i + 2));
  return isWordCodeUnit(c);
}

/**
 * The matches of /[\p{L}\p{N}][\p{L}\p{N}'’.-]* (flags gu): words with their inner (and trailing)
 * apostrophes, dots and hyphens. Scanned by hand; the Unicode regex dominated clustering time.
 */
function entityWords(sentence: string): string[] {
  const out: string[] = [];
  const n = sentence.length;
  let i = 0;
  while (i < n) {
    if (!isWordStart(sentence, i)) {
      i++;
      continue;
    }
    const start = i;
    i += sentence.charCodeAt(i) >= 0xd800 && sentence.charCodeAt(i) <= 0xdbff ? 2 : 1;
    while (i < n) {
      const c = sentence.charCodeAt(i);
      if (c === 39 || c === 0x2019 || c === 46 || c === 45) i++;
      else if (isWordStart(sentence, i)) i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
      else break;
    }
    out.push(sentence.slice(start, i));
  }
  return out;
}

/**
 * Characters of a description that must recur in the body for it to count as the body's own text:
 * long enough that a recurrence is a copy, not a shared phrase.
 */
export const DESCRIPTION_COPY_CHARS = 50;

/**
 * True when the description is a copy of the body's text (most often its first sentence, cut with an
 * ellipsis) rather than a standfirst of its own: its opening recurs verbatim in the body. A copy adds
 * no words; counted again, it doubled that one sentence's weight over the rest of the lead, and a
 * place named in the opening (Erie's record snowfall) carried a report to another event of that place
 * (an Erie woman's $284bn power bill) by a hair.
 */
export function repeatsBody(description: string, text: string): boolean {
  const opening = description.trim().slice(0, DESCRIPTION_COPY_CHARS);
  return opening.length === DESCRIPTION_COPY_CHARS && text.includes(opening);
}

/** A sparse vector: term -> weight. */
export type TermVector = Map<string, number>;

/**
 * A term vector as parallel arrays, in the Map's order: what articleSignals gives (signals.ts). A
 * structured clone rebuilds a Map entry by entry, and two arrays came across about four times faster
 * (15 µs against 55 µs for a 300-term vector); a worker goes further and numbers the terms
 * (TermNumbering) before they cross to the engine's thread.
 */
export interface PackedTermVector {
  readonly terms: readonly string[];
  readonly weights: Float64Array;
}

export function packTermVector(vec: TermVector): PackedTermVector {
  return { terms: [...vec.keys()], weights: Float64Array.from(vec.values()) };
}

/**
 * The terms another thread has numbered, in the order it numbered them: append-only, and shared by
 * every vector that thread sends, so each term crosses the thread boundary once.
 */
export class TermTable {
  readonly terms: string[] = [];
}

/**
 * A term vector whose terms are numbers in a TermTable: what a preparation worker sends. Interning
 * it looks up each number in an array instead of each term in the engine's vocabulary (a string
 * hash and compare per term, about 0.5 s per 10k articles on the engine's thread).
 */
export interface NumberedTermVector {
  readonly table: TermTable;
  readonly ids: Int32Array;
  readonly weights: Float64Array;
}

/** Numbers terms for a TermTable kept on another thread: the sending side of NumberedTermVector. */
export class TermNumbering {
  private readonly numbers = new Map<string, number>();
  private readonly order: string[] = [];

  /** Terms numbered so far; `forgetSince(size)` undoes what came after. */
  get size(): number {
    return this.order.length;
  }

  /** The vector's term numbers, and the terms numbered for it (to append to the receiving table). */
  number(vec: PackedTermVector): { ids: Int32Array; newTerms: string[] } {
    const ids = new Int32Array(vec.terms.length);
    const newTerms: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const term = vec.terms[i]!;
      let n = this.numbers.get(term);
      if (n === undefined) {
        n = this.order.length;
        this.numbers.set(term, n);
        this.order.push(term);
        newTerms.push(term);
      }
      ids[i] = n;
    }
    return { ids, newTerms };
  }

  /** Forgets the terms numbered after the first `size`: their message never reached the table. */
  forgetSince(size: number): void {
    for (const term of this.order.splice(size)) this.numbers.delete(term);
  }
}

function add(vec: TermVector, term: string, weight: number): void {
  vec.set(term, (vec.get(term) ?? 0) + weight);
}

/** log(1 + tf) of each term in place (sublinear: one repeated word cannot dominate); returns the L2 norm. */
function sublinear(raw: TermVector): number {
  let norm = 0;
  raw.forEach((tf, t) => {
    const w = Math.log1p(tf);
    raw.set(t, w);
    norm += w * w;
  });
  return Math.sqrt(norm);
}

/** Scales every weight of a vector in place. */
function scale(vec: TermVector, factor: number): TermVector {
  vec.forEach((w, t) => {
    vec.set(t, w * factor);
  });
  return vec;
}

/**
 * The article's term vector: the headline's terms (and its multi-word names) and the body's
 * weighted term frequencies (description, lead sentences and named entities weigh more), each
 * scaled sublinearly and L2-normalised on its own, then combined with the headline holding
 * TITLE_SHARE of the squared norm, and normalised again (terms in both parts add up) so long and
 * short articles count equally in a centroid. Without a title it is the body vector alone.
 */
export function articleTermVector(
  title: string | null,
  text: string,
  description: string | null,
): TermVector {
  return articleTerms(title, text, description).vector;
}

/**
 * The article's term vector (articleTermVector) and its names (NameEvidence), read in one pass over
 * the body: the names are what the story engine asks a story to share before the article may join it.
 */
export function articleTerms(
  title: string | null,
  text: string,
  description: string | null,
): { vector: TermVector; names: string[] } {
  const names = new NameEvidence();
  const body: TermVector = new Map();
  if (description && !repeatsBody(description, text))
    for (const t of contentTerms(description)) add(body, t, DESCRIPTION_WEIGHT);
  let words = 0;
  const sentences = splitSentences(text);
  for (let i = 0; i < sentences.length && words < MAX_BODY_WORDS; i++) {
    const sentence = sentences[i] ?? '';
    const weight = i < LEAD_SENTENCES ? LEAD_WEIGHT : 1;
    const terms = contentTerms(sentence);
    words += terms.length;
    for (const t of terms) add(body, t, weight);
    for (const e of sentenceEntities(sentence, names)) add(body, e, ENTITY_BONUS * weight);
  }
  const head: TermVector = new Map();
  if (title) {
    for (const t of contentTerms(title)) add(head, t, 1);
    for (const e of sentenceEntities(`x ${title}`, names)) if (e.includes('_')) add(head, e, 1);
  }
  const bodyNorm = sublinear(body);
  const headNorm = sublinear(head);
  const found = names.found();
  if (headNorm === 0) return { vector: bodyNorm > 0 ? scale(body, 1 / bodyNorm) : body, names: found };
  if (bodyNorm === 0) return { vector: scale(head, 1 / headNorm), names: found };
  return { vector: combine(head, headNorm, body, bodyNorm, TITLE_SHARE), names: found };
}

/**
 * √share·a/|a| + √(1−share)·b/|b|, L2-normalised, reusing b's map. The combined norm follows from
 * the overlap alone (|x + y|² = |x|² + |y|² + 2x·y, here 1 + 2x·y), so the body is scaled in one pass.
 */
function combine(a: TermVector, aNorm: number, b: TermVector, bNorm: number, share: number): TermVector {
  const wa = Math.sqrt(share) / aNorm;
  const wb = Math.sqrt(1 - share) / bNorm;
  let overlap = 0;
  a.forEach((w, t) => {
    const v = b.get(t);
    if (v !== undefined) overlap += w * wa * v * wb;
  });
  const norm = Math.sqrt(1 + 2 * overlap);
  scale(b, wb / norm);
  a.forEach((w, t) => {
    b.set(t, (b.get(t) ?? 0) + (w * wa) / norm);
  });
  return b;
}
