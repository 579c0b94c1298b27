/** Plain-text articles: optional header lines, an optional title line, then the body. */
import { normaliseWhitespace } from '../text.ts';
import { cleanParagraphs, toParagraphs } from './clean/index.ts';
import type { Headers } from './headers.ts';
import { parseHeaders } from './headers.ts';

export interface ParsedText {
  readonly title: string | null;
  readonly paragraphs: string[];
  readonly headers: Headers;
  readonly datelines: string[];
}

/** Parses and cleans a plain-text article. `knownTitle` skips title detection (JSON, Markdown). */
export function parsePlainText(text: string, knownTitle: string | null = null): ParsedText {
  const normalised = normaliseWhitespace(text);
  const { headers, lines } = parseHeaders(normalised.split('\n'));
  const title = knownTitle ?? headers.title ?? null;
  const cleaned = cleanParagraphs(toParagraphs(lines.join('\n')), { detectTitle: title === null });
  return {
    title: title ?? cleaned.title,
    paragraphs: cleaned.paragraphs,
    headers,
    datelines: cleaned.datelines,
  };
}
