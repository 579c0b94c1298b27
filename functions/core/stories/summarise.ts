/**
 * Extractive summaries. One article: its most central sentences by consensus centrality
 * (summariseArticle). A story: each member's sentences ranked by the same centrality within their
 * article, by agreement with the story's pooled centroid and by position, then MMR so that no two sentences say
 * the same thing and several outlets are heard (summariseStory). Every output sentence is verbatim
 * from its article.
 */
import { tunableOverrides } from '../tunables.ts';
import type { SummarySentence } from '../types.ts';
import { isContextDependent } from './context-dependence.ts';
import {
  articleSentences,
  consensusCentrality,
  isSummarisable,
  RANK_FUSION_K,
  type Sentence,
} from './sentences.ts';

/**
 * Single articles are ranked by consensus centrality alone (sentences.ts consensusCentrality:
 * TextRank, LexRank and the centroid fused by rank). On the BBC evaluation, adding the headline,
 * position and length priors, a quote penalty or an MMR novelty term each lowered ROUGE-2,
 * because an article's own summary may restate its key point; position only breaks exact ties
 * (the earlier sentence wins). A hard guard still stops near-identical sentences.
 */
export const ARTICLE_MMR_LAMBDA = 1;
export const ARTICLE_REDUNDANCY_COSINE = 0.6;
/** Default sentence budget of a story summary (DESIGN.md: the length budget is explicit). */
export const STORY_SUMMARY_SENTENCES = 4;
/**
 * MMR balance for a story of several outlets: relevance vs. novelty. 0.7 favours relevance but
 * passes over a sentence that restates a chosen one in other words. One article does not repeat
 * itself the way several outlets repeat each other, so a single-source story uses
 * ARTICLE_MMR_LAMBDA (on the BBC articles summarised as one-source stories, novelty cost ROUGE-2).
 */
export const MMR_LAMBDA = 0.7;
/** Two sentences at or above this cosine say the same thing; the later one is never picked. */
export const REDUNDANCY_COSINE = 0.5;
/**
 * A sentence whose distinct content terms are mostly (this share) a picked sentence's, or that holds
 * most of a picked sentence's terms, restates it whatever the cosine says: the cosine misses a short
 * restatement of a long sentence, whose many other terms dilute it. Unweighted, because the shared
 * words of a restatement are the story's common words, which an inverse-frequency weight discounts.
 * Story summaries only, where outlets restate each other (README, Quality, for what it costs).
 */
export const REDUNDANCY_CONTAINMENT = 0.6;
/** Relevance kept by a sentence from an outlet already quoted, so the summary draws on several sources. */
export const SAME_SOURCE_FACTOR = 0.85;
/**
 * MMR values closer than this are equal: rank-fused scores tie exactly in exact arithmetic but
 * may differ in the last bits, and a tie goes to the earlier sentence (news puts the point first).
 */
const TIE_EPSILON = 1e-12;

/**
 * Consensus centrality per analysed article, kept while the caller keeps the sentence array: the
 * engine re-summarises a story whenever a member joins, and its other members are unchanged.
 * A WeakMap, so nothing outlives the caller's arrays.
 */
const centralityMemo = new WeakMap<readonly Sentence[], readonly number[]>();

function memoisedCentrality(sentences: readonly Sentence[]): readonly number[] {
  let scores = centralityMemo.get(sentences);
  if (scores === undefined) {
    scores = consensusCentrality(sentences);
    centralityMemo.set(sentences, scores);
  }
  return scores;
}

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
  sf.forEach((k, t) => {
    isf.set(t, Math.log((n + 1) / (k + 1)) + 1);
  });
  const unseen = Math.log(n + 1) + 1;
  return (t) => isf.get(t) ?? unseen;
}

function centroidOf(sentences: readonly Sentence[]): Map<string, number> {
  const c = new Map<string, number>();
  for (const s of sentences)
    s.terms.forEach((n, t) => {
      c.set(t, (c.get(t) ?? 0) + n);
    });
  return c;
}

