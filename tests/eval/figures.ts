/**
 * Key-figure quality: precision and recall of the figures shown (figure-readability.ts) against two
 * label sets, each figure marked good (the number with its subject names what was counted or
 * measured) or bad by reading its sentence:
 * - figure-labels.jsonl, "fitted": 302 figures of 79 clustering-set articles. The rules were written
 *   looking at these labels, so its figure is fitted.
 * - figure-labels-held-out.jsonl, "heldOut": 210 figures of 84 articles the rules were first written
 *   without (40 BBC articles of the summaries corpus, 44 other clustering-set articles), labelled before
 *   the code's verdict on them was looked at. Its errors then led to general rules, so it is no longer
 *   unseen.
 * - figure-labels-unseen.jsonl, "unseen": 112 figures of 49 further articles (24 BBC, 25 clustering),
 *   labelled after those rules were final and never used to change them.
 * The last two name articles by path under the data directory.
 * Only the labels are kept here: the article text is read from ../shared/eval at run time. A label
 * names its figure by article, number as written and which occurrence of that number among the
 * article's extracted figures, so a change to how subjects are read does not move labels to other
 * figures.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractFigures } from '../../functions/core/stories/figures.ts';
import { withTunables } from '../../functions/core/tunables.ts';
import { crossValidate, foldsByGroup, oneAtATime } from './cross-validation.ts';
import type { Metric } from './run.ts';

export interface FigureLabel {
  readonly article: string;
  readonly figure: string;
  readonly subject: string;
  readonly occurrence: number;
  readonly good: boolean;
}

export function loadFigureLabels(file: string): FigureLabel[] {
  return readFileSync(join(import.meta.dirname, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as FigureLabel);
}

/** The fitted set names articles inside the clustering set; the held-out set by path under the data directory. */
export const LABEL_SETS = [
  { name: 'fitted', file: 'figure-labels.jsonl', articleDir: join('clustering', 'articles') },
  { name: 'heldOut', file: 'figure-labels-held-out.jsonl', articleDir: '' },
  { name: 'unseen', file: 'figure-labels-unseen.jsonl', articleDir: '' },
] as const;

/**
 * An article's text as the pipeline gets it: a clustering-set JSON's `text`, or a BBC corpus file's
 * lines after its first (the title), as the summaries evaluation reads them.
 */
export function articleText(path: string): string {
  const raw = readFileSync(path, 'utf8');
  if (path.endsWith('.json')) return (JSON.parse(raw) as { text?: string }).text ?? '';
  return raw.split('\n').slice(1).join('\n');
}

/** A figure's verdict as it was extracted: its subject and whether it is shown. */
export interface Verdict {
  readonly subject: string;
  readonly shown: boolean;
}

/** Each article's figures by number as written, in order of occurrence. */
export function verdictsByArticle(paths: readonly string[]): Map<string, Map<string, Verdict[]>> {
  const out = new Map<string, Map<string, Verdict[]>>();
  for (const path of new Set(paths)) {
    const byDisplay = new Map<string, Verdict[]>();
    for (const f of extractFigures(articleText(path))) {
      const list = byDisplay.get(f.display) ?? [];
      list.push({ subject: f.subject, shown: f.readable });
      byDisplay.set(f.display, list);
    }
    out.set(path, byDisplay);
  }
  return out;
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  notFound: number;
}

export function emptyCounts(): Counts {
  return { tp: 0, fp: 0, fn: 0, tn: 0, notFound: 0 };
}

/** Adds one label's outcome: its figure shown or not (undefined when the figure is no longer extracted). */
export function count(counts: Counts, good: boolean, shown: boolean | undefined): void {
  if (shown === undefined) counts.notFound++;
  else if (shown && good) counts.tp++;
  else if (shown) counts.fp++;
  else if (good) counts.fn++;
  else counts.tn++;
}

const round = (x: number): number => Math.round(x * 1000) / 1000;

export function precision(c: Counts): number {
  return c.tp / Math.max(1, c.tp + c.fp);
}

