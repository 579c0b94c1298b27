/**
 * Trailing unrelated stories ("How South Korea’s new president could shake up the region" appended to a
 * Ukraine article). Found by topical coherence, not keywords: the tail that starts at a headline-shaped
 * line and whose TF-IDF vector is nearly orthogonal to the body before it is another story.
 */

import { STOP_WORDS, tokenize } from '../../text.ts';
import { countWords } from '../size.ts';
import { isHeadlineShaped } from './headline.ts';

/**
 * Cosine similarity below which a tail is another story. Paragraphs of one story share names and
 * topic words (cosine 0.2–0.6 with the rest of the body); an unrelated teaser shares only generic words.
 */
export const TRAILING_MAX_SIMILARITY = 0.1;

/** A tail must have at least this many words before it is judged: short endings are kept. */
export const TRAILING_MIN_WORDS = 20;

/** The body kept before a cut must have at least this many words; a short article is left alone. */
export const TRAILING_MIN_BODY_WORDS = 60;

/** Teaser truncation marks that end a scraped "more stories" block. */
const TRUNCATION = /(?:\[\s*(?:…|\.\.\.)\s*\]|…|\.\.\.)\s*$/;

/** Content terms: no stop words, no numbers, light plural folding so "sanction"/"sanctions" match. */
export function pluralFoldedTerms(text: string): string[] {
  return tokenize(text)
    .filter((t) => t.length > 2 && !STOP_WORDS.has(t) && !/^\d+$/.test(t))
    .map((t) => t.replace(/'s$/, '').replace(/(?<=[a-z]{3})s$/, ''));
}

type Vector = Map<string, number>;

function termCounts(terms: readonly string[]): Vector {
  const v: Vector = new Map();
  for (const t of terms) v.set(t, (v.get(t) ?? 0) + 1);
  return v;
}

function cosine(a: Vector, b: Vector, idf: (t: string) => number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, x] of a) {
    const w = x * idf(t);
    na += w * w;
    const y = b.get(t);
    if (y !== undefined) dot += w * y * idf(t);
  }
  for (const [t, y] of b) {
    const w = y * idf(t);
    nb += w * w;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Content terms of each paragraph and their document frequencies, computed once per article. */
interface TermIndex {
  readonly terms: string[][];
  readonly idf: (t: string) => number;
}

function termIndex(paragraphs: readonly string[]): TermIndex {
  const terms = paragraphs.map(pluralFoldedTerms);
  const df = new Map<string, number>();
  for (const ts of terms) for (const t of new Set(ts)) df.set(t, (df.get(t) ?? 0) + 1);
  const n = paragraphs.length;
  return { terms, idf: (t: string) => Math.log((n + 1) / ((df.get(t) ?? 0) + 1)) + 1 };
}

function similarityAt(index: TermIndex, k: number): number {
  return cosine(
    termCounts(index.terms.slice(0, k).flat()),
    termCounts(index.terms.slice(k).flat()),
    index.idf,
  );
}

/** Similarity of each possible tail paragraphs[k..] to the body paragraphs[0..k). Exported for tests. */
export function tailSimilarity(paragraphs: readonly string[], k: number): number {
  return similarityAt(termIndex(paragraphs), k);
}

/**
 * Index where trailing unrelated material starts, or paragraphs.length when there is none.
 * The earliest qualifying cut wins, so a run of several teasers goes at once. Paragraphs are
 * tokenised once, and only when some paragraph could start a trailing block.
 */
export function trailingStoryStart(paragraphs: readonly string[]): number {
  const n = paragraphs.length;
  const words = paragraphs.map((p) => countWords(p));
  const tailWords: number[] = new Array(n + 1).fill(0);
  for (let k = n - 1; k >= 0; k--) tailWords[k] = tailWords[k + 1]! + words[k]!;
  let bodyWords = 0;
  let index: TermIndex | null = null;
  for (let k = 1; k < n; k++) {
    bodyWords += words[k - 1]!;
    if (bodyWords < TRAILING_MIN_BODY_WORDS) continue;
    if (tailWords[k]! < TRAILING_MIN_WORDS) break;
    const p = paragraphs[k]!;
    if (!(isHeadlineShaped(p) || TRUNCATION.test(p))) continue;
    index ??= termIndex(paragraphs);
    if (similarityAt(index, k) < TRAILING_MAX_SIMILARITY) return k;
  }
  return n;
}
