/**
 * The ingest use case, shared by the local CLI and the ingest Lambda: read each file, extract it,
 * hand it to the story engine, then persist the changed digests and the engine state.
 *
 * Nothing is lost: every file ends as a story member, a duplicate or a rejection with a reason, and a
 * file that fails (poison) is rejected on its own without blocking the rest of the batch.
 */
import { createHash } from 'node:crypto';
import { ConcurrentWriteError, InputRejectedError, NewsDigestError, TransientError } from '../core/errors.ts';
import { StoryEngine } from '../core/stories/story-engine.ts';
import type { Day, IngestOutcome } from '../core/types.ts';
import type { ArticleSource, DigestStore, Preparer, StorySummariser } from '../ports.ts';
import { rereadBytes, type Staged, stagedInOrder } from './file-staging.ts';

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
  readonly newsroom: StoryEngine;
}

export interface IngestDependencies {
  readonly source: ArticleSource;
  readonly store: DigestStore;
  /** Called after each file with how many of the batch's files are done (a re-applied batch counts again). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Called for every rejected file, e.g. to log it; quarantining is done here already. */
  readonly onRejected?: (key: string, reason: string) => void;
  /**
   * Prepares each file (extraction and story signals); in process when absent. A local run over a big
   * folder passes worker threads here (adapters/prepare-pool.ts). It must give what the default gives;
   * it rejects only when it cannot go on at all, which fails the batch.
   */
  readonly prepare?: Preparer;
  /** Files read and prepared ahead of the one being ingested (FILES_IN_FLIGHT by default). */
  readonly filesInFlight?: number;
  /**
   * Computes the batch's story summaries, in the order of the jobs; the engine computes them itself
   * when absent. A local run over a big folder spreads them over its worker threads. It must give
   * what summariseJob gives.
   */
  readonly summarise?: StorySummariser;
}

function isTransient(error: unknown): boolean {
  return error instanceof TransientError;
}

/** Raised when the batch could not be committed: the caller retries the whole batch later. */
export class IngestCommitError extends NewsDigestError {
  override name = 'IngestCommitError';
}

async function applyBatch(
  requests: readonly IngestRequest[],
  staging: AsyncIterator<Staged>,
  newsroom: StoryEngine,
  deps: IngestDependencies,
): Promise<{
  files: FileOutcome[];
  quarantined: Quarantined[];
}> {
  const files: FileOutcome[] = [];
  const quarantined: Quarantined[] = [];
  for (const request of requests) {
    // Each iteration records exactly one outcome, so the files before this one are done.
    if (files.length > 0) deps.onProgress?.(files.length, requests.length);
    const next = await staging.next();
    const staged: Staged = next.done ? { kind: 'missing' } : next.value;
    if (staged.kind === 'unread') {
      const error = staged.error;
      if (error instanceof InputRejectedError) {
        // Refused before reading (too large): quarantined like any other rejection.
        const arrivedAt = request.arrivedAt ?? new Date();
        const outcome = newsroom.reject({ source: request.key, reason: error.reason, arrivedAt });
        files.push({ key: request.key, outcome });
        if (outcome.kind === 'rejected' || outcome.kind === 'unchanged')
          quarantined.push({
            key: request.key,
            reason: error.reason,
            bytes: null,
            keepExisting: outcome.kind === 'unchanged',
          });
        continue;
      }
      // Reading is the one step a retry may fix (throttling, timeouts): leave the file for the next attempt.
      files.push({ key: request.key, outcome: { kind: 'failed', error: error as Error } });
      continue;
    }
    if (staged.kind === 'missing') {
      files.push({ key: request.key, outcome: { kind: 'missing' } });
      continue;
    }
    const { arrivedAt, prepared } = staged;
    try {
      if (!prepared.ok) throw prepared.error;
      const { article, signals } = prepared;
      files.push({
        key: request.key,
        outcome: newsroom.ingest({
          source: request.key,
          article,
          arrivedAt,
          ...(signals ? { signals } : {}),
        }),
      });
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
      // A worker that took the bytes and died with them: read the file again for its hash and copy.
      const bytes = staged.bytes ?? (await rereadBytes(deps.source, request.key));
      // The hash lets a re-dropped identical file be recognised as unchanged; only rejections need it.
      const contentHash = bytes === null ? undefined : createHash('sha256').update(bytes).digest('hex');
      const outcome = newsroom.reject({
        source: request.key,
        reason,
        arrivedAt,
        ...(contentHash === undefined ? {} : { contentHash }),
      });
      files.push({ key: request.key, outcome });
      if (outcome.kind === 'rejected') {
        quarantined.push({ key: request.key, reason, bytes, keepExisting: false });
        deps.onRejected?.(request.key, reason);
      } else if (outcome.kind === 'unchanged') {
        // Rejected before, unchanged: its record is written again only if an earlier write was lost.
        quarantined.push({ key: request.key, reason, bytes, keepExisting: true });
      }
    }
  }
  deps.onProgress?.(files.length, requests.length);
  return { files, quarantined };
}