export function recall(c: Counts): number {
  return c.tp / Math.max(1, c.tp + c.fn);
}

function summary(labels: readonly FigureLabel[], c: Counts): Record<string, unknown> {
  const good = labels.filter((l) => l.good).length;
  return {
    labelled: labels.length,
    articles: new Set(labels.map((l) => l.article)).size,
    good,
    shown: c.tp + c.fp,
    precision: round(precision(c)),
    recall: round(recall(c)),
    notFound: c.notFound,
    baselineShowAll: { precision: round(good / Math.max(1, labels.length)), recall: 1 },
  };
}

/** The recall a setting must keep for its precision to count (the aim: precision at recall >= 0.6). */
const MIN_RECALL = 0.6;

/** Precision when recall is at least MIN_RECALL, else 0: a setting that hides most good figures fails. */
export function precisionAtMinRecall(c: Counts): number {
  return recall(c) >= MIN_RECALL ? precision(c) : 0;
}

/** The figure tunables (functions/core/tunables.ts), each a step down and up; GROUP_WINDOW_WORDS decides no verdict. */
const FIGURE_GRID = {
  figureSubjectWords: [3, 5],
  figureModifierLookaheadWords: [2, 4],
} as const;

interface LabelledFigure {
  readonly label: FigureLabel;
  readonly path: string;
}

/**
 * Five-fold cross-validation of the figure tunables on every labelled figure, folds drawn by article.
 * A label judges the subject shown when it was made; where a setting reads another subject the label
 * still scores the verdict, and `relabelNeeded` counts those labels per setting.
 */
export function crossValidateFigures(items: readonly LabelledFigure[]): Metric {
  const candidates = oneAtATime(FIGURE_GRID);
  const relabelNeeded: Record<string, number> = {};
  const scores = candidates.map((c) => {
    const verdicts = withTunables(c.overrides, () => verdictsByArticle(items.map((i) => i.path)));
    const perItem = items.map(
      ({ label, path }) => verdicts.get(path)?.get(label.figure)?.[label.occurrence - 1],
    );
    relabelNeeded[c.name] = items.filter((item, i) => perItem[i]?.subject !== item.label.subject).length;
    return (indices: readonly number[]) => {
      const counts = emptyCounts();
      for (const i of indices) count(counts, items[i]!.label.good, perItem[i]?.shown);
      return precisionAtMinRecall(counts);
    };
  });
  return {
    metric: 'key-figures-cross-validation',
    splitBy: 'article',
    measure: `precision at recall >= ${MIN_RECALL}, else 0`,
    labels: items.length,
    relabelNeeded,
    ...crossValidate(candidates, scores, foldsByGroup(items.map((i) => i.path))),
  };
}

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const clustering = join(dataDir, 'clustering', 'articles');
  if (!existsSync(clustering)) return [{ metric: 'key-figures', skipped: `no data at ${clustering}` }];
  const line: Metric = { metric: 'key-figures' };
  const pooledLabels: FigureLabel[] = [];
  const items: LabelledFigure[] = [];
  const pooled = emptyCounts();
  for (const set of LABEL_SETS) {
    const labels = loadFigureLabels(set.file);
    const path = (label: FigureLabel): string => join(dataDir, set.articleDir, label.article);
    const missing = labels.map(path).find((p) => !existsSync(p));
    if (missing !== undefined) {
      line[set.name] = { skipped: `no data at ${missing}` };
      continue;
    }
    const verdicts = verdictsByArticle(labels.map(path));
    const c = emptyCounts();
    for (const label of labels) {
      items.push({ label, path: path(label) });
      const shown = verdicts.get(path(label))?.get(label.figure)?.[label.occurrence - 1]?.shown;
      count(c, label.good, shown);
      count(pooled, label.good, shown);
    }
    line[set.name] = summary(labels, c);
    pooledLabels.push(...labels);
  }
  line.pooled = summary(pooledLabels, pooled);
  line.target = { precision: 0.9, recall: MIN_RECALL };
  return [line, crossValidateFigures(items)];
}
