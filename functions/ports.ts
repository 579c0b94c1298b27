/**
 * Ports: what the application needs from the outside world. Each has a filesystem/outbox
 * adapter for local runs and an S3/SES adapter for AWS (functions/adapters/).
 */

import type { BriefingConfig } from './core/render/config.ts';
import type { RenderedBriefing } from './core/render/types.ts';
import type { SiteManifest } from './core/site/manifest.ts';
import type { SiteFile } from './core/site/site.ts';
import type { ArticleSignals } from './core/stories/signals.ts';
import type { StorySummary, SummaryJob } from './core/stories/story-summary.ts';
import type { AdmitOptions, Cadence, Subscriber } from './core/subscriber.ts';
import type { ArticleRecord, Day, Digest, ExtractedArticle } from './core/types.ts';

/** A stored object and the version tag used for conditional writes (S3 ETag, or a content hash locally). */
export interface Versioned<T> {
  readonly value: T;
  readonly version: string;
}

/** An output derived from the engine state: a day's digest, or the article records. */
export type DerivedOutput = { readonly digest: Day } | 'records';

/** Where input files come from. */
export interface ArticleSource {
  /** Reads one input file; `null` when it no longer exists. */
  read(key: string): Promise<{ bytes: Uint8Array; arrivedAt: Date } | null>;
}

/**
 * The pipeline's durable state: the newsroom index (dedupe/cluster state), the article records,
 * the per-day digests and the quarantine.
 */
export interface DigestStore {
  /** Loads the engine state; `null` when nothing was ingested yet. */
  loadState(): Promise<Versioned<unknown> | null>;
  /**
   * Saves the engine state only if it is still at `expectedVersion` (null: must not exist yet).
   * Throws ConcurrentWriteError when another writer got there first.
   */
  saveState(state: unknown, expectedVersion: string | null): Promise<string>;
  /**
   * Writes a digest derived from the committed state at `revision`. A write older than the one stored
   * is dropped, so two writers finishing out of order never leave an older digest behind.
   */
  putDigest(digest: Digest, revision?: number): Promise<void>;
  getDigest(day: Day): Promise<Digest | null>;
  listDigestDays(): Promise<Day[]>;
  /** The article records, with the same newer-wins rule as digests. */
  putArticleRecords(records: readonly ArticleRecord[], revision?: number): Promise<void>;
  /** The state revision a derived output was written from (null: never written, or written without one). */
  derivedRevision(target: DerivedOutput): Promise<number | null>;
  /**
   * Writes the record of a rejected file under quarantine/ (core/quarantine-key.ts names it). With
   * `keepExisting`, a record already there is left as it is.
   */
  quarantine(
    key: string,
    reason: string,
    bytes: Uint8Array | null,
    options?: QuarantineOptions,
  ): Promise<void>;
}

export interface QuarantineOptions {
  /** Write only when no record exists: a file rejected again unchanged repairs a lost record, nothing more. */
  readonly keepExisting?: boolean;
}

/** The subscriber record (status, cadence, local hour, bounce count) and its rules: core/subscriber.ts. */
export type { Subscriber } from './core/subscriber.ts';

/**
 * The subscriber list. Stores keep records; every decision about them (who may be added, who is
 * suppressed, who is sent to) is in core/subscriber.ts, so both stores and every caller agree.
 */
export interface SubscriberStore {
  /** Every record, whatever its status: a sender keeps those `isSendable` says yes to. */
  list(): Promise<Subscriber[]>;
  /** One record by address (any case), or null when the address is not on the list. */
  get(email: string): Promise<Subscriber | null>;
  /**
   * Adds the address (operator add: active; sign-up: `{ status: 'pending' }`) by `admitSubscriber`'s rules
   * and returns the record stored. Refuses a non-plain address (`bad-address`) and a complaint-suppressed
   * one without `override` (`complaint-suppressed`), writing nothing.
   */
  add(email: string, options?: AdmitOptions): Promise<Subscriber>;
  /**
   * Takes the address off the list (operator remove, unsubscribe link). A complaint suppression is
   * kept: it is what refuses a later add. True when an active or pending reader was removed.
   */
  remove(email: string): Promise<boolean>;
  /**
   * Read-modify-write of one record, safe against concurrent writers (retried on a lost race, so
   * `change` must be pure). Returns the stored record, or null (and changes nothing) when the
   * address is not on the list. `change` must keep the email.
   */
  update(email: string, change: (current: Subscriber) => Subscriber): Promise<Subscriber | null>;
}

