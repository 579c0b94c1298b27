/**
 * Word wrapping for the plain-text alternative. Widths count Unicode code points, which is what a
 * terminal shows for the Latin, Cyrillic and Greek text news comes in.
 */

/** The classic terminal width the plain-text alternative is written for. */
export const TEXT_WIDTH = 72;

function width(value: string): number {
  return Array.from(value).length;
}

/**
 * Wraps one paragraph to `max` columns. `firstIndent` starts the first line, `indent` the others.
 * A single word longer than a line (a URL) stays whole on its own line rather than being broken.
 */
export function wrapParagraph(
  text: string,
  max = TEXT_WIDTH,
  firstIndent = '',
  indent = firstIndent,
): string[] {
  const words = text.split(/\s+/).filter((w) => w.length > 0);
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
