/**
 * S3 adapters for the ports. Bucket layout (the stack scopes each function's IAM to its prefixes):
 *
 *   incoming/<key>            input files, dropped by contributors
 *   state/newsroom.json       engine state, written with If-Match / If-None-Match (no lost updates)
 *   state/articles.jsonl      one record per input file
 *   digests/<day>.json        the day's digest
 *   quarantine/<key>.json     rejected files with the reason
 *   subscribers/list.json     subscribers added/removed by operators and the unsubscribe endpoint
 *   subscribers/initial.json  the stack's initial subscribers (written by the stack)
 *   sent/<day>/<hash>.json    the send ledger, created with If-None-Match: * (claim exactly once)
 */
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES, FIXED_KEYS } from '../contracts.ts';
import { subscriberAddress } from '../core/address.ts';
import { ConcurrentWriteError, InputRejectedError } from '../core/errors.ts';
import { MAX_INPUT_BYTES } from '../core/limits.ts';
import { redactEmails } from '../core/redact.ts';
import {
  type AdmitOptions,
  admitSubscriber,
  isComplaintSuppressed,
  isSuppressed,
  keepAddress,
  type Subscriber,
} from '../core/subscriber.ts';
import type { ArticleRecord, Day, Digest } from '../core/types.ts';
import type {
  ArticleSource,
  DerivedOutput,
  DigestStore,
  SendLedger,
  SubscriberStore,
  Versioned,
} from '../ports.ts';
import { s3Client } from './clients.ts';
import { jsonBytes, jsonLinesBytes } from './json-bytes.ts';
import { isNotFound, isPreconditionFailed, translateS3Error } from './s3-errors.ts';

const PREFIX = BUCKET_PREFIXES;
const STATE_KEY = FIXED_KEYS.engineState;
const RECORDS_KEY = FIXED_KEYS.articleRecords;
const SUBSCRIBERS_KEY = FIXED_KEYS.subscriberList;
const INITIAL_SUBSCRIBERS_KEY = FIXED_KEYS.initialSubscribers;
/** Attempts for a newer-wins write of a derived object while other writers keep changing it. */
const DERIVED_WRITE_ATTEMPTS = 10;

function hashAddress(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

async function getObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ body: Uint8Array; etag: string; lastModified: Date | undefined } | null> {
  try {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const body = await response.Body?.transformToByteArray();
    return { body: body ?? new Uint8Array(), etag: response.ETag ?? '', lastModified: response.LastModified };
  } catch (error) {
    if (isNotFound(error)) return null;
    return translateS3Error(error, `Reading s3://${bucket}/${key}`);
  }
}

/**
 * A key with `.` and `..` segments removed. S3 keeps keys literally, but S3-compatible stores (and
 * s3rver) resolve them like paths; a quarantine record must never land outside `quarantine/`.
 */
export function withoutDotSegments(key: string): string {
  return key
    .split('/')
    .filter((segment) => segment !== '.' && segment !== '..' && segment !== '')
    .join('/');
}

/** The ETag and the `revision` metadata of an object, or null when it does not exist. */
async function headRevision(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ etag: string; revision: number | null } | null> {
  try {
    const response = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    const value = response.Metadata?.revision;
    const revision = value === undefined ? Number.NaN : Number(value);
    return { etag: response.ETag ?? '', revision: Number.isFinite(revision) ? revision : null };
  } catch (error) {
    if (isNotFound(error)) return null;
    return translateS3Error(error, `Reading the metadata of s3://${bucket}/${key}`);
  }
}

async function putObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: string | Uint8Array,
  conditions: { ifMatch?: string; ifNoneMatch?: string } = {},
  contentType = 'application/json',
  metadata?: Record<string, string>,
): Promise<string> {
  try {
    const response = await client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ...(metadata ? { Metadata: metadata } : {}),
        ...(conditions.ifMatch ? { IfMatch: conditions.ifMatch } : {}),
        ...(conditions.ifNoneMatch ? { IfNoneMatch: conditions.ifNoneMatch } : {}),
      }),
    );
    return response.ETag ?? '';
  } catch (error) {
    return translateS3Error(error, `Writing s3://${bucket}/${key}`);
  }
}

/**
 * The whole body, or null as soon as it passes `limit` bytes (the rest is never read: the stream is
 * closed). The bytes get their own ArrayBuffer, not a slice of a shared pool, since they may be
 * transferred to a preparation worker.
 */
