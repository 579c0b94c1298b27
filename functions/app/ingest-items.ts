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
import { InputRejectedError, TransientError } from '../core/errors.ts';
import type { BatchFile } from '../core/stories/batch-reads.ts';
import { stableId } from '../core/stories/hash.ts';
import { articleKey, storyKey } from '../core/stories/item-keys.ts';
import { articleSignals } from '../core/stories/signals.ts';
import { storyDay } from '../core/stories/story-days.ts';
import type { StoryEngine } from '../core/stories/story-engine.ts';
import type { ArticleItem, EngineItem, ReadItem, StoryItem } from '../core/stories/story-items.ts';
import type { Day } from '../core/types.ts';
import { type ArticleSource, itemKeyId, type Preparer } from '../ports.ts';
import { concurrentFounders } from './concurrent-founders.ts';
import { type Staged, stage } from './file-staging.ts';
import type { FileOutcome, IngestRequest } from './ingest-batch.ts';
import { type CommitDependencies, commitOnItems } from './item-commit.ts';

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

export interface ItemIngestDependencies extends CommitDependencies {
  readonly source: ArticleSource;
  readonly prepare?: Preparer;
  readonly onRejected?: (key: string, reason: string) => void;
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
