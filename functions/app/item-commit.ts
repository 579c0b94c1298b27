/**
 * Committing one application of a batch on item-level state: read its working set, apply it with the
 * story engine, write back what changed under an intent (app/batch-intent.ts), then the counters, then
 * the changed days' digests; after a lost condition, read and apply again.
 */
import { ConcurrentWriteError, NewsDigestError } from '../core/errors.ts';
import { type BatchFile, type BatchOnItems, runBatchOnItems } from '../core/stories/batch-reads.ts';
import type { StoryEngine } from '../core/stories/story-engine.ts';
import { type EngineItem, itemChanges } from '../core/stories/story-items.ts';
import type { Day } from '../core/types.ts';
import { type DigestRequests, type DigestStore, type ItemKey, type ItemStore, itemKeyId } from '../ports.ts';
import { BatchIntent, intentLog, recoverStaleIntents } from './batch-intent.ts';
import { markDaysChanged, refreshDayDigests, writeDayListings } from './day-digests.ts';
import {
  entryRefreshBefore,
  isArticle,
  readEngineItems,
  SECONDS_PER_DAY,
  storeChanges,
} from './engine-items.ts';
import {
  DEFAULT_DELTAS_BEFORE_FOLD,
  FrequencyDeltaReader,
  foldFrequencyDeltas,
  frequencyDelta,
} from './frequency-deltas.ts';
import { type ItemChangeSet, writeChanges } from './item-batch.ts';

export interface CommitDependencies {
  readonly items: ItemStore;
  /** Digests and quarantine (the bucket, or the local folder). */
  readonly store: DigestStore;
  /** A story leaves the working set (its items expire) this many days after its last change. */
  readonly activeDays: number;
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

/** Raised when a batch lost its conditions MAX_ATTEMPTS times: its messages are delivered again. */
export class ItemCommitError extends NewsDigestError {
  override name = 'ItemCommitError';
}

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

/** Counts a revision of each changed day, then asks for its digest or rebuilds it at once. */
async function digestsOfChangedDays(deps: CommitDependencies, days: Iterable<Day>): Promise<void> {
  const changed = [...new Set(days)].sort();
  if (changed.length === 0) return;
  await markDaysChanged(deps.items, changed);
  if (deps.digestRequests) await deps.digestRequests.request(changed);
  else await refreshDayDigests(deps.items, deps.store, changed);
}

export interface Committed<T> {
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
export async function commitOnItems<T>(
  deps: CommitDependencies,
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
    // One listing of the frequency deltas serves every read round and re-run of this attempt.
    const deltas = new FrequencyDeltaReader(deps.items);
    const batch = await runBatchOnItems(
      files,
      (keys) => {
        reads += keys.length;
        return readEngineItems(deps.items, keys, undefined, undefined, deltas);
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
      entryRefreshBefore(now(), deps.activeDays),
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
    // The terms' frequencies as one delta item; the other counters (the corpus counts) as they are, and
    // first, so that a reader meeting this batch's frequencies has most likely met its documents too.
    const { delta, others } = frequencyDelta(changes.counts ?? []);
    await writeChanges(deps.items, { puts: [], deletes: [], counts: others }, writeGroup);
    if (delta) await deps.items.put({ key: delta.key, value: delta.value, expectedVersion: null });
    // The intent's log and pointer, the pointer's mark, and their two deletes.
    const intentWrites = intent ? 5 : 0;
    for (const day of options.daysOf?.(batch.result, batch.after) ?? []) days.add(day);
    await digestsOfChangedDays(deps, days);
    await intent?.end();
    const deltasBeforeFold = deps.deltasBeforeFold ?? DEFAULT_DELTAS_BEFORE_FOLD;
    const fold =
      delta && deltas.listed + 1 >= deltasBeforeFold
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
