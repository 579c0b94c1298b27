/**
 * Benchmark scenarios. Each returns figures as JSON-ready objects; run.ts runs each in its own process
 * so that peak RSS belongs to one scenario.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FsArticleSource, FsDigestStore } from '../../functions/adapters/fs-store.ts';
import { LocalItemState } from '../../functions/adapters/local-item-state.ts';
import { DEFAULT_LOCAL_WORKERS, withLocalPreparer } from '../../functions/adapters/local-preparation.ts';
import { renderBriefing } from '../../functions/adapters/mjml-renderer.ts';
import { loadTemplates } from '../../functions/adapters/templates.ts';
import { composeMessage } from '../../functions/app/compose.ts';
import { ingestLocally } from '../../functions/app/ingest-local.ts';
import { DEFAULTS } from '../../functions/contracts.ts';
import { extractArticle } from '../../functions/core/extract/index.ts';
import { redactEmails } from '../../functions/core/redact.ts';
import { DEFAULT_BRIEFING_CONFIG } from '../../functions/core/render/config.ts';
import { lshKeys, minHash, shingleSet } from '../../functions/core/stories/fingerprint.ts';
import { StoryEngine } from '../../functions/core/stories/story-engine.ts';
import type { Digest, ExtractedArticle } from '../../functions/core/types.ts';
import { ARRIVAL } from './arrival.ts';
import { type GeneratedArticle, generateTextArticles } from './corpus.ts';
import { localIncremental } from './local-incremental.ts';

/** One JSON line; DESIGN.md §3 names some lines by `scenario`. */
export type Figure = Record<string, unknown> & ({ bench: string } | { scenario: string });

/** Recombined sentences (text, or HTML pages around them), or wire copy's recurring real paragraphs. */
type CorpusKind = 'text' | 'html' | 'wire';

const ROOT = join(import.meta.dirname, '../..');

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const round = (value: number, digits = 2) => Number(value.toFixed(digits));

/** Writes a generated corpus from a separate process and returns its directory and keys, oldest first. */
function writeCorpus(
  kind: CorpusKind,
  count: number,
  evalDir: string | null,
): { dir: string; keys: string[]; paragraphSource?: string; distinctParagraphs?: number } {
  const dir = mkdtempSync(join(tmpdir(), 'bench-in-'));
  const output = execFileSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'write-corpus.ts'),
      kind,
      String(count),
      dir,
      evalDir ?? '-',
    ],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  return { dir, ...(JSON.parse(output) as { keys: string[] }) };
}

/** Linux reports a thread's CPU time in clock ticks of 1/100 s (USER_HZ). */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU seconds of this process's main thread alone (process.cpuUsage counts the workers too), from
 * /proc/self/task/<pid>/stat; null where there is no /proc.
 */
