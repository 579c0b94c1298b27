/**
 * Preparing files on worker threads must change nothing but speed: on a mixed folder (the seeds, the
 * hostile catalogue, generated articles and copies) the pooled ingest writes byte for byte the
 * digests, records, engine state and quarantine the in-process ingest writes. A worker that dies
 * fails only the file it was preparing (quarantined, never lost, never a hang), and a pool whose
 * workers cannot start prepares on the main thread instead.
 */
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FsArticleSource,
  FsDigestStore,
  listFilesOldestFirst,
  safeRelativePath,
} from '../../../functions/adapters/fs-store.ts';
import {
  DEFAULT_LOCAL_WORKERS,
  PREPARE_POOL_MIN_FILES,
  withLocalPreparer,
} from '../../../functions/adapters/local-preparation.ts';
import { PreparePool } from '../../../functions/adapters/prepare-pool.ts';
import { reviveError, serializeError } from '../../../functions/adapters/prepare-protocol.ts';
import { bundleWorkerEntry } from '../../../functions/adapters/worker-bundle.ts';
import { type IngestReport, type IngestRequest, ingestBatch } from '../../../functions/app/ingest-batch.ts';
import { InputRejectedError, TransientError } from '../../../functions/core/errors.ts';
import { MAX_INPUT_BYTES } from '../../../functions/core/limits.ts';
import { type SummaryJob, summariseJob } from '../../../functions/core/stories/story-summary.ts';
import type { ArticleRecord } from '../../../functions/core/types.ts';
import type { Preparer, StorySummariser } from '../../../functions/ports.ts';
import { generatedArticle } from '../../hostile/articles.ts';
import { HOSTILE_CASES } from '../../hostile/cases.ts';

const ARRIVED = new Date('2022-03-20T08:00:00Z');
const SEEDS = join(import.meta.dirname, '../../../seeds');
const MISBEHAVING = new URL('./support/misbehaving-prepare-worker.ts', import.meta.url);
const BROKEN = new URL('./support/broken-prepare-worker.ts', import.meta.url);
const WORKER_ENTRY = new URL('../../../functions/adapters/prepare-worker.ts', import.meta.url);
/** A bundler standing in for a missing esbuild or a failed build: workers must start under tsx. */
const failingBundle = () => Promise.reject(new Error('esbuild is not installed here'));
const base = mkdtempSync(join(tmpdir(), 'prepare-pool-'));

afterAll(() => rmSync(base, { recursive: true, force: true }));

function write(dir: string, key: string, bytes: Uint8Array | string): void {
  const path = join(dir, safeRelativePath(key));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes);
}

/** Every file below `dir`, relative, sorted. */
function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** A store's files as compared across runs: quarantine notes lose only their wall-clock stamp. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const path of tree(dir)) {
    const text = readFileSync(join(dir, path), 'utf8');
    if (path.startsWith('quarantine/')) {
      const { quarantinedAt, ...rest } = JSON.parse(text) as { quarantinedAt: string };
      expect(quarantinedAt).toEqual(expect.any(String));
      files[path] = JSON.stringify(rest);
    } else files[path] = text;
  }
  return files;
}

function outcomes(report: IngestReport): unknown[] {
  return report.files.map((file) => ({
    key: file.key,
    ...file.outcome,
    ...('error' in file.outcome ? { error: file.outcome.error.message } : {}),
  }));
}

