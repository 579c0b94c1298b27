/**
 * `npm run eval -- [--data ../shared/eval] [--only extraction,dates,...]`; `--only clustering-deployed`
 * replays the clustering set through the deployed ingest path (not in the default run).
 *
 * Prints every quality metric of DESIGN.md §4 as one JSON line. The data sets are third-party text read
 * from ../shared/eval at run time and never copied into the repository; when they are absent each area
 * prints a line saying it was skipped.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export type Metric = Record<string, unknown> & { metric: string };

/** Each area's module exports `evaluate(dataDir)`; they are loaded lazily so one broken area cannot hide the others. */
const AREAS: Record<string, () => Promise<{ evaluate: (dataDir: string) => Promise<Metric[]> }>> = {
  extraction: () => import('./extraction.ts'),
  'extraction-unseen': () => import('./extraction-unseen.ts'),
  dates: () => import('./dates.ts'),
  clustering: () => import('./clustering.ts'),
  summaries: () => import('./summaries.ts'),
  'near-duplicates': () => import('./near-duplicates.ts'),
  'key-figures': () => import('./figures.ts'),
  'clustering-deployed': () => import('./clustering-deployed.ts'),
};
/** Areas run only when named with --only: they start the AWS stand-ins and take minutes. */
const ON_REQUEST = new Set(['clustering-deployed']);

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { data: { type: 'string' }, only: { type: 'string' } },
    strict: true,
  });
  const dataDir = resolve(values.data ?? '../shared/eval');
  const selected = values.only
    ? values.only.split(',')
    : Object.keys(AREAS).filter((area) => !ON_REQUEST.has(area));
  if (!existsSync(dataDir)) {
    process.stdout.write(
      `${JSON.stringify({ metric: 'eval', skipped: `no evaluation data at ${dataDir}; pass --data <dir>` })}\n`,
    );
    return;
  }
  let failed = false;
  for (const area of selected) {
    const load = AREAS[area];
    if (load === undefined) {
      process.stderr.write(`Unknown area "${area}". Areas: ${Object.keys(AREAS).join(', ')}\n`);
      process.exitCode = 2;
      return;
    }
    try {
      const { evaluate } = await load();
      for (const metric of await evaluate(dataDir)) process.stdout.write(`${JSON.stringify(metric)}\n`);
    } catch (error) {
      failed = true;
      process.stdout.write(`${JSON.stringify({ metric: area, error: (error as Error).message })}\n`);
    }
  }
  if (failed) process.exitCode = 1;
}

await main();
