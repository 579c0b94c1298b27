/** Text size in "words" for every script: scripts written without spaces count two characters a word. */

const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/gu;

/** Characters of an unspaced script per word: Chinese and Japanese words average about two characters. */
export const UNSPACED_CHARS_PER_WORD = 2;

export function wordSize(text: string): number {
  const unspaced = text.match(UNSPACED_SCRIPT)?.length ?? 0;
  const spaced = text
    .replace(UNSPACED_SCRIPT, ' ')
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
  return spaced + unspaced / UNSPACED_CHARS_PER_WORD;
}
