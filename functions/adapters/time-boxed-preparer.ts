/**
 * Preparation with a per-file time budget: each file is extracted on a worker thread, and a file still
 * being extracted when its budget runs out is refused as `too-slow` (the worker is stopped and a fresh
 * one serves the next file), so no page, however it defeats the guards, can hold up the rest of a batch.
 *
 * Why a thread: extraction (linkedom, Readability) is synchronous, so nothing on the thread running it
 * can interrupt it; a worker thread can be terminated from outside at any instruction. One worker is
 * kept for the life of the process (a warm Lambda reuses it), and files go to it one at a time, so the
 * budget measures one file's work alone. It speaks the preparation pool's protocol and runs its worker
 * entry (adapters/prepare-worker.ts), so a file prepared here is what the in-process preparer gives.
 */
import { Worker } from 'node:worker_threads';
import { prepareInProcess } from '../app/prepare.ts';
import { InputRejectedError } from '../core/errors.ts';
import type { ArticleSignals } from '../core/stories/signals.ts';
import { TermTable } from '../core/stories/term-numbering.ts';
import type { Prepared, PrepareInput, Preparer } from '../ports.ts';
import {
  type PrepareJob,
  type PrepareReply,
  reviveError,
  type WireSignals,
  WORKER_READY,
} from './prepare-protocol.ts';

/**
 * Time one file may take to be extracted on the worker: a thousand times what a real HTML page takes
 * (about 5 ms), well inside the ingest function's timeout even for a batch of slow files.
 */
export const EXTRACTION_BUDGET_MS = 5_000;

export interface TimeBoxedPreparerOptions {
  /** The worker module to start, as a JavaScript file (a bundle); asked for once per worker started. */
  readonly entry: () => URL | Promise<URL>;
  /** Milliseconds a file may take on the worker; EXTRACTION_BUDGET_MS by default. */
  readonly budgetMs?: number;
  /** Told when no worker can be started, and files are prepared on this thread, without a budget. */
  readonly onWarning?: (message: string) => void;
}

interface Pending {
  readonly input: PrepareInput;
  readonly resolve: (prepared: Prepared) => void;
}

interface Running {
  readonly worker: Worker;
  ready: boolean;
  /** The terms the worker numbered, in its order (prepare-protocol.ts WireSignals). */
  readonly terms: TermTable;
}

interface InFlight {
  readonly id: number;
  readonly pending: Pending;
  readonly timer: NodeJS.Timeout;
}

export function tooSlowError(budgetMs: number): InputRejectedError {
  return new InputRejectedError(
    'too-slow',
    `extracting the file took more than ${budgetMs / 1000} s (real pages take milliseconds), so it was stopped and the rest of the batch went on; upload the article page as published, or its text as .txt`,
  );
}

export class TimeBoxedPreparer {
  private readonly entry: () => URL | Promise<URL>;
  private readonly budgetMs: number;
  private readonly onWarning: (message: string) => void;
  private readonly queue: Pending[] = [];
  private running: Running | null = null;
  private starting = false;
  private inFlight: InFlight | null = null;
  private unavailable = false;
  private closed = false;
  private nextId = 0;
  /** Files refused for running past the budget, and workers started (replacements included). */
  readonly stats = { tooSlow: 0, workersStarted: 0 };

  constructor(options: TimeBoxedPreparerOptions) {
    this.entry = options.entry;
    this.budgetMs = options.budgetMs ?? EXTRACTION_BUDGET_MS;
    this.onWarning = options.onWarning ?? (() => {});
  }

  /** The preparer to hand to ingestBatch. */
  readonly prepare: Preparer = (input) => {
    if (this.closed) return Promise.reject(new Error('The time-boxed preparer is closed.'));
    if (this.unavailable) return prepareInProcess(input);
    return new Promise<Prepared>((resolve) => {
      this.queue.push({ input, resolve });
      this.pump();
    });
  };

