/**
 * Story clustering quality on ../shared/eval/clustering/articles (383 news-please JSON articles,
 * 69 events, label newsCluster.EventId). Articles are extracted by the real extractor and ingested
 * in publication-date order through the real StoryEngine with the production tunables; duplicates count
 * as members of their original's story. Reports B-cubed and pairwise precision/recall/F1, beside the
 * issue's baseline computed in the same run: a plain TF-IDF online-centroid clusterer whose single
 * threshold is tuned on this very set (the best of a grid, its fitted figure, so our fixed tunables
 * face its best case) and by the same event folds as our tunables (its held-out figure).
 */

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractArticle } from '../../functions/core/extract/index.ts';
import { contentTerms } from '../../functions/core/stories/stemming.ts';
import { StoryEngine } from '../../functions/core/stories/story-engine.ts';
import { withTunables } from '../../functions/core/tunables.ts';
import type { ExtractedArticle } from '../../functions/core/types.ts';
import { seededRandom } from '../support/random.ts';
import { DISTRACTOR_DIRS, evaluateWithDistractors } from './clustering-distractors.ts';
import { crossValidate, foldsByGroup, oneAtATime } from './cross-validation.ts';
import type { Metric } from './run.ts';
import { evaluateSeedOrders } from './seed-orders.ts';

export interface LabelledArticle {
  readonly file: string;
  readonly label: string;
  readonly published: string | null;
  readonly article: ExtractedArticle;
}

function labelOf(newsCluster: unknown): string {
  if (typeof newsCluster === 'string') {
    const m = newsCluster.match(/'EventId':\s*(\d+)/);
    if (m?.[1]) return m[1];
  }
  if (newsCluster && typeof newsCluster === 'object' && 'EventId' in newsCluster) {
    return String((newsCluster as { EventId: unknown }).EventId);
  }
  throw new Error('article without newsCluster.EventId');
}

/** Builds the article straight from the news-please fields when the extractor rejects a file. */
function fallbackArticle(json: Record<string, unknown>): ExtractedArticle {
  const str = (v: unknown): string | null =>
    typeof v === 'string' && v !== 'None' && v.length > 0 ? v : null;
  const published = str(json.date_publish);
  return {
    format: 'json',
    title: str(json.title),
    text: str(json.text) ?? str(json.description) ?? '',
    url: str(json.url),
    outlet: str(json.source_domain),
    date: published ? { day: published.slice(0, 10), source: 'metadata' } : null,
    description: str(json.description),
  };
}

export async function loadLabelledArticles(dir: string): Promise<LabelledArticle[]> {
  const arrivedAt = new Date('2018-03-01T00:00:00Z');
  const out: LabelledArticle[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const bytes = new Uint8Array(readFileSync(join(dir, file)));
    const json = JSON.parse(Buffer.from(bytes).toString('utf8')) as Record<string, unknown>;
    let article: ExtractedArticle;
    try {
      article = await extractArticle({ key: file, bytes, arrivedAt });
    } catch {
      article = fallbackArticle(json);
    }
    out.push({ file, label: labelOf(json.newsCluster), published: article.date?.day ?? null, article });
  }
  // Date order, as a feed would deliver them; undated last; file name breaks ties deterministically.
  return out.sort(
    (a, b) => (a.published ?? '9999').localeCompare(b.published ?? '9999') || a.file.localeCompare(b.file),
  );
}

export interface ClusterScores {
  readonly bcubedPrecision: number;
  readonly bcubedRecall: number;
  readonly bcubedF1: number;
  readonly pairwisePrecision: number;
  readonly pairwiseRecall: number;
  readonly pairwiseF1: number;
}

const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));
const round = (x: number): number => Math.round(x * 10000) / 10000;

/** B-cubed (per-item precision/recall averaged) and pairwise scores of a predicted partition. */
export function scorePartition(gold: readonly string[], predicted: readonly string[]): ClusterScores {
  const n = gold.length;
  let bp = 0;
  let br = 0;
  let tp = 0;
  let predPairs = 0;
  let goldPairs = 0;
  for (let i = 0; i < n; i++) {
    let samePred = 0;
    let sameGold = 0;
    let both = 0;
    for (let j = 0; j < n; j++) {
      const p = predicted[j] === predicted[i];
      const g = gold[j] === gold[i];
      if (p) samePred++;
      if (g) sameGold++;
      if (p && g) both++;
      if (j > i) {
        if (p) predPairs++;
        if (g) goldPairs++;
        if (p && g) tp++;
      }
    }
    bp += both / samePred;
    br += both / sameGold;
  }
  const bcubedPrecision = bp / n;
  const bcubedRecall = br / n;
  const pairwisePrecision = predPairs === 0 ? 1 : tp / predPairs;
  const pairwiseRecall = goldPairs === 0 ? 1 : tp / goldPairs;
  return {
    bcubedPrecision: round(bcubedPrecision),
    bcubedRecall: round(bcubedRecall),
    bcubedF1: round(f1(bcubedPrecision, bcubedRecall)),
    pairwisePrecision: round(pairwisePrecision),
    pairwiseRecall: round(pairwiseRecall),
    pairwiseF1: round(f1(pairwisePrecision, pairwiseRecall)),
  };
}

