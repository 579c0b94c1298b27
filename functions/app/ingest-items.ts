/**
 * The ingest use case on item-level state (issue 15): a batch reads only its working set from the
 * ItemStore, applies its files with the story engine, and writes back the items that changed, each
 * conditioned on the version it read. Nothing grows with total history: not the reads, not the writes.
 *
 * Without transactions, the guarantees come from an intent and from replay (app/batch-intent.ts):
 * - before its first write a batch records each item's value before and after; a lost condition, a store
 *   that stays throttled, or a crash (undone by the first batch after the dead invocation's time is up)
 *   takes back whatever landed, so no batch ever builds on half of another, and the batch is read and
 *   applied again on what is now stored;
 * - a redelivered batch finds its article items and changes nothing (the engine sees the files unchanged);
 * - the counters, commutative additions, go last, once every item write has landed.
 *
 * Digests need every story of their day, not just the working set: each story is listed under its day
 * (a `daystory#<day>` partition), and after the commit each changed day's revision counter goes up. Its
 * digest is rebuilt from those stories, with the revision read before them, so the newest digest wins
 * whatever order concurrent batches finish in: by the batch itself, or, deployed, by the digest builder,
 * which takes the requests of many batches at once (app/day-digests.ts).
 */
import { createHash } from 'node:crypto';
import { ConcurrentWriteError, InputRejectedError, NewsDigestError, TransientError } from '../core/errors.ts';
import { type BatchFile, type BatchOnItems, runBatchOnItems } from '../core/stories/batch-reads.ts';
import { stableId } from '../core/stories/hash.ts';
import { articleKey, storyKey } from '../core/stories/item-keys.ts';
import { articleSignals } from '../core/stories/signals.ts';
import { storyDay } from '../core/stories/story-days.ts';
import type { StoryEngine } from '../core/stories/story-engine.ts';
import {
  type ArticleItem,
  type EngineItem,
  itemChanges,
  type ReadItem,
  type StoryItem,
} from '../core/stories/story-items.ts';
import type { Day } from '../core/types.ts';
import {
  type ArticleSource,
  type DigestRequests,
  type DigestStore,
  type ItemKey,
  type ItemStore,
  itemKeyId,
  type Preparer,
} from '../ports.ts';
import { BatchIntent, intentLog, recoverStaleIntents } from './batch-intent.ts';
import { concurrentFounders } from './concurrent-founders.ts';
import { markDaysChanged, refreshDayDigests, writeDayListings } from './day-digests.ts';
import { isArticle, readEngineItems, storeChanges } from './engine-items.ts';
import { type Staged, stage } from './file-staging.ts';
import { DEFAULT_DELTAS_BEFORE_FOLD, foldFrequencyDeltas, frequencyDelta } from './frequency-deltas.ts';
import type { FileOutcome, IngestRequest } from './ingest-batch.ts';
import { type ItemChangeSet, writeChanges } from './item-batch.ts';

/** Times a batch is applied again after losing a condition before it goes back to the queue. */
const MAX_ATTEMPTS = 8;
/**
 * The random pause before applying again is up to this times 2^attempt, so racing writers spread out
 * over about the time a batch takes to read, apply and write.
 */
const RETRY_JITTER_MS = 50;

function retryPause(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.random() * RETRY_JITTER_MS * 2 ** attempt));
}

/**
 * True when an item the batch is about to write conditionally is no longer at the version it read (or
 * exists when it read none): one read of those items, so that a lost race costs no writes.
 */
async function anyVersionMoved(items: ItemStore, writes: ItemChangeSet): Promise<boolean> {
  const expected = new Map<string, number | null>();
  const keys: ItemKey[] = [];
  for (const { key, expectedVersion } of [...writes.puts, ...writes.deletes]) {
    if (expectedVersion === 'any') continue;
    expected.set(itemKeyId(key), expectedVersion);
    keys.push(key);
  }
  if (keys.length === 0) return false;
  const found = await items.getMany(keys);
  for (const [id, version] of expected) if ((found.get(id)?.version ?? null) !== version) return true;
  return false;
}

const SECONDS_PER_DAY = 86_400;
/** Lambda's longest run: past it, an invocation that left an intent behind cannot still be writing. */
const DEFAULT_INTENT_TIMEOUT_SECONDS = 900;
/**
 * Write order: changes to existing items first; then the items the batch creates, so that a batch that
 * loses a condition leaves no new story behind for its re-run to take for another's; then the posting
 * entries, which name stories written by then; the article items (the commit markers) last.
 */
function writeGroup(put: { key: ItemKey; expectedVersion: number | null | 'any' }): number {
  if (isArticle(put.key)) return 4;
  if (put.expectedVersion === 'any') return 3;
  return put.expectedVersion === null ? 2 : 1;
}

