/**
 * Preparation on worker threads, for local runs over big folders: each file's extraction and story
 * signals move off the main thread, which keeps only what depends on the other articles. The ingest Lambda does not use this: one file per invocation
 * gains nothing from threads, and the handlers must not import it (it would grow the bundle).
 *
 * The pool gives what the in-process preparer gives (app/prepare.ts), file by file:
 * - an extraction error comes back as the same class, code and message;
 * - a worker that dies fails the one file it was preparing, as a processing failure the ingest
 *   quarantines, and is replaced; the other files go on;
 * - when this thread would otherwise wait (workers starting, or busier than the engine), it prepares
 *   queued files itself, so starting workers never stalls the run, slow HTML pages use both cores,
 *   and a pool whose workers cannot start at all still finishes the batch.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { prepareInProcess } from '../app/prepare.ts';
import type { ArticleSignals } from '../core/stories/signals.ts';
import type { StorySummary, SummaryJob } from '../core/stories/story-summary.ts';
import { TermTable } from '../core/stories/term-numbering.ts';
import type { Prepared, PrepareInput, Preparer, StorySummariser } from '../ports.ts';
import {
  isSummariseReply,
  ownsWholeBuffer,
  type PrepareJob,
  type PrepareReply,
  reviveError,
  type SummariseRequest,
  type WireSignals,
  WORKER_READY,
} from './prepare-protocol.ts';
import { summariseSpread } from './summary-spread.ts';
import {
  bundleWorkerEntry,
  spawnUnderTsx,
  WORKER_ENTRY,
  WORKER_RESOURCE_LIMITS,
  type WorkerStart,
} from './worker-bundle.ts';

/**
 * Worker threads when asked for without a number: every core but the one the main thread needs for
 * the engine. On the project's 2-core machine that is one worker, which outpaces the engine's
 * per-article work.
 */
export const PREPARE_WORKERS = Math.max(1, availableParallelism() - 1);

export interface PreparePoolOptions {
  /** Worker threads; PREPARE_WORKERS by default. */
  readonly workers?: number;
  /** The worker module; tests substitute one that misbehaves. */
  readonly entry?: URL;
  /**
   * Move each input's buffer to the worker instead of copying it, when the buffer holds nothing else.
   * Only for sources that read every file into a fresh buffer no one else keeps (FsArticleSource):
   * a moved buffer is empty on this thread afterwards.
   */
  readonly consumeInput?: boolean;
  /**
   * Prepare queued files on this thread when it would otherwise wait for them: while no worker is
   * ready (start-up, a replacement starting), and when the workers are the bottleneck (an HTML page
   * costs ~10 ms to prepare, the engine ~2 ms to take it). True by default; tests that need every
   * file to reach a worker turn it off. Without any worker left, files are prepared here regardless.
   */
  readonly helpOnMainThread?: boolean;
  /**
   * Told when workers cannot start and the pool prepares in process instead, and when the worker
   * cannot be bundled and starts under tsx instead.
   */
  readonly onWarning?: (message: string) => void;
  /**
   * Bundles a TypeScript entry into one JavaScript file a worker can start from: bundleWorkerEntry by
   * default. Tests substitute one that fails, to check that workers then start under tsx.
   */
  readonly bundleEntry?: (entry: URL) => Promise<URL>;
}

/**
 * Files queued at each worker: more than one, so a worker never idles waiting for the main thread's
 * round trip; few, so a crash sends few innocent files round again. A worker prepares its queue in order,
 * so the file it died on is the oldest one it had not answered.
 */
export const WORKER_QUEUE_DEPTH = 4;

interface Pending {
  readonly input: PrepareInput;
  readonly resolve: (prepared: Prepared) => void;
  readonly reject: (error: Error) => void;
}

interface Job {
  readonly id: number;
  readonly pending: Pending;
  /** Whether the input's own buffer went to the worker (else a copy did). */
  readonly consumed: boolean;
}

