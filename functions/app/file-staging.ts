/**
 * Staging a batch's files: each is read from its source and prepared (extracted, its story signals
 * computed) a few files ahead of the one the engine is ingesting, in request order.
 */
import type { ArticleSource, Prepared, Preparer } from '../ports.ts';
import { prepareInProcess } from './prepare.ts';

/**
 * Files read and prepared ahead of the one being ingested, unless the caller says otherwise: enough
 * to hide S3 latency, few enough to bound a Lambda's memory (a window of files, never the whole batch).
 */
const FILES_IN_FLIGHT = 8;
/**
 * Times a file is prepared when its preparer loses it through no fault of its own (a worker died on
 * another file). Losing it this often means the preparer is failing, and the file is quarantined.
 */
const MAX_PREPARE_ATTEMPTS = 3;
/** A file to stage: its key, and the arrival time that overrides the source's, if any. */
export interface FileRequest {
  readonly key: string;
  readonly arrivedAt?: Date;
}

export interface StagingDependencies {
  readonly source: ArticleSource;
  /** Prepares each file; in process when absent. */
  readonly prepare?: Preparer;
  /** Files read and prepared ahead of the one being ingested (FILES_IN_FLIGHT by default). */
  readonly filesInFlight?: number;
}

type ReadResult = { bytes: Uint8Array; arrivedAt: Date } | null | { error: unknown };

async function readOne(source: ArticleSource, key: string): Promise<ReadResult> {
  try {
    return await source.read(key);
  } catch (error) {
    return { error };
  }
}

/** One file read and prepared, waiting for its turn in the engine. */
export type Staged =
  | { readonly kind: 'missing' }
  | { readonly kind: 'unread'; readonly error: unknown }
  | {
      readonly kind: 'prepared';
      readonly arrivedAt: Date;
      readonly prepared: Prepared;
      /** The file's bytes if this thread still holds them (a worker may have taken them), else null. */
      readonly bytes: Uint8Array | null;
    };

/** Reads and prepares one file, preparing again (up to MAX_PREPARE_ATTEMPTS) when the preparer asks to. */
export async function stage(
  request: FileRequest,
  deps: Pick<StagingDependencies, 'source' | 'prepare'>,
): Promise<Staged> {
  for (let attempt = 1; ; attempt++) {
    const read = await readOne(deps.source, request.key);
    if (read === null) return { kind: 'missing' };
    if ('error' in read) return { kind: 'unread', error: read.error };
    const arrivedAt = request.arrivedAt ?? read.arrivedAt;
    const length = read.bytes.byteLength;
    const prepared = await (deps.prepare ?? prepareInProcess)({
      key: request.key,
      bytes: read.bytes,
      arrivedAt,
    });
    if (!prepared.ok && prepared.retry && attempt < MAX_PREPARE_ATTEMPTS) continue;
    // A view whose buffer moved to a worker reads as empty; only a failure needs the bytes back.
    const bytes = prepared.ok ? (read.bytes.byteLength === length ? read.bytes : null) : prepared.bytes;
    return { kind: 'prepared', arrivedAt, prepared, bytes };
  }
}

/**
 * The batch's files in order, each read and prepared a few ahead of the one being ingested: reading
 * is I/O-bound (S3 GETs) and preparing may run on other threads, so both overlap the engine's work on
 * this thread, and only a window of files is ever held in memory. Results are taken strictly in
 * request order, so the engine sees exactly the sequence the plain loop gives. A batch applied again
 * after a lost state race reads and prepares its files again.
 */
export async function* stagedInOrder(
  requests: readonly FileRequest[],
  deps: StagingDependencies,
): AsyncGenerator<Staged> {
  const inFlight = new Map<number, Promise<Staged>>();
  const window = Math.max(1, deps.filesInFlight ?? FILES_IN_FLIGHT);
  for (let index = 0; index < requests.length; index++) {
    for (let ahead = index; ahead < Math.min(index + window, requests.length); ahead++) {
      if (inFlight.has(ahead)) continue;
      const staged = stage(requests[ahead] as FileRequest, deps);
      // Awaited in its turn; until then a failure (the preparer gave up) must not count as unhandled.
      staged.catch(() => {});
      inFlight.set(ahead, staged);
    }
    const staged = await (inFlight.get(index) as Promise<Staged>);
    inFlight.delete(index);
    yield staged;
  }
}

/** The file's bytes read again, or null when they cannot be. */
export async function rereadBytes(source: ArticleSource, key: string): Promise<Uint8Array | null> {
  const read = await readOne(source, key);
  return read !== null && 'bytes' in read ? read.bytes : null;
}
