/**
 * A batch's item writes as one intent, so that a batch stopped among them (a lost condition, a store that
 * stays throttled, a Lambda killed) never leaves half of itself for the next batch to build on. There are
 * no transactions: before its first write a batch records what each item held and what it will hold
 * (`intent#<id>`, listed under the `intents` partition); if the writes do not all land, the batch undoes
 * those that did, and an intent left behind by a dead invocation is undone by the first batch that starts
 * after the invocation's time is up. The batch then applies itself again on clean state. Once the item
 * writes have landed the intent is marked `counting`: the counters are commutative additions that cannot
 * be taken back, so an intent that dies while counting is kept as done, and whoever recovers it rebuilds
 * the digests of the days the batch changed, which the dead invocation may not have written.
 */
import { createHash, randomUUID } from 'node:crypto';
import { ConcurrentWriteError } from '../core/errors.ts';
import { type ItemKey, type ItemStore, itemKeyId } from '../ports.ts';
import type { ItemChangeSet } from './item-batch.ts';

const INTENTS_PARTITION = 'intents';
const intentPointerKey = (id: string): ItemKey => ({ partition: INTENTS_PARTITION, sort: id });
const intentLogKey = (id: string): ItemKey => ({ partition: `intent#${id}`, sort: '' });

/**
 * What undoing one write needs: the item before it (null: absent) and a fingerprint of the item after.
 * 'any' marks an unversioned item (a posting or LSH bucket entry), which no two writers disagree on.
 */
interface LoggedPut {
  readonly key: ItemKey;
  readonly before: unknown;
  readonly beforeVersion: number | null | 'any';
  readonly afterVersion: number | 'any';
  readonly afterHash: string;
  readonly expiresAt?: number | null;
}

interface LoggedDelete {
  readonly key: ItemKey;
  readonly before: unknown;
  readonly unversioned: boolean;
}

export interface IntentLog {
  readonly puts: readonly LoggedPut[];
  readonly deletes: readonly LoggedDelete[];
}

interface IntentPointer {
  /** Seconds since the epoch when the batch began writing. */
  readonly createdAt: number;
  readonly phase: 'writing' | 'counting';
  /** The days whose digests the batch changes. */
  readonly days: readonly string[];
}

function fingerprint(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex');
}

/** The log of a change set: `before` holds what the batch read of each item it writes or deletes. */
export function intentLog(
  changes: ItemChangeSet,
  before: ReadonlyMap<string, { value: unknown }>,
): IntentLog {
  return {
    puts: changes.puts.map((put) => ({
      key: put.key,
      before: put.expectedVersion === null ? null : (before.get(itemKeyId(put.key))?.value ?? null),
      beforeVersion: put.expectedVersion,
      afterVersion: put.expectedVersion === 'any' ? 'any' : (put.expectedVersion ?? 0) + 1,
      afterHash: fingerprint(put.value),
      ...(put.expiresAt === undefined ? {} : { expiresAt: put.expiresAt }),
    })),
    deletes: changes.deletes.map((del) => ({
      key: del.key,
      before: before.get(itemKeyId(del.key))?.value ?? null,
      unversioned: del.expectedVersion === 'any',
    })),
  };
}

/** An intent being written; `id` names it in the `intents` partition. */
export class BatchIntent {
  private pointerVersion = 0;
  private constructor(
    private readonly items: ItemStore,
    readonly id: string,
    private readonly log: IntentLog,
    private readonly days: readonly string[],
  ) {}

  /** Records the intent; nothing of the batch is written before this returns. */
  static async begin(
    items: ItemStore,
    log: IntentLog,
    days: readonly string[],
    now: number,
  ): Promise<BatchIntent> {
    const intent = new BatchIntent(items, randomUUID(), log, days);
    await items.put({ key: intentLogKey(intent.id), value: log, expectedVersion: null });
    const pointer: IntentPointer = { createdAt: now, phase: 'writing', days };
    intent.pointerVersion = await items.put({
      key: intentPointerKey(intent.id),
      value: pointer,
      expectedVersion: null,
    });
    return intent;
  }