/**
 * The reputation guard's switch. While it is set, the send functions send nothing and log why. The
 * guard sets it when a bounce or complaint alarm fires; only an operator clears it.
 */
export interface SendingPause {
  /** Why sending is paused (with when), or null when it is not. */
  pausedBecause(): Promise<string | null>;
  pause(reason: string, at: Date): Promise<void>;
  /** Clears the switch; false when it was not set. */
  resume(): Promise<boolean>;
}

/** Remembers who was sent which day's briefing, so a retried send never emails anyone twice. */
export interface SendLedger {
  /**
   * Claims (day, subscriber) atomically; false when it was already claimed. With `staleBefore`, a
   * `claimed` entry written before that time (a send that died between claim and mark) is taken over,
   * atomically too, and counts as claimed.
   */
  claim(day: Day, email: string, options?: ClaimOptions): Promise<boolean>;
  /** Records that the briefing was too old to send when its turn came (a late redrive), so it never is. */
  markExpired(day: Day, email: string, reason: string): Promise<void>;
  markSent(day: Day, email: string, messageId: string): Promise<void>;
  /** Records that the address refused the message for good (SES MessageRejected), so it is not retried. */
  markRejected(day: Day, email: string, reason: string): Promise<void>;
  /** Releases a claim whose send failed transiently, so a later run may try again. */
  release(day: Day, email: string): Promise<void>;
}

export interface ClaimOptions {
  /** A `claimed` entry older than this is stale: its send cannot still be running. */
  readonly staleBefore?: Date;
}

export interface OutgoingMail {
  readonly from: string;
  readonly to: string;
  /** The complete RFC 5322 message. */
  readonly raw: Uint8Array;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
}

/**
 * Where an item lives: a partition and a sort key within it. Items of one partition can be listed
 * together (a day's records); an item that stands alone uses the sort key ''.
 */
export interface ItemKey {
  readonly partition: string;
  readonly sort: string;
}

/** A stored item: its JSON value, the version its next conditional write must name, and its expiry. */
export interface StoredItem {
  readonly key: ItemKey;
  readonly value: unknown;
  /** Grows by one with every write; the first write gives 1. */
  readonly version: number;
  /** Seconds since the epoch after which the item counts as gone (retention); null: kept for good. */
  readonly expiresAt: number | null;
}

/** A conditional write of one item. */
export interface ItemPut {
  readonly key: ItemKey;
  /** Any JSON value (no undefined, no functions); large values are stored aside by the adapter. */
  readonly value: unknown;
  /**
   * The version read before (null: the item must not exist, or must have expired); 'any' writes it
   * whatever it holds (an item no two writers disagree on), and it reads back at version 1.
   */
  readonly expectedVersion: number | null | 'any';
  readonly expiresAt?: number | null;
}

/** How a read sees concurrent writes. */
export interface ItemReadOptions {
  /**
   * False: the read may miss a write that completed a moment before (DynamoDB's eventually consistent
   * read, at half the cost). Only for items whose staleness can change no write's condition. Default true.
   */
  readonly consistent?: boolean;
}

/**
 * Versioned items, each written on its own with a condition on the version read (no transactions: a
 * use case that changes several items must make a replay of the whole change harmless). DynamoDB in
 * AWS; node:sqlite locally. An expired item reads as absent even before the store removes it.
 */
export interface ItemStore {
  /** The items that exist (and have not expired) among `keys`, keyed by `itemKeyId`. */
  getMany(keys: readonly ItemKey[], options?: ItemReadOptions): Promise<Map<string, StoredItem>>;
  /**
   * Writes the item if it is still at `expectedVersion` and returns its new version. Throws
   * ConcurrentWriteError when another writer changed (or created) it first, TransientError when the store
   * stayed throttled or unavailable through the adapter's retries.
   */
  put(write: ItemPut): Promise<number>;
  /**
   * Deletes the item if it is still at `expectedVersion` (ConcurrentWriteError otherwise); with 'any',
   * whatever its version, and an absent item is no error.
   */
  delete(key: ItemKey, expectedVersion: number | 'any'): Promise<void>;
  /** Every live item of one partition, in sort-key order. */
  listPartition(partition: string, options?: ItemReadOptions): Promise<StoredItem[]>;
  /**
   * Every live item of each of `partitions`, by partition (an empty list for an empty one): a store that
   * can read many partitions in one call says so here; without it, each is listed on its own.
   */
  listPartitions?(
    partitions: readonly string[],
    options?: ItemReadOptions,
  ): Promise<Map<string, StoredItem[]>>;
  /**
   * Adds `deltas` to the named counters of a counter item, creating it (and any counter) at 0 first.
   * Unconditional and commutative, so concurrent writers never collide on it; a counter item reads back
   * with the counters as its value and version 0, and must never be written with `put`. `expiresAt`, when
   * given, replaces the item's expiry.
   */
  addCounts(key: ItemKey, deltas: Readonly<Record<string, number>>, expiresAt?: number | null): Promise<void>;
}

