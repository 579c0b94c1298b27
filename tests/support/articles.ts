/** Builders of extracted articles for tests that write their own synthetic news. */
import type { ExtractedArticle } from '../../functions/core/types.ts';

/** A plain-text article with a headline, dated `day` by its metadata, without URL or outlet. */
export function datedArticle(title: string, text: string, day: string): ExtractedArticle {
  return {
    format: 'text',
    title,
    text,
    url: null,
    outlet: null,
    date: { day, source: 'metadata' },
    description: null,
  };
}
