/** Readability on a linkedom document, returning the content element itself (no HTML re-parse). */
import { Readability } from '@mozilla/readability';
import type { DomDocument, DomElement } from './dom.ts';

/**
 * Readability's minimum article length in characters. Its default (500) makes it retry with looser
 * rules on short news briefs and pick navigation; 250 accepts a short brief on the first pass.
 */
export const READABILITY_CHAR_THRESHOLD = 500;

export interface ReadabilityResult {
  readonly content: DomElement | null;
  readonly title: string | null;
  readonly publishedTime: string | null;
  readonly siteName: string | null;
  readonly byline: string | null;
}

export function runReadability(document: DomDocument): ReadabilityResult | null {
  const reader = new Readability<DomElement>(document as never, {
    charThreshold: READABILITY_CHAR_THRESHOLD,
    // Class names feed the post-filters (caption, byline, share, related …).
    keepClasses: true,
    serializer: (node) => node as unknown as DomElement,
  });
  const article = reader.parse();
  if (!article) return null;
  return {
    content: article.content ?? null,
    title: article.title ?? null,
    publishedTime: article.publishedTime ?? null,
    siteName: article.siteName ?? null,
    byline: article.byline ?? null,
  };
}