function mainThreadCpuSeconds(): number | null {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    // Fields after the parenthesised command name start at field 3; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/**
 * The local pipeline on a folder, as `npm run digest` runs it: read, extract, dedupe, cluster,
 * summarise, write the items to the local store, write digests and records. The corpus is written by another process,
 * so this process's peak RSS is the pipeline's own.
 */
async function endToEnd(
  name: string,
  kind: CorpusKind,
  count: number,
  evalDir: string | null,
  workers = DEFAULT_LOCAL_WORKERS,
): Promise<Figure[]> {
  const { dir: inputDir, keys, ...corpus } = writeCorpus(kind, count, evalDir);
  const outputDir = mkdtempSync(join(tmpdir(), 'bench-out-'));
  try {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const mainBefore = mainThreadCpuSeconds();
    // The preparer the CLI would choose for this many files and --workers.
    const state = new LocalItemState(outputDir);
    const report = await withLocalPreparer(
      keys.length,
      (preparation) =>
        ingestLocally(
          keys.map((key) => ({ key, arrivedAt: ARRIVAL })),
          {
            source: new FsArticleSource(inputDir),
            store: new FsDigestStore(outputDir),
            items: state.items,
            records: state.records,
            activeDays: DEFAULTS.activeDays,
            ...preparation,
          },
        ),
      { workers },
    ).finally(() => state.close());
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const mainAfter = mainThreadCpuSeconds();
    const mainCpu = mainBefore === null || mainAfter === null ? null : mainAfter - mainBefore;
    const kinds: Record<string, number> = {};
    for (const file of report.files) kinds[file.outcome.kind] = (kinds[file.outcome.kind] ?? 0) + 1;
    return [
      {
        bench: name,
        articles: keys.length,
        workers,
        seconds: round(seconds),
        articlesPerSecond: round(keys.length / seconds, 0),
        // CPU time is what other processes on a shared machine do not inflate. The main thread runs
        // the engine in file order, so its CPU time bounds the throughput more cores can give.
        cpuSeconds: round((cpu.user + cpu.system) / 1e6),
        mainThreadCpuSeconds: mainCpu === null ? null : round(mainCpu),
        articlesPerMainThreadCpuSecond: mainCpu ? round(keys.length / mainCpu, 0) : null,
        outcomes: kinds,
        ...corpus,
        ...(corpus.paragraphSource === 'seeds'
          ? {
              note: 'no ../shared/eval: built from the seeds paragraphs alone, not comparable with the README',
            }
          : {}),
      },
    ];
  } finally {
    rmSync(inputDir, { recursive: true, force: true });
    rmSync(outputDir, { recursive: true, force: true });
  }
}

function asExtracted(article: GeneratedArticle, day: string): ExtractedArticle {
  const [title, ...rest] = article.text.trim().split('\n\n');
  return {
    format: 'text',
    title: title ?? null,
    text: rest.join('\n\n'),
    url: null,
    outlet: null,
    date: { day, source: 'metadata' },
    description: null,
  };
}

async function stages(evalDir: string | null): Promise<Figure[]> {
  const articles = generateTextArticles(1000, evalDir);
  const bytes = articles.map((a) => new TextEncoder().encode(a.text));

  let started = performance.now();
  const extracted: ExtractedArticle[] = [];
  for (const [i, article] of articles.entries()) {
    extracted.push(
      await extractArticle({ key: article.key, bytes: bytes[i] ?? new Uint8Array(), arrivedAt: ARRIVAL }),
    );
  }
  const extractMs = performance.now() - started;

  started = performance.now();
  for (const article of extracted) lshKeys(minHash(shingleSet(article.text)));
  const fingerprintMs = performance.now() - started;

  const newsroom = StoryEngine.empty();
  started = performance.now();
  for (const [i, article] of extracted.entries()) {
    newsroom.ingest({ source: articles[i]?.key ?? String(i), article, arrivedAt: ARRIVAL });
  }
  const ingestMs = performance.now() - started;

  const outputDir = mkdtempSync(join(tmpdir(), 'bench-store-'));
  const store = new FsDigestStore(outputDir);
  started = performance.now();
  const digests: Digest[] = newsroom.days().map((day) => newsroom.digest(day));
  const digestMs = performance.now() - started;
  started = performance.now();
  for (const digest of digests) await store.putDigest(digest);
  await store.putArticleRecords(newsroom.records());
  await store.saveState(newsroom.toState(), null);
  const storeMs = performance.now() - started;
  rmSync(outputDir, { recursive: true, force: true });

  const perArticle = (ms: number) => round((ms * 1000) / articles.length, 0);
  return [
    {
      bench: 'stages-1k-text',
      unit: 'microseconds per article',
      note: 'dedupeAndCluster includes fingerprinting; summaries are computed lazily when digests are built; render is in render-send',
      parseAndClean: perArticle(extractMs),
      fingerprint: perArticle(fingerprintMs),
      dedupeAndCluster: perArticle(ingestMs),
      summariseIntoDigests: perArticle(digestMs),
      store: perArticle(storeMs),
    },
  ];
}

/**
 * The cost of adding one article to a day that already holds N: must stay flat as N grows (no O(N)
 * work per article). The same probe articles are measured at every N: each is added (timed), then
 * withdrawn again (untimed), so the day stays at N and every size sees identical texts. CPU time is
 * the headline figure, since on a shared machine wall time mostly measures the neighbours.
 */
async function incremental(evalDir: string | null): Promise<Figure[]> {
  const sizes = [1000, 10000, 50000];
  const largest = sizes[sizes.length - 1] ?? 0;
  const probeCount = 21;
  const corpus = generateTextArticles(largest + probeCount, evalDir);
  const probes = corpus.slice(largest);
  const newsroom = StoryEngine.empty();
  const figures: Figure[] = [];
  const costs = new Map<number, number>();
  let loaded = 0;
  const started = performance.now();
  for (const size of sizes) {
    for (; loaded < size; loaded++) {
      const article = corpus[loaded];
      if (article)
        newsroom.ingest({
          source: article.key,
          article: asExtracted(article, '2022-03-08'),
          arrivedAt: ARRIVAL,
        });
    }
    const wall: number[] = [];
    const cpu: number[] = [];
    for (const [p, article] of probes.entries()) {
      const source = `probe-${size}-${p}`;
      const cpuBefore = process.cpuUsage();
      const t = performance.now();
      newsroom.ingest({ source, article: asExtracted(article, '2022-03-08'), arrivedAt: ARRIVAL });
      wall.push(performance.now() - t);
      const used = process.cpuUsage(cpuBefore);
      cpu.push((used.user + used.system) / 1000);
      newsroom.reject({ source, reason: 'benchmark probe withdrawn', arrivedAt: ARRIVAL });
    }
    costs.set(size, median(cpu));
    figures.push({
      bench: 'incremental-add-one',
      dayArticles: size,
      cpuMsMedian: round(median(cpu), 3),
      wallMsMedian: round(median(wall), 3),
      probes: probes.length,
    });
  }
  const small = costs.get(sizes[0] ?? 0) ?? Number.NaN;
  figures.push({
    bench: 'incremental-cost-ratio',
    ratio50kVs1k: round((costs.get(largest) ?? Number.NaN) / small, 2),
    basis: 'median CPU ms per added article',
    target: '<= 2',
    buildSeconds: round((performance.now() - started) / 1000, 1),
  });
  return figures;
}

const HANDLERS = ['ingest', 'send', 'send-worker', 'unsubscribe'] as const;

/** Runs `code` (an ES module) in a fresh node process and returns the JSON it prints. */
function freshProcess<T>(code: string): T {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(output.trim()) as T;
}

/**
 * The SDK's lazily imported code that a Lambda never loads: credential sources after the environment one
 * (Lambda puts the role's credentials in the environment, and fromEnv is tried first), event streams
 * (no command used here streams) and bowser, which @aws-sdk/core imports only to parse a browser's user agent.
 */
const SDK_LAZY = /node_modules\/(@aws-sdk|@smithy|bowser)\//;
const SDK_LAZY_LOADED_IN_LAMBDA = /node_modules\/@aws-sdk\/credential-provider-env\//;

/**
 * Bundles each handler exactly as the stack does (infra/bundling.ts) and times, in fresh node processes:
 * - requireMs: importing index.mjs, i.e. Lambda's init phase, paid by every cold start;
 * - firstCallExtraMs: then importing the lazy chunks a first invocation can need (the project's own
 *   `await import()`s: the HTML stack in ingest, mjml in send; and the SDK's environment-credentials
 *   chunk). Splitting did not remove this work, it moved it to the first invocation that needs it, once
 *   per container: a cold ingest whose first file is HTML pays about requireMs + firstCallExtraMs.
 * - notLoadedKb: lazy chunks a Lambda does not load (the SDK's other credential sources, mjml's unused
 *   minifiers...).
 * - s3-client-construction: constructing the S3 client, which the handlers do on their first invocation
 *   (once per container), measured on clients.ts bundled the same way.
 */
async function coldStart(): Promise<Figure[]> {
  const { BUNDLE_ENTRY_FILE, bundleHandler, staticClosure } = await import('../../infra/bundling.ts');
  const outRoot = join(ROOT, 'out', 'bench', 'bundles');
  rmSync(outRoot, { recursive: true, force: true });
  const figures: Figure[] = [];
  const runs = 7;
  const bundles = [
    ...HANDLERS.map((name) => ({ name, entry: join(ROOT, 'functions', 'handlers', `${name}.ts`) })),
    { name: 'clients', entry: join(ROOT, 'functions', 'adapters', 'clients.ts') },
  ];
  for (const { name, entry } of bundles) {
    const outdir = join(outRoot, name);
    const { outputs } = bundleHandler(entry, outdir);
    const files = Object.keys(outputs).filter((f) => f.endsWith('.mjs'));
    // Metafile paths are relative to the repository (bundleHandler's working directory).
    const entryFile = relative(ROOT, join(outdir, BUNDLE_ENTRY_FILE));
    const atInit = staticClosure(outputs, entryFile);
    const lazy = files.filter((f) => !atInit.has(f));
    // The `await import()`s in code loaded at init; a dynamic import's chunk names the module it was
    // imported for, and its static imports come with it. Dynamic imports nested inside those chunks run
    // only if that code asks (htmlnano's optional minifiers, which mjml calls only to minify: we do not).
    const sdkOnly = (f: string) => {
      const source = outputs[f]?.entryPoint;
      return source !== undefined && SDK_LAZY.test(source) && !SDK_LAZY_LOADED_IN_LAMBDA.test(source);
    };
    const dynamicFromInit = [...atInit].flatMap((f) =>
      (outputs[f]?.imports ?? [])
        .filter((i) => i.kind === 'dynamic-import' && !i.external)
        .map((i) => i.path),
    );
    const firstCall = [...new Set(dynamicFromInit)].filter((f) => !sdkOnly(f));
    const loadedOnFirstCall = new Set(firstCall.flatMap((f) => [...staticClosure(outputs, f)]));
    const notLoaded = lazy.filter((f) => !loadedOnFirstCall.has(f));
    const kb = (list: Iterable<string>) =>
      round([...list].reduce((n, f) => n + (outputs[f]?.bytes ?? 0), 0) / 1024, 1);
    const url = (f: string) => JSON.stringify(pathToFileURL(join(ROOT, f)).href);
    const timed = (before: string, body: string, after: string) =>
      `${before}const c=process.cpuUsage();const t=performance.now();${body};` +
      `const w=performance.now()-t;const u=process.cpuUsage(c);${after}` +
      'console.log(JSON.stringify({wall:w,cpu:(u.user+u.system)/1000}))';
    const sample = (code: string) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      for (let run = 0; run < runs; run++) {
        const r = freshProcess<{ wall: number; cpu: number }>(code);
        wall.push(r.wall);
        cpu.push(r.cpu);
      }
      return { wall: round(median(wall), 1), cpu: round(median(cpu), 1) };
    };
    if (name === 'clients') {
      // Import first (untimed), then time the construction alone.
      const s3 = sample(timed(`const m=await import(${url(entryFile)});`, 'm.s3Client()', ''));
      figures.push({ bench: 'cold-start', setup: 's3-client-construction', ms: s3.wall, cpuMs: s3.cpu });
      continue;
    }
    const init = sample(
      timed(
        '',
        `const m=await import(${url(entryFile)})`,
        "if(typeof m.handler!=='function')throw new Error('no handler');",
      ),
    );
    const extra = sample(
      timed(
        `await import(${url(entryFile)});`,
        `for(const f of ${JSON.stringify(firstCall.map((f) => pathToFileURL(join(ROOT, f)).href))})await import(f)`,
        '',
      ),
    );
    figures.push({
      bench: 'cold-start',
      handler: name,
      bundleKb: kb(files),
      initKb: kb(atInit),
      requireMsMedian: init.wall,
      // CPU time is reported beside wall time: on a shared machine it is the steadier of the two.
      requireCpuMsMedian: init.cpu,
      firstCallExtraKb: kb([...loadedOnFirstCall].filter((f) => !atInit.has(f))),
      firstCallExtraMsMedian: extra.wall,
      firstCallExtraCpuMsMedian: extra.cpu,
      notLoadedKb: kb(notLoaded),
      target: name === 'ingest' ? '<= 150' : name === 'send' ? '<= 400' : undefined,
    });
  }
  return figures;
}

