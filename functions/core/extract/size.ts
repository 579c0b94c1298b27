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
 * Blocks that may hold an unspaced script (Thai…Khmer, CJK, kana, compatibility forms, astral
 * planes). A coarse superset: text with none of them is counted by the fast path.
 */
function mayBeUnspaced(c: number): boolean {
  return (
    (c >= 0x0e00 && c <= 0x0eff) ||
    (c >= 0x1000 && c <= 0x109f) ||
    (c >= 0x1780 && c <= 0x19ff) ||
    (c >= 0x2e80 && c <= 0xa4cf) ||
    (c >= 0xd800 && c <= 0xdfff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0xff00 && c <= 0xffef)
  );
}

/**
 * True when the text has at least `n` words by wordSize. A short prefix settles it for nearly every
 * article (a prefix never counts more words than the whole text), so long texts are not scanned.
 */
export function hasWords(text: string, n: number): boolean {
  const PREFIX_CHARS_PER_WORD = 30;
  return wordSize(text.slice(0, n * PREFIX_CHARS_PER_WORD)) >= n || wordSize(text) >= n;
}

export function wordSize(text: string): number {
  const fast = spacedWordsOrNull(text);
  if (fast !== null) return fast;
  const unspaced = text.match(UNSPACED_SCRIPT)?.length ?? 0;
  const spaced = text
    .replace(UNSPACED_SCRIPT, ' ')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return spaced + unspaced / UNSPACED_CHARS_PER_WORD;
}

/**
 * Tokens holding a letter or a digit (ASCII checked without a Unicode regex), or null when the text
 * may hold an unspaced script and needs the exact count.
 */
function spacedWordsOrNull(text: string): number | null {
  let count = 0;
  let tokenStart = -1;
  let counted = false;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c > 0x0dff && mayBeUnspaced(c)) return null;
    if (isSpaceCode(c)) {
      if (tokenStart >= 0 && !counted && /[\p{L}\p{N}]/u.test(text.slice(tokenStart, i))) count++;
      tokenStart = -1;
      continue;
    }
    if (tokenStart < 0) {
      tokenStart = i;
      counted = false;
    }
    if (!counted && ((c >= 48 && c <= 57) || ((c | 32) >= 97 && (c | 32) <= 122))) {
      counted = true;
      count++;
    }
  }
  return count;
}
