/**
 * Post-filters on Readability's paragraphs: captions, promos, spam and bylines, with the same
 * classifiers as the text path, plus the title repeated as the first paragraph.
 */
import { isBylineLine, isCaptionLine, isPromoLine, isSpamLine, stripConsent } from '../clean/index.ts';

function normal(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function filterParagraphs(paragraphs: readonly string[], title: string | null): string[] {
  const out: string[] = [];
  const t = title ? normal(title) : null;
  for (const p of paragraphs) {
    if (t && normal(p) === t) continue;
    const line = stripConsent(p);
    if (line.length === 0) continue;
    if (isCaptionLine(line) || isPromoLine(line) || isSpamLine(line) || isBylineLine(line)) continue;
    out.push(line);
  }
  return out;
}
