/**
 * Spam lines: adult/gambling/pharma vocabulary in a short line, link farms, and short lower-case
 * fragments with no sentence structure ("xnxx indian").
 */
import { countWords } from '../size.ts';

/** Vocabulary that does not occur in a news paragraph's own short lines. */
const SPAM_VOCABULARY =
  /\b(?:xnxx|xvideos?|xhamster|pornhub|porn\w*|xxx|hentai|onlyfans|nude|nudes|escorts?|camgirls?|sex ?(?:videos?|chat|cams?)|casino|jackpot|slots?|viagra|cialis|levitra|payday loans?|crypto ?giveaway|bitcoin doubler|replica watches|weight loss pills)\b/i;

/** Longest line judged by the spam rules; long lines are prose even if they mention a casino. */
export const MAX_SPAM_WORDS = 12;

/** Longest lower-case fragment treated as junk; a real sentence fragment this short is noise too. */
export const MAX_FRAGMENT_WORDS = 6;

const URL = /\b(?:https?:\/\/|www\.)\S+/gi;

export function isSpamLine(line: string): boolean {
  const text = line.trim();
  const words = countWords(text, MAX_SPAM_WORDS);
  if (words === 0) return false;
  const urls = text.match(URL) ?? [];
  if (urls.length >= 2 || (urls.length === 1 && words <= 3)) return true;
  if (words > MAX_SPAM_WORDS) return false;
  if (SPAM_VOCABULARY.test(text)) return true;
  return isLowerCaseFragment(text);
}

/** A short line that starts in lower case and has no sentence punctuation is not prose. */
export function isLowerCaseFragment(text: string): boolean {
  return (
    countWords(text, MAX_FRAGMENT_WORDS) <= MAX_FRAGMENT_WORDS &&
    /^\p{Ll}/u.test(text) &&
    !/[.!?:;,]["'”’)]*$/.test(text)
  );
}
