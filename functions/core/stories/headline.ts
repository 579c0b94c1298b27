/**
 * A story's headline: the member title that best covers what the pooled articles say, or the
 * first summary sentence when no member has a title.
 */
import type { SummarySentence } from '../types.ts';
import type { Sentence } from './sentences.ts';
import type { SummarySource } from './summarise.ts';
import { contentTerms } from './terms.ts';

/** Titles shorter than this many words ("Update", "LIVE") are labels, not headlines. */
export const MIN_HEADLINE_WORDS = 3;
/** Titles longer than this are usually a first paragraph mistaken for a title. */
export const MAX_HEADLINE_WORDS = 24;

export function chooseHeadline(
  sources: readonly SummarySource[],
  summary: readonly SummarySentence[],
  analysed?: readonly (readonly Sentence[])[],
): string {
  const df = new Map<string, number>();
  sources.forEach((s, i) => {
    const terms = new Set(contentTerms(s.title ?? ''));
    const sentences = analysed?.[i];
    if (sentences) for (const sentence of sentences) for (const t of sentence.terms.keys()) terms.add(t);
    else for (const t of contentTerms(s.text)) terms.add(t);
    for (const t of terms) df.set(t, (df.get(t) ?? 0) + 1);
  });
  let best: { title: string; score: number } | null = null;
  for (const s of sources) {
    const title = s.title?.trim();
    if (!title) continue;
    const words = title.split(/\s+/).length;
    if (words < MIN_HEADLINE_WORDS || words > MAX_HEADLINE_WORDS) continue;
    const terms = new Set(contentTerms(title));
    if (terms.size === 0) continue;
    // Share of the title's words that other members also use: a title true to the whole story.
    let covered = 0;
    for (const t of terms) covered += (df.get(t) ?? 0) / sources.length;
    const score = covered / terms.size;
    if (!best || score > best.score) best = { title, score };
  }
  if (best) return best.title;
  return summary[0]?.text ?? sources[0]?.title ?? '';
}