/** A rejected file's quarantine record, to be written. */
interface Quarantined {
  readonly key: string;
  readonly reason: string;
  readonly bytes: Uint8Array | null;
  /** The file was rejected before and is unchanged: only a missing record is written. */
  readonly keepExisting: boolean;
}

/**
 * Writes each record on its own: a write that fails fails only its file, which is reported `failed`
 * (its message is delivered again, and the unchanged rejection then writes the missing record), while
 * the rest of the batch commits.
 */
async function writeQuarantineRecords(
  quarantined: readonly Quarantined[],
  files: FileOutcome[],
  store: DigestStore,
): Promise<void> {
  for (const item of quarantined) {
    try {
      await store.quarantine(item.key, item.reason, item.bytes, { keepExisting: item.keepExisting });
    } catch (error) {
      const index = files.findIndex((file) => file.key === item.key);
      if (index >= 0) files[index] = { key: item.key, outcome: { kind: 'failed', error: error as Error } };
    }
  }
}

/**
 * What is stored as the state object: the engine's state plus the revision bookkeeping that orders
 * derived writes. `revision` grows by one with every commit; `dayRevisions` says at which revision each
 * day's digest last changed, so a redelivered batch can tell whether a digest write was lost.
 */
interface StateEnvelope {
  readonly revision: number;
  readonly dayRevisions: Record<Day, number>;
  readonly recordsRevision: number;
  readonly engine: unknown;
}

/** The revision bookkeeping of a state envelope, without the engine state it carries. */
type Revisions = Omit<StateEnvelope, 'engine'>;

/**
 * Loads the committed state into a fresh engine. Only the engine, the revisions and the version are
 * returned: the parsed state object is dropped here, so it does not sit in memory beside the engine
 * built from it for the rest of the batch.
 */
async function loadCommitted(
  store: DigestStore,
): Promise<{ newsroom: StoryEngine; previous: Revisions | null; version: string | null }> {
  const stored = await store.loadState();
  const value = stored?.value ?? null;
  if (value === null || typeof value !== 'object' || !('engine' in value)) {
    return { newsroom: StoryEngine.empty(), previous: null, version: stored?.version ?? null };
  }
  const envelope = value as Partial<StateEnvelope>;
  return {
    newsroom: StoryEngine.fromState(envelope.engine),
    previous: {
      revision: envelope.revision ?? 0,
      dayRevisions: { ...(envelope.dayRevisions ?? {}) },
      recordsRevision: envelope.recordsRevision ?? 0,
    },
    version: stored?.version ?? null,
  };
}

/**
 * Days whose digests hold the batch's files (for a redelivered, unchanged file too), so that a digest
 * write lost after a commit is made good when the batch comes back.
 */
function daysOf(files: readonly FileOutcome[], newsroom: StoryEngine): Day[] {
  const sources = new Set(files.map((file) => file.key));
  const days: Day[] = [];
  for (const record of newsroom.records()) {
    if (sources.has(record.source) && record.rejected === null && record.publishedAt !== null) {
      days.push(record.publishedAt);
    }
  }
  return days;
}

