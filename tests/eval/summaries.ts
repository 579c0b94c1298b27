/**
 * Single-article summary quality on ../shared/eval/summaries/corpus (100 BBC articles, first line =
 * title, with extractive reference summaries, one sentence a line, copied verbatim): ROUGE-1/2/L F
 * (rouge.ts: as the rouge-score package computes them, no stemmer) of summariseArticle with 3
 * sentences, with lead-3 and a plain TextRank (Mihalcea & Tarau 2004) computed in the same run as
 * baselines. The source is split by splitSentences, which cuts 720 of the 721 reference sentences
 * exactly as the references do (articleSentences also rejoins the one quotation it cut from its
 * attribution).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isContextDependent } from '../../functions/core/stories/context-dependence.ts';
import { articleSentences } from '../../functions/core/stories/sentences.ts';
import {
  STORY_SUMMARY_SENTENCES,
  type SummarySource,
  summariseArticle,
  summariseStory,
} from '../../functions/core/stories/summarise.ts';
import { STOP_WORDS, splitSentences, tokenize } from '../../functions/core/text.ts';
import { withTunables } from '../../functions/core/tunables.ts';
import { loadLabelledArticles } from './clustering.ts';
import { crossValidate, foldsByGroup, oneAtATime } from './cross-validation.ts';
import { rougeL, rougeN } from './rouge.ts';
import type { Metric } from './run.ts';

export const SUMMARY_SENTENCES = 3;

export interface SummaryPair {
  readonly id: string;
  readonly title: string;
  readonly body: string;
  readonly reference: string;
}

export function loadSummaryPairs(corpusDir: string): SummaryPair[] {
  const pairs: SummaryPair[] = [];
  const articleDir = join(corpusDir, 'article');
  for (const topic of readdirSync(articleDir).sort()) {
    for (const file of readdirSync(join(articleDir, topic)).sort()) {
      const raw = readFileSync(join(articleDir, topic, file), 'utf8');
      const [title = '', ...rest] = raw.split('\n');
      const reference = readFileSync(join(corpusDir, 'summary', topic, file), 'utf8');
      pairs.push({ id: `${topic}/${file}`, title: title.trim(), body: rest.join('\n'), reference });
    }
  }
  return pairs;
}

/** Lead-3: the first three sentences. */
export function lead(body: string, n: number): string[] {
  return splitSentences(body).slice(0, n);
}

/** Plain TextRank: word-overlap similarity normalised by log lengths, PageRank (d = 0.85), top n in text order. */
export function textRank(body: string, n: number): string[] {
  const sentences = splitSentences(body);
  const bags = sentences.map((s) => new Set(tokenize(s).filter((t) => !STOP_WORDS.has(t))));
  const k = sentences.length;
  const w: number[][] = bags.map((a, i) =>
    bags.map((b, j) => {
      if (i === j || a.size < 2 || b.size < 2) return 0;
      let overlap = 0;
      for (const t of a) if (b.has(t)) overlap++;
      return overlap / (Math.log(a.size) + Math.log(b.size));
    }),
  );
  const out = w.map((row) => row.reduce((x, y) => x + y, 0));
  let score = new Array<number>(k).fill(1);
  for (let iter = 0; iter < 50; iter++) {
    score = score.map((_, i) => {
      let s = 0;
      for (let j = 0; j < k; j++) if (w[j]![i]! > 0 && out[j]! > 0) s += (w[j]![i]! / out[j]!) * score[j]!;
      return 0.15 + 0.85 * s;
    });
  }
  return score
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, n)
    .map(([, i]) => i)
    .sort((a, b) => a - b)
    .map((i) => sentences[i]!);
}

function average(
  pairs: readonly SummaryPair[],
  summarise: (p: SummaryPair) => string[],
): Record<string, number> {
  let r1 = 0;
  let r2 = 0;
  let rl = 0;
  for (const p of pairs) {
    const candidate = summarise(p).join('\n');
    r1 += rougeN(candidate, p.reference, 1);
    r2 += rougeN(candidate, p.reference, 2);
    rl += rougeL(candidate, p.reference);
  }
  const round = (x: number): number => Math.round((x / pairs.length) * 10000) / 10000;
  return { rouge1F: round(r1), rouge2F: round(r2), rougeLF: round(rl) };
}

/**
 * The story summariser on each article as a one-source story (most stories of a digest have one
 * outlet): it skips context-dependent sentences and adds a lead prior, so it scores a little under
 * summariseArticle; tracked so that story summaries cannot silently fall behind.
 */
function asOneSourceStory(p: SummaryPair): string[] {
  const source = { articleId: p.id, title: p.title, text: p.body, outlet: null };
  return summariseStory([source], null, SUMMARY_SENTENCES).map((s) => s.text);
}

