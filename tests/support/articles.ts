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

/** Stories of a set of records as "000+001+002 | 003 | 004": each story's sources, sorted. */
export function storyGrouping(records: readonly { source: string; storyId: string | null }[]): string {
  const groups = new Map<string, string[]>();
  for (const r of records) {
    if (r.storyId === null) continue;
    groups.set(r.storyId, [...(groups.get(r.storyId) ?? []), r.source]);
  }
  return [...groups.values()]
    .map((members) => members.sort().join('+'))
    .sort()
    .join(' | ');
}
