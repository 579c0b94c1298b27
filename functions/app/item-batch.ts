/**
 * Reading and writing one batch's working set through the ItemStore port: the items read in rounds
 * (each round's keys follow from what the previous rounds found), and the changed items written back one
 * by one, each conditioned on the version it was read at. There are no transactions, so the write order
 * carries the guarantees: items in `first` groups go before later groups, and the commit markers (the
 * items that say "this file is done", written last) go only after everything they stand for. A lost
 * condition stops the writes at once and is reported, and the caller reads again and re-applies the whole
 * batch; what was already written is then part of what it reads.
 */
import { ConcurrentWriteError } from '../core/errors.ts';
import { type ItemKey, type ItemStore, itemKeyId, type StoredItem } from '../ports.ts';

/** Rounds of reads a batch may need before something is wrong with the plan (it never converges). */
const MAX_READ_ROUNDS = 8;
/** Writes in flight at once within one group: DynamoDB takes each in a few ms, so a group of 200 takes tens. */
const WRITES_IN_FLIGHT = 16;

export interface ItemChangeSet {
  readonly puts: readonly {
    readonly key: ItemKey;
    readonly value: unknown;
    readonly expectedVersion: number | null | 'any';
    readonly expiresAt?: number | null;
  }[];
  readonly deletes: readonly { readonly key: ItemKey; readonly expectedVersion: number | 'any' }[];
  readonly counts?: readonly {
    readonly key: ItemKey;
    readonly deltas: Readonly<Record<string, number>>;
    readonly expiresAt?: number | null;
  }[];
}

export interface ReadStats {
  readonly rounds: number;
  readonly keysRequested: number;
}

/**
 * Reads `first`, then whatever `next` asks for given everything read so far, until it asks for nothing
 * new. Keys already asked for are never asked again (found or not).
 */
export async function readInRounds(
  store: ItemStore,
  first: readonly ItemKey[],
  next: (read: ReadonlyMap<string, StoredItem>) => readonly ItemKey[],
): Promise<{ items: Map<string, StoredItem>; stats: ReadStats }> {
  const items = new Map<string, StoredItem>();
  const asked = new Set<string>();
  let keys = first;
  let rounds = 0;
  while (true) {
    const fresh = keys.filter((key) => {
      const id = itemKeyId(key);
      if (asked.has(id)) return false;
      asked.add(id);
      return true;
    });
    if (fresh.length === 0) break;
    rounds += 1;
    if (rounds > MAX_READ_ROUNDS) {
      throw new Error(
        `A batch's working set took more than ${MAX_READ_ROUNDS} rounds of reads; the read plan does not converge.`,
      );
    }
    for (const [id, item] of await store.getMany(fresh)) items.set(id, item);
    keys = next(items);
  }
  return { items, stats: { rounds, keysRequested: asked.size } };
}

export interface WriteStats {
  readonly puts: number;
  readonly deletes: number;
  readonly counts: number;
}

/**
 * Writes a change set: the puts group by group in the order of `groupOf` (lower first; each group's writes
 * run side by side), then the deletes, then the counters. Throws the first ConcurrentWriteError after the
 * writes already in flight settle, so the caller can read again.
 */
export async function writeChanges(
  store: ItemStore,
  changes: ItemChangeSet,
  groupOf: (put: ItemChangeSet['puts'][number]) => number,
): Promise<WriteStats> {
  const groups = new Map<number, ItemChangeSet['puts'][number][]>();
  for (const put of changes.puts) {
    const group = groupOf(put);
    const members = groups.get(group);
    if (members) members.push(put);
    else groups.set(group, [put]);
  }
  for (const group of [...groups.keys()].sort((a, b) => a - b)) {
    await allBounded(
      (groups.get(group) ?? []).map(
        (put) => () =>
          store.put({
            key: put.key,
            value: put.value,
            expectedVersion: put.expectedVersion,
            ...(put.expiresAt === undefined ? {} : { expiresAt: put.expiresAt }),
          }),
      ),
    );
  }
  await allBounded(changes.deletes.map((del) => () => store.delete(del.key, del.expectedVersion)));
  const counts = changes.counts ?? [];
  await allBounded(counts.map((c) => () => store.addCounts(c.key, c.deltas, c.expiresAt)));
  return { puts: changes.puts.length, deletes: changes.deletes.length, counts: counts.length };
}

/**
 * Runs the tasks at most WRITES_IN_FLIGHT at a time. After the first failure no new task starts; the ones
 * running finish, then the failure is thrown (a ConcurrentWriteError before any other error, since it is
 * the one the caller handles by retrying).
 */
async function allBounded(tasks: readonly (() => Promise<unknown>)[]): Promise<void> {
  const errors: unknown[] = [];
  let nextTask = 0;
  const worker = async () => {
    while (errors.length === 0 && nextTask < tasks.length) {
      const task = tasks[nextTask++] as () => Promise<unknown>;
      try {
        await task();
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(WRITES_IN_FLIGHT, tasks.length) }, worker));
  if (errors.length > 0) throw errors.find((e) => e instanceof ConcurrentWriteError) ?? errors[0];
}
