/**
 * Clustering with unrelated news mixed in: the labelled articles plus every page of the extraction
 * and dates sets (other outlets, other events, no page of the labelled set), each dated on one of the
 * labelled articles' days so that it lands among their stories, and each its own event. Both
 * clusterers keep the settings chosen on the clean set (the engine its tunables, the baseline the
 * threshold tuned on it): a set that nobody tuned on, as the issue's unseen sets were, where a
 * setting fitted to one set's similarity scale would show. Scored on the labelled articles only
 * (B-cubed precision still counts every page their story took in). The baseline's threshold tuned
 * again on this mixture is printed beside, as the issue's unseen-set baseline was tuned on its set.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { extractArticle } from '../../functions/core/extract/index.ts';
import type { ExtractedArticle } from '../../functions/core/types.ts';
import {
  BASELINE_THRESHOLDS,
  bcubedF1Of,
  clusterWithEngine,
  type LabelledArticle,
  plainTfidfClusters,
} from './clustering.ts';
import type { Metric } from './run.ts';

/** Folders of pages used as distractors, under the evaluation data directory. */
export const DISTRACTOR_DIRS = [join('extraction', 'html'), join('dates', 'html')];

/** Steps through the labelled days: prime, so the distractors spread over all of them. */
const DAY_STRIDE = 7919;

/** Thresholds the baseline is tuned again over: around its best on the clean set (0.16), where its curve peaks. */
const RETUNE_FROM = 0.1;
const RETUNE_TO = 0.3;

const round = (x: number): number => Math.round(x * 10000) / 10000;

/** The distractor pages the extractor accepts, each its own event, dated on a labelled day. */
async function loadDistractors(dataDir: string, days: readonly string[]): Promise<LabelledArticle[]> {
  const out: LabelledArticle[] = [];
  const arrivedAt = new Date('2018-03-01T00:00:00Z');
  for (const dir of DISTRACTOR_DIRS) {
    for (const file of readdirSync(join(dataDir, dir)).sort()) {
      const raw = readFileSync(join(dataDir, dir, file));
      const bytes = new Uint8Array(file.endsWith('.gz') ? gunzipSync(raw) : raw);
      let article: ExtractedArticle;
      try {
        article = await extractArticle({ key: file.replace(/\.gz$/, ''), bytes, arrivedAt });
      } catch {
        continue;
      }
      const day = days[(out.length * DAY_STRIDE) % days.length]!;
      const source = `distractor/${dir}/${file}`;
      out.push({
        file: source,
        label: source,
        published: day,
        article: { ...article, date: { day, source: 'metadata' } },
      });
    }
  }
  return out;
}

/** The engine and the baseline (at `baselineThreshold`) over the labelled articles plus the distractors. */
export async function evaluateWithDistractors(
  dataDir: string,
  labelled: readonly LabelledArticle[],
  baselineThreshold: number,
): Promise<Metric> {
  const days = [...new Set(labelled.flatMap((a) => (a.published ? [a.published] : [])))].sort();
  const distractors = await loadDistractors(dataDir, days);
  const all = [...labelled, ...distractors].sort(
    (a, b) => (a.published ?? '9999').localeCompare(b.published ?? '9999') || a.file.localeCompare(b.file),
  );
  const gold = all.map((a) => a.label);
  const kept = new Set(labelled.map((a) => a.file));
  const scored = all.flatMap((a, i) => (kept.has(a.file) ? [i] : []));
  const baselineAt = (threshold: number): number =>
    round(bcubedF1Of(gold, plainTfidfClusters(all, threshold))(scored));
  // What the baseline reaches when its threshold is tuned again on this very mixture, for comparison.
  let retuned = { threshold: baselineThreshold, bcubedF1: baselineAt(baselineThreshold) };
  for (const threshold of BASELINE_THRESHOLDS.filter((t) => t >= RETUNE_FROM && t <= RETUNE_TO)) {
    const f1 = baselineAt(threshold);
    if (f1 > retuned.bcubedF1) retuned = { threshold, bcubedF1: f1 };
  }
  return {
    metric: 'clustering-with-distractors',
    articles: labelled.length,
    distractors: distractors.length,
    measure: 'bcubedF1 over the labelled articles',
    engine: round(bcubedF1Of(gold, clusterWithEngine(all).predicted)(scored)),
    baselineTunedPlainTfidf: { threshold: baselineThreshold, bcubedF1: baselineAt(baselineThreshold) },
    baselineRetunedOnThisSet: retuned,
  };
}
