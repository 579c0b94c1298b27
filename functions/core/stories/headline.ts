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
  const fallback = summary[0]?.text ?? sources[0]?.title ?? '';
  return headlineFromSentence(fallback);
}

/**
 * Sentence-derived headlines stop at this many words: a headline is read at a glance, and a story
 * whose members have no title (pasted text) would otherwise carry a 40-word first sentence.
 */
export const MAX_SENTENCE_HEADLINE_WORDS = 16;

/** A short label before a colon ("Russia-Ukraine war: …", "STORY: …") is a rubric, not the news. */
const RUBRIC_PREFIX = /^[^:.!?]{1,40}:\s+(?=\p{Lu})/u;

/**
 * Turns a summary sentence into a headline when no member has a usable title: the rubric is dropped,
 * and a long sentence is cut at a word boundary, preferring a clause break, with an ellipsis.
 */
export function headlineFromSentence(sentence: string): string {
  const withoutRubric = sentence.replace(RUBRIC_PREFIX, '');
  const text = withoutRubric.split(/\s+/).length >= MIN_HEADLINE_WORDS ? withoutRubric : sentence;
  const words = text.trim().split(/\s+/);
  if (words.length <= MAX_SENTENCE_HEADLINE_WORDS) return text.trim();
  let cut = MAX_SENTENCE_HEADLINE_WORDS;
  // Prefer ending on a clause break (a word that carries a comma) in the second half of the budget.
  for (let i = MAX_SENTENCE_HEADLINE_WORDS; i > MAX_SENTENCE_HEADLINE_WORDS / 2; i--) {
    if (/[,;]$/.test(words[i - 1] ?? '')) {
      cut = i;
      break;
    }
  }
  return `${words
    .slice(0, cut)
    .join(' ')
    .replace(/[,;:]$/, '')}…`;
}
