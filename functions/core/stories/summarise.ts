/**
 * Extractive summaries. One article: centroid + title + position scoring with a length prior
 * (summarizeArticle). A story: the same scoring against the story's pooled centroid, then MMR so
 * that no two sentences say the same thing and several outlets are heard (summariseStory).
 * Every output sentence is verbatim from its article.
 */
import type { SummarySentence } from '../types.ts';
import {
  articleSentences,
  consensusCentrality,
  isContextDependent,
  isSummarisable,
  type Sentence,
  weightedCosine,
} from './sentences.ts';
import { contentTerms } from './terms.ts';

/**
 * Single articles are ranked by consensus centrality alone (sentences.ts consensusCentrality:
 * TextRank, LexRank and the centroid fused by rank). On the BBC evaluation, adding the headline,
 * position and length priors, a quote penalty or an MMR novelty term each lowered ROUGE-2,
 * because an article's own summary may restate its key point; position only breaks exact ties
 * (the earlier sentence wins). A hard guard still stops near-identical sentences.
 */
export const ARTICLE_MMR_LAMBDA = 1;
export const ARTICLE_REDUNDANCY_COSINE = 0.6;
/** Weight of similarity to the document centroid: what the whole text is about. */
export const CENTROID_WEIGHT = 1;
/** Weight of overlap with the headline: the sentence that restates the headline is the lede. */
export const TITLE_WEIGHT = 0.6;
/** Weight of the position prior: news puts what matters first (inverted pyramid). */
export const POSITION_WEIGHT = 0.5;
/** Position at which the prior has halved: the first few paragraphs carry the news. */
export const POSITION_HALF_LIFE = 4;
/** Sentences below this many words lose score in proportion: short ones carry little information. */
export const FULL_LENGTH_WORDS = 18;
/** A context-dependent opening ("He added", "But") keeps only this share of its score in a single article. */
export const CONTEXT_DEPENDENT_FACTOR = 0.8;
/** Default sentence budget of a story summary (DESIGN.md: the length budget is explicit). */
export const STORY_SUMMARY_SENTENCES = 4;
/** MMR balance: relevance vs. novelty. 0.7 favours relevance but never repeats a point. */
export const MMR_LAMBDA = 0.7;
/** Two sentences at or above this cosine say the same thing; the later one is never picked. */
export const REDUNDANCY_COSINE = 0.5;
/** Relevance kept by a sentence from an outlet already quoted, so the summary draws on several sources. */
export const SAME_SOURCE_FACTOR = 0.85;
/**
 * MMR values closer than this are equal: rank-fused scores tie exactly in exact arithmetic but
 * may differ in the last bits, and a tie goes to the earlier sentence (news puts the point first).
 */
const TIE_EPSILON = 1e-12;

interface Scored {
  readonly sentence: Sentence;
  readonly articleIndex: number;
  score: number;
}

/** Inverse sentence frequency within a pool of sentences (smoothed), computed once per pool. */
function inverseSentenceFrequency(sentences: readonly Sentence[]): (t: string) => number {
  const sf = new Map<string, number>();
  for (const s of sentences) for (const t of s.terms.keys()) sf.set(t, (sf.get(t) ?? 0) + 1);
  const n = sentences.length;
  const isf = new Map<string, number>();
  for (const [t, k] of sf) isf.set(t, Math.log((n + 1) / (k + 1)) + 1);
  const unseen = Math.log(n + 1) + 1;
  return (t) => isf.get(t) ?? unseen;
}

function centroidOf(sentences: readonly Sentence[]): Map<string, number> {
  const c = new Map<string, number>();
  for (const s of sentences) for (const [t, n] of s.terms) c.set(t, (c.get(t) ?? 0) + n);
  return c;
}

/** Cosine of a sentence to a fixed centroid, with the centroid's weighted norm computed once. */
function centroidScorer(
  centroid: ReadonlyMap<string, number>,
  weight: (t: string) => number,
): (terms: ReadonlyMap<string, number>) => number {
  let norm = 0;
  for (const [t, n] of centroid) norm += (n * weight(t)) ** 2;
  norm = Math.sqrt(norm);
  return (terms) => {
    let dot = 0;
    let own = 0;
    for (const [t, x] of terms) {
      const w = weight(t);
      own += (x * w) ** 2;
      const c = centroid.get(t);
      if (c !== undefined) dot += x * c * w * w;
    }
    return dot === 0 ? 0 : dot / (Math.sqrt(own) * norm);
  };
}

function titleOverlap(sentence: Sentence, titleTerms: ReadonlySet<string>): number {
  if (titleTerms.size === 0) return 0;
  let hit = 0;
  for (const t of titleTerms) if (sentence.terms.has(t)) hit++;
  return hit / titleTerms.size;
}

function positionPrior(position: number): number {
  return POSITION_HALF_LIFE / (POSITION_HALF_LIFE + position);
}

function lengthFactor(words: number): number {
  return Math.min(1, words / FULL_LENGTH_WORDS);
}

