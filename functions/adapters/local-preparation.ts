/**
 * How a local run over a folder prepares its files: in process for `--workers 0`, one time-boxed worker
 * for a small folder, a pool of worker threads for a big one. The CLI's digest command and the
 * end-to-end benchmark share this, so the benchmark measures what the CLI does.
 */
import { availableParallelism } from 'node:os';
import type { IngestDependencies } from '../app/ingest-batch.ts';
import { prepareInProcess } from '../app/prepare.ts';
import type { StorySummariser } from '../ports.ts';
import { PreparePool, type PreparePoolOptions, WORKER_QUEUE_DEPTH } from './prepare-pool.ts';
import { TimeBoxedPreparer } from './time-boxed-preparer.ts';
import { bundleWorkerEntry, WORKER_ENTRY } from './worker-bundle.ts';

/**
 * Worker threads a local run over a big folder uses unless told otherwise (`--workers`): every core
 * but the engine's, so none on a single core, where a worker would only take turns with the engine.
 */
export const DEFAULT_LOCAL_WORKERS = availableParallelism() - 1;

/** Smallest batch worth a pool: below it, starting the workers costs more CPU than they save. */
export const PREPARE_POOL_MIN_FILES = 500;

/**
 * Files in flight for a pooled batch: each worker's queue, plus as many again read and waiting, so a
 * worker that answers finds its next files ready while the main thread is busy with an article.
 */
const POOLED_FILES_IN_FLIGHT_PER_WORKER = 2 * WORKER_QUEUE_DEPTH;

/** What a local batch adds to its ingest dependencies: nothing for a small batch, a pool for a big one. */
export type LocalPreparation = Pick<IngestDependencies, 'prepare' | 'filesInFlight' | 'summarise'>;

/**
 * Runs `work` with the preparation a local batch of `fileCount` files should use: `workers` worker
 * threads (DEFAULT_LOCAL_WORKERS unless given) for a big batch, always shut down afterwards, also on
 * error; in process for a small batch or `workers: 0`. The CLI's digest command and the end-to-end
 * benchmark share this, so the benchmark measures what the CLI does.
 */
export async function withLocalPreparer<T>(
  fileCount: number,
  work: (preparation: LocalPreparation) => Promise<T>,
  options: Pick<PreparePoolOptions, 'workers' | 'onWarning' | 'helpOnMainThread'> = {},
): Promise<T> {
  const { workers = DEFAULT_LOCAL_WORKERS, ...poolOptions } = options;
  if (workers <= 0) return work({});
  if (fileCount < PREPARE_POOL_MIN_FILES) {
    // A small batch is prepared file by file on one worker, each file within the extraction budget.
    const timeBoxed = new TimeBoxedPreparer({
      entry: () => bundleWorkerEntry(WORKER_ENTRY),
      ...(poolOptions.onWarning ? { onWarning: poolOptions.onWarning } : {}),
    });
    try {
      return await work({ prepare: timeBoxed.prepare });
    } finally {
      await timeBoxed.close();
    }
  }
  // FsArticleSource reads every file into a fresh buffer that nothing else keeps: it can be moved.
  const pool = new PreparePool({ consumeInput: true, workers, ...poolOptions });
  // The writes after the summaries are the run's memory peak, so the workers and their heaps go first;
  // should the batch start over, a closed pool prepares and summarises on this thread, with the same result.
  let released = false;
  const summarise: StorySummariser = async (jobs) => {
    const summaries = await pool.summarise(jobs);
    released = true;
    await pool.close();
    return summaries;
  };
  try {
    return await work({
      prepare: (input) => (released ? prepareInProcess(input) : pool.prepare(input)),
      summarise,
      filesInFlight: pool.workers * POOLED_FILES_IN_FLIGHT_PER_WORKER,
    });
  } finally {
    await pool.close();
  }
}