export type ItemIngestRequest = IngestRequest;

/** A file's outcome, as the whole-state path reports it. */
export type ItemFileOutcome = FileOutcome;

export interface ItemIngestReport {
  readonly files: readonly ItemFileOutcome[];
  readonly changedDays: readonly Day[];
  /** Store calls made by the committed attempt (for the bench's cost figures). */
  readonly reads: number;
  readonly writes: number;
  readonly attempts: number;
  /** Each commit's items as read and as written back (unchanged ones included), in commit order. */
  readonly workingSets: readonly {
    readonly read: ReadonlyMap<string, ReadItem>;
    readonly after: ReadonlyMap<string, EngineItem>;
  }[];
}

export interface ItemIngestDependencies {
  readonly source: ArticleSource;
  readonly items: ItemStore;
  /** Digests and quarantine (the bucket, or the local folder). */
  readonly store: DigestStore;
  /** A story leaves the working set (its items expire) this many days after its last change. */
  readonly activeDays: number;
  readonly prepare?: Preparer;
  readonly onRejected?: (key: string, reason: string) => void;
  /** Seconds since the epoch; the system clock when absent. */
  readonly now?: () => number;
  /**
   * Seconds after which an intent left in the store belongs to an invocation that is no longer running
   * (the function's timeout), so the next batch undoes it; Lambda's 15 minutes when absent.
   */
  readonly intentTimeoutSeconds?: number;
  /**
   * Document-frequency deltas listed (frequency-deltas.ts) at which a batch folds them into the terms'
   * counters; DEFAULT_DELTAS_BEFORE_FOLD when absent.
   */
  readonly deltasBeforeFold?: number;
  /**
   * Where the changed days' digests are asked for (the deployed digest builder); when absent, the batch
   * rebuilds them itself before it returns.
   */
  readonly digestRequests?: DigestRequests;
}

/** Counts a revision of each changed day, then asks for its digest or rebuilds it at once. */
async function digestsOfChangedDays(deps: ItemIngestDependencies, days: Iterable<Day>): Promise<void> {
  const changed = [...new Set(days)].sort();
  if (changed.length === 0) return;
  await markDaysChanged(deps.items, changed);
  if (deps.digestRequests) await deps.digestRequests.request(changed);
  else await refreshDayDigests(deps.items, deps.store, changed);
}

export class ItemCommitError extends NewsDigestError {
  override name = 'ItemCommitError';
}

/** Reads and prepares one file as the whole-state path does, with its story signals computed here. */
async function stageWithSignals(request: ItemIngestRequest, deps: ItemIngestDependencies): Promise<Staged> {
  const staged = await stage(request, deps);
  if (staged.kind !== 'prepared' || !staged.prepared.ok || staged.prepared.signals !== undefined)
    return staged;
  return { ...staged, prepared: { ...staged.prepared, signals: articleSignals(staged.prepared.article) } };
}

/** What the read plan needs of each prepared file. */
function batchFiles(requests: readonly ItemIngestRequest[], staged: readonly Staged[]): BatchFile[] {
  const files: BatchFile[] = [];
  staged.forEach((s, i) => {
    const source = (requests[i] as ItemIngestRequest).key;
    if (s.kind !== 'prepared' || !s.prepared.ok || s.prepared.signals === undefined) {
      files.push({ source });
      return;
    }
    const { contentHash, lshKeys, terms } = s.prepared.signals;
    // A worker thread sends its terms numbered in its table: the read plan needs them by name.
    const named =
      'terms' in terms
        ? terms
        : { terms: Array.from(terms.ids, (id) => terms.table.terms[id] as string), weights: terms.weights };
    files.push({ source, contentHash, lshKeys, terms: named });
  });
  return files;
}

interface Applied {
  readonly files: ItemFileOutcome[];
  readonly quarantined: { key: string; reason: string; bytes: Uint8Array | null }[];
}