interface Slot {
  /** Null while the worker's bundle is being built: the slot already counts as a worker starting. */
  worker: Worker | null;
  ready: boolean;
  /** Jobs sent and not answered yet, oldest first: the worker prepares them in this order. */
  readonly jobs: Job[];
  /** An uncaught error the worker reported before exiting. */
  failure: Error | null;
  /** Runs of summaries sent and not answered yet, by request id. */
  readonly summaryRuns: Map<number, SummaryRun>;
  /** The terms this worker has numbered (prepare-protocol.ts WireSignals), in its order. */
  readonly terms: TermTable;
}

interface SummaryRun {
  readonly resolve: (summaries: readonly StorySummary[]) => void;
  readonly reject: (error: Error) => void;
}

/** A worker's signals as the engine takes them: the new terms appended to the worker's table. */
function receivedSignals(table: TermTable, wire: WireSignals): ArticleSignals {
  for (const term of wire.terms.newTerms) table.terms.push(term);
  return { ...wire, terms: { table, ids: wire.terms.ids, weights: wire.terms.weights } };
}

export class PreparePool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private readonly entry: URL;
  private readonly consumeInput: boolean;
  private readonly helpOnMainThread: boolean;
  private readonly onWarning: (message: string) => void;
  private readonly bundleEntry: (entry: URL) => Promise<URL>;
  private bundleWarned = false;
  private nextId = 0;
  private closed = false;
  private localRunning = false;
  private readonly readyWaiters: (() => void)[] = [];
  /** Worker threads the pool keeps running. */
  readonly workers: number;
  /** Files prepared by workers, on this thread, lost with a crashed worker, and sent back to retry. */
  readonly stats = { workerJobs: 0, localJobs: 0, crashes: 0, retries: 0 };
  /** Summary runs answered by workers, run on this thread, and failed on a worker (then run here). */
  readonly summaryStats = { workerRuns: 0, localRuns: 0, failedRuns: 0 };
  /** Workers started (replacements included), by how: see WorkerStart. */
  readonly workerStarts: Record<WorkerStart, number> = { bundle: 0, tsx: 0, js: 0 };

  constructor(options: PreparePoolOptions = {}) {
    this.entry = options.entry ?? WORKER_ENTRY;
    this.consumeInput = options.consumeInput ?? false;
    this.helpOnMainThread = options.helpOnMainThread ?? true;
    this.onWarning = options.onWarning ?? (() => {});
    this.bundleEntry = options.bundleEntry ?? bundleWorkerEntry;
    this.workers = Math.max(1, options.workers ?? PREPARE_WORKERS);
    for (let i = 0; i < this.workers; i++) this.startWorker();
  }

  /** The preparer to hand to ingestBatch. */
  readonly prepare: Preparer = (input) => {
    if (this.closed) return Promise.reject(new Error('The preparation pool is closed.'));
    return new Promise<Prepared>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      this.pump();
    });
  };

  /**
   * Resolves once a worker takes jobs, or once none is left to start (the pool then prepares on this
   * thread). Nothing needs to wait for it; it lets a caller (a test) be sure that workers do the work.
   */
  ready(): Promise<void> {
    if (this.closed || this.slots.length === 0 || this.slots.some((slot) => slot.ready))
      return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  private wakeReadyWaiters(): void {
    for (const resolve of this.readyWaiters.splice(0)) resolve();
  }

  /** Stops every worker; files not prepared yet fail their batch. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.wakeReadyWaiters();
    const closedError = () => new Error('The preparation pool was closed before the file was prepared.');
    for (const pending of this.queue.splice(0)) pending.reject(closedError());
    await Promise.all(
      this.slots.map(async (slot) => {
        for (const job of slot.jobs.splice(0)) job.pending.reject(closedError());
        // A slot without a worker is still bundling: it sees the pool closed and starts none.
        await slot.worker?.terminate();
      }),
    );
  }

  /**
   * Adds a slot at once, so the pool counts the worker as starting, and creates its worker once the
   * bundle is built (immediately after the first time). Meanwhile this thread prepares the queued files.
   */
  private startWorker(): void {
    const slot: Slot = {
      worker: null,
      ready: false,
      jobs: [],
      failure: null,
      summaryRuns: new Map(),
      terms: new TermTable(),
    };
    this.slots.push(slot);
    this.spawnWorker().then(
      (worker) => {
        if (worker === null) {
          this.slots.splice(this.slots.indexOf(slot), 1);
          return;
        }
        slot.worker = worker;
        worker.on('message', (message: unknown) => this.onMessage(slot, message));
        worker.on('error', (error) => {
          slot.failure = error;
        });
        worker.on('exit', (code) => this.onExit(slot, code));
      },
      (error: unknown) => {
        this.slots.splice(this.slots.indexOf(slot), 1);
        if (this.closed) return;
        this.onWarning(
          `A preparation worker could not be created (${(error as Error).message}); ${this.slots.length === 0 ? 'files are prepared on the main thread instead' : 'the others go on'}.`,
        );
        if (this.slots.length === 0) this.wakeReadyWaiters();
        this.pump();
      },
    );
  }

  /**
   * A worker running the entry, or null when the pool closed while the bundle was being built. A
   * TypeScript entry starts from its esbuild bundle, or under tsx when it cannot be bundled. Neither
   * inherits the parent's execArgv: under `tsx cli.ts` or `node --import tsx` that would load tsx
   * into the worker, the very cost the bundle avoids.
   */
  private async spawnWorker(): Promise<Worker | null> {
    if (!this.entry.pathname.endsWith('.ts')) {
      const worker = new Worker(this.entry, { resourceLimits: WORKER_RESOURCE_LIMITS });
      this.workerStarts.js++;
      return worker;
    }
    const bundle = await this.bundleEntry(this.entry).catch((error: unknown) => {
      this.warnBundleFailed(error as Error);
      return null;
    });
    if (this.closed) return null;
    const worker =
      bundle === null
        ? spawnUnderTsx(this.entry, WORKER_RESOURCE_LIMITS)
        : new Worker(bundle, { execArgv: [], resourceLimits: WORKER_RESOURCE_LIMITS });
    this.workerStarts[bundle === null ? 'tsx' : 'bundle']++;
    return worker;
  }

  private warnBundleFailed(error: Error): void {
    if (this.bundleWarned || this.closed) return;
    this.bundleWarned = true;
    this.onWarning(
      `The preparation worker could not be bundled with esbuild (${error.message}); workers start under tsx instead, which costs each about 20 MB more memory and 0.5 s more CPU. Install the dev dependencies (npm ci) or fix the build error.`,
    );
  }

  private onMessage(slot: Slot, message: unknown): void {
    if (message === WORKER_READY) {
      slot.ready = true;
      this.wakeReadyWaiters();
      this.pump();
      return;
    }
    if (isSummariseReply(message)) {
      const run = slot.summaryRuns.get(message.id);
      slot.summaryRuns.delete(message.id);
      if ('error' in message) run?.reject(reviveError(message.error));
      else run?.resolve(message.summaries);
      return;
    }
    const reply = message as PrepareReply;
    // Every answer's new terms join the table, in order, even one no job waits for any more: the
    // worker numbers its next terms after them.
    const signals = reply.ok ? receivedSignals(slot.terms, reply.signals) : undefined;
    const index = slot.jobs.findIndex((job) => job.id === reply.id);
    if (index < 0) return;
    const [job] = slot.jobs.splice(index, 1) as [Job];
    this.stats.workerJobs++;
    job.pending.resolve(
      reply.ok
        ? { ok: true, article: reply.article, signals }
        : { ok: false, error: reviveError(reply.error), bytes: reply.bytes },
    );
    this.pump();
  }

  private onExit(slot: Slot, code: number): void {
    this.slots.splice(this.slots.indexOf(slot), 1);
    for (const run of slot.summaryRuns.values())
      run.reject(new Error(`the preparation worker exited with code ${code}`));
    slot.summaryRuns.clear();
    if (this.closed) return;
    const cause = slot.failure ? `: ${slot.failure.message}` : '';
    const [culprit, ...innocent] = slot.jobs.splice(0);
    if (!slot.ready) {
      this.onWarning(
        `A preparation worker could not start (exit code ${code}${cause}); files are prepared on the main thread instead.`,
      );
    } else if (culprit !== undefined) {
      this.stats.crashes++;
      // The worker died preparing its oldest job, so the crash is that file's: a processing failure,
      // quarantined like an extraction bug. Its bytes went with the worker unless they were copied.
      culprit.pending.resolve({
        ok: false,
        error: new Error(`the preparation worker exited with code ${code}${cause}`),
        bytes: culprit.consumed ? null : culprit.pending.input.bytes,
      });
      // The files queued behind it were not its fault: they go round again (read afresh if moved).
      for (const job of innocent) {
        this.stats.retries++;
        job.pending.resolve({
          ok: false,
          error: new Error('lost with a crashed worker'),
          bytes: null,
          retry: true,
        });
      }
      this.startWorker();
    } else {
      // Died with no file to blame: not replaced, so a fault that kills every worker cannot loop.
      this.onWarning(
        `A preparation worker stopped (exit code ${code}${cause}); ${this.slots.length === 0 ? 'files are prepared on the main thread instead' : 'the others go on'}.`,
      );
    }
    if (this.slots.length === 0) this.wakeReadyWaiters();
    this.pump();
  }

  /**
   * The batch's story summaries, spread over the ready workers and this thread (the ingest's
   * `summarise`); always what summariseJob gives.
   */
  readonly summarise: StorySummariser = (jobs) => {
    const workers = this.closed ? [] : this.slots.filter((slot) => slot.ready);
    return summariseSpread(
      jobs,
      workers.map((slot) => (run) => this.summariseOn(slot, run)),
      this.summaryStats,
    );
  };

  private summariseOn(slot: Slot, jobs: readonly SummaryJob[]): Promise<readonly StorySummary[]> {
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      slot.summaryRuns.set(id, { resolve, reject });
      const request: SummariseRequest = { kind: 'summarise', id, jobs };
      // Only ready slots are given runs, and a ready slot has its worker.
      slot.worker!.postMessage(request);
    });
  }

  private pump(): void {
    if (this.closed) return;
    // Fill the least loaded workers first, so each keeps a few files queued.
    for (let depth = 0; depth < WORKER_QUEUE_DEPTH && this.queue.length > 0; depth++) {
      for (const slot of this.slots) {
        if (this.queue.length === 0) break;
        if (slot.ready && slot.jobs.length === depth) this.dispatch(slot, this.queue.shift() as Pending);
      }
    }
    if (this.queue.length > 0 && (this.helpOnMainThread || this.slots.length === 0)) this.prepareLocally();
  }

  private dispatch(slot: Slot, pending: Pending): void {
    const id = this.nextId++;
    const { key, bytes, arrivedAt } = pending.input;
    const consumed = this.consumeInput && ownsWholeBuffer(bytes);
    // A copy is exact-size and moved, so it never drags a larger underlying buffer along.
    const sent = consumed ? bytes : new Uint8Array(bytes);
    const job: PrepareJob = { id, key, bytes: sent, arrivedAt };
    slot.jobs.push({ id, pending, consumed });
    // Only a ready slot is dispatched to, and a slot is ready once its worker has said so.
    slot.worker!.postMessage(job, [sent.buffer as ArrayBuffer]);
  }

  /**
   * Prepares the oldest file no worker has room for on this thread, one file at a time, in a
   * setImmediate: that runs only when the ingest awaits something not ready yet, so this thread
   * helps when it would otherwise wait, never ahead of the engine's own work.
   */
  private prepareLocally(): void {
    if (this.localRunning) return;
    this.localRunning = true;
    setImmediate(() => {
      const pending = this.queue.shift();
      if (pending === undefined || this.closed) {
        this.localRunning = false;
        return;
      }
      this.stats.localJobs++;
      prepareInProcess(pending.input).then(
        (prepared) => {
          this.localRunning = false;
          pending.resolve(prepared);
          this.pump();
        },
        (error: unknown) => {
          this.localRunning = false;
          pending.reject(error as Error);
          this.pump();
        },
      );
    });
  }
}
