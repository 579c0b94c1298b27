/**
 * Publication-date day accuracy on htmldate's MediaCloud set (200 pages, `eval_mediacloud_2020.json`:
 * `{url: {file, date}}`).
 *
 * Each page goes through the same extraction the pipeline runs, with its URL passed as `sourceUrl`,
 * the way an S3 object carrying its source URL in metadata would arrive. The page's own canonical
 * link or og:url wins over it when present. Arrival is set to the end of the collection year, so
 * relative text dates cannot be right by accident and future-date guards stay meaningful.
 * Pages the pipeline rejects for lack of article text are dated with the same resolution
 * (htmlPublicationDate) so the figure measures dating, not extraction.
 * Pages whose reference date is NaN (no publication date) count as correct when we predict none,
 * as htmldate's own evaluation counts them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBytes } from '../../functions/core/extract/decode.ts';
import { htmlPublicationDate } from '../../functions/core/extract/html/index.ts';
import { extractArticle } from '../../functions/core/extract/index.ts';
import { crossValidate, foldsByGroup } from './cross-validation.ts';

export type Metric = Record<string, unknown> & { metric: string };

/** Arrival for every page: after the set's latest publication day (2020), as a crawler would see them. */
export const ARRIVAL = new Date('2021-01-01T00:00:00Z');

export interface DatePrediction {
  readonly url: string;
  /** null: the page has no publication date; predicting none is then correct. */
  readonly expected: string | null;
  readonly predicted: string | null;
  readonly source: string | null;
  readonly error?: string;
}

export async function predictDates(dataDir: string): Promise<DatePrediction[]> {
  const dir = join(dataDir, 'dates');
  // The file was written by Python: pages without a publication date carry a bare NaN.
  const raw = readFileSync(join(dir, 'eval_mediacloud_2020.json'), 'utf8').replace(/:\s*NaN\b/g, ': null');
  const truth = JSON.parse(raw) as Record<string, { file: string; date: string | null }>;
  const out: DatePrediction[] = [];
  for (const [url, { file, date }] of Object.entries(truth)) {
    const key = `${file}.gz`;
    const bytes = readFileSync(join(dir, 'html', key));
    try {
      const article = await extractArticle({ key, bytes, arrivedAt: ARRIVAL, sourceUrl: url });
      out.push({
        url,
        expected: date,
        predicted: article.date?.day ?? null,
        source: article.date?.source ?? null,
      });
    } catch (error) {
      // A page the pipeline rejects as "no article text" (an index, a video page) still has a date
      // to judge: score the same date resolution on it rather than counting it as a miss.
      try {
        const html = decodeBytes(key, bytes).text;
        const found = htmlPublicationDate(html, { key, bytes, arrivedAt: ARRIVAL, sourceUrl: url });
        out.push({ url, expected: date, predicted: found?.day ?? null, source: found?.source ?? null });
      } catch {
        out.push({ url, expected: date, predicted: null, source: null, error: (error as Error).message });
      }
    }
  }
  return out;
}

export async function evaluate(dataDir: string): Promise<Metric[]> {
  if (!existsSync(join(dataDir, 'dates', 'eval_mediacloud_2020.json'))) {
    return [{ metric: 'dates', skipped: `no date data at ${join(dataDir, 'dates')}` }];
  }
  const start = performance.now();
  const predictions = await predictDates(dataDir);
  const seconds = (performance.now() - start) / 1000;
  const correct = predictions.filter((p) => p.predicted === p.expected).length;
  const found = predictions.filter((p) => p.predicted !== null).length;
  return [
    {
      metric: 'dates',
      accuracy: Math.round((correct / predictions.length) * 1000) / 1000,
      correct,
      pages: predictions.length,
      withDate: found,
      precisionWhenFound: Math.round((correct / Math.max(1, found)) * 1000) / 1000,
      pagesPerSecond: Math.round((predictions.length / seconds) * 10) / 10,
    },
    {
      // No numeric tunable: the rules are fixed, so the held-out figure is the fold mean and the worst fold shows the spread.
      metric: 'dates-cross-validation',
      splitBy: 'page',
      measure: 'accuracy',
      ...crossValidate(
        [{ name: 'production', overrides: {} }],
        [
          (indices) =>
            indices.filter((i) => predictions[i]!.predicted === predictions[i]!.expected).length /
            indices.length,
        ],
        foldsByGroup(predictions.map((p) => p.url)),
      ),
    },
  ];
}
