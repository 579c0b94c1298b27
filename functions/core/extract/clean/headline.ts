/**
 * Headline shape: short, no sentence-final punctuation. Used for title detection, for inline promo
 * headlines ("Understanding the Roots of Russia’s War in Ukraine: QuickTake") and to find where a
 * trailing unrelated story begins.
 */
import { countWords } from '../size.ts';

/** Longest line that can be a headline (news headlines run 6–15 words). */
export const MAX_HEADLINE_LINE_WORDS = 22;

/** Longest title in characters; longer first lines are lede paragraphs. */
export const MAX_HEADLINE_LINE_CHARS = 200;

/**
 * Share of significant words (not short function words) that must be capitalised for title case.
 * Title-case headlines capitalise all of them; sentence-case prose capitalises a few names.
 */
export const TITLE_CASE_SHARE = 0.75;

/** Fewest words for an in-body title-case line to count as a promo headline; "Sanctions Bite" stays. */
export const MIN_PROMO_HEADLINE_WORDS = 5;

const MINOR_WORDS = new Set(
  'a an and as at but by for from in into nor of on or over per the to up via vs with is are be was its'.split(
    ' ',
  ),
);

function words(line: string): string[] {
  return line.split(/\s+/).filter(Boolean);
}

/** No terminal . ! ? ; , (a closing quote or bracket after them still counts as terminal). */
export function endsWithoutSentencePunctuation(line: string): boolean {
  return !/[.!?;,…]["'”’)\]]*$/.test(line.trim());
}

export function isHeadlineShaped(line: string): boolean {
  // Cheapest tests first: most lines are prose that is too long or ends a sentence.
  if (line.length > MAX_HEADLINE_LINE_CHARS || !endsWithoutSentencePunctuation(line)) return false;
  const n = countWords(line, MAX_HEADLINE_LINE_WORDS);
  return n >= 2 && n <= MAX_HEADLINE_LINE_WORDS && /^[\p{Lu}\p{N}"'“‘]/u.test(line.trim());
}

export function isTitleCase(line: string): boolean {
  const significant = words(line)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => w.length > 0 && /\p{L}/u.test(w) && !MINOR_WORDS.has(w.toLowerCase()));
  if (significant.length < 2) return false;
  const capitalised = significant.filter((w) => /^[\p{Lu}\p{N}]/u.test(w)).length;
  return capitalised / significant.length >= TITLE_CASE_SHARE;
}

/**
 * A headline-shaped, title-case line inside the body: a link to another story. Real subheadings are
 * kept when they are short or written in sentence case.
 */
export function isInlinePromoHeadline(line: string): boolean {
  return (
    isHeadlineShaped(line) &&
    countWords(line, MIN_PROMO_HEADLINE_WORDS) >= MIN_PROMO_HEADLINE_WORDS &&
    isTitleCase(line)
  );
}

/** A first line that can be the article's title (and not its first sentence). */
export function isTitleCandidate(line: string): boolean {
  const n = countWords(line, MAX_HEADLINE_LINE_WORDS);
  return (
    n >= 1 &&
    n <= MAX_HEADLINE_LINE_WORDS &&
    line.length <= MAX_HEADLINE_LINE_CHARS &&
    !/[.;,:…]["'”’)\]]*$/.test(line.trim()) &&
    /^[\p{Lu}\p{N}"'“‘]/u.test(line.trim())
  );
}
