/**
 * Name evidence from an article's text: capitalised words inside sentences and runs of them joined
 * into multi-word names. Names separate events better than topic words, so they weigh more in the
 * term vector and a story must share one to take an article that gives enough of them.
 */
import { ENGLISH_MONTHS, ENGLISH_WEEKDAYS, isWordCodeUnit, STOP_WORDS, tokenize } from '../text.ts';
import { stem } from './stemming.ts';

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