  /** Every item write landed: from here on the batch is done, whatever happens to its counters. */
  async markCounting(now: number): Promise<void> {
    const pointer: IntentPointer = { createdAt: now, phase: 'counting', days: this.days };
    this.pointerVersion = await this.items.put({
      key: intentPointerKey(this.id),
      value: pointer,
      expectedVersion: this.pointerVersion,
    });
  }

  /** Takes back whatever of the batch's writes landed, then forgets the intent. */
  async undo(): Promise<void> {
    await undoWrites(this.items, this.log);
    await this.end();
  }

  async end(): Promise<void> {
    await forget(this.items, this.id, this.pointerVersion);
  }
}

/** The log goes first: a pointer whose log is gone is still found, and forgotten, by the next recovery. */
async function forget(items: ItemStore, id: string, pointerVersion: number): Promise<void> {
  const log = (await items.getMany([intentLogKey(id)])).get(itemKeyId(intentLogKey(id)));
  if (log) await ignoreLostRace(items.delete(log.key, log.version));
  await ignoreLostRace(items.delete(intentPointerKey(id), pointerVersion));
}

/** Another writer got there first (it undid or recovered the same item): nothing left to do here. */
async function ignoreLostRace(write: Promise<unknown>): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (!(error instanceof ConcurrentWriteError)) throw error;
  }
}

/**
 * Puts back the items as they were before the logged writes, for each write that landed and that no one
 * has changed since (its version and value are still the ones the batch wrote).
 */
export async function undoWrites(items: ItemStore, log: IntentLog): Promise<void> {
  const current = await items.getMany([...log.puts, ...log.deletes].map((entry) => entry.key));
  const undos: Promise<void>[] = [];
  for (const put of log.puts) {
    const now = current.get(itemKeyId(put.key));
    if (!now || fingerprint(now.value) !== put.afterHash) continue;
    if (put.afterVersion !== 'any' && now.version !== put.afterVersion) continue;
    const absentBefore = put.beforeVersion === null || (put.beforeVersion === 'any' && put.before === null);
    const expiry = put.expiresAt === undefined ? {} : { expiresAt: put.expiresAt };
    undos.push(
      ignoreLostRace(
        absentBefore
          ? items.delete(put.key, put.afterVersion)
          : items.put({ key: put.key, value: put.before, expectedVersion: put.afterVersion, ...expiry }),
      ),
    );
  }
  for (const del of log.deletes) {
    if (current.has(itemKeyId(del.key)) || del.before === null) continue;
    const expectedVersion = del.unversioned ? 'any' : null;
    undos.push(ignoreLostRace(items.put({ key: del.key, value: del.before, expectedVersion })));
  }
  await Promise.all(undos);
}

/**
 * Undoes the intents of invocations that cannot be running any more (begun `staleAfterSeconds` or more
 * before `now`); for those that died while counting, calls `rebuildDays` with the days they changed.
 * Returns how many it recovered.
 */
export async function recoverStaleIntents(
  items: ItemStore,
  now: number,
  staleAfterSeconds: number,
  rebuildDays: (days: readonly string[]) => Promise<void>,
): Promise<number> {
  let recovered = 0;
  for (const entry of await items.listPartition(INTENTS_PARTITION)) {
    const pointer = entry.value as IntentPointer;
    if (pointer.createdAt > now - staleAfterSeconds) continue;
    const id = entry.key.sort;
    if (pointer.phase === 'writing') {
      const log = (await items.getMany([intentLogKey(id)])).get(itemKeyId(intentLogKey(id)));
      if (log) await undoWrites(items, log.value as IntentLog);
    } else {
      await rebuildDays(pointer.days ?? []);
    }
    await forget(items, id, entry.version);
    recovered += 1;
  }
  return recovered;
}
