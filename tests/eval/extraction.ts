/**
 * Main-content extraction on the ScrapingHub article-extraction-benchmark (181 pages).
 *
 * The metric is a faithful port of the benchmark's evaluate.py: `\w+` tokens (case kept), 4-token
 * shingles as multisets, per-page TP/FP/FN normalised to sum 1, precision averaged over pages with
 * TP+FP>0, recall over pages with TP+FN>0, F1 from the two means, and a ±1.96·stdev bootstrap interval
 * (1000 resamples; seeded here so the figure is reproducible).
 *
 * It prints ours and Readability alone (on jsdom, as the benchmark ran it) from the same run, with
 * pages/second for both, and re-scores the benchmark's stored outputs as a check of the port.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { decodeBytes } from '../../functions/core/extract/decode.ts';
import { extractHtmlContent } from '../../functions/core/extract/html/index.ts';
import { withTunables } from '../../functions/core/tunables.ts';
import { seededRandom } from '../support/random.ts';
import { crossValidate, foldsByGroup, oneAtATime } from './cross-validation.ts';

export type Metric = Record<string, unknown> & { metric: string };
export type TpFpFn = readonly [number, number, number];

/** evaluate.py's `_TOKEN_RE = re.compile(r'\w+', re.UNICODE)`: Python's \w is letters, numbers, underscore. */
const TOKEN_RE = /[\p{L}\p{N}_]+/gu;
const NGRAM_N = 4;
export const N_BOOTSTRAP = 1000;

export function tokenize(text: string): string[] {
  return text.match(TOKEN_RE) ?? [];
}

function shingles(text: string, n = NGRAM_N): Map<string, number> {
  const tokens = tokenize(text);
  const out = new Map<string, number>();
  // range(0, max(1, len(tokens) - n + 1)); an empty tuple is skipped.
  for (let i = 0; i < Math.max(1, tokens.length - n + 1); i++) {
    const shingle = tokens.slice(i, i + n);
    if (shingle.length === 0) continue;
    const key = shingle.join('\u0001');
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** evaluate.py `string_shingle_matching`. */
export function shingleMatching(truth: string, pred: string): TpFpFn {
  const t = shingles(truth);
  const p = shingles(pred);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const key of new Set([...t.keys(), ...p.keys()])) {
    const tc = t.get(key) ?? 0;
    const pc = p.get(key) ?? 0;
    tp += Math.min(tc, pc);
    fp += Math.max(0, pc - tc);
    fn += Math.max(0, tc - pc);
  }
  const s = tp + fp + fn;
  return s > 0 ? [tp / s, fp / s, fn / s] : [tp, fp, fn];
}

function precisionScore(tp: number, fp: number, fn: number): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fp === 0) return 0;
  return tp / (tp + fp);
}

function recallScore(tp: number, fp: number, fn: number): number {
  if (fp === 0 && fn === 0) return 1;
  if (tp === 0 && fn === 0) return 0;
  return tp / (tp + fn);
}

function mean(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

function stdev(xs: readonly number[]): number {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
}

/** evaluate.py `metrics_from_tp_fp_fns`. */
export function metricsFrom(rows: readonly TpFpFn[]): { precision: number; recall: number; f1: number } {
  const precision = mean(
    rows.filter(([tp, fp]) => tp + fp > 0).map(([tp, fp, fn]) => precisionScore(tp, fp, fn)),
  );
  const recall = mean(
    rows.filter(([tp, , fn]) => tp + fn > 0).map(([tp, fp, fn]) => recallScore(tp, fp, fn)),
  );
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall) };
}

/** evaluate.py `evaluate`: point metrics plus ±1.96·stdev bootstrap intervals. */
export function scoreRows(rows: readonly TpFpFn[], nBootstrap = N_BOOTSTRAP) {
  const point = metricsFrom(rows);
  const random = seededRandom(42);
  const samples = { precision: [] as number[], recall: [] as number[], f1: [] as number[] };
  for (let b = 0; b < nBootstrap; b++) {
    const sample = Array.from({ length: rows.length }, () => rows[Math.floor(random() * rows.length)]!);
    const m = metricsFrom(sample);
    samples.precision.push(m.precision);
    samples.recall.push(m.recall);
    samples.f1.push(m.f1);
  }
  return {
    precision: round(point.precision),
    recall: round(point.recall),
    f1: round(point.f1),
    precision_ci: round(1.96 * stdev(samples.precision)),
    recall_ci: round(1.96 * stdev(samples.recall)),
    f1_ci: round(1.96 * stdev(samples.f1)),
  };
}