/** Applies the staged files to the engine in request order (synchronously: the engine may be re-run). */
function applyStaged(
  engine: StoryEngine,
  requests: readonly ItemIngestRequest[],
  staged: readonly Staged[],
): Applied {
  const files: ItemFileOutcome[] = [];
  const quarantined: Applied['quarantined'] = [];
  staged.forEach((s, i) => {
    const request = requests[i] as ItemIngestRequest;
    if (s.kind === 'missing') {
      files.push({ key: request.key, outcome: { kind: 'missing' } });
      return;
    }
    if (s.kind === 'unread') {
      if (s.error instanceof InputRejectedError) {
        const outcome = engine.reject({
          source: request.key,
          reason: s.error.reason,
          arrivedAt: request.arrivedAt ?? new Date(0),
        });
        files.push({ key: request.key, outcome });
        if (outcome.kind === 'rejected')
          quarantined.push({ key: request.key, reason: s.error.reason, bytes: null });
        return;
      }
      files.push({ key: request.key, outcome: { kind: 'failed', error: s.error as Error } });
      return;
    }
    const { prepared, arrivedAt } = s;
    if (prepared.ok) {
      files.push({
        key: request.key,
        outcome: engine.ingest({
          source: request.key,
          article: prepared.article,
          arrivedAt,
          ...(prepared.signals ? { signals: prepared.signals } : {}),
        }),
      });
      return;
    }
    if (prepared.error instanceof TransientError) {
      files.push({ key: request.key, outcome: { kind: 'failed', error: prepared.error } });
      return;
    }
    const reason =
      prepared.error instanceof InputRejectedError
        ? prepared.error.reason
        : `unreadable: processing failed (${(prepared.error as Error).message}); the file was quarantined so the others could proceed`;
    const contentHash = s.bytes === null ? undefined : createHash('sha256').update(s.bytes).digest('hex');
    const outcome = engine.reject({
      source: request.key,
      reason,
      arrivedAt,
      ...(contentHash === undefined ? {} : { contentHash }),
    });
    files.push({ key: request.key, outcome });
    if (outcome.kind === 'rejected') quarantined.push({ key: request.key, reason, bytes: s.bytes });
  });
  return { files, quarantined };
}

/**
 * The days whose digests list the batch's files, for files already in too (a redelivered batch): the
 * digest write may be what a crash lost.
 */
function daysOfFiles(outcomes: readonly ItemFileOutcome[], after: ReadonlyMap<string, EngineItem>): Day[] {
  const days: Day[] = [];
  for (const { key, outcome } of outcomes) {
    if (outcome.kind === 'missing' || outcome.kind === 'failed') continue;
    const article = after.get(itemKeyId(articleKey(stableId('a', key))))?.value as ArticleItem | undefined;
    const storyId = article?.article.storyId;
    const story = storyId
      ? (after.get(itemKeyId(storyKey(storyId)))?.value as StoryItem | undefined)
      : undefined;
    if (story) days.push(storyDay(story.story));
  }
  return days;
}

/**
 * Ingests a batch of files on item-level state. Throws ItemCommitError when it lost its conditions
 * MAX_ATTEMPTS times in a row, and a TransientError when the store stayed throttled: the caller fails the
 * messages, and the queue delivers them again.
 */
export async function ingestBatchOnItems(
  requests: readonly ItemIngestRequest[],
  deps: ItemIngestDependencies,
): Promise<ItemIngestReport> {
  const staged = await Promise.all(requests.map((request) => stageWithSignals(request, deps)));
  const files = batchFiles(requests, staged);
  const first = await commitOnItems(deps, files, (engine) => applyStaged(engine, requests, staged), {
    beforeWrites: async ({ quarantined }) => {
      for (const item of quarantined) await deps.store.quarantine(item.key, item.reason, item.bytes);
      for (const item of quarantined) deps.onRejected?.(item.key, item.reason);
    },
    daysOf: ({ files: outcomes }, after) => daysOfFiles(outcomes, after),
  });
  let { reads, writes } = first;
  const days = new Set(first.days);
  let outcomes = first.batch.result.files;
  const workingSets = [{ read: first.batch.read, after: first.batch.after }];
  const ids = requests.map((request) => stableId('a', request.key));
  const again = await concurrentFounders(deps.items, first.batch, ids);
  reads += again.listed;
  if (again.articleIds.length > 0) {
    const placed = new Set(again.articleIds);
    const second = await commitOnItems(
      deps,
      files.filter((f) => placed.has(stableId('a', f.source))),
      (engine) => engine.placeAgain(again.articleIds),
      { alsoRead: [...again.articleIds.map(articleKey), ...again.stories] },
    );
    reads += second.reads;
    writes += second.writes;
    for (const day of second.days) days.add(day);
    outcomes = outcomes.map((file) => placedAt(file, second.batch.after));
    workingSets.push({ read: second.batch.read, after: second.batch.after });
  }
  return {
    files: outcomes,
    changedDays: [...days].sort(),
    reads,
    writes,
    attempts: first.attempts,
    workingSets,
  };
}

/** A file's outcome with the story its article is in after `after` (it may have been placed again). */
function placedAt(file: ItemFileOutcome, after: ReadonlyMap<string, EngineItem>): ItemFileOutcome {
  const { outcome } = file;
  if (outcome.kind !== 'story') return file;
  const article = after.get(itemKeyId(articleKey(outcome.articleId)))?.value as ArticleItem | undefined;
  const storyId = article?.article.storyId;
  const story = storyId
    ? (after.get(itemKeyId(storyKey(storyId)))?.value as StoryItem | undefined)
    : undefined;
  if (!story) return file;
  return { ...file, outcome: { ...outcome, storyId: story.story.id, day: storyDay(story.story) } };
}

