/**
 * A batch's story summaries spread over worker threads and this thread, in runs of a few dozen stories.
 * A run a worker fails (it crashed, or threw) is summarised on this thread, so the result is always what
 * summariseJob gives.
 */
import { type StorySummary, type SummaryJob, summariseJob } from '../core/stories/story-summary.ts';

/**
 * Stories per summary request: about 2 ms of work each, so a request is tens of milliseconds,
 * long enough that messaging costs little and short enough that the threads finish close together.
 */
const SUMMARY_RUN_JOBS = 32;

/**
 * Summary requests queued at each worker, so it starts the next while this thread is still busy with
 * its own run and has not yet read the answer.
 */
const SUMMARY_RUNS_IN_FLIGHT = 2;

/** One worker's summaries of a run of jobs, in their order. */
export type SummaryWorker = (jobs: readonly SummaryJob[]) => Promise<readonly StorySummary[]>;

/** Summary runs answered by workers, run on this thread, and failed on a worker (then run here). */
export interface SummaryStats {
  workerRuns: number;
  localRuns: number;
  failedRuns: number;
}

export async function summariseSpread(
  jobs: readonly SummaryJob[],
  workers: readonly SummaryWorker[],
  stats: SummaryStats,
): Promise<StorySummary[]> {
  const summaries: StorySummary[] = new Array(jobs.length);
  let next = 0;
  const takeRun = (): readonly [number, number] | null => {
    if (next >= jobs.length) return null;
    const start = next;
    next = Math.min(jobs.length, start + SUMMARY_RUN_JOBS);
    return [start, next];
  };
  const here = (start: number, end: number) => {
    stats.localRuns++;
    for (let i = start; i < end; i++) summaries[i] = summariseJob(jobs[i]!);
  };
  const onWorker = async (summariseOnWorker: SummaryWorker) => {
    for (let run = takeRun(); run !== null; run = takeRun()) {
      const [start, end] = run;
      try {
        const answered = await summariseOnWorker(jobs.slice(start, end));
        if (answered.length !== end - start) throw new Error('a summary run came back incomplete');
        for (let i = start; i < end; i++) summaries[i] = answered[i - start]!;
        stats.workerRuns++;
      } catch {
        stats.failedRuns++;
        here(start, end);
        return;
      }
    }
  };
  const onThisThread = async () => {
    for (let run = takeRun(); run !== null; run = takeRun()) {
      here(...run);
      // Let the workers' answers in, so each is sent its next run while this thread works.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  // The workers' runs go out first: this thread's first run blocks until it is done.
  const onWorkers = workers.flatMap((worker) =>
    Array.from({ length: SUMMARY_RUNS_IN_FLIGHT }, () => onWorker(worker)),
  );
  await Promise.all([...onWorkers, onThisThread()]);
  return summaries;
}
