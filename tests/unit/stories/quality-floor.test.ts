/**
 * CI quality floors (issue 8), run only when ../shared/eval is present: the data is third-party
 * text read at run time, never copied into the repository.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterWithEngine, loadLabelledArticles, scorePartition } from '../../eval/clustering.ts';
import { loadSummaryPairs, scoreSummaries } from '../../eval/summaries.ts';

const EVAL_DIR = join(import.meta.dirname, '../../../../shared/eval');
const CLUSTERING = join(EVAL_DIR, 'clustering', 'articles');
const SUMMARIES = join(EVAL_DIR, 'summaries', 'corpus');

describe.skipIf(!existsSync(SUMMARIES))('summary quality floor', () => {
  it('ROUGE-2 F of 3-sentence summaries on the BBC pairs is at least 0.59 (0.602 measured; lead-3 scores 0.385)', () => {
    const scores = scoreSummaries(loadSummaryPairs(SUMMARIES));
    expect(scores.ours!.rouge2F).toBeGreaterThanOrEqual(0.59);
  });
});

describe.skipIf(!existsSync(CLUSTERING))('clustering quality floor', () => {
  it('B-cubed F1 on the 383 labelled articles is at least 0.93 (0.9475 measured; tuned plain TF-IDF scores 0.904)', async () => {
    const articles = await loadLabelledArticles(CLUSTERING);
    const { predicted } = clusterWithEngine(articles);
    const scores = scorePartition(
      articles.map((a) => a.label),
      predicted,
    );
    expect(scores.bcubedF1).toBeGreaterThanOrEqual(0.93);
  });
});