interface Committed<T> {
  readonly batch: BatchOnItems<T>;
  readonly days: ReadonlySet<Day>;
  readonly reads: number;
  readonly writes: number;
  readonly attempts: number;
}

/**
 * Runs `apply` on the working set of `files` (and `alsoRead`), writes what changed, and rebuilds the
 * changed days' digests; after a lost condition, reads and applies again. Throws ItemCommitError after
 * MAX_ATTEMPTS lost conditions.
 */
async function commitOnItems<T>(
  deps: ItemIngestDependencies,
  files: readonly BatchFile[],
  apply: (engine: StoryEngine) => T,
  options: {
    readonly alsoRead?: readonly ItemKey[];
    readonly beforeWrites?: (result: T) => Promise<void>;
    readonly daysOf?: (result: T, after: ReadonlyMap<string, EngineItem>) => readonly Day[];
  } = {},
): Promise<Committed<T>> {
  const now = deps.now ?? (() => Math.floor(Date.now() / 1000));
  for (let attempt = 1; ; attempt++) {
    // A dead invocation's half-written batch is taken back before anything is read.
    await recoverStaleIntents(
      deps.items,
      now(),
      deps.intentTimeoutSeconds ?? DEFAULT_INTENT_TIMEOUT_SECONDS,
      (lostDays) => digestsOfChangedDays(deps, lostDays),
    );
    let reads = 0;
    let listedDeltas = 0;
    const batch = await runBatchOnItems(
      files,
      (keys) => {
        reads += keys.length;
        return readEngineItems(deps.items, keys, undefined, (listed) => {
          listedDeltas = Math.max(listedDeltas, listed);
        });
      },
      apply,
      { activeDays: deps.activeDays },
      options.alsoRead,
    );
    const expiresAt = now() + deps.activeDays * SECONDS_PER_DAY;
    const { changes, listings, days } = storeChanges(
      batch.read,
      itemChanges(batch.read, batch.after),
      expiresAt,
    );
    for (const day of batch.changedDays) days.add(day);
    await options.beforeWrites?.(batch.result);
    const itemWrites = { puts: changes.puts, deletes: changes.deletes };
    const writesItems = itemWrites.puts.length + itemWrites.deletes.length > 0;
    // A batch that already lost a condition retries before writing anything: nothing to undo, and no
    // undo to move versions under other batches.
    if (attempt < MAX_ATTEMPTS && (await anyVersionMoved(deps.items, itemWrites))) {
      await retryPause(attempt);
      continue;
    }
    // Listings first: a listed story not written yet costs a digest rebuild one missing read, nothing more.
    await writeDayListings(deps.items, listings);
    const intent = writesItems
      ? await BatchIntent.begin(deps.items, intentLog(itemWrites, batch.read), [...days].sort(), now())
      : null;
    try {
      await writeChanges(deps.items, itemWrites, writeGroup);
    } catch (error) {
      // Take back what landed, so no other batch builds on half of this one; if even that fails, the
      // intent stays and the first batch after this invocation's time is up takes it back.
      await intent?.undo().catch(() => undefined);
      if (error instanceof ConcurrentWriteError && attempt < MAX_ATTEMPTS) {
        await retryPause(attempt);
        continue;
      }
      if (error instanceof ConcurrentWriteError) {
        throw new ItemCommitError(
          `Could not commit the batch after ${attempt} attempts; it will be delivered again.`,
          {
            cause: error,
          },
        );
      }
      throw error;
    }
    await intent?.markCounting(now());
    // The terms' frequencies as one delta item; the other counters (the corpus counts) as they are.
    const { delta, others } = frequencyDelta(changes.counts ?? []);
    if (delta) await deps.items.put({ key: delta.key, value: delta.value, expectedVersion: null });
    await writeChanges(deps.items, { puts: [], deletes: [], counts: others }, writeGroup);
    // The intent's log and pointer, the pointer's mark, and their two deletes.
    const intentWrites = intent ? 5 : 0;
    for (const day of options.daysOf?.(batch.result, batch.after) ?? []) days.add(day);
    await digestsOfChangedDays(deps, days);
    await intent?.end();
    const deltasBeforeFold = deps.deltasBeforeFold ?? DEFAULT_DELTAS_BEFORE_FOLD;
    const fold =
      delta && listedDeltas + 1 >= deltasBeforeFold
        ? await foldFrequencyDeltas(deps.items, deltasBeforeFold, expiresAt)
        : { writes: 0 };
    const writes =
      changes.puts.length +
      changes.deletes.length +
      others.length +
      (delta ? 1 : 0) +
      fold.writes +
      listings.length +
      days.size +
      intentWrites;
    return { batch, days, reads, writes, attempts: attempt };
  }
}