async function readAtMost(
  body: NonNullable<GetObjectCommandOutput['Body']>,
  limit: number,
): Promise<Uint8Array | null> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const take = (chunk: Uint8Array): boolean => {
    total += chunk.byteLength;
    if (total > limit) return false;
    chunks.push(chunk);
    return true;
  };
  if (Symbol.asyncIterator in body) {
    // Node's Readable (what the SDK returns in Lambda); leaving the loop early destroys the stream.
    for await (const chunk of body as AsyncIterable<Uint8Array>) if (!take(chunk)) return null;
  } else {
    const reader = body.transformToWebStream().getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) {
      if (!take(next.value as Uint8Array)) {
        await reader.cancel();
        return null;
      }
    }
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Reads input files below `incoming/`. Keys passed in are relative to that prefix. */
export class S3ArticleSource implements ArticleSource {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  async read(key: string): Promise<{ bytes: Uint8Array; arrivedAt: Date } | null> {
    const fullKey = `${PREFIX.incoming}${key}`;
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: fullKey }));
    } catch (error) {
      if (isNotFound(error)) return null;
      return translateS3Error(error, `Reading s3://${this.bucket}/${fullKey}`);
    }
    const tooLarge = (size: string) =>
      new InputRejectedError(
        'too-large',
        `The file is ${size} bytes; the limit is ${MAX_INPUT_BYTES} bytes. Split it or drop only the article text.`,
      );
    if ((response.ContentLength ?? 0) > MAX_INPUT_BYTES) {
      // Close the stream unread: a 50 MB file must not be pulled into the function's memory.
      (response.Body as { destroy?: () => void } | undefined)?.destroy?.();
      throw tooLarge(String(response.ContentLength));
    }
    const arrivedAt = response.LastModified ?? new Date();
    if (response.Body === undefined) return { bytes: new Uint8Array(), arrivedAt };
    // A known length was checked above, so the body is read whole. Without one (a proxy, an S3-compatible
    // store) the read itself stops at the limit.
    const bytes =
      response.ContentLength === undefined
        ? await readAtMost(response.Body, MAX_INPUT_BYTES)
        : await response.Body.transformToByteArray();
    if (bytes === null) throw tooLarge(`more than ${MAX_INPUT_BYTES}`);
    return { bytes, arrivedAt };
  }
}

/**
 * A POSIX shell word that stands for `text` exactly: single quotes keep everything literal (spaces,
 * `$`, backquotes, Unicode) except the single quote itself, which is closed, escaped and reopened.
 */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}

/**
 * The command that replays a quarantined file: copying the object onto itself with new metadata is
 * a new ObjectCreated event, so the ingest pipeline reads it again.
 */
export function replayCommand(objectUrl: string): string {
  const url = shellQuote(objectUrl);
  return `aws s3 cp ${url} ${url} --metadata-directive REPLACE`;
}

