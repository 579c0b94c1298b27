/**
 * Preparing a file in process (the Preparer port). The ingest Lambda prepares this way, while a local run
 * over a big folder may prepare on worker threads (adapters/prepare-pool.ts) so the main thread only does
 * what depends on the other articles (duplicates, clustering, summaries).
 */
import { extractArticle } from '../core/extract/index.ts';
import type { Preparer } from '../ports.ts';

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