function records(dir: string): ArticleRecord[] {
  return readFileSync(join(dir, 'articles.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as ArticleRecord);
}

async function requestsFor(dir: string): Promise<IngestRequest[]> {
  return (await listFilesOldestFirst(dir)).map((file) => ({ key: file.key, arrivedAt: ARRIVED }));
}

async function ingest(
  inDir: string,
  outDir: string,
  prepare?: Preparer,
  summarise?: StorySummariser,
): Promise<IngestReport> {
  return ingestBatch(await requestsFor(inDir), {
    source: new FsArticleSource(inDir),
    store: new FsDigestStore(outDir),
    ...(prepare ? { prepare } : {}),
    ...(summarise ? { summarise } : {}),
  });
}

/** The seeds, every hostile case, generated articles with an exact and a reworded copy, an oversized file. */
function mixedFolder(): string {
  const dir = join(base, 'mixed');
  for (const name of readdirSync(SEEDS)) {
    mkdirSync(join(dir, 'seeds'), { recursive: true });
    copyFileSync(join(SEEDS, name), join(dir, 'seeds', name));
  }
  for (const [group, cases] of Object.entries(HOSTILE_CASES)) {
    for (const c of cases) write(dir, `hostile/${group}/${c.key}`, c.bytes());
  }
  for (let i = 0; i < 12; i++) write(dir, `generated/${i}.txt`, generatedArticle(i).text);
  write(dir, 'generated/copy-of-3.txt', generatedArticle(3).text);
  write(
    dir,
    'generated/reprint-of-5.txt',
    `Reprinted: ${generatedArticle(5).text.replace('. ', ', he said. ')}`,
  );
  write(dir, 'too-large.txt', '');
  truncateSync(join(dir, 'too-large.txt'), MAX_INPUT_BYTES + 1);
  return dir;
}

describe('preparing on worker threads', () => {
  const inDir = mixedFolder();

  it('writes exactly what the in-process ingest writes, on a mixed and hostile folder', async () => {
    const inProcessOut = join(base, 'in-process');
    const pooledOut = join(base, 'pooled');
    const expected = await ingest(inDir, inProcessOut);

    const pool = new PreparePool({ workers: 2, consumeInput: true, helpOnMainThread: false });
    let pooled: IngestReport;
    try {
      await pool.ready();
      pooled = await ingest(inDir, pooledOut, pool.prepare, pool.summarise);
    } finally {
      await pool.close();
    }

    // The folder exercises what matters: stories, duplicates and rejections of many kinds.
    const kinds = new Set(expected.files.map((f) => f.outcome.kind));
    expect([...kinds].sort()).toEqual(['duplicate', 'rejected', 'story']);
    const codes = new Set(records(inProcessOut).map((r) => r.rejected?.split(':')[0] ?? null));
    for (const code of ['empty', 'binary', 'invalid-encoding', 'too-large']) expect(codes).toContain(code);

    // Workers prepared every file that was read (all but the oversized one, refused before reading).
    expect(pool.stats).toEqual({
      workerJobs: expected.files.length - 1,
      localJobs: 0,
      crashes: 0,
      retries: 0,
    });
    // The workers summarised stories too (their runs go out before this thread takes one).
    expect(pool.summaryStats.workerRuns).toBeGreaterThan(0);
    expect(pool.summaryStats.failedRuns).toBe(0);
    expect(outcomes(pooled)).toEqual(outcomes(expected));
    expect(pooled.changedDays).toEqual(expected.changedDays);
    expect(snapshot(pooledOut)).toEqual(snapshot(inProcessOut));
  });

  it.each([
    ['moved to the worker (the bytes are read again)', true],
    ['copied to the worker', false],
  ])('fails only the file a dying worker was preparing, its bytes %s', async (_name, consumeInput) => {
    const dir = join(base, `crash-${consumeInput}`);
    for (let i = 0; i < 8; i++) write(dir, `${i}.txt`, generatedArticle(100 + i).text);
    write(dir, '2-exit-worker.txt', generatedArticle(200).text);
    write(dir, '5-throw-in-worker.txt', generatedArticle(201).text);
    const withoutCrashers = join(base, `crash-${consumeInput}-reference`);
    for (let i = 0; i < 8; i++) write(withoutCrashers, `${i}.txt`, generatedArticle(100 + i).text);

    const pool = new PreparePool({
      workers: 1,
      entry: MISBEHAVING,
      consumeInput,
      helpOnMainThread: false,
    });
    const out = join(base, `crash-${consumeInput}-out`);
    let report: IngestReport;
    try {
      await pool.ready();
      report = await ingest(dir, out, pool.prepare);
    } finally {
      await pool.close();
    }

    expect(pool.stats.crashes).toBe(2);
    // Both replacements started from the bundle too.
    expect(pool.workerStarts).toEqual({ bundle: 3, tsx: 0, js: 0 });
    // Every file is accounted for: the two it died on are quarantined, the others are in stories.
    const byKey = new Map(report.files.map((f) => [f.key, f.outcome]));
    expect([...byKey.keys()].sort()).toEqual(tree(dir));
    expect(byKey.get('2-exit-worker.txt')).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(
        /^unreadable: processing failed \(the preparation worker exited with code 7\)/,
      ),
    });
    expect(byKey.get('5-throw-in-worker.txt')).toMatchObject({
      kind: 'rejected',
      reason: expect.stringMatching(/^unreadable: processing failed \(.*uncaught in the worker\)/),
    });
    for (const key of ['2-exit-worker.txt', '5-throw-in-worker.txt']) {
      const note = JSON.parse(readFileSync(join(out, 'quarantine', `${key}.json`), 'utf8')) as {
        size: number;
      };
      expect(note.size).toBe(readFileSync(join(dir, key)).byteLength);
    }
    // The other files end exactly as they would have without the two: same stories, same digests.
    const reference = join(base, `crash-${consumeInput}-reference-out`);
    await ingest(withoutCrashers, reference);
    const digests = (root: string) =>
      Object.fromEntries(Object.entries(snapshot(root)).filter(([path]) => path.startsWith('digests/')));
    expect(Object.keys(digests(out)).length).toBeGreaterThan(0);
    expect(digests(out)).toEqual(digests(reference));
    const good = (root: string) => records(root).filter((r) => r.rejected === null);
    expect(good(out)).toEqual(good(reference));
  });

  it.each([
    ['from the bundle', 'bundle', undefined],
    ['under tsx', 'tsx', failingBundle],
  ] as const)(
    'blames a crash on the file the worker was on, and sends the files queued behind it round again (workers %s)',
    async (_name, startedFrom, bundleEntry) => {
      const pool = new PreparePool({
        workers: 1,
        entry: MISBEHAVING,
        consumeInput: true,
        helpOnMainThread: false,
        ...(bundleEntry ? { bundleEntry } : {}),
      });
      try {
        await pool.ready();
        const input = (key: string, index: number) => ({
          key,
          bytes: new TextEncoder().encode(generatedArticle(500 + index).text),
          arrivedAt: ARRIVED,
        });
        // Queued together, so all four sit in the one worker's queue when it reaches the second.
        const results = await Promise.all(
          ['first.txt', 'exit-worker.txt', 'third.txt', 'fourth.txt'].map((key, i) =>
            pool.prepare(input(key, i)),
          ),
        );
        expect(results.map((r) => (r.ok ? 'ok' : r.retry ? 'retry' : 'failed'))).toEqual([
          'ok',
          'failed',
          'retry',
          'retry',
        ]);
        expect(results[1]).toMatchObject({
          ok: false,
          bytes: null,
          error: { message: expect.stringMatching(/code 7/) },
        });
        expect(pool.stats).toMatchObject({ crashes: 1, retries: 2 });
        // The replacement worker, started the same way, takes the retried files.
        expect(await pool.prepare(input('third.txt', 2))).toMatchObject({
          ok: true,
          article: { format: 'text' },
        });
        expect(pool.workerStarts[startedFrom]).toBe(2);
      } finally {
        await pool.close();
      }
    },
  );

  it('prepares on the main thread when no worker can start, with the same result', async () => {
    const dir = join(base, 'broken');
    for (let i = 0; i < 6; i++) write(dir, `${i}.txt`, generatedArticle(300 + i).text);
    write(dir, 'empty.txt', '');
    const warnings: string[] = [];
    const pool = new PreparePool({ workers: 2, entry: BROKEN, onWarning: (m) => warnings.push(m) });
    const out = join(base, 'broken-out');
    try {
      await pool.ready();
      await ingest(dir, out, pool.prepare);
    } finally {
      await pool.close();
    }
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/could not start .*this worker cannot start/);
    expect(pool.stats).toEqual({ workerJobs: 0, localJobs: 7, crashes: 0, retries: 0 });
    const reference = join(base, 'broken-reference');
    await ingest(dir, reference);
    expect(snapshot(out)).toEqual(snapshot(reference));
  });
});