export class S3DigestStore implements DigestStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  async loadState(): Promise<Versioned<unknown> | null> {
    const object = await getObject(this.client, this.bucket, STATE_KEY);
    if (object === null) return null;
    return { value: JSON.parse(new TextDecoder().decode(object.body)) as unknown, version: object.etag };
  }

  async saveState(state: unknown, expectedVersion: string | null): Promise<string> {
    return putObject(
      this.client,
      this.bucket,
      STATE_KEY,
      jsonBytes(state),
      expectedVersion === null ? { ifNoneMatch: '*' } : { ifMatch: expectedVersion },
    );
  }

  private keyOf(target: DerivedOutput): string {
    return target === 'records' ? RECORDS_KEY : `${PREFIX.digests}${target.digest}.json`;
  }

  async derivedRevision(target: DerivedOutput): Promise<number | null> {
    return (await headRevision(this.client, this.bucket, this.keyOf(target)))?.revision ?? null;
  }

  /**
   * Writes a derived object unless a newer revision is already stored. The revision travels as object
   * metadata and the write is conditional on the ETag just read, so out-of-order writers cannot
   * replace a newer digest with an older one.
   */
  private async putIfNewer(
    key: string,
    body: string | Uint8Array,
    revision: number | undefined,
    contentType: string,
  ) {
    if (revision === undefined) {
      await putObject(this.client, this.bucket, key, body, {}, contentType);
      return;
    }
    for (let attempt = 1; ; attempt++) {
      const current = await headRevision(this.client, this.bucket, key);
      if (current !== null && current.revision !== null && current.revision >= revision) return;
      try {
        await putObject(
          this.client,
          this.bucket,
          key,
          body,
          current === null ? { ifNoneMatch: '*' } : { ifMatch: current.etag },
          contentType,
          { revision: String(revision) },
        );
        return;
      } catch (error) {
        if (error instanceof ConcurrentWriteError && attempt < DERIVED_WRITE_ATTEMPTS) continue;
        throw error;
      }
    }
  }

  async putDigest(digest: Digest, revision?: number): Promise<void> {
    await this.putIfNewer(
      this.keyOf({ digest: digest.date }),
      JSON.stringify(digest, null, 2),
      revision,
      'application/json',
    );
  }

  async getDigest(day: Day): Promise<Digest | null> {
    const object = await getObject(this.client, this.bucket, `${PREFIX.digests}${day}.json`);
    return object === null ? null : (JSON.parse(new TextDecoder().decode(object.body)) as Digest);
  }

  async listDigestDays(): Promise<Day[]> {
    const days: Day[] = [];
    let token: string | undefined;
    do {
      try {
        const page = await this.client.send(
          new ListObjectsV2Command({ Bucket: this.bucket, Prefix: PREFIX.digests, ContinuationToken: token }),
        );
        for (const object of page.Contents ?? []) {
          const match = /^digests\/(\d{4}-\d{2}-\d{2})\.json$/.exec(object.Key ?? '');
          if (match?.[1]) days.push(match[1]);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } catch (error) {
        return translateS3Error(error, `Listing s3://${this.bucket}/${PREFIX.digests}`);
      }
    } while (token);
    return days.sort();
  }

  async putArticleRecords(records: readonly ArticleRecord[], revision?: number): Promise<void> {
    await this.putIfNewer(RECORDS_KEY, jsonLinesBytes(records), revision, 'application/x-ndjson');
  }

  async quarantine(key: string, reason: string, bytes: Uint8Array | null): Promise<void> {
    const record = {
      key: `${PREFIX.incoming}${key}`,
      reason,
      size: bytes?.byteLength ?? null,
      quarantinedAt: new Date().toISOString(),
      replay: replayCommand(`s3://${this.bucket}/${PREFIX.incoming}${key}`),
    };
    await putObject(
      this.client,
      this.bucket,
      `${PREFIX.quarantine}${withoutDotSegments(key)}.json`,
      JSON.stringify(record, null, 2),
    );
  }
}

interface SubscriberList {
  subscribers: Subscriber[];
  /** Hashes of addresses that unsubscribed, so an initial subscriber who leaves stays gone. */
  unsubscribed: string[];
}

/** Attempts for a read-modify-write of the subscriber list before giving up on a busy object. */
const SUBSCRIBER_WRITE_ATTEMPTS = 5;