async function renderAndSend(evalDir: string | null): Promise<Figure[]> {
  const newsroom = StoryEngine.empty();
  for (const article of generateTextArticles(200, evalDir)) {
    newsroom.ingest({ source: article.key, article: asExtracted(article, '2022-03-08'), arrivedAt: ARRIVAL });
  }
  const digest = newsroom.digest('2022-03-08');
  const templates = await loadTemplates();
  const timings: number[] = [];
  let rendered = await renderBriefing(digest, DEFAULT_BRIEFING_CONFIG, templates);
  for (let run = 0; run < 10; run++) {
    const t = performance.now();
    rendered = await renderBriefing(digest, DEFAULT_BRIEFING_CONFIG, templates);
    timings.push(performance.now() - t);
  }
  // A typical day (the three-story fixture modelled on the seeds) beside the busy 20-story day above.
  const typical = JSON.parse(
    readFileSync(join(ROOT, 'tests', 'fixtures', 'digests', '2022-02-28.json'), 'utf8'),
  ) as Digest;
  await renderBriefing(typical, DEFAULT_BRIEFING_CONFIG, templates);
  const typicalTimings: number[] = [];
  for (let run = 0; run < 10; run++) {
    const t = performance.now();
    await renderBriefing(typical, DEFAULT_BRIEFING_CONFIG, templates);
    typicalTimings.push(performance.now() - t);
  }
  const subscribers = 2000;
  const t = performance.now();
  let bytes = 0;
  for (let i = 0; i < subscribers; i++) {
    bytes += composeMessage(
      rendered,
      digest,
      DEFAULT_BRIEFING_CONFIG,
      `reader${i}@example.com`,
      'bench-secret',
    ).raw.length;
  }
  const perSubscriberMs = (performance.now() - t) / subscribers;
  return [
    {
      bench: 'render',
      stories: typical.stories.length,
      renderMsMedian: round(median(typicalTimings), 1),
      target: '<= 50',
    },
    {
      bench: 'render',
      stories: digest.stories.length,
      renderMsMedian: round(median(timings), 1),
      htmlKb: round(Buffer.byteLength(rendered.html) / 1024, 1),
      target: '<= 50',
    },
    {
      bench: 'send-per-subscriber',
      composeMs: round(perSubscriberMs, 3),
      messageKb: round(bytes / subscribers / 1024, 1),
      note: 'personalise + MIME per subscriber; MJML is rendered once per digest',
    },
  ];
}

