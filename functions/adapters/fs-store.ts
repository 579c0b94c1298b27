/**
 * Filesystem adapters: the local stand-ins for the S3 bucket. The layout under the root mirrors the
 * bucket's prefixes so that an operator can reason about both the same way:
 *
 *   state/newsroom.json      engine state (dedupe/cluster index)       ← S3 state/newsroom.json
 *   digests/<day>.json       one digest per day                        ← S3 digests/<day>.json
 *   articles.jsonl           one record per input file ever seen       ← S3 state/articles.jsonl
 *   quarantine/<key>.json    rejected files with their reason          ← S3 quarantine/<key>.json
 *   subscribers.json         the local subscriber list                 ← S3 subscribers/
 *   sent/<day>/<hash>.json   the send ledger                           ← S3 sent/
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { subscriberAddress } from '../core/address.ts';
import { requireCalendarDay } from '../core/day.ts';
import { ConcurrentWriteError, InputRejectedError } from '../core/errors.ts';
import { MAX_INPUT_BYTES } from '../core/limits.ts';
import { quarantineRecordName } from '../core/quarantine-key.ts';
import { redactEmails } from '../core/redact.ts';
import { isStaleClaim } from '../core/send-claim.ts';
import {
  type AdmitOptions,
  admitSubscriber,
  findSubscriber,
  isComplaintSuppressed,
  isSuppressed,
  keepAddress,
  type Subscriber,
} from '../core/subscriber.ts';
import type { ArticleRecord, Day, Digest } from '../core/types.ts';
import type {
  ArticleSource,
  ClaimOptions,
  DerivedOutput,
  DigestStore,
  QuarantineOptions,
  SendLedger,
  SubscriberStore,
  Versioned,
} from '../ports.ts';
import { streamJson, streamJsonLines } from './json-bytes.ts';

const STATE_FILE = join('state', 'newsroom.json');
const REVISIONS_FILE = join('state', 'derived-revisions.json');

/** Where a derived output lives below the root. */
function derivedName(target: DerivedOutput): string {
  return target === 'records' ? 'articles.jsonl' : join('digests', `${target.digest}.json`);
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Temporary files written so far by this process: two writes of one path in one millisecond get different names. */
let temporaries = 0;

function temporaryPath(path: string): string {
  temporaries += 1;
  return `${path}.${process.pid}.${Date.now()}.${temporaries}.tmp`;
}

/** Writes through a temporary file and a rename, so a crash never leaves a half-written file behind. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/**
 * `writeFileAtomic` for a body made while it is written: `produce` hands chunks to its sink, and each
 * goes to disk at once (synchronously: a local disk takes it in microseconds), so the body is never
 * whole in memory. Returns the SHA-256 of the bytes written.
 */
export async function writeStreamAtomic(
  path: string,
  produce: (sink: (chunk: Uint8Array) => void) => void,
): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const temporary = temporaryPath(path);
  const hash = createHash('sha256');
  const fd = openSync(temporary, 'w');
  try {
    produce((chunk) => {
      hash.update(chunk);
      for (let written = 0; written < chunk.byteLength; ) {
        written += writeSync(fd, chunk, written, chunk.byteLength - written);
      }
    });
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  await rename(temporary, path);
  return hash.digest('hex');
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Keys become relative paths; `..` segments and absolute prefixes are neutralised so a key never escapes the root. */
export function safeRelativePath(key: string): string {
  return key
    .split(/[\\/]+/)
    .filter((part) => part !== '' && part !== '.' && part !== '..')
    .join(sep);
}

/** Reads input files from a folder. */
export class FsArticleSource implements ArticleSource {
  constructor(private readonly root: string) {}

  /**
   * Reads with one descriptor, synchronously, because a local file comes from the page cache faster than
   * four trips through the thread pool; the size limit is checked on the open descriptor before reading.
   */
  async read(key: string): Promise<{ bytes: Uint8Array; arrivedAt: Date } | null> {
    const path = join(this.root, safeRelativePath(key));
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const info = fstatSync(fd);
      if (info.size > MAX_INPUT_BYTES) {
        throw new InputRejectedError(
          'too-large',
          `The file is ${info.size} bytes; the limit is ${MAX_INPUT_BYTES} bytes. Split it or keep only the article text.`,
        );
      }
      return { bytes: readWhole(fd, info.size), arrivedAt: info.mtime };
    } finally {
      closeSync(fd);
    }
  }
}

/** The file's bytes: `size` as stat saw it, fewer if the file shrank meanwhile. */
function readWhole(fd: number, size: number): Uint8Array {
  // Its own ArrayBuffer, not a slice of the shared pool: the bytes may be transferred to a worker.
  const bytes = Buffer.allocUnsafeSlow(size);
  let filled = 0;
  while (filled < size) {
    const n = readSync(fd, bytes, filled, size - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === size ? bytes : bytes.subarray(0, filled);
}

export interface ListedFile {
  /** Path relative to the root, with forward slashes. */
  readonly key: string;
  readonly mtime: Date;
  readonly size: number;
}

/** Every regular file below `root`, recursively, oldest first (ties broken by path so runs are repeatable). */
export async function listFilesOldestFirst(root: string): Promise<ListedFile[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: ListedFile[] = [];
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const fullPath = join(entry.parentPath, entry.name);
    const info = await stat(fullPath);
    files.push({ key: relative(root, fullPath).split(sep).join('/'), mtime: info.mtime, size: info.size });
  }
  files.sort((a, b) => a.mtime.getTime() - b.mtime.getTime() || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return files;
}

export class FsDigestStore implements DigestStore {
  constructor(private readonly root: string) {}

  async loadState(): Promise<Versioned<unknown> | null> {
    const raw = await readIfExists(join(this.root, STATE_FILE));
    if (raw === null) return null;
    return { value: JSON.parse(raw.toString('utf8')) as unknown, version: sha256(raw) };
  }

  async saveState(state: unknown, expectedVersion: string | null): Promise<string> {
    const path = join(this.root, STATE_FILE);
    const current = await readIfExists(path);
    const currentVersion = current === null ? null : sha256(current);
    if (currentVersion !== expectedVersion) {
      throw new ConcurrentWriteError(
        `The state at ${path} changed while this run was working (expected ${expectedVersion}, found ${currentVersion}); reload it and apply the change again.`,
      );
    }
    return writeStreamAtomic(path, (sink) => streamJson(state, sink));
  }

  /** Revisions of the derived outputs, kept beside the state (the local store has a single writer). */
  private async revisions(): Promise<Record<string, number>> {
    const raw = await readIfExists(join(this.root, REVISIONS_FILE));
    return raw === null ? {} : (JSON.parse(raw.toString('utf8')) as Record<string, number>);
  }

  private async writeDerived(
    name: string,
    body: string | ((sink: (chunk: Uint8Array) => void) => void),
    revision: number | undefined,
  ): Promise<void> {
    const revisions = await this.revisions();
    if (revision !== undefined && (revisions[name] ?? -1) >= revision) return;
    const path = join(this.root, name);
    if (typeof body === 'string') await writeFileAtomic(path, body);
    else await writeStreamAtomic(path, body);
    if (revision !== undefined) {
      revisions[name] = revision;
      await writeFileAtomic(join(this.root, REVISIONS_FILE), `${JSON.stringify(revisions)}\n`);
    }
  }

  async derivedRevision(target: DerivedOutput): Promise<number | null> {
    return (await this.revisions())[derivedName(target)] ?? null;
  }

  async putDigest(digest: Digest, revision?: number): Promise<void> {
    await this.writeDerived(
      derivedName({ digest: digest.date }),
      `${JSON.stringify(digest, null, 2)}\n`,
      revision,
    );
  }

  async getDigest(day: Day): Promise<Digest | null> {
    // The day becomes a path: only YYYY-MM-DD, so no `../` can reach outside the store.
    const raw = await readIfExists(
      join(this.root, 'digests', `${requireCalendarDay(day, 'The digest day')}.json`),
    );
    return raw === null ? null : (JSON.parse(raw.toString('utf8')) as Digest);
  }

  async listDigestDays(): Promise<Day[]> {
    try {
      const names = await readdir(join(this.root, 'digests'));
      return names
        .filter((name) => /^\d{4}-\d{2}-\d{2}\.json$/.test(name))
        .map((name) => name.slice(0, 10))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async putArticleRecords(records: readonly ArticleRecord[], revision?: number): Promise<void> {
    await this.writeDerived(derivedName('records'), (sink) => streamJsonLines(records, sink), revision);
  }

  async quarantine(
    key: string,
    reason: string,
    bytes: Uint8Array | null,
    options: QuarantineOptions = {},
  ): Promise<void> {
    const path = join(this.root, 'quarantine', ...quarantineRecordName(key).split('/'));
    if (options.keepExisting && (await stat(path).catch(() => null)) !== null) return;
    const record = { key, reason, size: bytes?.byteLength ?? null, quarantinedAt: new Date().toISOString() };
    await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`);
  }
}

/**
 * The local subscriber list: `subscribers.json`, `{ "subscribers": [record, …] }` with the records of
 * core/subscriber.ts. The local store has one writer at a time (the operator's commands).
 */
export class FsSubscriberStore implements SubscriberStore {
  private readonly path: string;
  constructor(root: string) {
    this.path = join(root, 'subscribers.json');
  }

  /** The file that holds the list, for messages that say which list changed. */
  get location(): string {
    return this.path;
  }

  async list(): Promise<Subscriber[]> {
    const raw = await readIfExists(this.path);
    if (raw === null) return [];
    return (JSON.parse(raw.toString('utf8')) as { subscribers: Subscriber[] }).subscribers;
  }

  private async write(subscribers: readonly Subscriber[]): Promise<void> {
    await writeFileAtomic(this.path, `${JSON.stringify({ subscribers }, null, 2)}\n`);
  }

  async get(email: string): Promise<Subscriber | null> {
    return findSubscriber(await this.list(), email);
  }

  async add(email: string, options?: AdmitOptions): Promise<Subscriber> {
    const address = subscriberAddress(email);
    const subscribers = await this.list();
    const index = subscribers.findIndex((s) => s.email === address);
    const existing = index === -1 ? null : (subscribers[index] as Subscriber);
    const admitted = admitSubscriber(existing, address, new Date(), options);
    if (admitted === existing) return admitted;
    if (index === -1) subscribers.push(admitted);
    else subscribers[index] = admitted;
    await this.write(subscribers);
    return admitted;
  }

  async remove(email: string): Promise<boolean> {
    const address = email.trim().toLowerCase();
    const subscribers = await this.list();
    const kept = subscribers.filter((s) => s.email !== address || isComplaintSuppressed(s));
    if (kept.length === subscribers.length) return false;
    await this.write(kept);
    return subscribers.some((s) => s.email === address && !isSuppressed(s));
  }

  async update(email: string, change: (current: Subscriber) => Subscriber): Promise<Subscriber | null> {
    const address = email.trim().toLowerCase();
    const subscribers = await this.list();
    const index = subscribers.findIndex((s) => s.email === address);
    if (index === -1) return null;
    const current = subscribers[index] as Subscriber;
    const next = keepAddress(current, change(current));
    if (next !== current) {
      subscribers[index] = next;
      await this.write(subscribers);
    }
    return next;
  }
}

/** The local send ledger: one file per (day, subscriber), created exclusively so a claim is atomic. */
export class FsSendLedger implements SendLedger {
  constructor(private readonly root: string) {}

  private pathFor(day: Day, email: string): string {
    return join(this.root, 'sent', day, `${sha256(email.toLowerCase()).slice(0, 32)}.json`);
  }

  async claim(day: Day, email: string, options: ClaimOptions = {}): Promise<boolean> {
    const path = this.pathFor(day, email);
    await mkdir(dirname(path), { recursive: true });
    const claimed = JSON.stringify({ day, status: 'claimed', at: new Date().toISOString() });
    try {
      await writeFile(path, claimed, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (options.staleBefore === undefined) return false;
    const existing = await readIfExists(path);
    // The local store has one writer at a time (the operator's commands): no race to take the entry over.
    if (existing === null || !isStaleClaim(existing, options.staleBefore)) return false;
    await writeFileAtomic(path, claimed);
    return true;
  }

  async markExpired(day: Day, email: string, reason: string): Promise<void> {
    await writeFileAtomic(
      this.pathFor(day, email),
      JSON.stringify({ day, status: 'expired', reason: redactEmails(reason), at: new Date().toISOString() }),
    );
  }

  async markSent(day: Day, email: string, messageId: string): Promise<void> {
    await writeFileAtomic(
      this.pathFor(day, email),
      JSON.stringify({ day, status: 'sent', messageId, at: new Date().toISOString() }),
    );
  }

  async markRejected(day: Day, email: string, reason: string): Promise<void> {
    await writeFileAtomic(
      this.pathFor(day, email),
      // SES refusals can name the address ("Address blacklisted: …"); the ledger keeps only its hash.
      JSON.stringify({ day, status: 'rejected', reason: redactEmails(reason), at: new Date().toISOString() }),
    );
  }

  async release(day: Day, email: string): Promise<void> {
    await rm(this.pathFor(day, email), { force: true });
  }
}