export class S3SubscriberStore implements SubscriberStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  /** The object operators' changes go to, for messages that say which list changed. */
  get location(): string {
    return `s3://${this.bucket}/${SUBSCRIBERS_KEY}`;
  }

  private async readList(): Promise<{ list: SubscriberList; etag: string | null }> {
    const object = await getObject(this.client, this.bucket, SUBSCRIBERS_KEY);
    if (object === null) return { list: { subscribers: [], unsubscribed: [] }, etag: null };
    const parsed = JSON.parse(new TextDecoder().decode(object.body)) as Partial<SubscriberList>;
    return {
      list: { subscribers: parsed.subscribers ?? [], unsubscribed: parsed.unsubscribed ?? [] },
      etag: object.etag,
    };
  }

  private async modifyList(change: (list: SubscriberList) => boolean): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const { list, etag } = await this.readList();
      const changed = change(list);
      if (!changed) return false;
      try {
        await putObject(
          this.client,
          this.bucket,
          SUBSCRIBERS_KEY,
          JSON.stringify(list),
          etag === null ? { ifNoneMatch: '*' } : { ifMatch: etag },
        );
        return true;
      } catch (error) {
        if (attempt < SUBSCRIBER_WRITE_ATTEMPTS && error instanceof ConcurrentWriteError) continue;
        throw error;
      }
    }
  }

  /** The stack's initial subscribers, as active records (they are strings in initial.json). */
  private async initialRecords(): Promise<Subscriber[]> {
    const initial = await getObject(this.client, this.bucket, INITIAL_SUBSCRIBERS_KEY);
    if (initial === null) return [];
    const parsed = JSON.parse(new TextDecoder().decode(initial.body)) as { subscribers?: string[] };
    return (parsed.subscribers ?? []).map((email) => ({
      email: email.toLowerCase(),
      subscribedAt: 'initial',
    }));
  }

  /** The operators' records over the initial ones, less the unsubscribed. */
  private static merge(list: SubscriberList, initial: readonly Subscriber[]): Subscriber[] {
    const gone = new Set(list.unsubscribed);
    const byAddress = new Map<string, Subscriber>();
    for (const subscriber of initial) byAddress.set(subscriber.email, subscriber);
    for (const subscriber of list.subscribers) byAddress.set(subscriber.email.toLowerCase(), subscriber);
    return [...byAddress.values()].filter((s) => !gone.has(hashAddress(s.email)));
  }

  async list(): Promise<Subscriber[]> {
    const [{ list }, initial] = await Promise.all([this.readList(), this.initialRecords()]);
    return S3SubscriberStore.merge(list, initial);
  }

  async get(email: string): Promise<Subscriber | null> {
    const address = email.trim().toLowerCase();
    return (await this.list()).find((s) => s.email === address) ?? null;
  }

  async add(email: string, options?: AdmitOptions): Promise<Subscriber> {
    const address = subscriberAddress(email);
    const initial = await this.initialRecords();
    let stored: Subscriber | undefined;
    await this.modifyList((list) => {
      const existing = S3SubscriberStore.merge(list, initial).find((s) => s.email === address) ?? null;
      const admitted = admitSubscriber(existing, address, new Date(), options);
      stored = admitted;
      const hash = hashAddress(address);
      const resubscribed = list.unsubscribed.includes(hash);
      list.unsubscribed = list.unsubscribed.filter((h) => h !== hash);
      if (admitted === existing) return resubscribed;
      list.subscribers = [...list.subscribers.filter((s) => s.email !== address), admitted];
      return true;
    });
    return stored as Subscriber;
  }

  async remove(email: string): Promise<boolean> {
    const address = email.trim().toLowerCase();
    const current = (await this.list()).find((s) => s.email === address);
    if (current !== undefined && isComplaintSuppressed(current)) return false;
    await this.modifyList((list) => {
      const before = list.subscribers.length;
      list.subscribers = list.subscribers.filter((s) => s.email !== address || isComplaintSuppressed(s));
      const hash = hashAddress(address);
      const tombstoned = list.unsubscribed.includes(hash);
      if (!tombstoned) list.unsubscribed.push(hash);
      return before !== list.subscribers.length || !tombstoned;
    });
    return current !== undefined && !isSuppressed(current);
  }

  async update(email: string, change: (current: Subscriber) => Subscriber): Promise<Subscriber | null> {
    const address = email.trim().toLowerCase();
    const initial = await this.initialRecords();
    let stored: Subscriber | null = null;
    await this.modifyList((list) => {
      const current = S3SubscriberStore.merge(list, initial).find((s) => s.email === address) ?? null;
      stored = current === null ? null : keepAddress(current, change(current));
      if (current === null || stored === current) return false;
      // An initial subscriber's record moves into list.json, where operators' changes live.
      list.subscribers = [...list.subscribers.filter((s) => s.email !== address), stored as Subscriber];
      return true;
    });
    return stored;
  }
}

export class S3SendLedger implements SendLedger {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = s3Client(),
  ) {}

  private keyFor(day: Day, email: string): string {
    return `${PREFIX.sent}${day}/${hashAddress(email)}.json`;
  }

  async claim(day: Day, email: string): Promise<boolean> {
    try {
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: this.keyFor(day, email),
          Body: JSON.stringify({ day, status: 'claimed', at: new Date().toISOString() }),
          ContentType: 'application/json',
          IfNoneMatch: '*',
        }),
      );
      return true;
    } catch (error) {
      if (isPreconditionFailed(error)) return false;
      return translateS3Error(error, 'Claiming a send-ledger entry');
    }
  }

  async markSent(day: Day, email: string, messageId: string): Promise<void> {
    await putObject(
      this.client,
      this.bucket,
      this.keyFor(day, email),
      JSON.stringify({ day, status: 'sent', messageId, at: new Date().toISOString() }),
    );
  }

  async markRejected(day: Day, email: string, reason: string): Promise<void> {
    await putObject(
      this.client,
      this.bucket,
      this.keyFor(day, email),
      // SES refusals can name the address ("Address blacklisted: …"); the ledger keeps only its hash.
      JSON.stringify({ day, status: 'rejected', reason: redactEmails(reason), at: new Date().toISOString() }),
    );
  }

  async release(day: Day, email: string): Promise<void> {
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyFor(day, email) }));
    } catch (error) {
      translateS3Error(error, 'Releasing a send-ledger entry');
    }
  }
}

export async function s3SubscriberStoreFor(bucket: string): Promise<S3SubscriberStore> {
  return new S3SubscriberStore(bucket);
}