  /** Stops the worker; files not prepared yet are prepared on this thread. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const running = this.running;
    this.running = null;
    if (this.inFlight !== null) {
      clearTimeout(this.inFlight.timer);
      this.queue.unshift(this.inFlight.pending);
      this.inFlight = null;
    }
    await running?.worker.terminate();
    for (const pending of this.queue.splice(0)) prepareInProcess(pending.input).then(pending.resolve);
  }

  private pump(): void {
    if (this.closed || this.inFlight !== null) return;
    if (this.unavailable) {
      for (const pending of this.queue.splice(0)) prepareInProcess(pending.input).then(pending.resolve);
      return;
    }
    const running = this.running;
    if (running === null) {
      if (this.queue.length > 0) this.start();
      return;
    }
    if (!running.ready) return;
    const pending = this.queue.shift();
    if (pending === undefined) {
      // Idle: a warm worker must not keep a finished process (the CLI, a test) alive.
      running.worker.unref();
      return;
    }
    running.worker.ref();
    const id = this.nextId++;
    const { key, bytes, arrivedAt } = pending.input;
    // A copy is moved, so this thread keeps the bytes for the quarantine if the worker is stopped.
    const sent = new Uint8Array(bytes);
    const job: PrepareJob = { id, key, bytes: sent, arrivedAt };
    const timer = setTimeout(() => this.overBudget(running, id), this.budgetMs);
    this.inFlight = { id, pending, timer };
    running.worker.postMessage(job, [sent.buffer as ArrayBuffer]);
  }

  private start(): void {
    if (this.starting) return;
    this.starting = true;
    Promise.resolve()
      .then(() => this.entry())
      .then(
        (url) => {
          this.starting = false;
          if (this.closed) return;
          const worker = new Worker(url, { execArgv: [] });
          const running: Running = { worker, ready: false, terms: new TermTable() };
          this.running = running;
          this.stats.workersStarted++;
          worker.on('message', (message: unknown) => this.onMessage(running, message));
          worker.on('error', (error) => this.onExit(running, error.message));
          worker.on('exit', (code) => this.onExit(running, `exit code ${code}`));
        },
        (error: unknown) => {
          this.starting = false;
          this.giveUp(`the worker could not be built (${(error as Error).message})`);
        },
      );
  }

  private giveUp(cause: string): void {
    this.unavailable = true;
    this.onWarning(
      `No extraction worker could be started (${cause}); files are prepared on the main thread, without the per-file time budget.`,
    );
    this.pump();
  }

  private onMessage(running: Running, message: unknown): void {
    if (running !== this.running) return;
    if (message === WORKER_READY) {
      running.ready = true;
      this.pump();
      return;
    }
    const reply = message as PrepareReply;
    // Every answer's new terms join the table, in order: the worker numbers its next terms after them.
    const signals = reply.ok ? receivedSignals(running.terms, reply.signals) : undefined;
    const inFlight = this.inFlight;
    if (inFlight === null || inFlight.id !== reply.id) return;
    clearTimeout(inFlight.timer);
    this.inFlight = null;
    inFlight.pending.resolve(
      reply.ok
        ? { ok: true, article: reply.article, signals: signals as ArticleSignals }
        : { ok: false, error: reviveError(reply.error), bytes: reply.bytes },
    );
    this.pump();
  }

  private overBudget(running: Running, id: number): void {
    const inFlight = this.inFlight;
    if (running !== this.running || inFlight === null || inFlight.id !== id) return;
    this.inFlight = null;
    this.running = null;
    this.stats.tooSlow++;
    // The next file waits for a fresh worker, not for this one to wind down.
    void running.worker.terminate();
    inFlight.pending.resolve({
      ok: false,
      error: tooSlowError(this.budgetMs),
      bytes: inFlight.pending.input.bytes,
    });
    this.pump();
  }

  private onExit(running: Running, cause: string): void {
    if (running !== this.running) return;
    this.running = null;
    const inFlight = this.inFlight;
    this.inFlight = null;
    if (!running.ready) {
      if (inFlight !== null) this.queue.unshift(inFlight.pending);
      this.giveUp(`it stopped before taking work: ${cause}`);
      return;
    }
    if (inFlight !== null) {
      clearTimeout(inFlight.timer);
      // The worker died on this file (out of memory, say): a processing failure the ingest quarantines.
      inFlight.pending.resolve({
        ok: false,
        error: new Error(`the extraction worker stopped (${cause})`),
        bytes: inFlight.pending.input.bytes,
      });
    }
    this.pump();
  }
}

/** A worker's signals as the engine takes them: the new terms appended to the worker's table. */
function receivedSignals(table: TermTable, wire: WireSignals): ArticleSignals {
  for (const term of wire.terms.newTerms) table.terms.push(term);
  return { ...wire, terms: { table, ids: wire.terms.ids, weights: wire.terms.weights } };
}
