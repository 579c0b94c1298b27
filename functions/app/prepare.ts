/**
 * Preparing a file: the per-file work of an ingest that needs nothing but the file itself (decode,
 * parse, clean, date, and the story signals). It is a seam: the ingest Lambda prepares in process,
 * while a local run over a big folder may prepare on worker threads (adapters/prepare-pool.ts) so the
 * main thread only does what depends on the other articles (duplicates, clustering, summaries).
 *
 * Whoever prepares must give the very result the in-process preparer gives, error included.
 */
import { extractArticle } from '../core/extract/index.ts';
import type { ArticleSignals } from '../core/stories/signals.ts';
import type { ExtractedArticle } from '../core/types.ts';

export interface PrepareInput {
  readonly key: string;
  /**
   * The file's bytes. They belong to the preparer from here on: it may move them to another thread
   * (leaving this view empty), and hands them back with a failure, when the quarantine needs them.
   */
  readonly bytes: Uint8Array;
  readonly arrivedAt: Date;
}

export type Prepared =
  | {
      readonly ok: true;
      readonly article: ExtractedArticle;
      /** `articleSignals(article)` when computed already; the engine computes them when absent. */
      readonly signals?: ArticleSignals;
    }
  | {
      readonly ok: false;
      /** What extraction threw: an InputRejectedError for bad input, anything else for a bug or a crash. */
      readonly error: unknown;
      /** The file's bytes for the quarantine copy and its content hash; null when the preparer lost them. */
      readonly bytes: Uint8Array | null;
      /**
       * The file was lost through no fault of its own (a worker died on another file): it is read and
       * prepared again rather than quarantined.
       */
      readonly retry?: boolean;
    };

export type Preparer = (input: PrepareInput) => Promise<Prepared>;

/**
 * The default: extraction on this thread. Signals are left to the engine, which skips them for a
 * re-dropped file it already holds unchanged.
 */
export const prepareInProcess: Preparer = async (input) => {
  try {
    return { ok: true, article: await extractArticle(input) };
  } catch (error) {
    return { ok: false, error, bytes: input.bytes };
  }
};
