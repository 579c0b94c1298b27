/**
 * What the preparation pool and its workers say to each other (adapters/prepare-pool.ts): one job
 * (a file, or a run of story summaries) per message, one reply per job. Errors cross the thread
 * boundary as plain data and are rebuilt on the other side as the same class with the same code and
 * message, so a quarantine reason does not depend on which thread prepared the file.
 */
import type { MessagePort } from 'node:worker_threads';
import { InputRejectedError, TransientError } from '../core/errors.ts';
import { extractArticle } from '../core/extract/index.ts';
import { type ArticleSignals, articleSignals } from '../core/stories/signals.ts';
import { type StorySummary, type SummaryJob, summariseJob } from '../core/stories/story-summary.ts';
import { TermNumbering } from '../core/stories/term-numbering.ts';
import type { ExtractedArticle } from '../core/types.ts';

export interface PrepareJob {
  readonly id: number;
  readonly key: string;
  readonly bytes: Uint8Array;
  readonly arrivedAt: Date;
}

export interface SerializedError {
  readonly name: string;
  readonly message: string;
  /** InputRejectedError's code. */
  readonly code?: string;
  readonly stack?: string;
}

/**
 * Story signals as a worker sends them: the term vector numbered in the worker's TermNumbering, with
 * the terms it numbered for this file, which the pool appends to the worker's TermTable in order.
 */
export type WireSignals = Omit<ArticleSignals, 'terms'> & {
  readonly terms: { readonly ids: Int32Array; readonly weights: Float64Array; readonly newTerms: string[] };
};

export type PrepareReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly article: ExtractedArticle;
      readonly signals: WireSignals;
    }
  | {
      readonly id: number;
      readonly ok: false;
      readonly error: SerializedError;
      /** The job's bytes, moved back: the main thread hashes and quarantines a rejected file. */
      readonly bytes: Uint8Array;
    };

/**
 * A run of story summaries, sent at the end of a batch, once the files are prepared and the workers
 * idle: the summaries depend on nothing but their jobs, so the pool spreads them over every thread.
 */
export interface SummariseRequest {
  readonly kind: 'summarise';
  readonly id: number;
  readonly jobs: readonly SummaryJob[];
}

export type SummariseReply =
  | { readonly kind: 'summaries'; readonly id: number; readonly summaries: readonly StorySummary[] }
  | { readonly kind: 'summaries'; readonly id: number; readonly error: SerializedError };

export function isSummariseReply(message: unknown): message is SummariseReply {
  return (message as Partial<SummariseReply> | null)?.kind === 'summaries';
}

/** Sent once by a worker when its modules are loaded and it takes jobs. */
export const WORKER_READY = 'prepare-worker-ready';

export function serializeError(error: unknown): SerializedError {
  const { name, message, stack } = (error ?? {}) as { name?: unknown; message?: unknown; stack?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    // String(undefined) for a thrown non-Error, as the in-process message would read.
    message: String(message),
    ...(error instanceof InputRejectedError ? { code: error.code } : {}),
    ...(typeof stack === 'string' ? { stack } : {}),
  };
}

/** The error as the in-process path would have caught it, as far as the ingest can tell them apart. */
export function reviveError(data: SerializedError): Error {
  let error: Error;
  if (data.code !== undefined) error = new InputRejectedError(data.code, data.message);
  else if (data.name === 'TransientError') error = new TransientError(data.message);
  else {
    error = new Error(data.message);
    error.name = data.name;
  }
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

/**
 * Whether the view spans its whole ArrayBuffer, so moving the buffer to another thread takes nothing
 * but these bytes with it. A slice of Node's shared Buffer pool, or of any larger buffer, must be
 * copied instead: moving it would empty every other view of that buffer.
 */
export function ownsWholeBuffer(bytes: Uint8Array): boolean {
  return (
    bytes.buffer instanceof ArrayBuffer &&
    bytes.byteOffset === 0 &&
    bytes.byteLength === bytes.buffer.byteLength
  );
}

/** This worker's term numbers (see WireSignals); one numbering per thread, like its TermTable. */
const numbering = new TermNumbering();

/** The worker's half of a job: what `prepareInProcess` does, plus the story signals. */
export async function prepareJob(job: PrepareJob): Promise<PrepareReply> {
  try {
    const article = await extractArticle({ key: job.key, bytes: job.bytes, arrivedAt: job.arrivedAt });
    const signals = articleSignals(article);
    const { ids, newTerms } = numbering.number(signals.terms);
    const terms = { ids, weights: signals.terms.weights, newTerms };
    return { id: job.id, ok: true, article, signals: { ...signals, terms } };
  } catch (error) {
    return { id: job.id, ok: false, error: serializeError(error), bytes: job.bytes };
  }
}

/**
 * Serves jobs on `port` one at a time, in the order they came, and says when it is ready: files with
 * `handle`, summary runs with summariseJob. One at a time, so that when a worker dies the job it died
 * on is known.
 */
export function serveJobs(port: MessagePort, handle: (job: PrepareJob) => Promise<PrepareReply>): void {
  let queue = Promise.resolve();
  port.on('message', (message: PrepareJob | SummariseRequest) => {
    queue = queue.then(async () => {
      if ('kind' in message) port.postMessage(summaries(message));
      else await answer(port, message, handle);
    });
  });
  port.postMessage(WORKER_READY);
}

function summaries(request: SummariseRequest): SummariseReply {
  try {
    return { kind: 'summaries', id: request.id, summaries: request.jobs.map(summariseJob) };
  } catch (error) {
    return { kind: 'summaries', id: request.id, error: serializeError(error) };
  }
}

async function answer(
  port: MessagePort,
  job: PrepareJob,
  handle: (job: PrepareJob) => Promise<PrepareReply>,
): Promise<void> {
  let reply: PrepareReply;
  const numbered = numbering.size;
  try {
    reply = await handle(job);
  } catch (error) {
    reply = { id: job.id, ok: false, error: serializeError(error), bytes: job.bytes };
  }
  try {
    port.postMessage(
      reply,
      !reply.ok && ownsWholeBuffer(reply.bytes) ? [reply.bytes.buffer as ArrayBuffer] : [],
    );
  } catch (error) {
    // The terms numbered for this file never reach the pool's table: number them afresh next time.
    numbering.forgetSince(numbered);
    // A reply that cannot be cloned must still answer the job, or the ingest would wait forever.
    const failure: PrepareReply = {
      id: job.id,
      ok: false,
      error: serializeError(error),
      bytes: job.bytes,
    };
    port.postMessage(failure);
  }
}