describe('summarising on worker threads', () => {
  /** Jobs of one-article stories made from the generated articles; `poison` marks one source. */
  function summaryJobs(count: number, poison = -1): SummaryJob[] {
    return Array.from({ length: count }, (_, i) => {
      const [title = '', ...body] = generatedArticle(i).text.split('\n\n');
      const text = `${body.join('\n\n')}${i === poison ? ' The exit-worker line.' : ''}`;
      return {
        storyId: `s${i}`,
        sentences: 3,
        sources: [{ articleId: `a${i}`, title, text, outlet: 'Wire' }],
      };
    });
  }

  it('gives what summariseJob gives, in the order of the jobs, with the workers taking runs', async () => {
    const jobs = summaryJobs(150);
    const pool = new PreparePool({ workers: 1 });
    try {
      await pool.ready();
      const summaries = await pool.summarise(jobs);
      expect(summaries).toEqual(jobs.map(summariseJob));
      expect(pool.summaryStats.workerRuns).toBeGreaterThan(0);
      expect(pool.summaryStats.workerRuns + pool.summaryStats.localRuns).toBe(Math.ceil(150 / 32));
    } finally {
      await pool.close();
    }
  });

  it('summarises a run on this thread when its worker dies on it', async () => {
    const jobs = summaryJobs(40, 5);
    const pool = new PreparePool({ workers: 1, entry: MISBEHAVING });
    try {
      await pool.ready();
      expect(await pool.summarise(jobs)).toEqual(jobs.map(summariseJob));
      // Both runs it held (the poisoned one and the one queued behind it) come back to this thread.
      expect(pool.summaryStats.failedRuns).toBe(2);
    } finally {
      await pool.close();
    }
  });

  it('summarises on this thread alone once the pool is closed', async () => {
    const jobs = summaryJobs(3);
    const pool = new PreparePool({ workers: 1 });
    await pool.close();
    expect(await pool.summarise(jobs)).toEqual(jobs.map(summariseJob));
    expect(pool.summaryStats).toEqual({ workerRuns: 0, localRuns: 1, failedRuns: 0 });
  });
});

