/**
 * `deployed-batch`: the ingest handler on the deployed path (DynamoDB item table and S3, here dynalite
 * and s3rver through the real SDK clients) timed on batches of 10 new files, with 1k and with 50k
 * articles of history already in the store. Each history runs in a process of its own that starts the
 * stand-ins and loads the history (deployed-batch-history.ts), and a fresh process runs the handler
 * (deployed-batch-measure.ts), so the peak RSS reported is the function's alone: not the history
 * build's, nor the stand-ins'.
 *
 * History: articles of the bench corpus, DAY_SIZE a day, so every history has days of the same size
 * and only its length differs. The new files report events of their own on the last history day.
 * DEPLOYED_BATCH_HISTORIES=1000,10000,50000 measures other histories (the ratio is last vs first).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Measured } from './deployed-batch-history.ts';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

interface Run {
  readonly history: number;
  readonly loaded: { items: number; seconds: number };
  readonly measured: Measured;
  readonly daySize: number;
  readonly batchSize: number;
}

function runHistory(history: number, evalDir: string | null): Run {
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'deployed-batch-history.ts'),
      String(history),
      evalDir ?? '-',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 1024 * 1024 },
  );
  const lines = output.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '{}') as Run;
}

export async function deployedBatch(evalDir: string | null): Promise<Record<string, unknown>[]> {
  const histories = (process.env.DEPLOYED_BATCH_HISTORIES ?? '1000,50000').split(',').map(Number);
  const runs = histories.map((history) => runHistory(history, evalDir));
  const batchMs = runs.map((r) => Math.round(median(r.measured.batchMs)));
  const largest = runs[runs.length - 1];
  const perArticle = (value: (m: Measured) => number) =>
    largest ? round(value(largest.measured) / largest.measured.articles, 1) : null;
  return [
    {
      scenario: 'deployed-batch',
      historyArticles: histories,
      batchMs,
      ratio: round((batchMs[batchMs.length - 1] ?? Number.NaN) / (batchMs[0] ?? Number.NaN)),
      peakRssMb: largest?.measured.peakRssMb ?? null,
      dynamoReadsPerArticle: perArticle((m) => m.readUnits),
      dynamoWritesPerArticle: perArticle((m) => m.writeUnits),
      units:
        'request units as the table reports them: reads per 4 KB (eventually consistent ones at half), writes per 1 KB',
      itemsReadPerArticle: perArticle((m) => m.itemsRead),
      itemsWrittenPerArticle: perArticle((m) => m.itemsWritten),
      callsPerArticle: perArticle((m) => m.dynamoCalls),
      callsByCommand: largest?.measured.dynamoCallsByCommand,
      peakRssMbByHistory: runs.map((r) => r.measured.peakRssMb),
      dynamoReadsPerArticleByHistory: runs.map((r) => round(r.measured.readUnits / r.measured.articles, 1)),
      dynamoWritesPerArticleByHistory: runs.map((r) => round(r.measured.writeUnits / r.measured.articles, 1)),
      callsPerArticleByHistory: runs.map((r) => round(r.measured.dynamoCalls / r.measured.articles, 1)),
      batchMsAll: runs.map((r) => r.measured.batchMs.map((ms) => Math.round(ms))),
      historyItems: runs.map((r) => r.loaded.items),
      historyLoadSeconds: runs.map((r) => Math.round(r.loaded.seconds)),
      daySize: runs[0]?.daySize,
      batchSize: runs[0]?.batchSize,
    },
  ];
}