export function scoreSummaries(pairs: readonly SummaryPair[]): Record<string, Record<string, number>> {
  return {
    ours: average(pairs, (p) => summariseArticle(p.title, p.body, SUMMARY_SENTENCES)),
    oneSourceStory: average(pairs, asOneSourceStory),
    lead3: average(pairs, (p) => lead(p.body, SUMMARY_SENTENCES)),
    textRank: average(pairs, (p) => textRank(p.body, SUMMARY_SENTENCES)),
  };
}

/** The single-article summary's tunables, a step either side of production. */
const SUMMARY_GRID = { articleRedundancyCosine: [0.5, 0.7], articleMmrLambda: [0.8, 0.9] };

/** Five-fold cross-validation of the summary tunables on ROUGE-2, folds drawn by article. */
export function crossValidateSummaries(pairs: readonly SummaryPair[]): Metric {
  const candidates = oneAtATime(SUMMARY_GRID);
  const scores = candidates.map((c) => {
    const perPair = withTunables(c.overrides, () =>
      pairs.map((p) =>
        rougeN(summariseArticle(p.title, p.body, SUMMARY_SENTENCES).join('\n'), p.reference, 2),
      ),
    );
    return (indices: readonly number[]) => indices.reduce((sum, i) => sum + perPair[i]!, 0) / indices.length;
  });
  return {
    metric: 'summaries-cross-validation',
    splitBy: 'article',
    measure: 'rouge2F',
    ...crossValidate(candidates, scores, foldsByGroup(pairs.map((p) => p.id))),
  };
}

/** A summary's sentences with the article text each came from. */
type PlacedSummary = readonly { readonly text: string; readonly articleText: string }[];

/**
 * How often summaries open on a context-dependent sentence (context-dependence.ts), and how many
 * hold one that does not directly follow the sentence before it in its article (its antecedent).
 */
function openingRate(summaries: readonly PlacedSummary[]): Record<string, number> {
  let openings = 0;
  let outOfPlace = 0;
  for (const summary of summaries) {
    if (summary[0] && isContextDependent(summary[0].text)) openings++;
    if (
      summary.some((s, i) => {
        if (i === 0 || !isContextDependent(s.text)) return false;
        const sentences = articleSentences(s.articleText).map((x) => x.text);
        const before = sentences[sentences.indexOf(s.text) - 1];
        return before === undefined || summary[i - 1]!.text !== before;
      })
    )
      outOfPlace++;
  }
  return {
    summaries: summaries.length,
    contextDependentOpenings: openings,
    rate: Math.round((openings / Math.max(1, summaries.length)) * 1000) / 1000,
    dependentOutOfPlace: outOfPlace,
  };
}

/**
 * The context-dependent-opening rate of the summaries a reader sees: each BBC article summarised
 * alone and as a one-source story, and every event of the clustering set summarised as a story of
 * its labelled reports (several outlets, the digest's case).
 */
export async function evaluateOpenings(dataDir: string, pairs: readonly SummaryPair[]): Promise<Metric> {
  const article = pairs.map((p) =>
    summariseArticle(p.title, p.body, SUMMARY_SENTENCES).map((text) => ({ text, articleText: p.body })),
  );
  const oneSource = pairs.map((p) => asOneSourceStory(p).map((text) => ({ text, articleText: p.body })));
  const metric: Metric = {
    metric: 'summary-openings',
    articleSummary: openingRate(article),
    oneSourceStory: openingRate(oneSource),
  };
  const dir = join(dataDir, 'clustering', 'articles');
  if (existsSync(dir)) {
    const byEvent = new Map<string, SummarySource[]>();
    for (const a of await loadLabelledArticles(dir)) {
      const sources = byEvent.get(a.label) ?? [];
      sources.push({
        articleId: a.file,
        title: a.article.title,
        text: a.article.text,
        outlet: a.article.outlet,
      });
      byEvent.set(a.label, sources);
    }
    const texts = new Map([...byEvent.values()].flat().map((s) => [s.articleId, s.text]));
    metric.eventStories = openingRate(
      [...byEvent.values()].map((sources) =>
        summariseStory(sources, null, STORY_SUMMARY_SENTENCES).map((s) => ({
          text: s.text,
          articleText: texts.get(s.articleId) ?? '',
        })),
      ),
    );
  }
  return metric;
}

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const dir = join(dataDir, 'summaries', 'corpus');
  if (!existsSync(join(dir, 'article'))) return [{ metric: 'summaries', skipped: `no data at ${dir}` }];
  const pairs = loadSummaryPairs(dir);
  const s = scoreSummaries(pairs);
  return [
    {
      metric: 'summaries',
      pairs: pairs.length,
      sentences: SUMMARY_SENTENCES,
      ...s.ours,
      oneSourceStory: s.oneSourceStory,
      baselines: { lead3: s.lead3, textRank: s.textRank },
      target: { rouge2F: 0.6 },
    },
    crossValidateSummaries(pairs),
    await evaluateOpenings(dataDir, pairs),
  ];
}