/**
 * Writes the digests and records derived from a committed state. Each write carries the revision it
 * was derived from and the store keeps the newest, so concurrent writers finishing out of order, or a
 * retry after a crash between the commit and these writes, always leave the newest outputs behind.
 */
async function writeDerivedOutputs(
  newsroom: StoryEngine,
  envelope: Revisions,
  days: Iterable<Day>,
  store: DigestStore,
): Promise<void> {
  for (const day of new Set(days)) {
    const revision = envelope.dayRevisions[day];
    if (revision === undefined) continue;
    if (((await store.derivedRevision({ digest: day })) ?? -1) >= revision) continue;
    await store.putDigest(newsroom.digest(day), revision);
  }
  if (((await store.derivedRevision('records')) ?? -1) < envelope.recordsRevision) {
    await store.putArticleRecords(newsroom.records(), envelope.recordsRevision);
  }
}

/** What applying a batch to an engine in memory gives: the outcomes, the engine after, its changed days. */
export interface AppliedInMemory {
  readonly files: FileOutcome[];
  readonly changedDays: readonly Day[];
  readonly newsroom: StoryEngine;
  /** True when some file was new, changed or newly rejected (anything to commit). */
  readonly anythingNew: boolean;
}

/**
 * Applies a batch to an engine held whole in memory: files read and prepared a few ahead, each placed
 * in request order, a small collection replayed in publication order, summaries supplied, and the
 * rejected files' quarantine records written. Commits nothing: the caller stores the engine's state.
 */
export async function applyInMemory(
  requests: readonly IngestRequest[],
  engine: StoryEngine,
  deps: IngestDependencies,
): Promise<AppliedInMemory> {
  engine.takeChangedDays();
  const { files, quarantined } = await applyBatch(requests, stagedInOrder(requests, deps), engine, deps);
  const anythingNew = files.some((f) => f.outcome.kind !== 'unchanged' && f.outcome.kind !== 'missing');
  // A small collection is clustered again in publication order, whatever order its files came in.
  const newsroom = anythingNew ? StoryEngine.replayInPublicationOrder(engine) : engine;
  if (deps.summarise) {
    const jobs = newsroom.summaryJobs();
    if (jobs.length > 0) newsroom.supplySummaries(jobs, await deps.summarise(jobs));
  }
  const changedDays = newsroom.takeChangedDays();
  await writeQuarantineRecords(quarantined, files, deps.store);
  return { files, changedDays, newsroom, anythingNew };
}

/**
 * Ingests a batch of files. The engine state is committed with a conditional write; when another writer
 * got there first the batch is re-applied on the newer state, so no update is lost. Digests and records
 * are derived from committed states only.
 */
export async function ingestBatch(
  requests: readonly IngestRequest[],
  deps: IngestDependencies,
): Promise<IngestReport> {
  for (let attempt = 1; ; attempt++) {
    const loaded = await loadCommitted(deps.store);
    const { previous, version } = loaded;
    const { files, changedDays, newsroom, anythingNew } = await applyInMemory(
      requests,
      loaded.newsroom,
      deps,
    );

    if (!anythingNew && previous !== null) {
      // Nothing to commit, but a previous delivery may have died after its commit: repair its outputs.
      await writeDerivedOutputs(newsroom, previous, daysOf(files, newsroom), deps.store);
      return { files, changedDays, newsroom };
    }
    const revision = (previous?.revision ?? 0) + 1;
    const dayRevisions = { ...(previous?.dayRevisions ?? {}) };
    for (const day of changedDays) dayRevisions[day] = revision;
    const revisions: Revisions = { revision, dayRevisions, recordsRevision: revision };
    try {
      // The snapshot lives only for the write: the derived outputs are read from the engine itself.
      await deps.store.saveState({ ...revisions, engine: newsroom.toState() }, version);
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
    await writeDerivedOutputs(newsroom, revisions, changedDays, deps.store);
    return { files, changedDays, newsroom };
  }
}
