/**
 * Line-level cleaning for plain text, Markdown and JSON article bodies: drops what a reader would not
 * call the article and keeps every sentence of the story.
 */
import { isBylineLine, isTimestampLine } from './byline.ts';
import { isCaptionLine } from './caption.ts';
import { trailingStoryStart } from './coherence.ts';
import { stripConsent } from './consent.ts';
import { isInlinePromoHeadline, isTitleCandidate } from './headline.ts';
import { isPromoLine } from './promo.ts';
import { isSpamLine } from './spam.ts';

export { isBylineLine, isTimestampLine } from './byline.ts';
export { isCaptionLine } from './caption.ts';
export { tailSimilarity, trailingStoryStart } from './coherence.ts';
export { isConsentSentence, stripConsent } from './consent.ts';
export { isHeadlineShaped, isInlinePromoHeadline, isTitleCandidate, isTitleCase } from './headline.ts';
export { isPromoLine, isShoutedLabel } from './promo.ts';
export { isSpamLine } from './spam.ts';

/**
 * A line this long that does not end a sentence, followed by a line starting in lower case, was
 * hard-wrapped (e-mail, terminal copies); shorter lines are labels and stay separate.
 */
export const MIN_WRAPPED_LINE_CHARS = 40;

export interface CleanOptions {
  /** Look for a title in the first surviving line (false when the format already gave one). */
  readonly detectTitle: boolean;
}

export interface CleanResult {
  readonly title: string | null;
  readonly paragraphs: string[];
  /** Timestamp lines removed from the body; the date finder reads them first. */
  readonly datelines: string[];
  /** What was removed and why, for diagnostics. */
  readonly removed: Array<{ readonly text: string; readonly reason: string }>;
}

/** Strips list bullets and block-quote markers. */
function stripMarkers(line: string): string {
  return line
    .replace(/^(?:[-*•·▪►▶◦‣+]|\d{1,2}[.)])\s+/u, '')
    .replace(/^>\s?/, '')
    .trim();
}

/** Splits text into paragraph lines, re-joining hard-wrapped lines. */
export function toParagraphs(text: string): string[] {
  const out: string[] = [];
  let previousBlank = true;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.length === 0) {
      previousBlank = true;
      continue;
    }
    const last = out[out.length - 1];
    if (
      !previousBlank &&
      last !== undefined &&
      last.length >= MIN_WRAPPED_LINE_CHARS &&
      !/[.!?:;"”’)]$/.test(last) &&
      /^[\p{Ll}(]/u.test(line)
    ) {
      out[out.length - 1] = `${last} ${line}`;
    } else {
      out.push(line);
    }
    previousBlank = false;
  }
  return out;
}

function lineJunkReason(line: string): string | null {
  if (isCaptionLine(line)) return 'caption';
  if (isPromoLine(line)) return 'promo';
  if (isSpamLine(line)) return 'spam';
  if (isBylineLine(line)) return 'byline';
  return null;
}

/** Cleans paragraph lines: consent, captions, promos, spam, bylines, title, promo headlines, trailing stories. */
export function cleanParagraphs(lines: readonly string[], options: CleanOptions): CleanResult {
  const removed: Array<{ text: string; reason: string }> = [];
  const datelines: string[] = [];
  const kept: string[] = [];
  for (const original of lines) {
    const line = stripConsent(stripMarkers(original));
    if (line.length === 0) {
      removed.push({ text: original, reason: 'consent' });
      continue;
    }
    if (isTimestampLine(line)) {
      datelines.push(line);
      removed.push({ text: line, reason: 'timestamp' });
      continue;
    }
    const reason = lineJunkReason(line);
    if (reason) {
      removed.push({ text: line, reason });
      continue;
    }
    kept.push(line);
  }

  let title: string | null = null;
  let body = kept;
  if (options.detectTitle && kept.length > 1 && isTitleCandidate(kept[0]!)) {
    title = kept[0]!;
    body = kept.slice(1);
  }

  // Trailing stories first: their headlines mark where they start, so they must still be there.
  const cut = trailingStoryStart(body);
  for (const line of body.slice(cut)) removed.push({ text: line, reason: 'trailing-story' });
  const paragraphs: string[] = [];
  for (const line of body.slice(0, cut)) {
    if (isInlinePromoHeadline(line)) removed.push({ text: line, reason: 'promo-headline' });
    else paragraphs.push(line);
  }
  return { title, paragraphs, datelines, removed };
}
