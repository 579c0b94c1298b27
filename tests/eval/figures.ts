/**
 * Key-figure quality: precision and recall of the figures shown (figure-readability.ts) against
 * figure-labels.jsonl, 302 figures of 75 articles of the clustering set, each marked good (the
 * number with its subject names what was counted or measured) or bad by reading the article. Only the
 * labels are kept here: the article text is read from ../shared/eval at run time. A label names its
 * figure by article, number as written and which occurrence of that number among the article's
 * extracted figures, so a change to how subjects are read does not move labels to other figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFigures } from '../../functions/core/stories/figures.ts';
import type { Metric } from './run.ts';

interface FigureLabel {
  readonly article: string;
  readonly figure: string;
  readonly occurrence: number;
  readonly good: boolean;
}

export function loadFigureLabels(): FigureLabel[] {
  return readFileSync(join(import.meta.dirname, 'figure-labels.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FigureLabel);
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const dir = join(dataDir, 'clustering', 'articles');
  if (!existsSync(dir)) return [{ metric: 'key-figures', skipped: `no data at ${dir}` }];
  const shownByArticle = new Map<string, Map<string, boolean[]>>();
  const shown = (article: string): Map<string, boolean[]> => {
    let byDisplay = shownByArticle.get(article);
    if (byDisplay === undefined) {
      const json = JSON.parse(readFileSync(join(dir, article), 'utf8')) as { text?: string };
      byDisplay = new Map();
      for (const f of extractFigures(json.text ?? '')) {
        const list = byDisplay.get(f.display) ?? [];
        list.push(f.readable);
        byDisplay.set(f.display, list);
      }
      shownByArticle.set(article, byDisplay);
    }
    return byDisplay;
  };
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let missing = 0;
  const labels = loadFigureLabels();
  for (const label of labels) {
    const kept = shown(label.article).get(label.figure)?.[label.occurrence - 1];
    if (kept === undefined) {
      missing++;
      continue;
    }
    if (kept && label.good) tp++;
    else if (kept) fp++;
    else if (label.good) fn++;
  }
  const good = labels.filter((l) => l.good).length;
  return [
    {
      metric: 'key-figures',
      labelled: labels.length,
      good,
      shown: tp + fp,
      precision: round(tp / Math.max(1, tp + fp)),
      recall: round(tp / Math.max(1, tp + fn)),
      notFound: missing,
      baselineShowAll: { precision: round(good / labels.length), recall: 1 },
      target: { precision: 0.9, recall: 0.6 },
    },
  ];
}
