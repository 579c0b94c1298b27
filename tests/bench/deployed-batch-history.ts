/**
 * One history of the deployed-batch bench, in a process of its own (so that no client or stand-in
 * outlives its run): starts the stand-ins, loads the history (deployed-history.ts), uploads the new files,
 * and runs the handler on them in a fresh process (deployed-batch-measure.ts), bundled with the stack's
 * esbuild settings and run on plain Node as the function is, so that neither tsx's loader thread nor its
 * transpiled sources count in the peak RSS. Prints one JSON line.
 *
 * Usage: deployed-batch-history.ts <articles of history> <eval dir or ->
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { buildSync } from 'esbuild';
import { DEFAULTS } from '../../functions/contracts.ts';
import { BUNDLE_ENTRY_FILE, ESBUILD_OPTIONS } from '../../infra/bundling.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { startHarnessAws } from '../support/harness-aws.ts';
import { generateTextArticles } from './corpus.ts';
import { loadHistory } from './deployed-history.ts';

/** Articles a day: about a large newsroom's daily intake, the digest a batch rebuilds. */
const DAY_SIZE = 500;
/** Files per batch: the ingest queue's batch size. */
const BATCH_SIZE = 10;
/** Untimed batches first (module loading, JIT, connections), as a warm container has had. */
const WARM_UP_BATCHES = 1;
const TIMED_BATCHES = Number(process.env.DEPLOYED_BATCH_TIMED ?? 5);
const FIRST_DAY = Date.UTC(2022, 0, 1);

export interface Measured {
  readonly batchMs: number[];
  readonly articles: number;
  readonly readUnits: number;
  readonly writeUnits: number;
  readonly itemsRead: number;
  readonly itemsWritten: number;
  readonly peakRssMb: number;
  readonly dynamoCalls: number;
  readonly dynamoCallsByCommand: Record<string, number>;
}

/** Bundles the measuring process as the stack bundles a handler; returns its entry file. */
function bundleMeasure(outdir: string): string {
  buildSync({
    ...ESBUILD_OPTIONS,
    mainFields: [...ESBUILD_OPTIONS.mainFields],
    external: [...ESBUILD_OPTIONS.external],
    entryPoints: [join(import.meta.dirname, 'deployed-batch-measure.ts')],
    outdir,
    absWorkingDir: REPO_ROOT,
    logLevel: 'warning',
  });
  return join(outdir, BUNDLE_ENTRY_FILE);
}

/** Loads `history` articles, then times new batches in a fresh process. */
export async function measureAt(history: number, evalDir: string | null) {
  const newFiles = (WARM_UP_BATCHES + TIMED_BATCHES) * BATCH_SIZE;
  const lastDayIndex = Math.floor((history - 1) / DAY_SIZE);
  const dayOf = (i: number) =>
    new Date(FIRST_DAY + Math.min(Math.floor(i / DAY_SIZE), lastDayIndex) * 86_400_000)
      .toISOString()
      .slice(0, 10);
  const corpus = generateTextArticles(history + newFiles, evalDir, dayOf);
  const lastDay = dayOf(history - 1);
  const bundleDir = mkdtempSync(join(tmpdir(), 'deployed-batch-measure-'));
  const measure = bundleMeasure(bundleDir);
  const aws = await startHarnessAws();
  try {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const loaded = await loadHistory(aws, corpus.slice(0, history), dayOf, DEFAULTS.activeDays, nowSeconds);
    process.stderr.write(
      `deployed-batch: ${history} articles of history loaded in ${Math.round(loaded.seconds)} s\n`,
    );
    const fresh = corpus.slice(history);
    for (const article of fresh) {
      await aws.s3.send(
        new PutObjectCommand({ Bucket: aws.bucket, Key: `incoming/${article.key}`, Body: article.text }),
      );
    }
    const batches: string[][] = [];
    for (let i = 0; i < fresh.length; i += BATCH_SIZE)
      batches.push(fresh.slice(i, i + BATCH_SIZE).map((a) => `incoming/${a.key}`));
    // Not execFileSync: the stand-ins the child talks to run on this process's event loop.
    const { stdout: output } = await promisify(execFile)(
      process.execPath,
      [measure, JSON.stringify(batches), `${lastDay}T15:00:00.000Z`, String(WARM_UP_BATCHES)],
      { env: { ...process.env, ...aws.env }, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
    );
    const lines = output.trim().split('\n');
    const measured = JSON.parse(lines[lines.length - 1] ?? '{}') as Measured;
    return { history, loaded, measured, daySize: DAY_SIZE, batchSize: BATCH_SIZE };
  } finally {
    await aws.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  }
}

const [historyText, evalDir] = process.argv.slice(2);
const result = await measureAt(Number(historyText), evalDir && evalDir !== '-' ? evalDir : null);
process.stdout.write(`${JSON.stringify(result)}\n`);