describe('starting workers', () => {
  const input = () => ({
    key: 'a.txt',
    bytes: new TextEncoder().encode(generatedArticle(600).text),
    arrivedAt: ARRIVED,
  });

  it('starts a TypeScript entry from one esbuild bundle in the temp directory, named by its content', async () => {
    const bundle = await bundleWorkerEntry(WORKER_ENTRY);
    expect(await bundleWorkerEntry(WORKER_ENTRY)).toBe(bundle);
    const file = fileURLToPath(bundle);
    expect(dirname(file)).toBe(tmpdir());
    const hash = createHash('sha256').update(readFileSync(file)).digest('hex').slice(0, 16);
    expect(basename(file)).toBe(`news-digest-prepare-worker-${hash}.mjs`);

    const pool = new PreparePool({ workers: 1, helpOnMainThread: false });
    try {
      await pool.ready();
      expect(await pool.prepare(input())).toMatchObject({ ok: true, article: { format: 'text' } });
    } finally {
      await pool.close();
    }
    expect(pool.workerStarts).toEqual({ bundle: 1, tsx: 0, js: 0 });
    expect(pool.stats).toMatchObject({ workerJobs: 1, localJobs: 0 });
  });

  it('starts workers under tsx, with a warning that says what to do, when the entry cannot be bundled', async () => {
    const warnings: string[] = [];
    const pool = new PreparePool({
      workers: 2,
      helpOnMainThread: false,
      bundleEntry: failingBundle,
      onWarning: (m) => warnings.push(m),
    });
    try {
      await pool.ready();
      expect(await pool.prepare(input())).toMatchObject({ ok: true, article: { format: 'text' } });
    } finally {
      await pool.close();
    }
    expect(pool.workerStarts).toEqual({ bundle: 0, tsx: 2, js: 0 });
    expect(warnings).toEqual([
      expect.stringMatching(/could not be bundled .*esbuild is not installed here.*npm ci/),
    ]);
  });

  it('starts no worker when closed while the bundle is being built', async () => {
    let finishBundle: (url: URL) => void = () => {};
    const bundleEntry = () =>
      new Promise<URL>((resolve) => {
        finishBundle = resolve;
      });
    const pool = new PreparePool({ workers: 1, bundleEntry });
    const late = pool.prepare(input());
    await pool.close();
    await expect(late).rejects.toThrow(/closed/);
    finishBundle(await bundleWorkerEntry(WORKER_ENTRY));
    await new Promise((resolve) => setImmediate(resolve));
    expect(pool.workerStarts).toEqual({ bundle: 0, tsx: 0, js: 0 });
  });

  it('prepares on the main thread while the bundle is being built', async () => {
    let finishBundle: (url: URL) => void = () => {};
    const bundleEntry = () =>
      new Promise<URL>((resolve) => {
        finishBundle = resolve;
      });
    const pool = new PreparePool({ workers: 1, bundleEntry });
    try {
      expect(await pool.prepare(input())).toMatchObject({ ok: true, article: { format: 'text' } });
      expect(pool.stats).toMatchObject({ workerJobs: 0, localJobs: 1 });
      finishBundle(await bundleWorkerEntry(WORKER_ENTRY));
      await pool.ready();
      expect(pool.workerStarts).toEqual({ bundle: 1, tsx: 0, js: 0 });
    } finally {
      await pool.close();
    }
  });
});

