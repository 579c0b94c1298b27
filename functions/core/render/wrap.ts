/**
 * Word wrapping for the plain-text alternative. Widths count Unicode code points, which is what a
 * terminal shows for the Latin, Cyrillic and Greek text news comes in.
 */

/**
 * The classic terminal width the plain-text alternative is written for. The only lines allowed past
 * it are single URLs too long to fit, which are never broken (see wrapParagraph).
 */
export const TEXT_WIDTH = 72;

/** A URL as the plain text writes it; breaking one would break the link, so it stays whole. */
const URL_TOKEN = /^<?https?:\/\/\S+$/;

function width(value: string): number {
  return Array.from(value).length;
}

/** Splits a word that cannot fit on any line into line-sized pieces (URLs excepted). */
function breakLongWord(word: string, room: number): string[] {
  if (URL_TOKEN.test(word) || width(word) <= room) return [word];
  const chars = Array.from(word);
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += room) pieces.push(chars.slice(i, i + room).join(''));
  return pieces;
}

/**
 * Wraps one paragraph to `max` columns. `firstIndent` starts the first line, `indent` the others.
 * A URL longer than a line stays whole on its own line; any other over-long word is broken.
 */
export function wrapParagraph(
  text: string,
  max = TEXT_WIDTH,
  firstIndent = '',
  indent = firstIndent,
): string[] {
  const room = Math.max(1, max - Math.max(width(firstIndent), width(indent)));
  const words = text
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .flatMap((w) => breakLongWord(w, room));
  const lines: string[] = [];
  let line = firstIndent;
  let lineHasWord = false;
  for (const word of words) {
    const prefix = lines.length === 0 ? firstIndent : indent;
    const candidate = lineHasWord ? `${line} ${word}` : `${prefix}${word}`;
    if (width(candidate) <= max || !lineHasWord) {
      line = candidate;
      lineHasWord = true;
      continue;
    }
    lines.push(line);
    line = `${indent}${word}`;
  }
  if (lineHasWord) lines.push(line);
  return lines;
}
