/**
 * `local-incremental`: what adding 10 files to an out/ costs as its history grows, measured from outside
 * with the CLI as a user runs it. Each history is built by one one-shot run; then an empty run (no input
 * file) and a run adding the next 10 files are timed, each on a fresh copy of that out/, and the
 * marginal time is the difference of the medians. Peak RSS is the adding run's own (/usr/bin/time).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GeneratedArticle, generateTextArticles } from './corpus.ts';

const ROOT = join(import.meta.dirname, '../..');
const HISTORIES = [1000, 10000];
const ADDED_FILES = 10;
/** Articles per day of history: a busy newsroom's day, the same at every history size. */
const ARTICLES_PER_DAY = 500;
const FIRST_DAY = Date.UTC(2022, 0, 3);
const NOW = '2022-06-30T08:00:00Z';
const RUNS = 3;

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/** Article i's day; the added files are dated on the history's last day, a day already full. */
function dayOf(index: number, history: number): string {
  const day = Math.floor(Math.min(index, history - 1) / ARTICLES_PER_DAY);
  return new Date(FIRST_DAY + day * 86_400_000).toISOString().slice(0, 10);
}

function writeArticles(dir: string, articles: readonly GeneratedArticle[]): void {
  for (const [i, article] of articles.entries()) {
    const path = join(dir, article.key);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, article.text);
    // Distinct mtimes keep the "oldest first" order identical to the generation order.
    const time = new Date(Date.parse(NOW) - (articles.length - i) * 1000);
    utimesSync(path, time, time);
  }
}

interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/** One `npm run digest` as the package script runs it, timed by /usr/bin/time. */
function digest(inputDir: string, outputDir: string): Run {
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      '%e %U %S %M',
      process.execPath,
      '--max-semi-space-size=16',
      '--import',
      'tsx',
      'functions/cli.ts',
      'digest',
      '--in',
      inputDir,
      '--out',
      outputDir,
      '--now',
      NOW,
      '--quiet',
    ],
    { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 16 * 1024 * 1024 },
  );
  if (result.status !== 0) throw new Error(`digest of ${inputDir} failed: ${result.stderr}`);
  // /usr/bin/time writes its figures as the last line of stderr.
  const [wall, user, sys, rssKb] = result.stderr.trim().split('\n').at(-1)?.split(' ').map(Number) ?? [];
  return {
    seconds: wall ?? Number.NaN,
    cpuSeconds: (user ?? Number.NaN) + (sys ?? Number.NaN),
    peakRssMb: Math.round((rssKb ?? Number.NaN) / 1024),
  };
}

/** Times `digest` of `inputDir` on RUNS fresh copies of `history`. */
function timedOnCopies(inputDir: string, history: string, work: string): Run[] {
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    const copy = join(work, `copy-${r}`);
    cpSync(history, copy, { recursive: true });
    runs.push(digest(inputDir, copy));
    rmSync(copy, { recursive: true, force: true });
  }
  return runs;
}

export async function localIncremental(
  evalDir: string | null,
): Promise<(Record<string, unknown> & { bench: string })[]> {
  if (!existsSync('/usr/bin/time')) throw new Error('local-incremental needs /usr/bin/time for peak RSS.');
  const work = mkdtempSync(join(tmpdir(), 'bench-local-'));
  try {
    const empty = join(work, 'empty');
    mkdirSync(empty);
    const perHistory: {
      history: number;
      build: Run;
      empty: Run[];
      added: Run[];
    }[] = [];
    for (const history of HISTORIES) {
      const input = join(work, `history-${history}`);
      const added = join(work, `added-${history}`);
      const out = join(work, `out-${history}`);
      writeArticles(
        input,
        generateTextArticles(history, evalDir, (i) => dayOf(i, history)),
      );
      writeArticles(
        added,
        generateTextArticles(ADDED_FILES, evalDir, (i) => dayOf(i, history), history),
      );
      const build = digest(input, out);
      rmSync(input, { recursive: true, force: true });
      perHistory.push({
        history,
        build,
        empty: timedOnCopies(empty, out, work),
        added: timedOnCopies(added, out, work),
      });
      rmSync(out, { recursive: true, force: true });
    }
    const marginal = perHistory.map((h) => ({
      wall: median(h.added.map((r) => r.seconds)) - median(h.empty.map((r) => r.seconds)),
      cpu: median(h.added.map((r) => r.cpuSeconds)) - median(h.empty.map((r) => r.cpuSeconds)),
    }));
    const first = marginal[0];
    const last = marginal[marginal.length - 1];
    const largest = perHistory[perHistory.length - 1];
    return [
      {
        bench: 'local-incremental',
        historyArticles: HISTORIES,
        addedFiles: ADDED_FILES,
        articlesPerDay: ARTICLES_PER_DAY,
        buildSeconds: perHistory.map((h) => h.build.seconds),
        buildCpuSeconds: perHistory.map((h) => round(h.build.cpuSeconds)),
        buildPeakRssMb: perHistory.map((h) => h.build.peakRssMb),
        emptyRunSeconds: perHistory.map((h) => median(h.empty.map((r) => r.seconds))),
        marginalSeconds: marginal.map((m) => round(m.wall)),
        marginalCpuSeconds: marginal.map((m) => round(m.cpu)),
        ratio: first && last ? round(last.wall / first.wall) : null,
        cpuRatio: first && last ? round(last.cpu / first.cpu) : null,
        addedRunPeakRssMb: perHistory.map((h) => Math.max(...h.added.map((r) => r.peakRssMb))),
        peakRssMb: largest ? Math.max(...largest.added.map((r) => r.peakRssMb)) : null,
        target: 'ratio <= 1.5, peakRssMb < 300 (adding to the largest history)',
      },
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