/** Cosine of a sentence to a fixed centroid, with the centroid's weighted norm computed once. */
function centroidScorer(
  centroid: ReadonlyMap<string, number>,
  weight: (t: string) => number,
): (terms: ReadonlyMap<string, number>) => number {
  let norm = 0;
  centroid.forEach((n, t) => {
    norm += (n * weight(t)) ** 2;
  });
  norm = Math.sqrt(norm);
  return (terms) => {
    let dot = 0;
    let own = 0;
    terms.forEach((x, t) => {
      const w = weight(t);
      own += (x * w) ** 2;
      const c = centroid.get(t);
      if (c !== undefined) dot += x * c * w * w;
    });
    return dot === 0 ? 0 : dot / (Math.sqrt(own) * norm);
  };
}

/**
 * The `count` most central sentences of one article, in article order.
 * Falls back to the article's first sentences when none qualify (very short texts).
 */
export function summariseArticle(title: string | null, text: string, count: number): string[] {
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
  const t = tunableOverrides();
  const picked = selectMmr(
    scored,
    count,
    weight,
    1,
    t.articleMmrLambda ?? ARTICLE_MMR_LAMBDA,
    t.articleRedundancyCosine ?? ARTICLE_REDUNDANCY_COSINE,
  );
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
 * Share of `part`'s distinct terms that `whole` also has (0 for an empty `part`). Not symmetric:
 * a short sentence can be contained in a long one that is not contained in it.
 */
export function termContainment(
  part: ReadonlyMap<string, unknown>,
  whole: ReadonlyMap<string, unknown>,
): number {
  if (part.size === 0) return 0;
  let shared = 0;
  for (const t of part.keys()) if (whole.has(t)) shared++;
  return shared / part.size;
}

/** True when either sentence's terms are mostly (≥ `threshold`) the other's: one restates the other. */
export function restates(
  a: ReadonlyMap<string, unknown>,
  b: ReadonlyMap<string, unknown>,
  threshold = REDUNDANCY_CONTAINMENT,
): boolean {
  return termContainment(a, b) >= threshold || termContainment(b, a) >= threshold;
}

/**
 * MMR selection: repeatedly take the sentence with the best mix of relevance and novelty,
 * never one that repeats a chosen sentence (cosine ≥ redundancy, or, when `containment` is given,
 * one that restates it: see REDUNDANCY_CONTAINMENT). Relevance is rescaled to
 * [0, 1] over the candidates, so that rank-fused scores, which sit close together, weigh
 * against novelty on the same scale whatever the pool size.
 */
function selectMmr(
  scored: readonly Scored[],
  count: number,
  weight: (t: string) => number,
  sources: number,
  lambda: number,
  redundancy: number,
  containment?: number,
): Scored[] {
  const chosen: Scored[] = [];
  const remaining = [...scored];
  let maxScore = Number.NEGATIVE_INFINITY;
  let minScore = Number.POSITIVE_INFINITY;
  for (const s of scored) {
    maxScore = Math.max(maxScore, s.score);
    minScore = Math.min(minScore, s.score);
  }
  const spread = Math.max(1e-12, maxScore - minScore);
  // Each candidate's weighted norm is computed once, and its largest similarity to the chosen
  // sentences is kept up to date with the newest one only (parallel to `remaining`): the same
  // values as comparing every candidate with every chosen sentence in every round.
  const norms = new Map<Scored, number>();
  for (const s of scored) norms.set(s, weightedSquaredNorm(s.sentence.terms, weight));
  const maxSims = remaining.map(() => 0);
  // Parallel to `remaining` too: true once the candidate restates a chosen sentence.
  const restating = remaining.map(() => false);
  while (chosen.length < count && remaining.length > 0) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    const newest = chosen.at(-1);
    for (let i = 0; i < remaining.length; i++) {
      const cand = remaining[i]!;
      if (newest !== undefined) {
        const sim = normedCosine(
          cand.sentence.terms,
          norms.get(cand)!,
          newest.sentence.terms,
          norms.get(newest)!,
          weight,
        );
        maxSims[i] = Math.max(maxSims[i]!, sim);
        if (containment !== undefined && restates(cand.sentence.terms, newest.sentence.terms, containment))
          restating[i] = true;
      }
      const maxSim = maxSims[i]!;
      if (maxSim >= redundancy || restating[i]) continue;
      let rel = (cand.score - minScore) / spread;
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
    maxSims.splice(best, 1);
    restating.splice(best, 1);
  }
  return chosen;
}

/** Σ (x · weight)² over a term bag, summed in its order (as weightedCosine sums it). */
function weightedSquaredNorm(terms: ReadonlyMap<string, number>, weight: (t: string) => number): number {
  let n = 0;
  terms.forEach((x, t) => {
    n += (x * weight(t)) ** 2;
  });
  return n;
}

/** weightedCosine(a, b, weight) given both squared norms: the same value, a fraction of the work. */
function normedCosine(
  a: ReadonlyMap<string, number>,
  na: number,
  b: ReadonlyMap<string, number>,
  nb: number,
  weight: (t: string) => number,
): number {
  let dot = 0;
  a.forEach((x, t) => {
    const y = b.get(t);
    if (y === undefined) return;
    const w = weight(t);
    dot += x * y * w * w;
  });
  if (dot === 0) return 0;
  return dot / Math.sqrt(na * nb);
}

/**
 * Adds to each candidate's score two reciprocal ranks (RANK_FUSION_K): by cosine to the story's
 * pooled centroid, what the outlets agree on (across outlets it keeps one member's side topic from
 * outranking the story), and by position in its article, the lead prior (news states the event
 * first; a digest reader wants the lede, not a mid-article quote).
 */
function addStoryRanks(
  scored: readonly Scored[],
  centroidSim: (terms: ReadonlyMap<string, number>) => number,
): void {
  const sims = scored.map((s) => centroidSim(s.sentence.terms));
  const order = sims.map((_, i) => i).sort((a, b) => sims[b]! - sims[a]! || a - b);
  order.forEach((candidate, rank) => {
    scored[candidate]!.score += 1 / (RANK_FUSION_K + rank + 1);
  });
  for (const s of scored) s.score += 1 / (RANK_FUSION_K + s.sentence.position + 1);
}

/**
 * A story summary from its members: each sentence ranked by consensus centrality within its own
 * article (what that report is about), fused with its agreement with the pooled centroid (what the
 * outlets share) and a lead prior, then MMR across outlets. Context-dependent sentences are skipped: their
 * antecedent is in a sentence the reader won't see. Candidates are offered in article order, so
 * ties go to the earlier sentence. `headline` is accepted for callers that have one; the headline
 * prior did not help (see ARTICLE_* notes). `analysed` passes the sources' sentences when the
 * caller has them already (articleSentences).
 */
export function summariseStory(
  sources: readonly SummarySource[],
  headline: string | null,
  budget = STORY_SUMMARY_SENTENCES,
  analysed?: readonly (readonly Sentence[])[],
): SummarySentence[] {
  void headline;
  const perArticle = analysed ?? sources.map((s) => articleSentences(s.text));
  const all = perArticle.flat();
  const weight = inverseSentenceFrequency(all);
  const scored: Scored[] = [];
  perArticle.forEach((sentences, articleIndex) => {
    const candidates = sentences.filter((s) => isSummarisable(s) && !isContextDependent(s.text));
    if (candidates.length === 0) return;
    const centrality = memoisedCentrality(sentences);
    for (const sentence of candidates)
      scored.push({ sentence, articleIndex, score: centrality[sentence.position] ?? 0 });
  });
  if (scored.length === 0) {
    // Nothing qualifies (tiny texts): fall back to the first sentence of the first article.
    const first = perArticle[0]?.[0];
    const src = sources[0];
    return first && src ? [{ text: first.text, articleId: src.articleId, outlet: src.outlet }] : [];
  }
  addStoryRanks(scored, centroidScorer(centroidOf(all), weight));
  const lambda = perArticle.length > 1 ? MMR_LAMBDA : ARTICLE_MMR_LAMBDA;
  const picked = selectMmr(
    scored,
    budget,
    weight,
    sources.length,
    lambda,
    REDUNDANCY_COSINE,
    REDUNDANCY_CONTAINMENT,
  );
  return picked.map((p) => {
    const src = sources[p.articleIndex]!;
    return { text: p.sentence.text, articleId: src.articleId, outlet: src.outlet };
  });
}