/** Log redaction on a 400 kB line with one address at its end: a backtracking pattern took minutes here. */
async function redaction(): Promise<Figure[]> {
  const line = `${'a'.repeat(200_000)} ${'b-'.repeat(100_000)} at@sign`;
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    redactEmails(line);
    runs.push(performance.now() - started);
  }
  runs.sort((a, b) => a - b);
  return [
    { bench: 'redaction-long-line', lineKb: round(line.length / 1024, 0), medianMs: round(runs[2] ?? 0, 2) },
  ];
}

export const SCENARIOS: Record<string, (evalDir: string | null) => Promise<Figure[]>> = {
  'e2e-text-1k': (evalDir) => endToEnd('e2e-text-1k', 'text', 1000, evalDir),
  'e2e-text-10k': (evalDir) => endToEnd('e2e-text-10k', 'text', 10000, evalDir),
  // `npm run digest -- --workers 0`: the whole run on the main thread.
  'e2e-text-10k-in-process': (evalDir) => endToEnd('e2e-text-10k-in-process', 'text', 10000, evalDir, 0),
  // Wire copy: real 4–5 KB articles whose paragraphs recur across many articles (wire-corpus.ts).
  'realistic-10k': (evalDir) => endToEnd('realistic-10k', 'wire', 10000, evalDir),
  'realistic-10k-in-process': (evalDir) => endToEnd('realistic-10k-in-process', 'wire', 10000, evalDir, 0),
  'realistic-1k': (evalDir) => endToEnd('realistic-1k', 'wire', 1000, evalDir),
  'e2e-html-1k': (evalDir) => endToEnd('e2e-html-1k', 'html', 1000, evalDir),
  'e2e-html-1k-in-process': (evalDir) => endToEnd('e2e-html-1k-in-process', 'html', 1000, evalDir, 0),
  stages,
  incremental,
  'cold-start': () => coldStart(),
  'render-send': renderAndSend,
  'redaction-long-line': redaction,
  'local-incremental': localIncremental,
  // Emulators and a 50k-article history: minutes, not seconds.
  // Loaded only when asked for, so that the other scenarios' peak RSS does not carry the emulators.
  'deployed-batch': async (evalDir) =>
    (await import('./deployed-batch.ts')).deployedBatch(evalDir) as Promise<Figure[]>,
};
