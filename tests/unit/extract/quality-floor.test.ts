/**
 * Deterministic quality floors on the third-party evaluation sets (read from ../shared/eval at run
 * time, never copied here): extraction F1 on the ScrapingHub benchmark must stay ≥ 0.95 and date day
 * accuracy on the MediaCloud pages ≥ 0.90. Skipped when the data is absent. No timings here.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { predictDates } from '../../eval/dates.ts';
import { loadPages, metricsFrom, ourBody, shingleMatching } from '../../eval/extraction.ts';

const DATA = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'eval');
const MIN_EXTRACTION_F1 = 0.95;
const MIN_DATE_ACCURACY = 0.9;

/** The sets take tens of seconds on a shared 2-core machine. */
const TIMEOUT_MS = 600_000;

describe.skipIf(!existsSync(join(DATA, 'extraction', 'ground-truth.json')))(
  'extraction quality floor',
  () => {
    it(`F1 ≥ ${MIN_EXTRACTION_F1} on the article-extraction benchmark`, { timeout: TIMEOUT_MS }, () => {
      const pages = loadPages(join(DATA, 'extraction'));
      const rows = pages.map((p) => shingleMatching(p.truth, ourBody(p)));
      expect(metricsFrom(rows).f1).toBeGreaterThanOrEqual(MIN_EXTRACTION_F1);
    });
  },
);

describe.skipIf(!existsSync(join(DATA, 'dates', 'eval_mediacloud_2020.json')))('date quality floor', () => {
  it(`day accuracy ≥ ${MIN_DATE_ACCURACY} on the MediaCloud pages`, { timeout: TIMEOUT_MS }, async () => {
    const predictions = await predictDates(DATA);
    const correct = predictions.filter((p) => p.predicted === p.expected).length;
    expect(correct / predictions.length).toBeGreaterThanOrEqual(MIN_DATE_ACCURACY);
  });
});
