/** Text size in "words" for every script: scripts written without spaces count two characters a word. */

const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;

/** Characters of an unspaced script per word: Chinese and Japanese words average about two characters. */
export const UNSPACED_CHARS_PER_WORD = 2;

/** JavaScript's `\s`, by char code (the loops below avoid a regex per token). */
export function isSpaceCode(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Whitespace-separated tokens: `text.split(/\s+/).filter(Boolean).length` without the arrays. With a
 * `limit`, counting stops at limit + 1: the line rules only ask "at most N words?", and prose is long.
 */
export function countWords(text: string, limit = Number.POSITIVE_INFINITY): number {
  let count = 0;
  let inToken = false;
  for (let i = 0; i < text.length; i++) {
    const space = isSpaceCode(text.charCodeAt(i));
    if (!space && !inToken && ++count > limit) return count;
    inToken = !space;
  }
  return count;
}

/**
 * Blocks that may hold an unspaced script (Thai…Khmer, CJK, kana, compatibility forms, astral planes),
 * matched per UTF-16 code unit. A coarse superset: text with none of them is counted by the fast path.
 */
const MAY_BE_UNSPACED =
  /[\u0e00-\u0eff\u1000-\u109f\u1780-\u19ff\u2e80-\ua4cf\ud800-\udfff\uf900-\ufaff\uff00-\uffef]/;

/** A letter or a digit of any script. */
const LETTER_OR_NUMBER = /[\p{L}\p{N}]/u;

/**
 * True when the text has at least `n` words by wordSize. A short prefix settles it for nearly every
 * article (a prefix never counts more words than the whole text), so long texts are not scanned.
 */
export function hasWords(text: string, n: number): boolean {
  const PREFIX_CHARS_PER_WORD = 30;
  // Stryker disable next-line MethodExpression,ArithmeticOperator: the prefix only saves work; a prefix of any length that falls short is followed by the whole text.
  const prefix = text.slice(0, n * PREFIX_CHARS_PER_WORD);
  return wordSize(prefix) >= n || wordSize(text) >= n;
}

export function wordSize(text: string): number {
  if (!MAY_BE_UNSPACED.test(text)) return spacedWords(text);
  const unspaced = text.match(UNSPACED_SCRIPT)?.length ?? 0;
  const spaced = text
    .replace(UNSPACED_SCRIPT, ' ')
    .split(/\s+/)
    .filter((w) => LETTER_OR_NUMBER.test(w)).length;
  return spaced + unspaced / UNSPACED_CHARS_PER_WORD;
}

function isAsciiLetterOrDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122);
}

/**
 * Whitespace-separated tokens holding a letter or a digit, for text without an unspaced script: one
 * pass by char code, the Unicode test only for a token's non-ASCII characters until one counts.
 */
function spacedWords(text: string): number {
  let count = 0;
  let counted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpaceCode(c)) {
      counted = false;
      continue;
    }
    if (!counted && (isAsciiLetterOrDigit(c) || (c >= 0x80 && LETTER_OR_NUMBER.test(text.charAt(i))))) {
      counted = true;
      count++;
    }
  }
  return count;
}