/**
 * B-cubed F1 over a subset of the items of one partition of the whole set: each item's precision
 * still counts every item its story holds, so an event is scored among all the others (a held-out
 * event is as easy or hard to keep apart as in the full run).
 */
export function bcubedF1Of(
  gold: readonly string[],
  predicted: readonly string[],
): (indices: readonly number[]) => number {
  const count = (keys: readonly string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const both = predicted.map((p, i) => `${p}\u0000${gold[i]}`);
  const byPred = count(predicted);
  const byGold = count(gold);
  const byBoth = count(both);
  return (indices) => {
    let p = 0;
    let r = 0;
    for (const i of indices) {
      const shared = byBoth.get(both[i]!)!;
      p += shared / byPred.get(predicted[i]!)!;
      r += shared / byGold.get(gold[i]!)!;
    }
    return f1(p / indices.length, r / indices.length);
  };
}

/**
 * The clustering tunables, each a step either side of its production value. One-at-a-time keeps the
 * run to 19 clusterings; it re-enacts how they were tuned (one moved at a time against the figure).
 */
const CLUSTERING_GRID = {
  joinCosine: [0.12, 0.18],
  undatedJoinCosine: [0.15, 0.25],
  joinCosinePerLogDay: [0.015, 0.035],
  mergeFactor: [1.3, 1.7],
  titleShare: [0.15, 0.35],
  entityBonus: [0.1, 0.4],
  idfPower: [1.25, 1.75],
  topicTermDiscount: [0.1, 0.4],
};

/** Five-fold cross-validation of the clustering tunables, folds drawn by event. */
export function crossValidateClustering(articles: readonly LabelledArticle[]): Metric {
  const gold = articles.map((a) => a.label);
  const candidates = oneAtATime(CLUSTERING_GRID);
  const scores = candidates.map((c) =>
    bcubedF1Of(
      gold,
      withTunables(c.overrides, () => clusterWithEngine(articles).predicted),
    ),
  );
  return {
    metric: 'clustering-cross-validation',
    splitBy: 'event',
    measure: 'bcubedF1',
    ...crossValidate(candidates, scores, foldsByGroup(gold)),
  };
}

/** Runs the StoryEngine over the labelled articles and returns each article's story id. */
export function clusterWithEngine(articles: readonly LabelledArticle[]): {
  predicted: string[];
  duplicates: number;
} {
  const room = StoryEngine.empty();
  const arrivedAt = new Date('2018-03-01T00:00:00Z');
  let duplicates = 0;
  const predicted = articles.map((a) => {
    const outcome = room.ingest({ source: a.file, article: a.article, arrivedAt });
    if (outcome.kind === 'duplicate') duplicates++;
    return outcome.kind === 'story' ? outcome.storyId : outcome.articleId;
  });
  // A duplicate belongs to its original's story: read the final assignment from the records.
  const storyBySource = new Map(room.records().map((r) => [r.source, r.storyId ?? r.id]));
  return { predicted: articles.map((a, i) => storyBySource.get(a.file) ?? predicted[i]!), duplicates };
}

/**
 * Thresholds the baseline is tuned over, a hundredth apart: its score moves by a point or more
 * between neighbours a twentieth apart, so a coarse grid would understate it.
 */
export const BASELINE_THRESHOLDS = Array.from({ length: 46 }, (_, i) => (5 + i) / 100);

/**
 * The baseline: title + text as plain TF-IDF (IDF over the whole set, log tf, L2-normalised),
 * each article joins the story whose centroid (mean of members) is most similar when the cosine
 * reaches `threshold`, else starts a story. No time, no titles or names weighted, every story compared.
 */
export function plainTfidfClusters(articles: readonly LabelledArticle[], threshold: number): string[] {
  const docs = articles.map((a) => {
    const tf = new Map<string, number>();
    for (const t of contentTerms(`${a.article.title ?? ''}\n${a.article.text}`))
      tf.set(t, (tf.get(t) ?? 0) + 1);
    return tf;
  });
  const df = new Map<string, number>();
  for (const tf of docs) for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const vectors = docs.map((tf) => {
    const v = new Map<string, number>();
    let norm = 0;
    for (const [t, n] of tf) {
      const w = Math.log1p(n) * Math.log(docs.length / (df.get(t) ?? 1));
      v.set(t, w);
      norm += w * w;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [t, w] of v) v.set(t, w / norm);
    return v;
  });
  // Centroid sums kept by term (term -> story -> summed weight), so one pass over an article's
  // terms gives its dot product with every story at once; the cosine is then exact.
  const byTerm = new Map<string, Map<number, number>>();
  const normSq: number[] = [];
  return vectors.map((v) => {
    const dots = new Map<number, number>();
    for (const [t, w] of v) for (const [i, c] of byTerm.get(t) ?? []) dots.set(i, (dots.get(i) ?? 0) + w * c);
    let best = -1;
    let bestCos = threshold;
    for (const [i, dot] of [...dots].sort((a, b) => a[0] - b[0])) {
      const cos = dot / Math.sqrt(normSq[i]!);
      if (cos >= bestCos) {
        bestCos = cos;
        best = i;
      }
    }
    if (best < 0) {
      best = normSq.length;
      normSq.push(0);
    }
    for (const [t, w] of v) {
      let sums = byTerm.get(t);
      if (!sums) {
        sums = new Map();
        byTerm.set(t, sums);
      }
      const old = sums.get(best) ?? 0;
      sums.set(best, old + w);
      normSq[best] = normSq[best]! + (old + w) ** 2 - old ** 2;
    }
    return `b${best}`;
  });
}

/**
 * The baseline at its best threshold on this whole set (its fitted figure), and its threshold tuned
 * by the same event folds as the engine's tunables: chosen on four folds, scored on the fifth.
 */
function tunedBaseline(articles: readonly LabelledArticle[]) {
  const gold = articles.map((a) => a.label);
  const runs = BASELINE_THRESHOLDS.map((threshold) => ({
    threshold,
    predicted: plainTfidfClusters(articles, threshold),
  }));
  let best: (ClusterScores & { threshold: number; stories: number }) | null = null;
  for (const { threshold, predicted } of runs) {
    const scores = scorePartition(gold, predicted);
    if (!best || scores.bcubedF1 > best.bcubedF1) {
      best = { ...scores, threshold, stories: new Set(predicted).size };
    }
  }
  const folds = crossValidate(
    runs.map(({ threshold }) => ({ name: `threshold=${threshold}`, overrides: {} })),
    runs.map(({ predicted }) => bcubedF1Of(gold, predicted)),
    foldsByGroup(gold),
  );
  const { threshold, stories, bcubedPrecision, bcubedRecall, bcubedF1 } = best!;
  return {
    threshold,
    stories,
    bcubedPrecision,
    bcubedRecall,
    bcubedF1,
    heldOut: folds.heldOut,
    worstFold: folds.worstFold,
    perFold: folds.perFold,
  };
}

/**
 * The same articles in other arrival orders: reversed, and shuffled with fixed seeds. Online
 * clustering depends on order; a backfill or a burst of S3 events does not arrive by date, so how
 * far the score moves is reported beside the date-order figure.
 */
function orderSensitivity(articles: readonly LabelledArticle[]): Record<string, number> {
  const scoreOf = (order: readonly LabelledArticle[]): number =>
    scorePartition(
      order.map((a) => a.label),
      clusterWithEngine(order).predicted,
    ).bcubedF1;
  const shuffled = ORDER_SEEDS.map((seed) => {
    const random = seededRandom(seed);
    const order = [...articles];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return scoreOf(order);
  });
  return {
    reversedF1: scoreOf([...articles].reverse()),
    shuffledMeanF1: round(shuffled.reduce((sum, f) => sum + f, 0) / shuffled.length),
    shuffledMinF1: Math.min(...shuffled),
  };
}

/**
 * Seeds of the shuffled orders: fixed, so every run measures the same orders. Thirty, not three: one
 * order's score moves by a point or more with where a few articles land, so the mean of three moved
 * with each change several times as much as the mean over thirty orders did (about a second each).
 */
const ORDER_SEEDS = Array.from({ length: 30 }, (_, i) => i + 1);

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const seedOrders = await evaluateSeedOrders();
  const dir = join(dataDir, 'clustering', 'articles');
  if (!existsSync(dir)) return [{ metric: 'clustering', skipped: `no data at ${dir}` }, seedOrders];
  const articles = await loadLabelledArticles(dir);
  const { predicted, duplicates } = clusterWithEngine(articles);
  const scores = scorePartition(
    articles.map((a) => a.label),
    predicted,
  );
  const baseline = tunedBaseline(articles);
  return [
    {
      metric: 'clustering',
      articles: articles.length,
      events: new Set(articles.map((a) => a.label)).size,
      stories: new Set(predicted).size,
      duplicates,
      ...scores,
      target: { bcubedF1: 0.95 },
      orderSensitivity: orderSensitivity(articles),
      baselineTunedPlainTfidf: baseline,
    },
    ...(DISTRACTOR_DIRS.every((d) => existsSync(join(dataDir, d)))
      ? [await evaluateWithDistractors(dataDir, articles, baseline.threshold)]
      : []),
    seedOrders,
    crossValidateClustering(articles),
  ];
}