function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

interface Page {
  readonly id: string;
  readonly url: string;
  readonly truth: string;
  readonly html: string;
}

export function loadPages(dir: string): Page[] {
  const truth = JSON.parse(readFileSync(join(dir, 'ground-truth.json'), 'utf8')) as Record<
    string,
    { articleBody?: string; url?: string }
  >;
  return Object.keys(truth).map((id) => {
    const bytes = gunzipSync(readFileSync(join(dir, 'html', `${id}.html.gz`)));
    return {
      id,
      url: truth[id]!.url ?? '',
      truth: truth[id]!.articleBody ?? '',
      html: decodeBytes(`${id}.html`, bytes).text,
    };
  });
}

/** Our extractor's article body for one page (the same function the pipeline runs). */
export function ourBody(page: Page): string {
  try {
    return extractHtmlContent(page.html, page.url).paragraphs.join('\n');
  } catch {
    return '';
  }
}

/** Readability.js alone on jsdom: the reference the benchmark reports (0.947). */
export function readabilityBody(page: Page): string {
  try {
    const dom = new JSDOM(page.html, { url: page.url || undefined, virtualConsole: new VirtualConsole() });
    return new Readability(dom.window.document).parse()?.textContent ?? '';
  } catch {
    return '';
  }
}

function run(pages: readonly Page[], extract: (p: Page) => string) {
  const start = performance.now();
  const bodies = pages.map(extract);
  const seconds = (performance.now() - start) / 1000;
  return { bodies, seconds };
}

/**
 * The block filter's tunables, a step either side of production: two of them, as each candidate is a
 * full extraction run over the set.
 */
const EXTRACTION_GRID = { maxLinkDensity: [0.4, 0.6], shortBlockWords: [5, 9] };

/** Five-fold cross-validation of the extraction tunables on token F1, folds drawn by page. */
export function crossValidateExtraction(pages: readonly Page[], productionBodies: readonly string[]): Metric {
  const candidates = oneAtATime(EXTRACTION_GRID);
  const scores = candidates.map((c, n) => {
    const bodies = n === 0 ? productionBodies : withTunables(c.overrides, () => pages.map(ourBody));
    const rows = pages.map((p, i) => shingleMatching(p.truth, bodies[i]!));
    return (indices: readonly number[]) => metricsFrom(indices.map((i) => rows[i]!)).f1;
  });
  return {
    metric: 'extraction-cross-validation',
    splitBy: 'page',
    measure: 'f1',
    ...crossValidate(candidates, scores, foldsByGroup(pages.map((p) => p.id))),
  };
}

export async function evaluate(dataDir: string): Promise<Metric[]> {
  const dir = join(dataDir, 'extraction');
  if (!existsSync(join(dir, 'ground-truth.json'))) {
    return [{ metric: 'extraction', skipped: `no benchmark data at ${dir}` }];
  }
  const pages = loadPages(dir);
  const metrics: Metric[] = [];
  let ourBodies: string[] = [];
  const extractors: Array<[string, (p: Page) => string]> = [
    ['news-digest (readability on linkedom + post-filters)', ourBody],
    ['readability.js alone (jsdom)', readabilityBody],
  ];
  for (const [name, extract] of extractors) {
    const { bodies, seconds } = run(pages, extract);
    if (extract === ourBody) ourBodies = bodies;
    const rows = pages.map((p, i) => shingleMatching(p.truth, bodies[i]!));
    metrics.push({
      metric: 'extraction',
      extractor: name,
      ...scoreRows(rows),
      pages: pages.length,
      pagesPerSecond: round(pages.length / seconds, 1),
    });
  }
  metrics.push(crossValidateExtraction(pages, ourBodies));
  // Re-score the benchmark's stored outputs: reproduces its published table, which checks the port.
  const outputDir = join(dir, 'output');
  if (existsSync(outputDir)) {
    for (const file of readdirSync(outputDir)
      .filter((f) => f.endsWith('.json'))
      .sort()) {
      const parsed = JSON.parse(readFileSync(join(outputDir, file), 'utf8')) as {
        output?: Record<string, { articleBody?: string }>;
      };
      const output = (parsed.output ?? parsed) as Record<string, { articleBody?: string }>;
      const rows = pages.map((p) => shingleMatching(p.truth, output[p.id]?.articleBody ?? ''));
      metrics.push({
        metric: 'extraction',
        extractor: `stored output ${file.replace(/\.json$/, '')}`,
        ...scoreRows(rows),
      });
    }
  }
  return metrics;
}
