/**
 * Story clustering quality on ../shared/eval/clustering/articles (383 news-please JSON articles,
 * 69 events, label newsCluster.EventId). Articles are extracted by the real extractor and ingested
 * in publication-date order through the real Newsroom with the production tunables; duplicates count
 * as members of their original's story. Reports B-cubed and pairwise precision/recall/F1.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractArticle } from '../../functions/core/extract/index.ts';
import { Newsroom } from '../../functions/core/stories/newsroom.ts';
import type { ExtractedArticle } from '../../functions/core/types.ts';
import type { Metric } from './run.ts';

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

/** Runs the Newsroom over the labelled articles and returns each article's story id. */
export function clusterWithNewsroom(articles: readonly LabelledArticle[]): {
  predicted: string[];
  duplicates: number;
} {
  const room = Newsroom.empty();
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

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const dir = join(dataDir, 'clustering', 'articles');
  if (!existsSync(dir)) return [{ metric: 'clustering', skipped: `no data at ${dir}` }];
  const articles = await loadLabelledArticles(dir);
  const { predicted, duplicates } = clusterWithNewsroom(articles);
  const scores = scorePartition(
    articles.map((a) => a.label),
    predicted,
  );
  return [
    {
      metric: 'clustering',
      articles: articles.length,
      events: new Set(articles.map((a) => a.label)).size,
      stories: new Set(predicted).size,
      duplicates,
      ...scores,
      target: { bcubedF1: 0.95 },
    },
  ];
}
