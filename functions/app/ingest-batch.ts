/**
 * The ingest use case, shared by the local CLI and the ingest Lambda: read each file, extract it,
 * hand it to the story engine, then persist the changed digests and the engine state.
 *
 * Nothing is lost: every file ends as a story member, a duplicate or a rejection with a reason, and a
 * file that fails (poison) is rejected on its own without blocking the rest of the batch.
 */
import { createHash } from 'node:crypto';
import { ConcurrentWriteError, InputRejectedError, NewsDigestError, TransientError } from '../core/errors.ts';
import { extractArticle } from '../core/extract/index.ts';
import { Newsroom } from '../core/stories/newsroom.ts';
import type { Day, IngestOutcome } from '../core/types.ts';
import type { ArticleSource, DigestStore } from '../ports.ts';

/**
 * How often a batch is re-applied after losing a race for the state object. Each retry reloads the
 * newest state. The stack caps ingest concurrency at a few invocations, so ten consecutive losses mean
 * something else is wrong and the batch goes back to the queue.
 */
const MAX_STATE_WRITE_ATTEMPTS = 10;
/** Upper bound of the random pause before re-applying, so racing writers spread out instead of colliding again. */
const RETRY_JITTER_MS = 50;

export interface IngestRequest {
  readonly key: string;
  /** Overrides the arrival time the source reports (the CLI's --now, or the S3 event time). */
  readonly arrivedAt?: Date;
}

export interface FileOutcome {
  readonly key: string;
  readonly outcome:
    | IngestOutcome
    | { readonly kind: 'missing' }
    | { readonly kind: 'failed'; readonly error: Error };
}

export interface IngestReport {
  readonly files: readonly FileOutcome[];
  readonly changedDays: readonly Day[];
  readonly newsroom: Newsroom;
}

export interface IngestDependencies {
  readonly source: ArticleSource;
  readonly store: DigestStore;
  /** Called for every rejected file, e.g. to log it; quarantining is done here already. */
  readonly onRejected?: (key: string, reason: string) => void;
}

function isTransient(error: unknown): boolean {
  return error instanceof TransientError;
}

/** Raised when the batch could not be committed: the caller retries the whole batch later. */
export class IngestCommitError extends NewsDigestError {}

async function applyBatch(
  requests: readonly IngestRequest[],
  newsroom: Newsroom,
  deps: IngestDependencies,
): Promise<{
  files: FileOutcome[];
  quarantined: { key: string; reason: string; bytes: Uint8Array | null }[];
}> {
  const files: FileOutcome[] = [];
  const quarantined: { key: string; reason: string; bytes: Uint8Array | null }[] = [];
  for (const request of requests) {
    let read: { bytes: Uint8Array; arrivedAt: Date } | null;
    try {
      read = await deps.source.read(request.key);
    } catch (error) {
      if (error instanceof InputRejectedError) {
        // Refused before reading (too large): quarantined like any other rejection.
        const arrivedAt = request.arrivedAt ?? new Date();
        const outcome = newsroom.reject({ source: request.key, reason: error.reason, arrivedAt });
        files.push({ key: request.key, outcome });
        if (outcome.kind === 'rejected')
          quarantined.push({ key: request.key, reason: error.reason, bytes: null });
        continue;
      }
      // Reading is the one step a retry may fix (throttling, timeouts): leave the file for the next attempt.
      files.push({ key: request.key, outcome: { kind: 'failed', error: error as Error } });
      continue;
    }
    if (read === null) {
      files.push({ key: request.key, outcome: { kind: 'missing' } });
      continue;
    }
    const arrivedAt = request.arrivedAt ?? read.arrivedAt;
    const contentHash = createHash('sha256').update(read.bytes).digest('hex');
    try {
      const article = await extractArticle({ key: request.key, bytes: read.bytes, arrivedAt });
      files.push({ key: request.key, outcome: newsroom.ingest({ source: request.key, article, arrivedAt }) });
    } catch (error) {
      if (isTransient(error)) {
        files.push({ key: request.key, outcome: { kind: 'failed', error: error as Error } });
        continue;
      }
      // A rejection, or a bug triggered by this file: either way it is this file's problem, not the batch's.
      const reason =
        error instanceof InputRejectedError
          ? error.reason
          : `unreadable: processing failed (${(error as Error).message}); the file was quarantined so the others could proceed`;
      const outcome = newsroom.reject({ source: request.key, reason, arrivedAt, contentHash });
      files.push({ key: request.key, outcome });
      if (outcome.kind === 'rejected') {
        quarantined.push({ key: request.key, reason, bytes: read.bytes });
        deps.onRejected?.(request.key, reason);
      }
    }
  }
  return { files, quarantined };
}

/**
 * Ingests a batch of files. The engine state is committed with a conditional write; when another writer
 * got there first the batch is re-applied on the newer state, so no update is lost.
 */
export async function ingestBatch(
  requests: readonly IngestRequest[],
  deps: IngestDependencies,
): Promise<IngestReport> {
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.store.loadState();
    const newsroom = stored === null ? Newsroom.empty() : Newsroom.fromState(stored.value);
    newsroom.takeChangedDays();
    const { files, quarantined } = await applyBatch(requests, newsroom, deps);
    const changedDays = newsroom.takeChangedDays();

    // Derived outputs are written before the state commit: if this run dies in between, the retry
    // re-derives them; if the commit loses a race, the retry overwrites them from the newer state.
    for (const item of quarantined) await deps.store.quarantine(item.key, item.reason, item.bytes);
    for (const day of changedDays) await deps.store.putDigest(newsroom.digest(day));
    await deps.store.putArticleRecords(newsroom.records());

    const anythingNew = files.some((f) => f.outcome.kind !== 'unchanged' && f.outcome.kind !== 'missing');
    if (!anythingNew && stored !== null) return { files, changedDays, newsroom };
    try {
      await deps.store.saveState(newsroom.toState(), stored?.version ?? null);
      return { files, changedDays, newsroom };
    } catch (error) {
      if (error instanceof ConcurrentWriteError && attempt < MAX_STATE_WRITE_ATTEMPTS) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_JITTER_MS * attempt));
        continue;
      }
      throw new IngestCommitError(
        `Could not commit the ingest state after ${attempt} attempt(s); the batch will be retried.`,
        { cause: error },
      );
    }
  }
}