describe('handing bytes to a worker', () => {
  it('moves a buffer the file owns whole, and copies a slice of a shared one', async () => {
    const text = generatedArticle(400).text;
    const pool = new PreparePool({ workers: 1, consumeInput: true, helpOnMainThread: false });
    try {
      await pool.ready();
      const owned = new TextEncoder().encode(text);
      const size = owned.byteLength;
      const shared = new Uint8Array(size + 16);
      shared.set(owned, 8);
      const slice = shared.subarray(8, 8 + size);
      const fromOwned = await pool.prepare({ key: 'a.txt', bytes: owned, arrivedAt: ARRIVED });
      const fromSlice = await pool.prepare({ key: 'a.txt', bytes: slice, arrivedAt: ARRIVED });
      expect(owned.byteLength).toBe(0);
      expect(slice.byteLength).toBe(size);
      expect(shared.byteLength).toBe(size + 16);
      expect(fromSlice).toEqual(fromOwned);
      expect(fromOwned).toMatchObject({ ok: true, article: { format: 'text' } });
    } finally {
      await pool.close();
    }
  });
});

describe('errors crossing the thread boundary', () => {
  it('keeps an InputRejectedError with its code and reason', () => {
    const revived = reviveError(serializeError(new InputRejectedError('binary', 'This is a PNG image.')));
    expect(revived).toBeInstanceOf(InputRejectedError);
    expect((revived as InputRejectedError).reason).toBe('binary: This is a PNG image.');
  });

  it('keeps a TransientError retryable and any other error its message', () => {
    expect(reviveError(serializeError(new TransientError('slow down')))).toBeInstanceOf(TransientError);
    const other = reviveError(serializeError(new RangeError('Maximum call stack size exceeded')));
    expect(other).not.toBeInstanceOf(InputRejectedError);
    expect(other.message).toBe('Maximum call stack size exceeded');
  });
});

describe('withLocalPreparer', () => {
  it('prepares a small batch on one time-boxed worker, not a pool', async () => {
    const preparation = await withLocalPreparer(
      PREPARE_POOL_MIN_FILES - 1,
      async (preparation) => preparation,
      { workers: 1 },
    );
    expect(Object.keys(preparation)).toEqual(['prepare']);
  });

  it('prepares a big batch on DEFAULT_LOCAL_WORKERS workers unless told otherwise', async () => {
    const preparation = await withLocalPreparer(PREPARE_POOL_MIN_FILES * 10, async (p) => p);
    expect(Object.keys(preparation).sort()).toEqual(
      DEFAULT_LOCAL_WORKERS > 0 ? ['filesInFlight', 'prepare', 'summarise'] : [],
    );
  });

  it('stays in process when told to use no workers, however big the batch', async () => {
    expect(
      await withLocalPreparer(PREPARE_POOL_MIN_FILES * 10, async (preparation) => preparation, {
        workers: 0,
      }),
    ).toEqual({});
  });

  it('lets the workers go once the summaries are done, and prepares on this thread after that', async () => {
    const bytes = () => new Uint8Array(readFileSync(join(SEEDS, readdirSync(SEEDS).sort()[0]!)));
    await withLocalPreparer(
      PREPARE_POOL_MIN_FILES,
      async ({ prepare, summarise }) => {
        // A worker prepares with the story signals; this thread leaves them to the engine.
        const pooled = await prepare!({ key: 'a.txt', bytes: bytes(), arrivedAt: ARRIVED });
        expect(pooled.ok && pooled.signals !== undefined).toBe(true);
        expect(await summarise!([])).toEqual([]);
        const after = await prepare!({ key: 'a.txt', bytes: bytes(), arrivedAt: ARRIVED });
        expect(after.ok && after.signals === undefined).toBe(true);
        expect(await summarise!([])).toEqual([]);
      },
      { workers: 1, helpOnMainThread: false },
    );
  });

  it('shuts its pool down when the work fails', async () => {
    let captured: Preparer | undefined;
    await expect(
      withLocalPreparer(
        PREPARE_POOL_MIN_FILES,
        async (preparation) => {
          captured = preparation.prepare;
          throw new Error('the run failed');
        },
        { workers: 1 },
      ),
    ).rejects.toThrow('the run failed');
    expect(captured).toBeDefined();
    await expect(
      captured?.({ key: 'late.txt', bytes: new Uint8Array(1), arrivedAt: ARRIVED }),
    ).rejects.toThrow(/closed/);
  });
});
