/**
 * Ports: what the application needs from the outside world. Each has a filesystem/outbox
 * adapter for local runs and an S3/SES adapter for AWS (functions/adapters/).
 */
import type { ArticleRecord, Day, Digest } from './core/types.ts';

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
  quarantine(key: string, reason: string, bytes: Uint8Array | null): Promise<void>;
}

export interface Subscriber {
  readonly email: string;
  readonly subscribedAt: string;
}

export interface SubscriberStore {
  list(): Promise<Subscriber[]>;
  add(email: string): Promise<void>;
  remove(email: string): Promise<boolean>;
}

/** Remembers who was sent which day's briefing, so a retried send never emails anyone twice. */
export interface SendLedger {
  /** Claims (day, subscriber) atomically; false when it was already claimed. */
  claim(day: Day, email: string): Promise<boolean>;
  markSent(day: Day, email: string, messageId: string): Promise<void>;
  /** Records that the address refused the message for good (SES MessageRejected), so it is not retried. */
  markRejected(day: Day, email: string, reason: string): Promise<void>;
  /** Releases a claim whose send failed transiently, so a later run may try again. */
  release(day: Day, email: string): Promise<void>;
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