/**
 * The local run's item store (node:sqlite): an ItemStore that can also be read whole, for a run that keeps
 * everything in memory, and written in one transaction, so a bulk load costs one commit.
 */
export interface WholeItemStore extends ItemStore {
  allItems(): Promise<StoredItem[]>;
  /**
   * Stores new items, none of whose keys may be stored yet, as one transaction: an item as `put` with
   * expectedVersion null stores it, a counter item as `addCounts` from nothing does. A bulk load.
   */
  insertAll(items: Iterable<NewItem>): Promise<void>;
  /** Runs `work` (calls on this store only) as one transaction: all of it is stored, or none. */
  inTransaction<T>(work: () => Promise<T>): Promise<T>;
}

/** An item of a bulk load (WholeItemStore.insertAll). */
export interface NewItem {
  readonly key: ItemKey;
  /** A counter item's value is its counters. */
  readonly value: unknown;
  readonly counter: boolean;
  readonly expiresAt: number | null;
}

/**
 * Where a batch asks for the digests of the days it changed to be rebuilt, when it does not rebuild them
 * itself: deployed, a marker per day in the bucket, whose notifications the digest builder takes in
 * batches, so a busy day is rebuilt about once per batching window rather than once per ingest batch.
 */
export interface DigestRequests {
  request(days: readonly Day[]): Promise<void>;
}

/** One line of the local `articles.jsonl`: line `seq` holds the record of the `seq`-th file ever seen. */
export interface RecordLine {
  readonly seq: number;
  readonly record: unknown;
}

/** The local `articles.jsonl` (DESIGN.md §3), updated line by line. */
export interface RecordLines {
  /** Lines in the file. */
  lineCount(): number;
  /** Writes `lines` (new ones continue the file without a gap); lines not given stay as they are. */
  update(lines: readonly RecordLine[]): Promise<void>;
  /** Replaces the whole file with `records`, in order. */
  replaceAll(records: readonly unknown[]): Promise<void>;
}

/** The one string that names an item, for maps keyed by item. */
export function itemKeyId(key: ItemKey): string {
  return `${key.partition}\u0000${key.sort}`;
}

/** Where the archive site is published: out/site/ locally, the bucket's site/ prefix in AWS. */
export interface SiteStore {
  /** The stored site manifest as parsed JSON; null when none was written yet. */
  loadManifest(): Promise<unknown>;
  saveManifest(manifest: SiteManifest): Promise<void>;
  /** Writes one file whole or not at all (a rename locally; one PutObject in S3). */
  putFile(file: SiteFile): Promise<void>;
}

// ── Ingest: per-file preparation and story summaries, which a local run spreads over worker threads ──

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

/**
 * Prepares a file: the per-file work of an ingest that needs nothing but the file itself (decode, parse,
 * clean, date, and the story signals). Whoever prepares must give the very result the in-process
 * preparer (app/prepare.ts) gives, error included.
 */
export type Preparer = (input: PrepareInput) => Promise<Prepared>;

/** Summaries for a batch's summary jobs, in their order. */
export type StorySummariser = (jobs: readonly SummaryJob[]) => Promise<readonly StorySummary[]>;

// ── Send ──

/**
 * Renders a digest into the briefing once for everybody, leaving the per-subscriber placeholders for
 * `personalise` (adapters/mjml-renderer.ts renders the MJML templates).
 */
export type BriefingRenderer = (digest: Digest, config: BriefingConfig) => Promise<RenderedBriefing>;

/** Hands batches of one edition's subscribers to parallel send workers. */
export interface FanOut {
  /**
   * @param day the digest day, or the Monday of a weekly edition (`cadence: 'weekly'`).
   * @param createdAt when the send run queued them: it travels with each batch, so a worker can refuse a
   * briefing gone stale (a late redrive).
   */
  enqueue(
    day: Day,
    batches: readonly (readonly string[])[],
    cadence?: Cadence,
    createdAt?: Date,
  ): Promise<void>;
}