function relevance(
  s: Sentence,
  centroidSim: (terms: ReadonlyMap<string, number>) => number,
  titleTerms: ReadonlySet<string>,
): number {
  const base =
    CENTROID_WEIGHT * centroidSim(s.terms) +
    TITLE_WEIGHT * titleOverlap(s, titleTerms) +
    POSITION_WEIGHT * positionPrior(s.position);
  return base * lengthFactor(s.words);
}

/**
 * The `count` most central sentences of one article, in article order.
 * Falls back to the article's first sentences when none qualify (very short texts).
 */
export function summarizeArticle(title: string | null, text: string, count: number): string[] {
  if (count <= 0) return [];
  const all = articleSentences(text);
  const pool = all.filter(isSummarisable);
  if (pool.length === 0) return all.slice(0, count).map((s) => s.text);
  const weight = inverseSentenceFrequency(all);
  const centrality = consensusCentrality(all);
  const scored: Scored[] = pool.map((sentence) => ({
    sentence,
    articleIndex: 0,
    score: centrality[sentence.position] ?? 0,
  }));
  void title; // The headline prior did not help single articles in our measurements (see ARTICLE_* notes).
  const picked = selectMmr(scored, count, weight, 1, ARTICLE_MMR_LAMBDA, ARTICLE_REDUNDANCY_COSINE);
  return picked.sort((a, b) => a.sentence.position - b.sentence.position).map((p) => p.sentence.text);
}

/** One member article offered to the story summariser. */
export interface SummarySource {
  readonly articleId: string;
  readonly title: string | null;
  readonly text: string;
  readonly outlet: string | null;
}

/**
 * MMR selection: repeatedly take the sentence with the best mix of relevance and novelty,
 * never one that repeats a chosen sentence (cosine ≥ REDUNDANCY_COSINE).
 */
function selectMmr(
  scored: readonly Scored[],
  count: number,
  weight: (t: string) => number,
  sources: number,
  lambda: number,
  redundancy: number,
): Scored[] {
  const chosen: Scored[] = [];
  const remaining = [...scored];
  const maxScore = Math.max(1e-9, ...scored.map((s) => s.score));
  while (chosen.length < count && remaining.length > 0) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < remaining.length; i++) {
      const cand = remaining[i]!;
      let maxSim = 0;
      for (const c of chosen)
        maxSim = Math.max(maxSim, weightedCosine(cand.sentence.terms, c.sentence.terms, weight));
      if (maxSim >= redundancy) continue;
      let rel = cand.score / maxScore;
      if (sources > 1 && chosen.some((c) => c.articleIndex === cand.articleIndex)) rel *= SAME_SOURCE_FACTOR;
      const value = lambda * rel - (1 - lambda) * maxSim;
      if (value > bestValue + TIE_EPSILON) {
        bestValue = value;
        best = i;
      }
    }
    if (best < 0) break;
    chosen.push(remaining[best]!);
    remaining.splice(best, 1);
  }
  return chosen;
}

/**
 * A story summary from its members: sentences scored against the pooled centroid (what the
 * outlets agree on) with each article's own headline and position prior, then MMR across outlets.
 * Context-dependent sentences are skipped: their antecedent is in a sentence the reader won't see.
 * `analysed` passes the sources' sentences when the caller has them already (articleSentences).
 */
export function summariseStory(
  sources: readonly SummarySource[],
  headline: string | null,
  budget = STORY_SUMMARY_SENTENCES,
  analysed?: readonly (readonly Sentence[])[],
): SummarySentence[] {
  const perArticle = analysed ?? sources.map((s) => articleSentences(s.text));
  const all = perArticle.flat();
  const weight = inverseSentenceFrequency(all);
  const centroidSim = centroidScorer(centroidOf(all), weight);
  const headlineTerms = new Set(headline ? contentTerms(headline) : []);
  const scored: Scored[] = [];
  perArticle.forEach((sentences, articleIndex) => {
    const source = sources[articleIndex]!;
    const ownTitle = new Set(source.title ? contentTerms(source.title) : headlineTerms);
    for (const sentence of sentences) {
      if (!isSummarisable(sentence) || isContextDependent(sentence.text)) continue;
      const score = relevance(sentence, centroidSim, ownTitle.size > 0 ? ownTitle : headlineTerms);
      scored.push({ sentence, articleIndex, score });
    }
  });
  if (scored.length === 0) {
    // Nothing qualifies (tiny texts): fall back to the first sentence of the first article.
    const first = perArticle[0]?.[0];
    const src = sources[0];
    return first && src ? [{ text: first.text, articleId: src.articleId, outlet: src.outlet }] : [];
  }
  const picked = selectMmr(scored, budget, weight, sources.length, MMR_LAMBDA, REDUNDANCY_COSINE);
  return picked.map((p) => {
    const src = sources[p.articleIndex]!;
    return { text: p.sentence.text, articleId: src.articleId, outlet: src.outlet };
  });
}
